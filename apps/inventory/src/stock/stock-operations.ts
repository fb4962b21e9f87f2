import type { RequestOf, RestockStock, ReturnStock, TransferStock } from '@mercato/contracts';
import { InventoryErrorCode, InventoryException } from '../inventory.exception';
import {
  availableIn,
  type OpRecord,
  type OperationRecord,
  type StockChange,
  type StockItem,
} from './stock.model';

/** A restock, transfer or return as the stock rules see it, before it is applied to a SKU. */
export interface StockOperation {
  id: string;
  sku: string;
  kind: OperationRecord['kind'];
  /** What the command asked; the same id with another signature is a reused id, not a retry. */
  signature: string;
  change: StockChange;
}

/** A supplier delivery: the units arrive on hand and go on sale. */
export function restockOperation(command: RequestOf<typeof RestockStock>): StockOperation {
  const { operationId, sku, warehouseId, quantity } = command;
  return {
    id: operationId,
    sku,
    kind: 'restock',
    signature: `restock:${warehouseId}:${quantity}`,
    change: { deltas: [{ warehouseId, onHand: quantity, available: quantity }] },
  };
}

/**
 * Units moved from one warehouse to another: what leaves one arrives in the other, so no unit
 * is created or lost. Only available units move (reserved ones stay with their holds), and a
 * transfer needs two different warehouses (400 SAME_WAREHOUSE).
 */
export function transferOperation(command: RequestOf<typeof TransferStock>): StockOperation {
  const { operationId, sku, fromWarehouseId: from, toWarehouseId: to, quantity } = command;
  if (from === to) {
    throw new InventoryException(
      InventoryErrorCode.SameWarehouse,
      `A transfer needs two different warehouses (both are ${from})`,
      [{ field: 'toWarehouseId', message: 'must differ from fromWarehouseId' }],
    );
  }
  return {
    id: operationId,
    sku,
    kind: 'transfer',
    signature: `transfer:${from}:${to}:${quantity}`,
    change: {
      requiresAvailable: { warehouseId: from, quantity },
      deltas: [
        { warehouseId: from, onHand: -quantity, available: -quantity },
        { warehouseId: to, onHand: quantity, available: quantity },
      ],
    },
  };
}

/** A customer return: resellable units go back on sale, damaged ones are written off. */
export function returnOperation(command: RequestOf<typeof ReturnStock>): StockOperation {
  const { operationId, sku, warehouseId, quantity, condition } = command;
  return {
    id: operationId,
    sku,
    kind: 'return',
    signature: `return:${warehouseId}:${quantity}:${condition}`,
    change: {
      deltas: [
        condition === 'resellable'
          ? { warehouseId, onHand: quantity, available: quantity }
          : { warehouseId, writtenOff: quantity },
      ],
    },
  };
}

/**
 * Passes when the record already stored under the operation's id is this same operation (a
 * retry, answered without applying it twice); 409 OPERATION_CONFLICT when the id was used for
 * another command.
 */
export function ensureRetryOf(operation: StockOperation, recorded: OpRecord): void {
  const same =
    recorded.kind !== 'hold' &&
    recorded.kind === operation.kind &&
    recorded.signature === operation.signature;
  if (!same) {
    throw new InventoryException(
      InventoryErrorCode.OperationConflict,
      `Operation ${operation.id} was already used for another command on ${operation.sku}`,
    );
  }
}

/** 409 INSUFFICIENT_STOCK when the item lacks the available units the operation needs. */
export function ensureAvailable(operation: StockOperation, item: StockItem): void {
  const needed = operation.change.requiresAvailable;
  if (!needed) return;
  const available = availableIn(item.warehouses[needed.warehouseId]);
  if (available < needed.quantity) {
    throw new InventoryException(
      InventoryErrorCode.InsufficientStock,
      `${needed.warehouseId} has ${available} unit(s) of ${operation.sku} available, ${needed.quantity} asked`,
    );
  }
}

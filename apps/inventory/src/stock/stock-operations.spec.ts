import { hold, stockItem } from '../../test/support/stock-items';
import { thrownBy } from '../../test/support/thrown';
import {
  ensureAvailable,
  ensureRetryOf,
  restockOperation,
  returnOperation,
  transferOperation,
} from './stock-operations';

const sku = 'SKU-1';

describe('what a stock operation changes', () => {
  it('a restock puts the units on hand and on sale in its warehouse', () => {
    const restock = restockOperation({
      operationId: 'po-1',
      sku,
      warehouseId: 'eu-west',
      quantity: 7,
    });

    expect(restock).toEqual({
      id: 'po-1',
      sku,
      kind: 'restock',
      signature: 'restock:eu-west:7',
      change: { deltas: [{ warehouseId: 'eu-west', onHand: 7, available: 7 }] },
    });
  });

  it('a transfer takes from one warehouse exactly what it gives the other, if available there', () => {
    const transfer = transferOperation({
      operationId: 't-1',
      sku,
      fromWarehouseId: 'us-east',
      toWarehouseId: 'ap-south',
      quantity: 3,
    });

    expect(transfer.change).toEqual({
      requiresAvailable: { warehouseId: 'us-east', quantity: 3 },
      deltas: [
        { warehouseId: 'us-east', onHand: -3, available: -3 },
        { warehouseId: 'ap-south', onHand: 3, available: 3 },
      ],
    });
  });

  it('a transfer within one warehouse is refused (400 SAME_WAREHOUSE, naming the field)', () => {
    const error = thrownBy(() =>
      transferOperation({
        operationId: 't-2',
        sku,
        fromWarehouseId: 'us-east',
        toWarehouseId: 'us-east',
        quantity: 1,
      }),
    );

    expect(error).toMatchObject({
      status: 400,
      code: 'SAME_WAREHOUSE',
      errors: [{ field: 'toWarehouseId' }],
    });
  });

  it('a resellable return goes back on sale; a damaged one is only written off', () => {
    const base = { sku, warehouseId: 'eu-west' as const, quantity: 2 };
    const resellable = returnOperation({ ...base, operationId: 'r-1', condition: 'resellable' });
    const damaged = returnOperation({ ...base, operationId: 'r-2', condition: 'damaged' });

    expect(resellable.change.deltas).toEqual([{ warehouseId: 'eu-west', onHand: 2, available: 2 }]);
    expect(damaged.change.deltas).toEqual([{ warehouseId: 'eu-west', writtenOff: 2 }]);
    expect(resellable.signature).not.toBe(damaged.signature);
  });
});

describe('an operation id already recorded', () => {
  const restock = restockOperation({
    operationId: 'po-1',
    sku,
    warehouseId: 'us-east',
    quantity: 7,
  });

  it('is a retry when it recorded the same command', () => {
    expect(() =>
      ensureRetryOf(restock, { kind: 'restock', signature: 'restock:us-east:7', at: 0 }),
    ).not.toThrow();
  });

  it.each([
    ['another quantity', { kind: 'restock' as const, signature: 'restock:us-east:8', at: 0 }],
    [
      'another kind of operation',
      { kind: 'return' as const, signature: 'restock:us-east:7', at: 0 },
    ],
    ['a reservation', hold()],
  ])('is a conflict when it recorded %s (409 OPERATION_CONFLICT)', (_, recorded) => {
    expect(thrownBy(() => ensureRetryOf(restock, recorded))).toMatchObject({
      status: 409,
      code: 'OPERATION_CONFLICT',
    });
  });
});

describe('enough available units', () => {
  const transfer = transferOperation({
    operationId: 't-1',
    sku,
    fromWarehouseId: 'us-east',
    toWarehouseId: 'eu-west',
    quantity: 3,
  });

  it('lets a transfer move every available unit of its source', () => {
    expect(() => ensureAvailable(transfer, stockItem({ 'us-east': { onHand: 3 } }))).not.toThrow();
  });

  it('refuses to move reserved units (409 INSUFFICIENT_STOCK, saying what is there)', () => {
    const item = stockItem({ 'us-east': { onHand: 5, reserved: 3 } });
    const error = thrownBy(() => ensureAvailable(transfer, item));

    expect(error).toMatchObject({ status: 409, code: 'INSUFFICIENT_STOCK' });
    expect((error as Error).message).toBe('us-east has 2 unit(s) of SKU-1 available, 3 asked');
  });

  it('asks nothing of an operation that only adds units', () => {
    const restock = restockOperation({
      operationId: 'po',
      sku,
      warehouseId: 'us-east',
      quantity: 1,
    });

    expect(() => ensureAvailable(restock, stockItem())).not.toThrow();
  });
});

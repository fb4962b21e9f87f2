import { createHash } from 'node:crypto';
import type { WarehouseId } from '@mercato/contracts';
import type { StockItem, WarehouseStock } from './stock.model';
import { INVENTORY_SWEEP_ATTRIBUTES } from './inventory.tables';

/** Shards of the sparse `bySweep` index (spread so no one index partition takes every hold). */
export const SWEEP_SHARDS = 4;
export const sweepShardOf = (sku: string): string =>
  `sweep#${createHash('sha1').update(sku).digest()[0] % SWEEP_SHARDS}`;

/**
 * Builds one UpdateItem's expressions with generated placeholders, so the stock repository writes
 * paths such as `u.wh(w, 'available')` instead of juggling `#names` and `:values` by hand.
 */
export class StockUpdate {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  readonly sets: string[] = [];
  readonly removes: string[] = [];
  readonly conditions: string[] = [];
  private counter = 0;
  private readonly nameIds = new Map<string, string>();
  /** The value placeholder of each path `add()` changes. */
  private readonly additions = new Map<string, string>();

  name(attribute: string): string {
    let id = this.nameIds.get(attribute);
    if (!id) {
      id = `#n${this.nameIds.size}`;
      this.nameIds.set(attribute, id);
      this.names[id] = attribute;
    }
    return id;
  }

  value(value: unknown): string {
    const id = `:v${this.counter++}`;
    this.values[id] = value;
    return id;
  }

  /** Path of a field of one warehouse: `warehouses.<id>.<field>`. */
  wh(warehouseId: WarehouseId, field: keyof WarehouseStock): string {
    return `${this.name('warehouses')}.${this.name(warehouseId)}.${this.name(field)}`;
  }

  /** Path of an operation record (or one of its fields): `ops.<id>[.<field>]`. */
  op(id: string, field?: string): string {
    const base = `${this.name('ops')}.${this.name(id)}`;
    return field ? `${base}.${this.name(field)}` : base;
  }

  /**
   * Adds `delta` (may be negative) to a warehouse field. Repeated additions to one field are
   * summed into one clause: DynamoDB rejects an update naming a path twice ("Two document paths
   * overlap"), which a sweep expiring two holds of one warehouse used to send.
   */
  add(warehouseId: WarehouseId, field: keyof WarehouseStock, delta: number): void {
    const path = this.wh(warehouseId, field);
    const added = this.additions.get(path);
    if (added) {
      this.values[added] = (this.values[added] as number) + delta;
      return;
    }
    const value = this.value(delta);
    this.additions.set(path, value);
    this.sets.push(`${path} = ${path} + ${value}`);
  }

  set(path: string, value: unknown): void {
    this.sets.push(`${path} = ${this.value(value)}`);
  }

  when(condition: string): void {
    this.conditions.push(condition);
  }

  /**
   * Keeps the item's `sweepAt` at or before `dueAt` (a new hold's expiry, or when a new record may
   * be pruned). An update expression cannot take a minimum, so the clause is chosen from the item
   * as read and guarded by a condition; if `sweepAt` changed meanwhile the write fails and the
   * caller re-reads and tries again.
   */
  sweepNoLaterThan(item: StockItem, dueAt: number): void {
    const at = this.name(INVENTORY_SWEEP_ATTRIBUTES.at);
    const due = this.value(dueAt);
    if (item.sweepAt === undefined || item.sweepAt <= dueAt) {
      this.when(`(attribute_not_exists(${at}) OR ${at} <= ${due})`);
      this.sets.push(`${at} = if_not_exists(${at}, ${due})`);
    } else {
      this.when(`${at} > ${due}`);
      this.sets.push(`${at} = ${due}`);
    }
    this.set(this.name(INVENTORY_SWEEP_ATTRIBUTES.shard), sweepShardOf(item.sku));
  }

  /** Replaces `sweepAt` by a recomputed value (sweeper), or drops it from the index. */
  sweepAt(sku: string, dueAt: number | undefined): void {
    if (dueAt === undefined) {
      this.removes.push(this.name(INVENTORY_SWEEP_ATTRIBUTES.at));
      this.removes.push(this.name(INVENTORY_SWEEP_ATTRIBUTES.shard));
    } else {
      this.set(this.name(INVENTORY_SWEEP_ATTRIBUTES.at), dueAt);
      this.set(this.name(INVENTORY_SWEEP_ATTRIBUTES.shard), sweepShardOf(sku));
    }
  }
}

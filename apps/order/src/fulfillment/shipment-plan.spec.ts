import type { SkuAvailability, WarehouseId } from '@mercato/contracts';
import { planShipments } from './shipment-plan';

/** A us order's warehouses, nearest first. */
const NEAREST: WarehouseId[] = ['us-east', 'eu-west', 'ap-south'];

/** A SKU's availability: units per warehouse (warehouses left out have none). */
function units(sku: string, perWarehouse: Partial<Record<WarehouseId, number>>): SkuAvailability {
  const warehouses = NEAREST.map((warehouseId) => ({
    warehouseId,
    available: perWarehouse[warehouseId] ?? 0,
  }));
  return { sku, available: warehouses.reduce((sum, w) => sum + w.available, 0), warehouses };
}

const line = (sku: string, quantity = 1) => ({ sku, quantity });

/** The warehouse each SKU's reservation tries first. */
const plannedFirst = (plan: Map<string, WarehouseId[]>) =>
  Object.fromEntries([...plan].map(([sku, order]) => [sku, order[0]]));

describe('planning which warehouse fills each line of an order', () => {
  it('ships everything from the nearest warehouse when it has every line', () => {
    const stock = [units('A', { 'us-east': 2, 'eu-west': 5 }), units('B', { 'us-east': 1 })];

    const plan = planShipments([line('A', 2), line('B')], stock, NEAREST);

    expect(plan).toEqual(
      new Map([
        ['A', ['us-east', 'eu-west', 'ap-south']],
        ['B', ['us-east', 'eu-west', 'ap-south']],
      ]),
    );
  });

  it('ships everything from a farther warehouse that has every line rather than split between nearer ones', () => {
    const stock = [
      units('A', { 'us-east': 1, 'ap-south': 1 }),
      units('B', { 'eu-west': 1, 'ap-south': 1 }),
    ];

    const plan = planShipments([line('A'), line('B')], stock, NEAREST);

    expect(plannedFirst(plan)).toEqual({ A: 'ap-south', B: 'ap-south' });
  });

  it('after the planned warehouse, tries the others nearest-first', () => {
    const stock = [units('A', { 'ap-south': 1 })];

    expect(planShipments([line('A')], stock, NEAREST).get('A')).toEqual([
      'ap-south',
      'us-east',
      'eu-west',
    ]);
  });

  it('splits between two warehouses when no one warehouse has every line', () => {
    const stock = [units('A', { 'us-east': 1 }), units('B', { 'ap-south': 1 })];

    const plan = planShipments([line('A'), line('B')], stock, NEAREST);

    expect(plan).toEqual(
      new Map([
        ['A', ['us-east', 'eu-west', 'ap-south']],
        ['B', ['ap-south', 'us-east', 'eu-west']],
      ]),
    );
  });

  it('uses three warehouses only when no two can fill every line', () => {
    const stock = [
      units('A', { 'us-east': 1 }),
      units('B', { 'eu-west': 1 }),
      units('C', { 'ap-south': 1 }),
    ];

    const plan = planShipments([line('A'), line('B'), line('C')], stock, NEAREST);

    expect(plannedFirst(plan)).toEqual({ A: 'us-east', B: 'eu-west', C: 'ap-south' });
  });

  it('counts a warehouse for a line only when it has the whole quantity (a reservation is never split)', () => {
    const stock = [units('A', { 'us-east': 2, 'eu-west': 3 }), units('B', { 'eu-west': 1 })];

    const plan = planShipments([line('A', 3), line('B')], stock, NEAREST);

    expect(plannedFirst(plan)).toEqual({ A: 'eu-west', B: 'eu-west' });
  });

  it('between splits of the same size, takes the one whose warehouses are nearer', () => {
    // {us-east, ap-south} and {eu-west, ap-south} both fill the order; us-east is nearer.
    const stock = [units('A', { 'us-east': 1, 'eu-west': 1 }), units('B', { 'ap-south': 1 })];

    const plan = planShipments([line('A'), line('B')], stock, NEAREST);

    expect(plannedFirst(plan)).toEqual({ A: 'us-east', B: 'ap-south' });
  });

  it('sends a line that either warehouse of the split could fill to the nearer one', () => {
    const stock = [
      units('A', { 'us-east': 1 }),
      units('B', { 'eu-west': 1 }),
      units('C', { 'us-east': 1, 'eu-west': 1 }),
    ];

    const plan = planShipments([line('A'), line('B'), line('C')], stock, NEAREST);

    expect(plannedFirst(plan)).toEqual({ A: 'us-east', B: 'eu-west', C: 'us-east' });
  });

  it('plans a line no warehouse can fill nearest-first, without letting it split the others', () => {
    const stock = [units('A', { 'eu-west': 1 }), units('B', { 'us-east': 4, 'ap-south': 4 })];

    const plan = planShipments([line('A'), line('B', 5), line('UNKNOWN')], stock, NEAREST);

    expect(plan).toEqual(
      new Map([
        ['A', ['eu-west', 'us-east', 'ap-south']],
        ['B', ['us-east', 'eu-west', 'ap-south']],
        ['UNKNOWN', ['us-east', 'eu-west', 'ap-south']],
      ]),
    );
  });

  it('plans every line nearest-first when there are no stock figures at all', () => {
    const plan = planShipments([line('A'), line('B')], [], ['eu-west', 'us-east', 'ap-south']);

    expect(plannedFirst(plan)).toEqual({ A: 'eu-west', B: 'eu-west' });
  });
});

import { hold, stockItem } from '../../test/support/stock-items';
import { thrownBy } from '../../test/support/thrown';
import {
  decideCommit,
  decideRelease,
  holdToFinish,
  insufficientAnswer,
  newHold,
  planSweep,
  repeatedReservationAnswer,
  reservedAnswer,
} from './reservation-rules';

const RETENTION = 60_000;
const restockRecord = { kind: 'restock' as const, signature: 'restock:us-east:1', at: 0 };

describe('a new hold', () => {
  it('holds the quantity in the chosen warehouse until its time to live has passed', () => {
    expect(newHold('eu-west', 3, 10_000, 900_000)).toEqual({
      kind: 'hold',
      warehouseId: 'eu-west',
      quantity: 3,
      expiresAt: 910_000,
      status: 'held',
      at: 10_000,
    });
  });
});

describe('the answer to a reservation', () => {
  it('names the hold (warehouse, quantity, expiry as ISO time) and the stock after it', () => {
    const item = stockItem({ 'us-east': { onHand: 5, reserved: 2 } });
    const answer = reservedAnswer(
      'r-1',
      item,
      hold({ quantity: 2, expiresAt: Date.UTC(2026, 0, 1) }),
    );

    expect(answer).toMatchObject({
      status: 'reserved',
      reservationId: 'r-1',
      sku: 'SKU-1',
      warehouseId: 'us-east',
      quantity: 2,
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
    expect(answer.stock.warehouses[0]).toEqual({
      warehouseId: 'us-east',
      onHand: 5,
      reserved: 2,
      available: 3,
      writtenOff: 0,
    });
  });

  it('when refused, tells the most one warehouse of the region could hold, not the sum', () => {
    const item = stockItem({ 'us-east': { onHand: 2 }, 'eu-west': { onHand: 3 } });

    expect(insufficientAnswer(item, ['us-east', 'eu-west', 'ap-south'])).toMatchObject({
      status: 'insufficient',
      available: 3,
    });
  });

  it('when refused, counts only the warehouses that were tried', () => {
    const item = stockItem({ 'us-east': { onHand: 2 }, 'eu-west': { onHand: 3 } });

    expect(insufficientAnswer(item, ['us-east', 'ap-south'])).toMatchObject({ available: 2 });
  });
});

describe('a reservation id seen before', () => {
  it('answers the hold already placed for a retry of the same reservation', () => {
    const placed = hold({ warehouseId: 'eu-west', quantity: 2, expiresAt: 5_000 });
    const item = stockItem({ 'eu-west': { onHand: 4, reserved: 2 } }, { ops: { r: placed } });

    expect(repeatedReservationAnswer('r', item, placed, 2)).toEqual(
      reservedAnswer('r', item, placed),
    );
  });

  it('still answers reserved once the hold is committed (the retry of a reservation that sold)', () => {
    const sold = hold({ status: 'committed' });

    expect(repeatedReservationAnswer('r', stockItem(), sold, 1)).toMatchObject({
      status: 'reserved',
    });
  });

  it('refuses the id reused with another quantity (409 OPERATION_CONFLICT)', () => {
    expect(thrownBy(() => repeatedReservationAnswer('r', stockItem(), hold(), 2))).toMatchObject({
      status: 409,
      code: 'OPERATION_CONFLICT',
    });
  });

  it('refuses an id that a restock or transfer used (409 OPERATION_CONFLICT)', () => {
    expect(
      thrownBy(() => repeatedReservationAnswer('r', stockItem(), restockRecord, 1)),
    ).toMatchObject({
      code: 'OPERATION_CONFLICT',
    });
  });

  it.each(['released', 'expired'] as const)(
    'refuses to answer reserved for a hold that is %s: its units are back on sale (409 RESERVATION_NOT_HELD)',
    (status) => {
      const over = hold({ status });

      expect(thrownBy(() => repeatedReservationAnswer('r', stockItem(), over, 1))).toMatchObject({
        status: 409,
        code: 'RESERVATION_NOT_HELD',
      });
    },
  );
});

describe('the hold a commit or release names', () => {
  it('is 404 RESERVATION_NOT_FOUND when the SKU has no record under the id', () => {
    expect(thrownBy(() => holdToFinish('r', 'SKU-1', undefined))).toMatchObject({
      status: 404,
      code: 'RESERVATION_NOT_FOUND',
    });
  });

  it('is 409 OPERATION_CONFLICT when the id belongs to a restock, transfer or return', () => {
    expect(thrownBy(() => holdToFinish('r', 'SKU-1', restockRecord))).toMatchObject({
      status: 409,
      code: 'OPERATION_CONFLICT',
    });
  });

  it('is the hold record itself otherwise', () => {
    const held = hold();

    expect(holdToFinish('r', 'SKU-1', held)).toBe(held);
  });
});

describe('committing a hold', () => {
  it('sells an open hold that has not expired', () => {
    expect(decideCommit('r', hold({ expiresAt: 1_000 }), 999)).toBe('write');
  });

  it('answers at once for a hold already committed, so a second commit sells nothing', () => {
    expect(decideCommit('r', hold({ status: 'committed', expiresAt: 0 }), 5_000)).toBe('done');
  });

  it('refuses an open hold whose expiry has come, even before the sweeper returned its units', () => {
    const error = thrownBy(() => decideCommit('r', hold({ expiresAt: 1_000 }), 1_000));

    expect(error).toMatchObject({ status: 409, code: 'RESERVATION_NOT_HELD' });
    expect((error as Error).message).toMatch(/expired/);
  });

  it.each(['released', 'expired'] as const)('refuses a hold that is %s', (status) => {
    expect(thrownBy(() => decideCommit('r', hold({ status, expiresAt: 9_000 }), 0))).toMatchObject({
      code: 'RESERVATION_NOT_HELD',
    });
  });
});

describe('releasing a hold', () => {
  it('gives back the units of an open hold', () => {
    expect(decideRelease('r', hold())).toBe('write');
  });

  it.each(['released', 'expired'] as const)(
    'answers at once for a hold that is %s: its units are back already',
    (status) => {
      expect(decideRelease('r', hold({ status }))).toBe('done');
    },
  );

  it('refuses a committed hold: the sale stands, undoing it is a return (409)', () => {
    expect(thrownBy(() => decideRelease('r', hold({ status: 'committed' })))).toMatchObject({
      status: 409,
      code: 'RESERVATION_NOT_HELD',
    });
  });
});

describe('a sweep of an item', () => {
  it('expires the open holds whose expiry has come and keeps the others open', () => {
    const due = hold({ expiresAt: 1_000 });
    const later = hold({ expiresAt: 1_001 });
    const item = stockItem({}, { ops: { due, later }, sweepAt: 1_000 });

    const plan = planSweep(item, 1_000, RETENTION);

    expect(plan?.expire).toEqual([{ id: 'due', hold: due }]);
    expect(plan?.prune).toEqual([]);
  });

  it('prunes finished records once the retention has passed, and keeps younger ones', () => {
    const old = hold({ status: 'committed', at: 0 });
    const young = { ...restockRecord, at: 1 };
    const item = stockItem({}, { ops: { old, young }, sweepAt: RETENTION });

    expect(planSweep(item, RETENTION, RETENTION)?.prune).toEqual(['old']);
  });

  it('is next due at the earliest remaining deadline, counting an expired hold as finished now', () => {
    const expiring = hold({ expiresAt: 1_000 });
    const open = hold({ expiresAt: 500_000 });
    const item = stockItem({}, { ops: { expiring, open }, sweepAt: 1_000 });

    expect(planSweep(item, 2_000, RETENTION)?.nextDueAt).toBe(2_000 + RETENTION);
  });

  it('leaves the sweep index (no due time) once every record is pruned', () => {
    const item = stockItem({}, { ops: { old: restockRecord }, sweepAt: RETENTION });

    expect(planSweep(item, RETENTION, RETENTION)).toEqual({
      now: RETENTION,
      expire: [],
      prune: ['old'],
      nextDueAt: undefined,
    });
  });

  it('corrects a sweep time that is not the earliest deadline, expiring nothing', () => {
    const item = stockItem({}, { ops: { open: hold({ expiresAt: 9_000 }) }, sweepAt: 1_000 });

    expect(planSweep(item, 2_000, RETENTION)).toMatchObject({
      expire: [],
      prune: [],
      nextDueAt: 9_000,
    });
  });

  it('does nothing when nothing is due and the sweep time is right', () => {
    const item = stockItem({}, { ops: { open: hold({ expiresAt: 9_000 }) }, sweepAt: 9_000 });

    expect(planSweep(item, 2_000, RETENTION)).toBeUndefined();
  });
});

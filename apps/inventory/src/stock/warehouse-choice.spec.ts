import { stockItem } from '../../test/support/stock-items';
import { REGION_WAREHOUSES } from '@mercato/contracts';
import { chooseWarehouse, mostReservableIn, warehousesToTry } from './warehouse-choice';

const US = REGION_WAREHOUSES.us;
const EU = REGION_WAREHOUSES.eu;
const AP = REGION_WAREHOUSES.ap;

describe('choosing the warehouse of a reservation', () => {
  it('takes the nearest warehouse of the region when it can fill the quantity', () => {
    const item = stockItem({ 'us-east': { onHand: 5 }, 'eu-west': { onHand: 5 } });

    expect(chooseWarehouse(item, US, 2)).toBe('us-east');
    expect(chooseWarehouse(item, EU, 2)).toBe('eu-west');
  });

  it('passes over a nearer warehouse that cannot fill the whole quantity, rather than split it', () => {
    const item = stockItem({
      'us-east': { onHand: 2 },
      'eu-west': { onHand: 1 },
      'ap-south': { onHand: 4 },
    });

    expect(chooseWarehouse(item, US, 3)).toBe('ap-south');
  });

  it('follows the region order for the next nearest: ap goes to us-east before eu-west', () => {
    const item = stockItem({ 'us-east': { onHand: 3 }, 'eu-west': { onHand: 3 } });

    expect(chooseWarehouse(item, AP, 3)).toBe('us-east');
  });

  it('counts only available units: units held by other reservations are not offered', () => {
    const item = stockItem({ 'us-east': { onHand: 5, reserved: 4 }, 'eu-west': { onHand: 2 } });

    expect(chooseWarehouse(item, US, 2)).toBe('eu-west');
  });

  it('finds no warehouse when none of the region has enough', () => {
    const item = stockItem({
      'us-east': { onHand: 2 },
      'eu-west': { onHand: 2 },
      'ap-south': { onHand: 2 },
    });

    expect(chooseWarehouse(item, US, 3)).toBeUndefined();
  });

  it('takes exactly what is available (the last units can be reserved)', () => {
    const item = stockItem({ 'eu-west': { onHand: 3, reserved: 1 } });

    expect(chooseWarehouse(item, EU, 2)).toBe('eu-west');
  });

  it('tells a refused caller the largest quantity one warehouse could still fill', () => {
    const item = stockItem({ 'us-east': { onHand: 2 }, 'eu-west': { onHand: 5, reserved: 2 } });

    expect(mostReservableIn(item, US)).toBe(3);
  });

  it('tries only the warehouses given, in their order, passing over one that cannot fill', () => {
    const item = stockItem({
      'us-east': { onHand: 5 },
      'eu-west': { onHand: 1 },
      'ap-south': { onHand: 5 },
    });

    expect(chooseWarehouse(item, ['eu-west', 'ap-south'], 2)).toBe('ap-south');
    expect(chooseWarehouse(item, ['eu-west'], 2)).toBeUndefined();
  });

  it('tells a refused caller only what the warehouses tried could fill', () => {
    const item = stockItem({ 'us-east': { onHand: 9 }, 'eu-west': { onHand: 2 } });

    expect(mostReservableIn(item, ['eu-west', 'ap-south'])).toBe(2);
  });
});

describe('the warehouses a reservation tries', () => {
  it("are the region's, nearest first, when the caller sends no order", () => {
    expect(warehousesToTry('us', undefined)).toEqual(['us-east', 'eu-west', 'ap-south']);
    expect(warehousesToTry('ap', undefined)).toEqual(['ap-south', 'us-east', 'eu-west']);
  });

  it("are the caller's planned order when it sends one, even against the region's", () => {
    expect(warehousesToTry('us', ['ap-south', 'us-east'])).toEqual(['ap-south', 'us-east']);
  });
});

import { stockItem } from '../../test/support/stock-items';
import { chooseWarehouse, mostReservableIn, nearestWarehouse } from './warehouse-choice';

describe('choosing the warehouse of a reservation', () => {
  it('takes the nearest warehouse of the region when it can fill the quantity', () => {
    const item = stockItem({ 'us-east': { onHand: 5 }, 'eu-west': { onHand: 5 } });

    expect(chooseWarehouse(item, 'us', 2)).toBe('us-east');
    expect(chooseWarehouse(item, 'eu', 2)).toBe('eu-west');
  });

  it('passes over a nearer warehouse that cannot fill the whole quantity, rather than split it', () => {
    const item = stockItem({
      'us-east': { onHand: 2 },
      'eu-west': { onHand: 1 },
      'ap-south': { onHand: 4 },
    });

    expect(chooseWarehouse(item, 'us', 3)).toBe('ap-south');
  });

  it('follows the region order for the next nearest: ap goes to us-east before eu-west', () => {
    const item = stockItem({ 'us-east': { onHand: 3 }, 'eu-west': { onHand: 3 } });

    expect(chooseWarehouse(item, 'ap', 3)).toBe('us-east');
  });

  it('counts only available units: units held by other reservations are not offered', () => {
    const item = stockItem({ 'us-east': { onHand: 5, reserved: 4 }, 'eu-west': { onHand: 2 } });

    expect(chooseWarehouse(item, 'us', 2)).toBe('eu-west');
  });

  it('finds no warehouse when none of the region has enough', () => {
    const item = stockItem({
      'us-east': { onHand: 2 },
      'eu-west': { onHand: 2 },
      'ap-south': { onHand: 2 },
    });

    expect(chooseWarehouse(item, 'us', 3)).toBeUndefined();
  });

  it('takes exactly what is available (the last units can be reserved)', () => {
    const item = stockItem({ 'eu-west': { onHand: 3, reserved: 1 } });

    expect(chooseWarehouse(item, 'eu', 2)).toBe('eu-west');
  });

  it('tells a refused caller the largest quantity one warehouse could still fill', () => {
    const item = stockItem({ 'us-east': { onHand: 2 }, 'eu-west': { onHand: 5, reserved: 2 } });

    expect(mostReservableIn(item, 'us')).toBe(3);
  });

  it('tries the nearest warehouse first when the item has not been read', () => {
    expect(nearestWarehouse('us')).toBe('us-east');
    expect(nearestWarehouse('eu')).toBe('eu-west');
    expect(nearestWarehouse('ap')).toBe('ap-south');
  });
});

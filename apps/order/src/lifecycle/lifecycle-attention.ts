import type { OrderState } from '../orders/order-state';
import type { AttentionFlag } from './lifecycle-state';
import { pendingWork } from './lifecycle-work';

/**
 * The flags that still need a person: a late pick while its shipment is still not picked, a
 * failed payment call while money work is still outstanding. Flags stay in the history; the
 * admin view shows only the open ones.
 */
export function openAttention(state: OrderState): AttentionFlag[] {
  const { shipments } = state.fulfillment;
  const moneyOwed = pendingWork(state).some((work) =>
    ['capture', 'void', 'release_remainder', 'refund'].includes(work.kind),
  );
  return state.fulfillment.attention.filter((flag) => {
    if (flag.kind === 'pick_overdue') {
      return shipments.some((s) => s.shipmentId === flag.shipmentId && s.status === 'requested');
    }
    return moneyOwed;
  });
}

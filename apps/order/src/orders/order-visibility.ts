import type { OrderStatus } from './order.events';

/**
 * The statuses of a checkout that has not made an order, or never will: `pending` (still
 * running) and `failed` (declined, out of stock, refused by fraud screening). A customer, and a
 * seller, sees only orders that were placed; admins see every order.
 */
const NOT_PLACED: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['pending', 'failed']);

/** True when the order was placed: its customer and its sellers may see it. */
export const wasPlaced = (status: OrderStatus): boolean => !NOT_PLACED.has(status);

import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from '@mercato/persistence';
import {
  isExpired,
  stampForCreate,
  stampForSave,
  type Cart,
  type CartIdleTimes,
  type NewCart,
} from './cart.model';
import { ownerKey, parseStoredCart } from './cart-codec';
import { CartOwnerChangeError } from './cart-store.errors';
import { CartStore, type Clock, type CreateCartResult, type SaveCartResult } from './cart-store';
import { CART_ATTRIBUTES } from './carts.tables';

export interface DynamoCartStoreOptions {
  /** The physical name of the carts table (`TableNames.of(CARTS_TABLE)`). */
  table: string;
  idle: CartIdleTimes;
  clock?: Clock;
}

interface CartItem {
  pk: string;
  cart: Cart;
  version: number;
  owner: string;
  expiresAtMs: number;
  expiresAt: number;
}

interface CustomerIndexItem {
  pk: string;
  cartId: string;
  expiresAtMs: number;
  expiresAt: number;
}

const cartPk = (cartId: string): string => `cart#${cartId}`;
const customerPk = (customerId: string): string => `customer#${customerId}`;
const epochSeconds = (ms: number): number => Math.ceil(ms / 1000);

/**
 * Carts on DynamoDB (`CART_STORE=dynamodb`): the embedded store's dynalite keeps them on disk,
 * so they survive a restart; the same table works on AWS. Concurrency is a conditional put on
 * `version`; expiry is `expiresAtMs` compared with the clock on every read and condition
 * (DynamoDB's TTL deletes late, up to days, so it only tidies up).
 *
 * DynamoDB has no transaction here (dynalite lacks TransactWriteItems), so creating a
 * customer's cart writes the cart, then claims the customer's index item, and takes the cart
 * back if the customer already has a live one; a crash in between leaves only an unindexed cart
 * that expires on its own.
 */
export class DynamoCartStore extends CartStore {
  private readonly clock: Clock;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly options: DynamoCartStoreOptions,
  ) {
    super();
    this.clock = options.clock ?? Date.now;
  }

  /** The connection belongs to PersistenceModule, which opens and closes it. */
  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async get(cartId: string): Promise<Cart | undefined> {
    const item = await this.readItem(cartPk(cartId));
    if (!item) return undefined;
    const cart = parseStoredCart(cartId, item.cart);
    return isExpired(cart, this.clock()) ? undefined : cart;
  }

  async findByCustomer(customerId: string): Promise<Cart | undefined> {
    const index = await this.readItem(customerPk(customerId));
    if (typeof index?.cartId !== 'string') return undefined;
    const cart = await this.get(index.cartId);
    return cart?.owner.kind === 'customer' && cart.owner.customerId === customerId
      ? cart
      : undefined;
  }

  async create(draft: NewCart): Promise<CreateCartResult> {
    const now = this.clock();
    const cart = stampForCreate(draft, now, this.options.idle);
    const written = await this.putCart(
      cart,
      'attribute_not_exists(#pk) OR expiresAtMs <= :now',
      { ':now': now },
      { '#pk': CART_ATTRIBUTES.key },
    );
    if (!written) return { outcome: 'duplicate-cart-id' };
    if (cart.owner.kind === 'guest') return { outcome: 'created', cart };

    const heldBy = await this.claimCustomer(cart.owner.customerId, cart, now);
    if (heldBy === undefined) return { outcome: 'created', cart };
    await conditionalWrite(
      this.doc.send(
        new DeleteCommand({
          TableName: this.options.table,
          Key: { [CART_ATTRIBUTES.key]: cartPk(cart.cartId) },
          ConditionExpression: 'version = :one',
          ExpressionAttributeValues: { ':one': 1 },
        }),
      ),
    );
    return { outcome: 'customer-has-cart', cartId: heldBy };
  }

  async save(cart: Cart): Promise<SaveCartResult> {
    const now = this.clock();
    const next = stampForSave(cart, now, this.options.idle);
    const written = await this.putCart(
      next,
      'version = :expected AND expiresAtMs > :now AND #owner = :owner',
      { ':expected': cart.version, ':now': now, ':owner': ownerKey(cart.owner) },
      { '#owner': 'owner' },
    );
    if (!written) return this.whySaveFailed(cart, now);
    if (next.owner.kind === 'customer') {
      await this.refreshCustomerIndex(next.owner.customerId, next, now);
    }
    return { outcome: 'saved', cart: next };
  }

  async delete(cartId: string): Promise<void> {
    const item = await this.readItem(cartPk(cartId));
    await this.doc.send(
      new DeleteCommand({
        TableName: this.options.table,
        Key: { [CART_ATTRIBUTES.key]: cartPk(cartId) },
      }),
    );
    const owner = typeof item?.owner === 'string' ? item.owner : '';
    if (!owner.startsWith('customer:')) return;
    await conditionalWrite(
      this.doc.send(
        new DeleteCommand({
          TableName: this.options.table,
          Key: { [CART_ATTRIBUTES.key]: customerPk(owner.slice('customer:'.length)) },
          ConditionExpression: 'cartId = :cartId',
          ExpressionAttributeValues: { ':cartId': cartId },
        }),
      ),
    );
  }

  /** Writes the cart item if `condition` holds; false when it did not. */
  private async putCart(
    cart: Cart,
    condition: string,
    values: Record<string, unknown>,
    names: Record<string, string>,
  ): Promise<boolean> {
    const expiresAtMs = Date.parse(cart.expiresAt);
    const item: CartItem = {
      pk: cartPk(cart.cartId),
      cart,
      version: cart.version,
      owner: ownerKey(cart.owner),
      expiresAtMs,
      expiresAt: epochSeconds(expiresAtMs),
    };
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.options.table,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ExpressionAttributeNames: names,
        }),
      ),
    );
  }

  /**
   * Points the customer's index at `cart` unless it names another live cart; answers that
   * cart's id, or undefined once claimed. An index left naming a deleted or expired cart is
   * taken over (compare-and-set on the id it holds, so two creates cannot both take it).
   */
  private async claimCustomer(
    customerId: string,
    cart: Cart,
    now: number,
  ): Promise<string | undefined> {
    const claimed = await this.putIndex(
      customerId,
      cart,
      'attribute_not_exists(#pk) OR expiresAtMs <= :now OR cartId = :cartId',
      { ':now': now, ':cartId': cart.cartId },
    );
    if (claimed) return undefined;
    const index = await this.readItem(customerPk(customerId));
    const held = typeof index?.cartId === 'string' ? index.cartId : undefined;
    if (held === undefined) return this.claimCustomer(customerId, cart, now);
    if (await this.get(held)) return held;
    const takenOver = await this.putIndex(customerId, cart, 'cartId = :held', { ':held': held });
    return takenOver ? undefined : held;
  }

  /** After a save: the index follows the cart's expiry, unless another cart now holds it. */
  private async refreshCustomerIndex(customerId: string, cart: Cart, now: number): Promise<void> {
    await this.putIndex(
      customerId,
      cart,
      'attribute_not_exists(#pk) OR expiresAtMs <= :now OR cartId = :cartId',
      { ':now': now, ':cartId': cart.cartId },
    );
  }

  private async putIndex(
    customerId: string,
    cart: Cart,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const expiresAtMs = Date.parse(cart.expiresAt);
    const item: CustomerIndexItem = {
      pk: customerPk(customerId),
      cartId: cart.cartId,
      expiresAtMs,
      expiresAt: epochSeconds(expiresAtMs),
    };
    return conditionalWrite(
      this.doc.send(
        new PutCommand({
          TableName: this.options.table,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
          ...(condition.includes('#pk')
            ? { ExpressionAttributeNames: { '#pk': CART_ATTRIBUTES.key } }
            : {}),
        }),
      ),
    );
  }

  /** A refused save: the cart is gone, its owner differs (a bug: rejects), or it is stale. */
  private async whySaveFailed(cart: Cart, now: number): Promise<SaveCartResult> {
    const item = await this.readItem(cartPk(cart.cartId));
    if (!item || typeof item.expiresAtMs !== 'number' || item.expiresAtMs <= now) {
      return { outcome: 'not-found', cartId: cart.cartId };
    }
    if (item.owner !== ownerKey(cart.owner)) throw new CartOwnerChangeError(cart.cartId);
    return { outcome: 'conflict', cartId: cart.cartId };
  }

  private async readItem(pk: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({
        TableName: this.options.table,
        Key: { [CART_ATTRIBUTES.key]: pk },
        ConsistentRead: true,
      }),
    );
    return Item;
  }
}

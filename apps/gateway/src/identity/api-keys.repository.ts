import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { WarehouseId } from '@mercato/contracts';
import { TableNames } from '@mercato/persistence';
import type { PartnerScope, VerifiedApiKey } from '../auth';
import { CUSTOMERS_TABLE } from './identity.tables';

/** A partner API key as admins see it: never the secret, never its hash. */
export interface ApiKeyRecord {
  apiKeyId: string;
  name: string;
  /** The seller the key acts for; absent on a warehouse operator's key (fulfillment only). */
  sellerId?: string;
  scopes: PartnerScope[];
  createdAt: string;
  /** The one warehouse the key may act for; absent on unbound keys (all keys before issue 20). */
  warehouseId?: WarehouseId;
  revokedAt?: string;
}

export interface ApiKeyPage {
  items: ApiKeyRecord[];
  /** The id of the last key read, to resume after; undefined at the end. */
  lastApiKeyId?: string;
}

/**
 * Item layout in the Customers table (PK `customerId`, SK `profileType`), beside the customer
 * items and never carrying `region`, so the `byRegion` index does not see them:
 *
 * - lookup: `apikey#<sha256 hex of the secret>` / `api-key` → `{apiKeyId, sellerId?, scopes,
 *   warehouseId?}`.
 *   One GetItem verifies a presented key; deleting it is what revokes the key.
 * - listing: `api-keys` / `key#<apiKeyId>` → the key's description, its hash (to find the
 *   lookup item on revocation) and `revokedAt` once revoked. One fixed partition holds every
 *   key, so the admin listing is a Query, not a Scan (admin traffic only: no hot partition).
 *
 * Without transactions the write order gives crash safety: the listing item is written first
 * and deleted last, so a live lookup item always has a listing item through which it can be
 * revoked. A crash mid-creation leaves at worst a listed key that never worked.
 */
const LOOKUP_SORT_KEY = 'api-key';
const LISTING_PARTITION = 'api-keys';
const LISTING_PREFIX = 'key#';
const lookupKey = (hash: string) => ({
  customerId: `apikey#${hash}`,
  profileType: LOOKUP_SORT_KEY,
});
const listingKey = (apiKeyId: string) => ({
  customerId: LISTING_PARTITION,
  profileType: LISTING_PREFIX + apiKeyId,
});

interface ListingItem extends ApiKeyRecord {
  customerId: string;
  profileType: string;
  hash: string;
}

@Injectable()
export class ApiKeysRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(CUSTOMERS_TABLE);
  }

  /** Stores a new key under the sha256 `hash` of its secret; throws if the id or hash exists. */
  async create(key: ApiKeyRecord, hash: string): Promise<void> {
    const listing: ListingItem = { ...listingKey(key.apiKeyId), ...key, hash };
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: listing,
        ConditionExpression: 'attribute_not_exists(customerId)',
      }),
    );
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...lookupKey(hash),
          apiKeyId: key.apiKeyId,
          ...(key.sellerId !== undefined ? { sellerId: key.sellerId } : {}),
          scopes: key.scopes,
          ...(key.warehouseId ? { warehouseId: key.warehouseId } : {}),
        },
        ConditionExpression: 'attribute_not_exists(customerId)',
      }),
    );
  }

  /** The live key stored under `hash`; undefined when there is none or it was revoked. */
  async findLiveByHash(hash: string): Promise<VerifiedApiKey | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: lookupKey(hash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      apiKeyId: String(Item.apiKeyId),
      ...(typeof Item.sellerId === 'string' ? { sellerId: Item.sellerId } : {}),
      scopes: (Item.scopes ?? []) as PartnerScope[],
      ...(Item.warehouseId ? { warehouseId: Item.warehouseId as WarehouseId } : {}),
    };
  }

  /** Newest first (key ids sort by creation time). */
  async list(limit: number, afterApiKeyId?: string): Promise<ApiKeyPage> {
    const { Items = [], LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'customerId = :pk AND begins_with(profileType, :prefix)',
        ExpressionAttributeValues: { ':pk': LISTING_PARTITION, ':prefix': LISTING_PREFIX },
        ScanIndexForward: false,
        Limit: limit,
        ...(afterApiKeyId ? { ExclusiveStartKey: listingKey(afterApiKeyId) } : {}),
      }),
    );
    const last = LastEvaluatedKey?.profileType;
    return {
      items: Items.map(toRecord),
      lastApiKeyId: typeof last === 'string' ? last.slice(LISTING_PREFIX.length) : undefined,
    };
  }

  /**
   * Revokes a key: deletes its lookup item (from then on it no longer verifies), then marks
   * the listing item. Idempotent; returns the hash so caches can drop the key, or undefined
   * when no key has this id.
   */
  async revoke(apiKeyId: string, revokedAt: string): Promise<{ hash: string } | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: listingKey(apiKeyId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const hash = String(Item.hash);
    await this.db.send(new DeleteCommand({ TableName: this.table, Key: lookupKey(hash) }));
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: listingKey(apiKeyId),
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
        ExpressionAttributeValues: { ':now': revokedAt },
      }),
    );
    return { hash };
  }
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const listing = item as unknown as ListingItem;
  return {
    apiKeyId: listing.apiKeyId,
    name: listing.name,
    ...(listing.sellerId !== undefined ? { sellerId: listing.sellerId } : {}),
    scopes: listing.scopes,
    createdAt: listing.createdAt,
    ...(listing.warehouseId ? { warehouseId: listing.warehouseId } : {}),
    ...(listing.revokedAt ? { revokedAt: listing.revokedAt } : {}),
  };
}

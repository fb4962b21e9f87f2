import { Injectable } from '@nestjs/common';
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  isConditionalCheckFailed,
  TableNames,
  putIfAbsent,
  conditionalWrite,
} from '@mercato/persistence';
import type { Region } from '@mercato/contracts';
import type { Role } from '../auth';
import type { Address, CustomerProfile, Preferences, ProfileUpdate } from './identity.dto';
import { CUSTOMERS_TABLE } from './identity.tables';

/** A profile plus the secret the service needs to sign the customer in. */
export interface CustomerRecord extends CustomerProfile {
  passwordHash: string;
}

export interface NewCustomer {
  customerId: string;
  email: string;
  name: string;
  region: Region;
  roles: Role[];
  passwordHash: string;
  createdAt: string;
}

/** Item kinds under the Customers table's sort key `profileType`. */
const PROFILE = 'profile';
const EMAIL_CLAIM = 'email-claim';
const REFRESH_PREFIX = 'refresh#';
const emailClaimKey = (email: string) => ({
  customerId: `email#${email}`,
  profileType: EMAIL_CLAIM,
});

interface ProfileItem {
  customerId: string;
  profileType: typeof PROFILE;
  email: string;
  name: string;
  region: Region;
  roles: Role[];
  preferences: Preferences;
  addresses: Address[];
  passwordHash: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * All I/O of the Customers table (PK `customerId`, SK `profileType`, GSI `byRegion`).
 *
 * Items per customer partition:
 * - `profile`: the profile and password hash. Only profile items carry `region`, so the
 *   `byRegion` index lists customers and nothing else.
 * - `refresh#<sha256>`: one per live refresh token, `expiresAt` in epoch seconds (usable as the
 *   table's TTL attribute; reads also check it because TTL deletion is lazy).
 * And one `email#<email>` / `email-claim` item per address, pointing at its owner.
 *
 * Every read and write of profile fields goes through `toItem`/`fromItem` here, so PII
 * encryption at rest (email, name, addresses) can be added in this one file.
 */
@Injectable()
export class CustomersRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: TableNames,
  ) {}

  private get table(): string {
    return this.tables.of(CUSTOMERS_TABLE);
  }

  /** Writes a new profile; false when the id is already taken. */
  async createProfile(customer: NewCustomer): Promise<boolean> {
    const item: ProfileItem = {
      ...customer,
      profileType: PROFILE,
      preferences: {},
      addresses: [],
      updatedAt: customer.createdAt,
    };
    return putIfAbsent(this.db, this.table, 'customerId', { ...toItem(item) });
  }

  async deleteProfile(customerId: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.table, Key: { customerId, profileType: PROFILE } }),
    );
  }

  /** Claims `email` for `ownerId`; false when another customer holds it. */
  async claimEmail(email: string, ownerId: string, claimedAt: string): Promise<boolean> {
    return putIfAbsent(this.db, this.table, 'customerId', {
      ...emailClaimKey(email),
      ownerId,
      claimedAt,
    });
  }

  /** The id of the customer holding `email`, if any. */
  async findEmailOwner(email: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: emailClaimKey(email), ConsistentRead: true }),
    );
    return typeof Item?.ownerId === 'string' ? Item.ownerId : undefined;
  }

  async findById(customerId: string): Promise<CustomerRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.table,
        Key: { customerId, profileType: PROFILE },
        ConsistentRead: true,
      }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  /**
   * Applies a profile patch atomically: top-level fields are replaced, preference keys are set
   * one by one (a merge, with no read-modify-write race). Undefined when there is no profile.
   */
  async updateProfile(
    customerId: string,
    patch: ProfileUpdate,
    updatedAt: string,
  ): Promise<CustomerRecord | undefined> {
    const names: Record<string, string> = { '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':updatedAt': updatedAt };
    const sets = ['#updatedAt = :updatedAt'];
    const fields = toItem({ name: patch.name, region: patch.region, addresses: patch.addresses });
    for (const [field, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      sets.push(`#${field} = :${field}`);
    }
    const preferences = Object.entries(patch.preferences ?? {}).filter(([, v]) => v !== undefined);
    if (preferences.length) names['#preferences'] = 'preferences';
    preferences.forEach(([key, value], i) => {
      names[`#p${i}`] = key;
      values[`:p${i}`] = value;
      sets.push(`#preferences.#p${i} = :p${i}`);
    });
    try {
      const { Attributes } = await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { customerId, profileType: PROFILE },
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(customerId)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? fromItem(Attributes) : undefined;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async updatePasswordHash(customerId: string, passwordHash: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { customerId, profileType: PROFILE },
        UpdateExpression: 'SET passwordHash = :hash',
        ConditionExpression: 'attribute_exists(customerId)',
        ExpressionAttributeValues: { ':hash': passwordHash },
      }),
    );
  }

  async saveRefreshToken(customerId: string, hash: string, expiresAtMs: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          customerId,
          profileType: REFRESH_PREFIX + hash,
          expiresAt: Math.floor(expiresAtMs / 1000),
        },
        ConditionExpression: 'attribute_not_exists(customerId)',
      }),
    );
  }

  /** Deletes every refresh token of the customer (their sessions end at the next refresh). */
  async revokeRefreshTokens(customerId: string): Promise<number> {
    let revoked = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'customerId = :id AND begins_with(profileType, :refresh)',
          ExpressionAttributeValues: { ':id': customerId, ':refresh': REFRESH_PREFIX },
          ProjectionExpression: 'customerId, profileType',
          ExclusiveStartKey: start,
        }),
      );
      for (const key of page.Items ?? []) {
        await this.db.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { customerId: key.customerId, profileType: key.profileType },
          }),
        );
        revoked++;
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return revoked;
  }

  /**
   * Deletes a refresh token if it exists and has not expired. The conditional delete is the
   * single-use guarantee: of two concurrent uses exactly one sees `true`.
   */
  async consumeRefreshToken(customerId: string, hash: string, nowMs: number): Promise<boolean> {
    return conditionalWrite(
      this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { customerId, profileType: REFRESH_PREFIX + hash },
          ConditionExpression: 'attribute_exists(customerId) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
        }),
      ),
    );
  }
}

/** Profile fields → stored attributes. PII encryption at rest goes here (email, name, addresses). */
function toItem<T extends Partial<ProfileItem>>(fields: T): T {
  return fields;
}

/** Stored attributes → profile record. PII decryption goes here. */
function fromItem(item: Record<string, unknown>): CustomerRecord {
  const profile = item as unknown as ProfileItem;
  return {
    customerId: profile.customerId,
    email: profile.email,
    name: profile.name,
    region: profile.region,
    roles: profile.roles,
    preferences: profile.preferences ?? {},
    addresses: profile.addresses ?? [],
    createdAt: profile.createdAt,
    passwordHash: profile.passwordHash,
  };
}

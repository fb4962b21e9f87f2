import type { AttributeDefinition, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { OUTBOX_ATTRIBUTES, OUTBOX_INDEX } from './outbox';

/**
 * Generic building blocks of an app's table definitions. Each app defines its own tables next
 * to its repositories (`<domain>.tables.ts`); these are the parts several of them share.
 */

/**
 * The sparse index of the transactional outbox (`outbox.ts`): only items whose last change has
 * not been published yet carry its keys, so the relay's Query reads just those. A table that
 * uses the outbox adds this index and `OUTBOX_ATTRIBUTE_DEFINITIONS` to its definition.
 */
export const OUTBOX_GSI: GlobalSecondaryIndex = {
  IndexName: OUTBOX_INDEX,
  KeySchema: [
    { AttributeName: OUTBOX_ATTRIBUTES.shard, KeyType: 'HASH' },
    { AttributeName: OUTBOX_ATTRIBUTES.since, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'KEYS_ONLY' },
};

export const OUTBOX_ATTRIBUTE_DEFINITIONS: readonly AttributeDefinition[] = [
  { AttributeName: OUTBOX_ATTRIBUTES.shard, AttributeType: 'S' },
  { AttributeName: OUTBOX_ATTRIBUTES.since, AttributeType: 'N' },
];

import type { CoreConfig } from '@mercato/config';

/** The core settings persistence reads (every app's config satisfies this). */
export type PersistenceConfig = Pick<
  CoreConfig,
  | 'DYNAMODB_ENDPOINT'
  | 'MERCATO_DATA_DIR'
  | 'MERCATO_STORAGE'
  | 'MERCATO_RESET'
  | 'AWS_REGION'
  | 'TABLE_PREFIX'
  | 'CREATE_TABLES'
>;

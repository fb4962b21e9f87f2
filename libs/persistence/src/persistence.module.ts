import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { connectDynamo, ensureTables, type DynamoConnection } from './dynamo';
import { checkDynamo, describeDynamoError, type DynamoHealth } from './dynamo-health';
import type { PersistenceConfig } from './persistence.config';
import { TableNames, TableRegistry, type TableDefinition } from './tables';

const DYNAMO_CONNECTION = 'mercato:dynamo-connection';
const PERSISTENCE_CONFIG = 'mercato:persistence-config';
const RETRY_MS = 5_000;
const INITIAL_WAIT_MS = 10_000;

/**
 * Owns the DynamoDB connection's lifecycle: creates the tables on init (CREATE_TABLES), keeps
 * retrying in the background when the endpoint is unreachable (the app still starts and says
 * what it cannot reach), answers readiness, and closes the client and the embedded dynalite on
 * shutdown.
 */
@Injectable()
export class DynamoLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('DynamoDB');
  private stopped = false;
  private timer?: NodeJS.Timeout;
  private ready = false;
  private resolveReady!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.resolveReady = resolve));

  constructor(
    @Inject(DYNAMO_CONNECTION) private readonly connection: DynamoConnection,
    @Inject(PERSISTENCE_CONFIG) private readonly config: PersistenceConfig,
    private readonly registry: TableRegistry,
  ) {}

  /** Where requests go: the embedded server's URL, DYNAMODB_ENDPOINT, or AWS. */
  get endpoint(): string {
    return this.connection.endpoint;
  }

  /** True once the tables exist and are ACTIVE. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Resolves once the tables exist (never rejects; waits through outages). */
  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /**
   * Start-up work that needs the tables (seeding, the admin account): awaited now when DynamoDB
   * is ready, so the app serves only once it is done; otherwise run in the background once it
   * is reachable, without holding start-up, a failure logged as `<what> failed: <reason>`.
   */
  async runWhenReady(what: string, task: () => Promise<unknown>): Promise<void> {
    if (this.ready) {
      await task();
      return;
    }
    this.logger.warn(`${what} waits until DynamoDB at ${this.endpoint} is reachable`);
    void this.readyPromise
      .then(task)
      .catch((error: unknown) => this.logger.error(`${what} failed: ${(error as Error).message}`));
  }

  health(timeoutMs?: number): Promise<DynamoHealth> {
    const [first] = this.registry.all();
    const table = first ? this.connection.tables.of(first) : undefined;
    return checkDynamo(this.connection.doc, table, this.endpoint, timeoutMs);
  }

  async onModuleInit(): Promise<void> {
    if (this.connection.embedded) {
      this.logger.log(
        `embedded dynalite at ${this.endpoint} (${this.connection.embedded.path ?? 'in memory'})`,
      );
    }
    if (!this.config.CREATE_TABLES) {
      this.markReady();
      return;
    }
    let firstFailure!: () => void;
    const failed = new Promise<void>((resolve) => (firstFailure = resolve));
    void this.createTablesUntilDone(firstFailure);
    await Promise.race([this.readyPromise, failed, this.sleep(INITIAL_WAIT_MS)]);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.connection.close();
  }

  private async createTablesUntilDone(onFirstFailure: () => void): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await ensureTables(this.connection.client, this.connection.tables, this.registry.all());
        if (failures > 0)
          this.logger.log(`DynamoDB at ${this.endpoint} is reachable again; tables ready`);
        this.markReady();
        return;
      } catch (error) {
        if (this.stopped) return;
        if (failures === 0) {
          this.logger.error(
            `cannot reach DynamoDB at ${this.endpoint}: ${describeDynamoError(error)} — ` +
              `starting anyway, retrying table creation every ${RETRY_MS / 1000} s`,
          );
          onFirstFailure();
        }
        failures++;
        await this.sleep(RETRY_MS);
      }
    }
  }

  private markReady(): void {
    this.ready = true;
    this.resolveReady();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = setTimeout(resolve, ms);
      this.timer.unref();
    });
  }
}

/** What `PersistenceModule.forFeature` returns: one app's tables, registered on creation. */
@Module({})
export class PersistenceFeatureModule {}

/**
 * DynamoDB for the whole process: `DynamoDBDocumentClient` (inject by class), `TableNames`
 * (TABLE_PREFIX + logical name: `tables.of(PRODUCTS_TABLE)`) and `DynamoLifecycle` (readiness,
 * health, shutdown). `forRoot` once, in the host process's root module; `forFeature(tables)` in
 * each app's module for the tables that app owns. With CREATE_TABLES the lifecycle creates every
 * registered table on init (all apps' tables in the embedded store, one app's in its own process).
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(config: PersistenceConfig): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_CONFIG, useValue: config },
        { provide: TableRegistry, useFactory: () => new TableRegistry() },
        { provide: DYNAMO_CONNECTION, useFactory: () => connectDynamo(config) },
        {
          provide: DynamoDBDocumentClient,
          useFactory: (connection: DynamoConnection) => connection.doc,
          inject: [DYNAMO_CONNECTION],
        },
        {
          provide: TableNames,
          useFactory: (connection: DynamoConnection) => connection.tables,
          inject: [DYNAMO_CONNECTION],
        },
        DynamoLifecycle,
      ],
      exports: [DynamoDBDocumentClient, TableNames, DynamoLifecycle, TableRegistry],
    };
  }

  /**
   * Registers an app's tables with the root's registry (needs `forRoot` in the same process).
   * Registration happens when the module's providers are created, before any init hook, so the
   * lifecycle's table creation sees every app's tables.
   */
  static forFeature(tables: readonly TableDefinition[]): DynamicModule {
    // The token names the tables, so two apps' feature modules are never taken for one.
    const token = `mercato:tables:${tables.map((table) => table.name).join(',')}`;
    return {
      module: PersistenceFeatureModule,
      providers: [
        {
          provide: token,
          useFactory: (registry: TableRegistry) => {
            registry.register(tables);
            return tables;
          },
          inject: [TableRegistry],
        },
      ],
    };
  }
}

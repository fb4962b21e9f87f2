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
import { TableNames } from './tables';

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
    return checkDynamo(this.connection.doc, this.connection.tables, this.endpoint, timeoutMs);
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
        await ensureTables(this.connection.client, this.connection.tables);
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

/**
 * DynamoDB for the whole process: `DynamoDBDocumentClient` (inject by class), `TableNames`
 * (TABLE_PREFIX + logical name) and `DynamoLifecycle` (readiness, health, shutdown). Import once,
 * in the host process's root module.
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
      exports: [DynamoDBDocumentClient, TableNames, DynamoLifecycle],
    };
  }
}

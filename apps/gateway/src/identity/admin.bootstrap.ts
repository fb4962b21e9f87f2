import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectConfig } from '@mercato/config';
import { DynamoLifecycle } from '@mercato/persistence';
import { gatewayConfigShape } from '../gateway.config';
import type { IdentityConfig } from './identity.config';
import { IdentityService } from './identity.service';

/** The built-in embedded default, read from the config schema so the two never drift. */
export const DEFAULT_ADMIN_PASSWORD: string =
  gatewayConfigShape.MERCATO_ADMIN_PASSWORD.parse(undefined);

/**
 * Creates the admin account from MERCATO_ADMIN_EMAIL / MERCATO_ADMIN_PASSWORD on first start,
 * idempotently (see `IdentityService.ensureAdmin`). Runs once the Customers table exists: at
 * bootstrap when DynamoDB is up, otherwise in the background as soon as it becomes reachable,
 * so an outage does not stop the gateway from starting.
 *
 * Logs one line naming the admin; the password only when it is the public built-in default.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrap.name);

  constructor(
    private readonly identity: IdentityService,
    private readonly dynamo: DynamoLifecycle,
    @InjectConfig() private readonly config: IdentityConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.dynamo.runWhenReady(`Admin account ${this.config.MERCATO_ADMIN_EMAIL}`, () =>
      this.ensureAdmin(),
    );
  }

  async ensureAdmin(): Promise<void> {
    const email = this.config.MERCATO_ADMIN_EMAIL;
    const password = this.config.MERCATO_ADMIN_PASSWORD;
    const result = await this.identity.ensureAdmin(email, password);

    if (result.outcome === 'taken-by-non-admin') {
      this.logger.warn(
        `Admin account not created: ${email} belongs to a non-admin account (${result.customerId}); set MERCATO_ADMIN_EMAIL to another address.`,
      );
      return;
    }
    const state = result.outcome === 'created' ? 'created' : 'already exists';
    if (password !== DEFAULT_ADMIN_PASSWORD) {
      this.logger.log(`Admin account ${email} ${state}.`);
      return;
    }
    this.logger.warn(
      `Admin account ${email} ${state}; MERCATO_ADMIN_PASSWORD is the built-in default "${DEFAULT_ADMIN_PASSWORD}", which is public — change it (set MERCATO_ADMIN_PASSWORD before the first start) for anything but local development.`,
    );
  }
}

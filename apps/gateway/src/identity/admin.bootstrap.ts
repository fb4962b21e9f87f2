import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { InjectConfig } from '@mercato/config';
import { DynamoLifecycle } from '@mercato/persistence';
import type { IdentityConfig } from './identity.config';
import { IdentityService } from './identity.service';

/** A random admin password: 144 bits, 24 URL-safe characters. */
export const generateAdminPassword = (): string => randomBytes(18).toString('base64url');

/**
 * Creates the admin account on first start, idempotently (see `IdentityService.ensureAdmin`).
 * Runs once the Customers table exists: at bootstrap when DynamoDB is up, otherwise in the
 * background as soon as it becomes reachable, so an outage does not stop the gateway starting.
 *
 * The password is MERCATO_ADMIN_PASSWORD when set. Otherwise a random one is generated, and the
 * process that creates the account prints it, once, in one log line (warn level); only its
 * hash is stored, and later starts find the account and print nothing. There is no built-in
 * password.
 *
 * MERCATO_ADMIN_RESET=true sets the existing admin's password at start-up instead (to
 * MERCATO_ADMIN_PASSWORD, or to a new generated one, printed the same way) and ends its
 * sessions: the way back in when the password is lost.
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
    const configured = this.config.MERCATO_ADMIN_PASSWORD;
    const password = configured ?? generateAdminPassword();
    const reset = this.config.MERCATO_ADMIN_RESET;
    const result = reset
      ? await this.identity.resetAdminPassword(email, password)
      : await this.identity.ensureAdmin(email, password);

    if (result.outcome === 'taken-by-non-admin') {
      this.logger.warn(
        `Admin account not ${reset ? 'reset' : 'created'}: ${email} belongs to a non-admin account (${result.customerId}); set MERCATO_ADMIN_EMAIL to another address.`,
      );
      return;
    }
    if (result.outcome === 'exists') {
      this.logger.log(`Admin account ${email} already exists.`);
      return;
    }
    const what = result.outcome === 'created' ? 'created' : 'password reset (its sessions ended)';
    if (configured !== undefined) {
      this.logger.log(
        `Admin account ${email} ${what} with the password from MERCATO_ADMIN_PASSWORD.`,
      );
    } else {
      this.logger.warn(
        `Admin account ${email} ${what}. Its generated password is ${password} — shown this once and stored only as a hash: keep it now. To choose another, start once with MERCATO_ADMIN_PASSWORD=<new password> MERCATO_ADMIN_RESET=true.`,
      );
    }
    if (reset) {
      this.logger.warn(
        'MERCATO_ADMIN_RESET=true resets the admin password at every start: remove it now.',
      );
    }
  }
}

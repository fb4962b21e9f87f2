import { Injectable, Logger } from '@nestjs/common';
import { ShopperIdentified, shopperKeyOf } from '@mercato/contracts';
import { MessageBus } from '@mercato/messaging';
import { AccessTokenVerifier } from '../auth';
import { isDeviceId } from './interaction.rules';

/**
 * Links a device to the customer who signs in on it (`ShopperIdentified`): the device's
 * anonymous history becomes theirs. Never fails the sign-in: a link that could not be handed
 * on is logged, and the device's next events sent with the customer's token link it again
 * (they carry `deviceId`).
 */
@Injectable()
export class DeviceSignIn {
  private readonly logger = new Logger(DeviceSignIn.name);

  constructor(
    private readonly bus: MessageBus,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  /** `accessToken`: the one the login just issued, which says who signed in. */
  async atLogin(
    accessToken: string,
    deviceIdHeader: unknown,
    correlationId: string,
  ): Promise<void> {
    // A malformed id names no device whose history could be linked.
    if (!isDeviceId(deviceIdHeader)) return;
    try {
      const user = await this.tokens.verify(accessToken);
      // Staff accounts are not shoppers: their clicks teach the models nothing.
      if (!user.roles.includes('customer')) return;
      await this.bus.publish(
        ShopperIdentified,
        {
          deviceId: deviceIdHeader,
          customerId: user.customerId,
          occurredAt: new Date().toISOString(),
        },
        // The device's key: the link follows the events that device sent before it.
        { key: shopperKeyOf({ kind: 'device', id: deviceIdHeader }), correlationId },
      );
    } catch (error) {
      this.logger.warn({
        msg: `Linking the device at login failed; its history stays anonymous: ${String(error)}`,
        correlationId,
      });
    }
  }
}

import { checkoutSettings } from './checkout.config';

describe('checkoutSettings', () => {
  it('defaults to a 15 minute hold, a 5 s recovery pass and the 30 s lease of the idempotency key', () => {
    expect(checkoutSettings({})).toEqual({
      ORDER_RESERVATION_TTL_SECONDS: 900,
      ORDER_RECOVERY_INTERVAL_MS: 5_000,
      ORDER_CHECKOUT_LEASE_MS: 30_000,
    });
  });

  it('refuses a checkout lease longer than the idempotency lease', () => {
    expect(() => checkoutSettings({ ORDER_CHECKOUT_LEASE_MS: '31000' })).toThrow(
      /must not exceed IDEMPOTENCY_LEASE_SECONDS/,
    );
    expect(
      checkoutSettings({ ORDER_CHECKOUT_LEASE_MS: '60000', IDEMPOTENCY_LEASE_SECONDS: '60' }),
    ).toMatchObject({ ORDER_CHECKOUT_LEASE_MS: 60_000 });
  });
});

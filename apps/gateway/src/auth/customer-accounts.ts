/**
 * Port: what the gateway's other modules may ask about a customer's account, without reaching
 * into identity's storage. The identity module provides it.
 */
export abstract class CustomerAccounts {
  /** When the account was created (ISO 8601), or undefined for an unknown customer. */
  abstract customerSince(customerId: string): Promise<string | undefined>;
}

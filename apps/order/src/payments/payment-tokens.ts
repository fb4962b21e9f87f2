import type { CardBrand } from './payment-provider';

/** What the embedded provider does with a token. */
export type TokenBehaviour = 'approve' | 'decline' | 'fraud' | 'slow' | 'decline_reauthorization';

export interface TestCard {
  brand: CardBrand;
  last4: string;
  behaviour: TokenBehaviour;
}

/**
 * The embedded provider's test tokens. The last four digits are those of the public test card
 * numbers card networks and providers use for the same behaviour (4242 approves, 0002 is a
 * generic decline, 0019 is blocked by the provider's risk check, 0341 authorises but fails a later
 * charge on the card), so logs read familiarly.
 */
const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  tok_visa: { brand: 'visa', last4: '4242', behaviour: 'approve' },
  tok_mastercard: { brand: 'mastercard', last4: '4444', behaviour: 'approve' },
  tok_declined: { brand: 'visa', last4: '0002', behaviour: 'decline' },
  tok_fraud: { brand: 'visa', last4: '0019', behaviour: 'fraud' },
  tok_slow: { brand: 'visa', last4: '4242', behaviour: 'slow' },
  tok_reauth_declined: { brand: 'visa', last4: '0341', behaviour: 'decline_reauthorization' },
};

/** The test card behind `token`, or undefined for a token the provider never issued. */
export function testCardOf(token: string): TestCard | undefined {
  return Object.hasOwn(TEST_CARDS, token) ? TEST_CARDS[token] : undefined;
}

/** True when the card behind `token` refuses to hold funds again (or is unknown). */
export function declinesReauthorization(token: string): boolean {
  const behaviour = testCardOf(token)?.behaviour;
  return behaviour === undefined || behaviour === 'decline_reauthorization';
}

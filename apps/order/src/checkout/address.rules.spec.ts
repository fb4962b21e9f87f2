import type { ShippingAddress } from '../orders/order.events';
import { addressProblems } from './address.rules';

const address = (changes: Partial<ShippingAddress> = {}): ShippingAddress => ({
  name: 'Ada Lovelace',
  line1: '1 Main St',
  city: 'Springfield',
  postalCode: '12345',
  country: 'US',
  ...changes,
});

describe('addressProblems', () => {
  it('accepts a complete US address in the us region, with a 5 or 5+4 digit ZIP', () => {
    expect(addressProblems(address(), 'us')).toEqual([]);
    expect(addressProblems(address({ postalCode: '12345-6789' }), 'us')).toEqual([]);
  });

  it('names each missing required field', () => {
    const problems = addressProblems(address({ name: ' ', city: '' }), 'us');
    expect(problems.map((p) => p.field)).toEqual(['shippingAddress.name', 'shippingAddress.city']);
  });

  it('refuses a country the region does not ship to', () => {
    expect(addressProblems(address({ country: 'DE', postalCode: '10115' }), 'us')).toEqual([
      { field: 'shippingAddress.country', message: expect.stringContaining('ships to US') },
    ]);
    expect(addressProblems(address({ country: 'US' }), 'eu')).toHaveLength(1);
  });

  it('checks the postcode shape of the country', () => {
    const wrong = (country: string, postalCode: string, region: 'us' | 'eu' | 'ap') =>
      addressProblems(address({ country, postalCode }), region).map((p) => p.field);
    expect(wrong('US', '1234', 'us')).toEqual(['shippingAddress.postalCode']);
    expect(wrong('DE', '10115', 'eu')).toEqual([]);
    expect(wrong('DE', '1011', 'eu')).toEqual(['shippingAddress.postalCode']);
    expect(wrong('NL', '1234 AB', 'eu')).toEqual([]);
    expect(wrong('NL', '1234', 'eu')).toEqual(['shippingAddress.postalCode']);
    expect(wrong('JP', '123-4567', 'ap')).toEqual([]);
    expect(wrong('JP', '1234567', 'ap')).toEqual(['shippingAddress.postalCode']);
    expect(wrong('SG', '123456', 'ap')).toEqual([]);
    expect(wrong('AU', '20000', 'ap')).toEqual(['shippingAddress.postalCode']);
  });

  it('needs only a non-empty postcode in a country without a postcode rule', () => {
    expect(addressProblems(address({ country: 'IE', postalCode: 'D02 X285' }), 'eu')).toEqual([]);
  });

  it('tells the message an example of the expected postcode', () => {
    const [problem] = addressProblems(address({ postalCode: 'ABCDE' }), 'us');
    expect(problem.message).toContain('12345');
  });
});

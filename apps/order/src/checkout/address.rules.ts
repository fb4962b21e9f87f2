import type { Region } from '@mercato/contracts';
import type { FieldProblem } from '@mercato/messaging';
import type { ShippingAddress } from '../orders/order.events';

/** The countries each region ships to (ISO 3166-1 alpha-2). */
const SHIPPING_COUNTRIES: Readonly<Record<Region, readonly string[]>> = {
  us: ['US'],
  eu: ['DE', 'FR', 'IT', 'ES', 'NL', 'BE', 'AT', 'IE', 'PT', 'FI', 'SE', 'DK', 'PL'],
  ap: ['JP', 'SG', 'AU', 'NZ', 'KR', 'IN'],
};

/** Postcode shapes, with an example for the message; a country without one needs non-empty only. */
const POSTCODES: Readonly<Record<string, { pattern: RegExp; example: string }>> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '12345 or 12345-6789' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  IT: { pattern: /^\d{5}$/, example: '00184' },
  ES: { pattern: /^\d{5}$/, example: '28001' },
  FI: { pattern: /^\d{5}$/, example: '00100' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/, example: '1234 AB' },
  BE: { pattern: /^\d{4}$/, example: '1000' },
  AT: { pattern: /^\d{4}$/, example: '1010' },
  DK: { pattern: /^\d{4}$/, example: '1050' },
  PT: { pattern: /^\d{4}-\d{3}$/, example: '1000-001' },
  SE: { pattern: /^\d{3} ?\d{2}$/, example: '111 22' },
  PL: { pattern: /^\d{2}-\d{3}$/, example: '00-001' },
  JP: { pattern: /^\d{3}-\d{4}$/, example: '123-4567' },
  SG: { pattern: /^\d{6}$/, example: '123456' },
  AU: { pattern: /^\d{4}$/, example: '2000' },
  NZ: { pattern: /^\d{4}$/, example: '6011' },
  KR: { pattern: /^\d{5}$/, example: '03187' },
  IN: { pattern: /^\d{6}$/, example: '110001' },
};

const REQUIRED = ['name', 'line1', 'city', 'postalCode', 'country'] as const;

/**
 * What is wrong with a shipping address for a region (pure; empty when nothing is): missing
 * required fields, a country the region does not ship to, a postcode not shaped as the
 * country's. Fields are named as the request names them (`shippingAddress.<field>`).
 */
export function addressProblems(address: ShippingAddress, region: Region): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const field = (name: string) => `shippingAddress.${name}`;
  for (const name of REQUIRED) {
    if (!address[name]?.trim()) problems.push({ field: field(name), message: 'Required' });
  }
  const country = address.country?.trim().toUpperCase();
  if (country && !SHIPPING_COUNTRIES[region].includes(country)) {
    problems.push({
      field: field('country'),
      message: `The ${region} store does not ship to ${country}; it ships to ${SHIPPING_COUNTRIES[region].join(', ')}`,
    });
  }
  const postalCode = address.postalCode?.trim().toUpperCase();
  const shape = country ? POSTCODES[country] : undefined;
  if (postalCode && shape && !shape.pattern.test(postalCode)) {
    problems.push({
      field: field('postalCode'),
      message: `Not a postcode of ${country} (e.g. ${shape.example})`,
    });
  }
  return problems;
}

import { REGIONS, type Money, type Region } from '@mercato/contracts';
import type { StoredVariant } from './products.repository';

/** A variant with its price in one region. */
export interface RegionalVariant {
  variant: StoredVariant;
  price: Money;
}

/**
 * The variants a region can buy, with their price there. A product is sold only where it is
 * priced: none here means it is not sold in the region. (Every variant of a product is priced
 * in the same regions, so this is all of them or none; a variant without a price is left out
 * rather than shown at no price.)
 */
export function variantsSoldIn(
  variants: readonly StoredVariant[],
  region: Region,
): RegionalVariant[] {
  return variants.flatMap((variant) => {
    const price = variant.prices[region];
    return price ? [{ variant, price }] : [];
  });
}

/** The regions any of the variants is priced in, in the order of REGIONS. */
export function regionsSoldIn(variants: readonly StoredVariant[]): Region[] {
  return REGIONS.filter((region) => variants.some((v) => v.prices[region] !== undefined));
}

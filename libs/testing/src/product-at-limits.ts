import {
  PRODUCT_LIMITS,
  REGIONS,
  REGION_CURRENCY,
  SKU_LIMITS,
  SKU_PATTERN,
} from '@mercato/contracts';

const L = PRODUCT_LIMITS;
/** Three bytes of UTF-8 for one UTF-16 code unit: the most a counted character can weigh. */
const HEAVY = '€';
/** The n-th of distinct three-byte characters (CJK ideographs), for distinct map keys. */
const distinct = (n: number): string => String.fromCharCode(0x4e00 + n);

/**
 * The largest product body PRODUCT_LIMITS allow: every string at its limit in three-byte
 * characters (or `fill`), every map and list full, 50 variants with 64-character SKUs
 * `<skuPrefix>-<nn>XXX…`, and 12-digit prices. Marked `free` (so prices of 0 would pass too).
 * Tests store it to show that the limits fit in one DynamoDB item.
 */
export function productAtLimits(categoryId: string, skuPrefix: string, fill = HEAVY) {
  const text = (length: number, first = ''): string => first + fill.repeat(length - first.length);
  const specValueChars = L.specs.totalChars / L.specs.entries - L.specs.nameChars;
  const attributeChars = L.variantAttributes.totalChars / L.variantAttributes.entries;
  const attributeNameChars = Math.floor(attributeChars / 3);
  const variants = Array.from({ length: L.variants }, (_, v) => {
    const sku = `${skuPrefix}-${String(v).padStart(2, '0')}`.padEnd(SKU_LIMITS.maxChars, 'X');
    if (!SKU_PATTERN.test(sku)) throw new Error(`SKU prefix ${skuPrefix} makes no valid SKU`);
    return {
      sku,
      attributes: Object.fromEntries(
        Array.from({ length: L.variantAttributes.entries }, (_, a) => [
          text(attributeNameChars, distinct(a)),
          text(attributeChars - attributeNameChars),
        ]),
      ),
      prices: REGIONS.map((region) => ({
        region,
        amount: 987_654_321_987,
        currency: REGION_CURRENCY[region],
      })),
    };
  });
  return {
    title: text(L.titleChars),
    description: text(L.descriptionChars),
    brand: text(L.brandChars),
    categoryId,
    specs: Object.fromEntries(
      Array.from({ length: L.specs.entries }, (_, i) => [
        text(L.specs.nameChars, distinct(i)),
        text(specValueChars),
      ]),
    ),
    images: Array.from({ length: L.images.count }, (_, i) => text(L.images.urlChars, distinct(i))),
    free: true,
    variants,
  };
}

import { z } from 'zod';

/**
 * How long a seller's SKU may be. The minimum stays at 3: SKUs are unique across the whole
 * store (every seller), so a one- or two-character value such as `1` or `XL` is nearly always a
 * row number or a size pasted into the wrong column, and one seller's `1` would block every
 * other seller's. 64 fits the SKU fields of common ERPs and shop systems.
 */
export const SKU_LIMITS = { minChars: 3, maxChars: 64 } as const;

/**
 * A seller's SKU as real SKU lists write it: letters of either case, digits, `-`, `_`, `.` and
 * `/`, starting with a letter or digit (so it never reads as an option, a hidden file, an
 * absolute path or a `.`/`..` path segment). No spaces or control characters.
 */
export const SKU_PATTERN = new RegExp(
  `^[A-Za-z0-9][A-Za-z0-9._/-]{${SKU_LIMITS.minChars - 1},${SKU_LIMITS.maxChars - 1}}$`,
);
const SKU_CHARACTERS = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export const SKU_RULE =
  `${SKU_LIMITS.minChars} to ${SKU_LIMITS.maxChars} characters: letters (either case), ` +
  'digits, `-`, `_`, `.` and `/`, starting with a letter or digit';

/** A SKU as a seller sends it; kept as sent everywhere except its uniqueness check. */
export const skuSchema = z
  .string()
  .min(SKU_LIMITS.minChars, `a SKU has at least ${SKU_LIMITS.minChars} characters`)
  .max(SKU_LIMITS.maxChars, `a SKU has at most ${SKU_LIMITS.maxChars} characters`)
  .regex(
    SKU_CHARACTERS,
    'a SKU has only letters, digits, "-", "_", "." and "/" (no spaces or control characters) ' +
      'and starts with a letter or digit',
  )
  .describe(`${SKU_RULE}. Unique across the store regardless of case`);

/**
 * The form in which two SKUs are the same SKU: `ab-123_x.2` and `AB-123_X.2` are one SKU for
 * uniqueness. Upper case, because SKUs used to be upper case only: their claims keep their keys.
 */
export const foldedSku = (sku: string): string => sku.toUpperCase();

import { z } from 'zod';

export const REGIONS = ['us', 'eu', 'ap'] as const;
export const regionSchema = z.enum(REGIONS);
export type Region = z.infer<typeof regionSchema>;

export const CURRENCIES = ['USD', 'EUR', 'JPY'] as const;
export const currencySchema = z.enum(CURRENCIES);
export type Currency = z.infer<typeof currencySchema>;

/** Each region's price list is in one currency (docs/api.md, "Conventions"). */
export const REGION_CURRENCY: Readonly<Record<Region, Currency>> = {
  us: 'USD',
  eu: 'EUR',
  ap: 'JPY',
};

/** Digits after the decimal point of each currency's minor unit (ISO 4217). JPY has none. */
export const CURRENCY_MINOR_DIGITS: Readonly<Record<Currency, number>> = { USD: 2, EUR: 2, JPY: 0 };

export const WAREHOUSES = ['us-east', 'eu-west', 'ap-south'] as const;
export const warehouseIdSchema = z.enum(WAREHOUSES);
export type WarehouseId = z.infer<typeof warehouseIdSchema>;

/** Nearest warehouses first, per region: availability and reservations follow this order. */
export const REGION_WAREHOUSES: Readonly<Record<Region, readonly WarehouseId[]>> = {
  us: ['us-east', 'eu-west', 'ap-south'],
  eu: ['eu-west', 'us-east', 'ap-south'],
  ap: ['ap-south', 'us-east', 'eu-west'],
};

/** Money is an integer amount of the currency's minor unit, never a float. */
export const moneySchema = z.object({
  amount: z.number().int().nonnegative(),
  currency: currencySchema,
});
export type Money = z.infer<typeof moneySchema>;

export const pageLimitSchema = z.coerce.number().int().min(1).max(100).default(20);

/**
 * The fields a failed zod parse names, one entry per problem: an unknown field (strict objects)
 * is named itself with "Unknown field"; any other issue by its path. A problem of the whole value
 * has the empty path. Every HTTP error and every catalog row error lists fields through this.
 */
export function zodFieldErrors(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          field: [...issue.path, key].map(String).join('.'),
          message: 'Unknown field',
        }))
      : [{ field: issue.path.map(String).join('.'), message: issue.message }],
  );
}

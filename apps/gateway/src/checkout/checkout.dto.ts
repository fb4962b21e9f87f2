import { shippingAddressSchema } from '@mercato/contracts';
import { BadRequestException } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/**
 * The example checkout: the embedded payment provider's always-approving test card and an
 * address in Germany, as the example customer (Ann Lee) shops in the eu region, which ships
 * within the EU (docs/payments.md lists the other test tokens).
 */
export const CHECKOUT_EXAMPLE = {
  paymentToken: 'tok_visa',
  shippingAddress: {
    name: 'Ann Lee',
    line1: 'Friedrichstraße 68',
    city: 'Berlin',
    postalCode: '10117',
    country: 'DE',
    phone: '+49 30 555 0100',
  },
  billingCountry: 'DE',
};

export const checkoutBodySchema = z
  .strictObject({
    paymentToken: z
      .string()
      .min(1)
      .max(128)
      .describe('The payment method token from the payment provider’s client SDK'),
    shippingAddress: shippingAddressSchema,
    billingCountry: shippingAddressSchema.shape.country
      .optional()
      .describe('The card’s billing country (ISO 3166-1 alpha-2), when the client knows it'),
  })
  .meta({ example: CHECKOUT_EXAMPLE });
export class CheckoutBodyDto extends createZodDto(checkoutBodySchema) {}

export const DEVICE_ID_HEADER = 'x-device-id';
const deviceIdSchema = z.string().regex(/^[\x21-\x7e]{1,128}$/);

/** `X-Device-Id`: optional; when sent, 1 to 128 printable ASCII characters (400 otherwise). */
export function parseDeviceId(header: unknown): string | undefined {
  if (header === undefined) return undefined;
  const parsed = deviceIdSchema.safeParse(header);
  if (!parsed.success) {
    throw new BadRequestException({
      message: 'X-Device-Id must be 1 to 128 printable ASCII characters without spaces',
      code: 'INVALID_DEVICE_ID',
    });
  }
  return parsed.data;
}

import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { currencySchema, regionSchema } from '@mercato/contracts';
import { roleSchema } from '../auth';

/** Trimmed and lower-cased, so `Ann@Example.com ` and `ann@example.com` are one account. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email().max(254))
  .describe('Email address; case and surrounding spaces are ignored.')
  .meta({ example: 'ann@example.com' });

/** Length only (NIST SP 800-63B): no composition rules; 10 to 256 characters. */
export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters')
  .describe('At least 10 characters.')
  .meta({ example: 'correct-horse-battery' });

const nameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('Display name.')
  .meta({ example: 'Ann Lee' });

const customerRegionSchema = regionSchema
  .describe('Home region: default price list, currency and warehouses.')
  .meta({ example: 'eu' });

export const preferencesSchema = z
  .strictObject({
    language: z
      .string()
      .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 language tag')
      .optional()
      .describe('Preferred language (BCP 47).')
      .meta({ example: 'en-GB' }),
    currency: currencySchema.optional().describe('Preferred display currency.'),
    marketingEmails: z.boolean().optional().describe('Opt-in to marketing emails.'),
  })
  .describe('Customer preferences; PATCH merges the given keys into the stored ones.');
export type Preferences = z.infer<typeof preferencesSchema>;

export const addressSchema = z
  .strictObject({
    label: z.string().trim().max(40).optional().meta({ example: 'Home' }),
    recipient: z.string().trim().min(1).max(100).meta({ example: 'Ann Lee' }),
    line1: z.string().trim().min(1).max(200).meta({ example: '1 Main Street' }),
    line2: z.string().trim().max(200).optional(),
    city: z.string().trim().min(1).max(100).meta({ example: 'Dublin' }),
    state: z.string().trim().max(100).optional(),
    postalCode: z.string().trim().min(1).max(20).meta({ example: 'D02 X285' }),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
      .describe('ISO 3166-1 alpha-2 country code.')
      .meta({ example: 'IE' }),
    phone: z.string().trim().max(30).optional().meta({ example: '+353 1 555 0100' }),
  })
  .describe('A postal address.');
export type Address = z.infer<typeof addressSchema>;

export const registerSchema = z
  .strictObject({
    email: emailSchema,
    password: passwordSchema,
    name: nameSchema,
    region: customerRegionSchema,
  })
  .meta({
    example: {
      email: 'ann@example.com',
      password: 'correct-horse-battery',
      name: 'Ann Lee',
      region: 'eu',
    },
  });
export class RegisterDto extends createZodDto(registerSchema) {}

export const registeredSchema = z
  .strictObject({
    customerId: z
      .string()
      .describe('Opaque id of the new customer.')
      .meta({ example: '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77' }),
  })
  .describe('The account was created.');
export class RegisteredDto extends createZodDto(registeredSchema) {}

export const loginSchema = z
  .strictObject({
    email: emailSchema,
    // Any length is accepted at login so a policy change never locks out an older password.
    password: z
      .string()
      .min(1)
      .max(256)
      .describe('The account password.')
      .meta({ example: 'correct-horse-battery' }),
  })
  .meta({ example: { email: 'ann@example.com', password: 'correct-horse-battery' } });
export class LoginDto extends createZodDto(loginSchema) {}

export const refreshSchema = z
  .strictObject({
    refreshToken: z
      .string()
      .min(1)
      .max(512)
      .describe('The refresh token from the last login or refresh; valid once.')
      .meta({
        example: '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77.q3v0cS1kQ2N1bW1hcnlJZEhlcmVYWFhYWFhYWFhYWFg',
      }),
  })
  .meta({
    example: {
      refreshToken:
        '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77.q3v0cS1kQ2N1bW1hcnlJZEhlcmVYWFhYWFhYWFhYWFg',
    },
  });
export class RefreshDto extends createZodDto(refreshSchema) {}

export const tokensSchema = z
  .strictObject({
    accessToken: z
      .string()
      .describe('RS256 JWT for `Authorization: Bearer`.')
      .meta({ example: 'eyJhbGciOiJSUzI1NiIsImtpZCI6Ii4uLiJ9.eyJzdWIiOiIuLi4ifQ.c2ln' }),
    refreshToken: z.string().describe('Opaque token for POST /v1/auth/refresh; single use.').meta({
      example: '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77.q3v0cS1kQ2N1bW1hcnlJZEhlcmVYWFhYWFhYWFhYWFg',
    }),
    expiresIn: z
      .number()
      .int()
      .describe('Seconds until the access token expires.')
      .meta({ example: 900 }),
  })
  .describe('A fresh pair of tokens.');
export class TokensDto extends createZodDto(tokensSchema) {}

export const profileSchema = z
  .strictObject({
    customerId: z.string().meta({ example: '0b9f5a36-6f0e-4a8e-9b0e-3c4b8f1d2a77' }),
    email: z.string().meta({ example: 'ann@example.com' }),
    name: z.string().meta({ example: 'Ann Lee' }),
    region: regionSchema.meta({ example: 'eu' }),
    roles: z.array(roleSchema).meta({ example: ['customer'] }),
    preferences: preferencesSchema,
    addresses: z.array(addressSchema),
    createdAt: z.iso.datetime().meta({ example: '2026-01-31T09:30:00.000Z' }),
  })
  .describe("The signed-in customer's profile.");
export type CustomerProfile = z.infer<typeof profileSchema>;
export class ProfileDto extends createZodDto(profileSchema) {}

export const updateProfileSchema = z
  .strictObject({
    name: nameSchema.optional(),
    region: customerRegionSchema.optional(),
    preferences: preferencesSchema.optional(),
    addresses: z
      .array(addressSchema)
      .max(20)
      .optional()
      .describe('Replaces the whole address book (at most 20).'),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'at least one field is required')
  .meta({
    example: { name: 'Ann Lee-Smith', preferences: { language: 'en-IE', marketingEmails: false } },
  });
export type ProfileUpdate = z.infer<typeof updateProfileSchema>;
export class UpdateProfileDto extends createZodDto(updateProfileSchema) {}

const jwkSchema = z
  .object({
    kty: z.string().meta({ example: 'RSA' }),
    kid: z.string().meta({ example: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' }),
    alg: z.string().meta({ example: 'RS256' }),
    use: z.string().meta({ example: 'sig' }),
    n: z.string(),
    e: z.string().meta({ example: 'AQAB' }),
  })
  .describe('An RSA public key (RFC 7517).');
export const jwksSchema = z
  .object({ keys: z.array(jwkSchema) })
  .describe('Public keys that verify Mercato access tokens.');
export class JwksDto extends createZodDto(jwksSchema) {}

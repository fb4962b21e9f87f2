import { WAREHOUSES, warehouseIdSchema } from '@mercato/contracts';
import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';
import { actsForSeller, partnerScopeSchema } from '../auth';
import { API_KEY_ID_FORMAT } from './api-keys.service';
import { registerSchema } from './identity.dto';

const sellerIdExample = '5c1d7e2a-8f3b-4c6d-9e0a-1b2c3d4e5f60';
const apiKeyIdExample = 'ak_00mm7x4k2g9f3c2b1d4e5f6071';
const createdAtExample = '2026-03-01T12:00:00.000Z';

/** Same fields and rules as a customer registration. */
export const createSellerSchema = registerSchema.meta({
  description: 'A seller account; the seller signs in with this email and password.',
  example: {
    email: 'shop@acme.example',
    password: 'seller-pass-2026',
    name: 'Acme Outfitters',
    region: 'eu',
  },
});
export class CreateSellerDto extends createZodDto(createSellerSchema) {}

export const sellerCreatedSchema = z
  .strictObject({
    sellerId: z
      .string()
      .describe('Opaque id of the new seller (their customerId; `sub` of their tokens).')
      .meta({ example: sellerIdExample }),
  })
  .describe('The seller account was created.');
export class SellerCreatedDto extends createZodDto(sellerCreatedSchema) {}

const scopesSchema = z
  .array(partnerScopeSchema)
  .min(1)
  .max(partnerScopeSchema.options.length)
  .refine((scopes) => new Set(scopes).size === scopes.length, 'must not repeat a scope')
  .describe(
    'What the key may do: `inventory:feed` (stock feeds), `catalog:feed` (product feeds), ' +
      '`fulfillment` (warehouse events and return receipts).',
  )
  .meta({ example: ['inventory:feed'] });

const apiKeyIdSchema = z
  .string()
  .regex(API_KEY_ID_FORMAT, 'must be an API key id')
  .describe('Opaque id of the key (not the secret).')
  .meta({ example: apiKeyIdExample });

const keyNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('A label for people: what integration uses the key.')
  .meta({ example: 'Acme warehouse stock sync' });

const boundWarehouseSchema = warehouseIdSchema
  .describe(
    `Binds the key to one warehouse (${WAREHOUSES.join(', ')}): with \`fulfillment\` it may ` +
      'only touch that warehouse’s shipments. Absent: the key is not bound.',
  )
  .meta({ example: 'eu-west' });

export const createApiKeySchema = z
  .strictObject({
    name: keyNameSchema,
    sellerId: z
      .string()
      .trim()
      .min(1)
      .max(128)
      .optional()
      .describe(
        'The seller the key acts for: an existing seller account. Required with `inventory:feed` ' +
          'or `catalog:feed` (feeds write that seller’s stock and products); optional for a ' +
          '`fulfillment` key of a warehouse operator, which acts for no seller.',
      )
      .meta({ example: sellerIdExample }),
    scopes: scopesSchema,
    warehouseId: boundWarehouseSchema.optional(),
  })
  .refine((key) => key.sellerId !== undefined || !actsForSeller(key.scopes), {
    path: ['sellerId'],
    message: 'is required with the scope inventory:feed or catalog:feed',
  })
  .meta({
    examples: [
      { name: 'Acme warehouse stock sync', sellerId: sellerIdExample, scopes: ['inventory:feed'] },
      { name: 'EU dock scanners', scopes: ['fulfillment'], warehouseId: 'eu-west' },
    ],
  });
export class CreateApiKeyDto extends createZodDto(createApiKeySchema) {}

const apiKeyFields = {
  apiKeyId: apiKeyIdSchema,
  name: z.string().meta({ example: 'Acme warehouse stock sync' }),
  sellerId: z
    .string()
    .optional()
    .describe('The seller the key acts for; absent on a warehouse operator’s key.')
    .meta({ example: sellerIdExample }),
  scopes: z.array(partnerScopeSchema).meta({ example: ['inventory:feed'] }),
  createdAt: z.iso.datetime().meta({ example: createdAtExample }),
  warehouseId: boundWarehouseSchema.optional(),
};

export const issuedApiKeySchema = z
  .strictObject({
    ...apiKeyFields,
    apiKey: z
      .string()
      .describe(
        'The secret, for the `X-Api-Key` header. Shown only in this answer: Mercato keeps only its hash.',
      )
      .meta({ example: 'mk_live_q3v0cS1kQ2N1bW1hcnlJZEhlcmVYWFhYWFhYWFhYWFg' }),
  })
  .describe('The new key, with its secret (shown once).');
export class IssuedApiKeyDto extends createZodDto(issuedApiKeySchema) {}

export const apiKeySchema = z
  .strictObject({
    ...apiKeyFields,
    revokedAt: z.iso
      .datetime()
      .optional()
      .describe('When the key was revoked; absent while it is live.')
      .meta({ example: '2026-04-01T08:00:00.000Z' }),
  })
  .describe('A partner API key, without its secret.');

export const apiKeyListSchema = z
  .strictObject({
    items: z.array(apiKeySchema),
    nextCursor: z
      .string()
      .min(1) // a bare nullable string reaches the OpenAPI document as an array (nestjs-zod 5.5)
      .nullable()
      .describe('Pass as `cursor` for the next page; null at the end.')
      .meta({ example: null }),
  })
  .describe('Partner API keys, newest first, revoked ones included.');
export class ApiKeyListDto extends createZodDto(apiKeyListSchema) {}

export const listApiKeysQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20).describe('Page size (1 to 100).'),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .refine((cursor) => API_KEY_ID_FORMAT.test(Buffer.from(cursor, 'base64url').toString()), {
      message: 'must be a nextCursor from a previous page',
    })
    .optional()
    .describe('nextCursor of the previous page.'),
});
export class ListApiKeysQueryDto extends createZodDto(listApiKeysQuerySchema) {}

export const apiKeyIdParamSchema = z.strictObject({ apiKeyId: apiKeyIdSchema });
export class ApiKeyIdParamDto extends createZodDto(apiKeyIdParamSchema) {}

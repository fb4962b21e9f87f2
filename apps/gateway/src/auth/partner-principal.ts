import { ForbiddenException } from '@nestjs/common';
import type { WarehouseId } from '@mercato/contracts';
import { z } from 'zod';
import type { AuthRequest } from './authenticated-user';

/** What a partner API key may be allowed to do; a bearer token of a seller or admin may do all. */
export const PARTNER_SCOPES = ['inventory:feed', 'catalog:feed', 'fulfillment'] as const;
export const partnerScopeSchema = z.enum(PARTNER_SCOPES);
export type PartnerScope = z.infer<typeof partnerScopeSchema>;

/** Scopes whose routes act for one seller (their feeds): a key holding one is issued to a seller. */
export const SELLER_SCOPES: readonly PartnerScope[] = ['inventory:feed', 'catalog:feed'];
export const actsForSeller = (scopes: readonly PartnerScope[]): boolean =>
  scopes.some((scope) => SELLER_SCOPES.includes(scope));

/** The roles whose bearer tokens a partner route may accept beside API keys. */
export type PartnerTokenRole = 'seller' | 'admin';

/**
 * Who is calling a partner route, as proven by `PartnerAuthGuard`. Set on `request.partner`.
 *
 * - `via: 'api-key'`: an `X-Api-Key`, issued to `sellerId` when it has one: keys with a feed
 *   scope always do; a warehouse operator's `fulfillment` key may act for no seller.
 *   `isAdmin` is always false.
 * - `via: 'token'`: a bearer token of a seller (`sellerId` is their own id) or of an admin
 *   (`sellerId` is the admin's own id and `isAdmin` is true: routes may let admins act for
 *   any seller).
 */
export type PartnerPrincipal = ApiKeyPrincipal | TokenPrincipal;

export interface ApiKeyPrincipal {
  via: 'api-key';
  sellerId?: string;
  isAdmin: false;
  /** The key used (for audit logs). */
  apiKeyId: string;
  /** The one warehouse a key bound at issue may act for; absent for unbound keys. */
  warehouseId?: WarehouseId;
}

export interface TokenPrincipal {
  via: 'token';
  sellerId: string;
  isAdmin: boolean;
}

/**
 * The seller a feed route acts for. Only feed scopes reach feed routes and keys holding one are
 * issued to a seller, so a key without one here is a broken record: refused, never written
 * under no seller.
 */
export function feedSellerId(partner: PartnerPrincipal): string {
  if (partner.sellerId === undefined) {
    throw new ForbiddenException('This API key acts for no seller: feeds need a seller’s key.');
  }
  return partner.sellerId;
}

/** A live (not revoked) API key, as its verifier resolves it. */
export interface VerifiedApiKey {
  apiKeyId: string;
  /** Absent on keys that act for no seller (a warehouse operator's `fulfillment` key). */
  sellerId?: string;
  scopes: PartnerScope[];
  warehouseId?: WarehouseId;
}

/**
 * Port: resolves a presented API key to the live key it is, or `undefined` when it is unknown,
 * malformed or revoked. May throw when the store cannot be reached (the caller gets a 500, not
 * a 401, so an outage is not mistaken for a revocation). The identity module provides it.
 */
export abstract class ApiKeyVerifier {
  abstract verify(apiKey: string): Promise<VerifiedApiKey | undefined>;
}

/** A request that went through `PartnerAuthGuard`. */
export interface PartnerRequest extends AuthRequest {
  partner?: PartnerPrincipal;
}

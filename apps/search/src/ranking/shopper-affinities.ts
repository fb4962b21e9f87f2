import { Injectable } from '@nestjs/common';

/** How much a shopper leans to categories and brands, each in [0, 1] (1: all they look at). */
export interface Affinities {
  categories: Record<string, number>;
  brands: Record<string, number>;
}

/**
 * The port through which ranking learns a shopper's category and brand affinities. The
 * recommendation app provides them from the interaction stream (issue 21); until then every
 * shopper is neutral and ranking is the same for all.
 */
export abstract class ShopperAffinities {
  /** The shopper's affinities, or undefined when nothing is known (neutral ranking). */
  abstract affinitiesOf(shopperId: string): Promise<Affinities | undefined>;
}

/** Knows nothing about anyone: every shopper ranks alike. */
@Injectable()
export class NeutralShopperAffinities extends ShopperAffinities {
  affinitiesOf(): Promise<Affinities | undefined> {
    return Promise.resolve(undefined);
  }
}

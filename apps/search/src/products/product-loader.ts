import { Injectable } from '@nestjs/common';
import {
  BrowseProducts,
  GetAvailability,
  GetProduct,
  REGIONS,
  type ProductDetail,
  type Region,
  type SkuAvailability,
} from '@mercato/contracts';
import { MessageBus, RemoteError } from '@mercato/messaging';
import { skusOf, type AvailabilityByRegion, type DetailsByRegion } from './product-document';

/** Catalog refusals that mean "no detail in this region" rather than a failure. */
const NOT_SOLD = new Set(['PRODUCT_NOT_SOLD_IN_REGION', 'PRODUCT_NOT_FOUND']);
/** GetAvailability takes at most this many SKUs per request. */
const AVAILABILITY_BATCH = 100;
/** Products per BrowseProducts page when listing the whole catalog. */
const BROWSE_PAGE = 100;

/** What the indexer reads over the bus: a product's detail per region, its stock, the catalog's ids. */
@Injectable()
export class ProductLoader {
  constructor(private readonly bus: MessageBus) {}

  /** The product's detail in every region; undefined where catalog does not sell it. */
  async details(productId: string): Promise<DetailsByRegion> {
    const answers = await Promise.all(REGIONS.map((region) => this.detail(productId, region)));
    return Object.fromEntries(REGIONS.map((region, i) => [region, answers[i]])) as Record<
      Region,
      ProductDetail | undefined
    >;
  }

  /** Stock of the SKUs the product sells in each region it is sold in, in that region. */
  async availability(details: DetailsByRegion): Promise<AvailabilityByRegion> {
    const perRegion = await Promise.all(
      REGIONS.map(async (region) => {
        const skus = skusOf(details, region);
        const requests: Promise<SkuAvailability[]>[] = [];
        for (let i = 0; i < skus.length; i += AVAILABILITY_BATCH) {
          const batch = skus.slice(i, i + AVAILABILITY_BATCH);
          requests.push(
            this.bus.request(GetAvailability, { skus: batch, region }).then((r) => r.items),
          );
        }
        return (await Promise.all(requests)).flat();
      }),
    );
    return Object.fromEntries(
      REGIONS.flatMap((region, i) => (details[region] ? [[region, perRegion[i]]] : [])),
    ) as AvailabilityByRegion;
  }

  /**
   * Every product id catalog lists in any region, a page at a time, each once: the listings of
   * the regions one after the other (a product sold in eu only is indexed too).
   */
  async *productIds(): AsyncGenerator<string[]> {
    const seen = new Set<string>();
    for (const region of REGIONS) {
      let cursor: string | undefined;
      do {
        const page = await this.bus.request(BrowseProducts, {
          region,
          limit: BROWSE_PAGE,
          ...(cursor ? { cursor } : {}),
        });
        const fresh = page.items.map((item) => item.productId).filter((id) => !seen.has(id));
        for (const id of fresh) seen.add(id);
        if (fresh.length > 0) yield fresh;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
  }

  private async detail(productId: string, region: Region): Promise<ProductDetail | undefined> {
    try {
      return await this.bus.request(GetProduct, { productId, region });
    } catch (error) {
      if (error instanceof RemoteError && NOT_SOLD.has(error.code)) return undefined;
      throw error;
    }
  }
}

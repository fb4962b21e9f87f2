import { Injectable } from '@nestjs/common';
import type { Region } from '@mercato/contracts';
import { RemoteError } from '@mercato/messaging';
import { ProductDetailReadModel } from '../catalog/product-detail.read-model';
import { EventsErrorCode } from './interaction.rules';
import { EventsException } from './events.exception';

/**
 * Which products exist, asked of the product detail read model (the cache over `GetProduct`
 * that serves `GET /v1/products/{id}`): hot products cost no trip to the catalog.
 */
@Injectable()
export class ProductExistence {
  constructor(private readonly products: ProductDetailReadModel) {}

  /**
   * The ids among `productIds` the catalog does not know in `region` (a 404, also a product
   * not sold there), each asked once and all at once. Any other failure is thrown as 503:
   * an event is never accepted, nor refused, on a guess.
   */
  async unknownAmong(
    productIds: Iterable<string>,
    region: Region,
    correlationId: string,
  ): Promise<Set<string>> {
    const ids = [...new Set(productIds)];
    const known = await Promise.all(
      ids.map((id) =>
        this.products.json(id, region, correlationId).then(
          () => true,
          (error: unknown) => {
            if (error instanceof RemoteError && error.status === 404) return false;
            throw new EventsException(
              EventsErrorCode.ProductLookupUnavailable,
              'The catalog could not be asked whether the products exist; send the events again',
            );
          },
        ),
      ),
    );
    return new Set(ids.filter((_, index) => !known[index]));
  }
}

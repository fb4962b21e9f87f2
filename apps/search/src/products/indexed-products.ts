import { Injectable } from '@nestjs/common';
import type { ProductDocument } from '@mercato/search-index';
import { LRUCache } from 'lru-cache';

/**
 * The documents this process indexed, by product id: the port answers ids and scores only, so
 * search hits are filled in (title, brand, price per region) from here. Kept by the indexer;
 * a miss (another replica indexed it, or this process restarted) is read again from the
 * services by the search service, through the indexer.
 */
@Injectable()
export class IndexedProducts {
  private readonly documents = new LRUCache<string, ProductDocument>({ max: 200_000 });

  get(productId: string): ProductDocument | undefined {
    return this.documents.get(productId);
  }

  remember(document: ProductDocument): void {
    this.documents.set(document.productId, document);
  }

  forget(productId: string): void {
    this.documents.delete(productId);
  }
}

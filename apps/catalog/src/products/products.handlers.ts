import { Injectable } from '@nestjs/common';
import {
  BrowseProducts,
  CreateProduct,
  GetProduct,
  ImportProductFeed,
  UpdateProduct,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { ProductFeedService } from './product-feed.service';
import { ProductWritesService } from './product-writes.service';
import { ProductsService } from './products.service';

/** Bus handlers of products: payload in, one service call, result out. */
@Injectable()
export class ProductsHandlers {
  constructor(
    private readonly products: ProductsService,
    private readonly writes: ProductWritesService,
    private readonly feed: ProductFeedService,
  ) {}

  @OnRequest(BrowseProducts)
  browse(request: RequestOf<typeof BrowseProducts>): Promise<ResponseOf<typeof BrowseProducts>> {
    return this.products.browse(request);
  }

  @OnRequest(GetProduct)
  get(request: RequestOf<typeof GetProduct>): Promise<ResponseOf<typeof GetProduct>> {
    return this.products.get(request.productId, request.region);
  }

  @OnRequest(CreateProduct)
  create(request: RequestOf<typeof CreateProduct>): Promise<ResponseOf<typeof CreateProduct>> {
    return this.writes.create(request);
  }

  @OnRequest(UpdateProduct)
  update(request: RequestOf<typeof UpdateProduct>): Promise<ResponseOf<typeof UpdateProduct>> {
    return this.writes.update(request);
  }

  @OnRequest(ImportProductFeed)
  importFeed(
    request: RequestOf<typeof ImportProductFeed>,
  ): Promise<ResponseOf<typeof ImportProductFeed>> {
    return this.feed.import(request);
  }
}

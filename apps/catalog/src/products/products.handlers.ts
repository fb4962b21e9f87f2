import { Injectable } from '@nestjs/common';
import { BrowseProducts, GetProduct, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { ProductsService } from './products.service';

/** Bus handlers of products: payload in, one service call, result out. */
@Injectable()
export class ProductsHandlers {
  constructor(private readonly products: ProductsService) {}

  @OnRequest(BrowseProducts)
  browse(request: RequestOf<typeof BrowseProducts>): Promise<ResponseOf<typeof BrowseProducts>> {
    return this.products.browse(request);
  }

  @OnRequest(GetProduct)
  get(request: RequestOf<typeof GetProduct>): Promise<ResponseOf<typeof GetProduct>> {
    return this.products.get(request.productId, request.region);
  }
}

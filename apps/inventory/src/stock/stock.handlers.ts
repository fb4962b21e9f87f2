import { Injectable } from '@nestjs/common';
import { GetAvailability, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { StockService } from './stock.service';

/** Bus handlers of stock: translate only. */
@Injectable()
export class StockHandlers {
  constructor(private readonly stock: StockService) {}

  @OnRequest(GetAvailability)
  async availability(
    request: RequestOf<typeof GetAvailability>,
  ): Promise<ResponseOf<typeof GetAvailability>> {
    return { items: await this.stock.availability(request.skus, request.region) };
  }
}

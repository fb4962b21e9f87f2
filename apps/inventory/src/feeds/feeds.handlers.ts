import { Injectable } from '@nestjs/common';
import { ApplyStockFeed, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { FeedsService } from './feeds.service';

/** Bus handlers of stock feeds: translate only. */
@Injectable()
export class FeedsHandlers {
  constructor(private readonly feeds: FeedsService) {}

  @OnRequest(ApplyStockFeed)
  async apply(
    request: RequestOf<typeof ApplyStockFeed>,
  ): Promise<ResponseOf<typeof ApplyStockFeed>> {
    return { results: await this.feeds.apply(request) };
  }
}

import { Injectable } from '@nestjs/common';
import { QuoteCart, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { CartQuoteService } from './cart-quote.service';

/** Bus handler of cart quotes: payload in, one service call, result out. */
@Injectable()
export class CartQuotesHandlers {
  constructor(private readonly quotes: CartQuoteService) {}

  @OnRequest(QuoteCart)
  quote(request: RequestOf<typeof QuoteCart>): Promise<ResponseOf<typeof QuoteCart>> {
    return this.quotes.quote(request);
  }
}

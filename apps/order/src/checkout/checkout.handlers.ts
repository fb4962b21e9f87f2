import { Injectable } from '@nestjs/common';
import { PlaceOrder, ReviewHeldOrder, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { CheckoutService } from './checkout.service';
import { OrderReviewService } from './order-review.service';

/** Bus handlers of checkout and the fraud review: translate only. */
@Injectable()
export class CheckoutHandlers {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly review: OrderReviewService,
  ) {}

  @OnRequest(PlaceOrder)
  place(request: RequestOf<typeof PlaceOrder>): Promise<ResponseOf<typeof PlaceOrder>> {
    return this.checkout.place(request);
  }

  @OnRequest(ReviewHeldOrder)
  reviewHeld(
    request: RequestOf<typeof ReviewHeldOrder>,
  ): Promise<ResponseOf<typeof ReviewHeldOrder>> {
    return this.review.review(request);
  }
}

import { Injectable } from '@nestjs/common';
import {
  CreatePromotion,
  EndPromotion,
  GetPromotion,
  ListPromotions,
  PriceCart,
  RedeemCoupon,
  ReleaseCoupon,
  UpdatePromotion,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { PromotionsService } from './promotions.service';

/** Bus handlers of promotions and coupons: payload in, one service call, result out. */
@Injectable()
export class PromotionsHandlers {
  constructor(private readonly promotions: PromotionsService) {}

  @OnRequest(CreatePromotion)
  create(request: RequestOf<typeof CreatePromotion>): Promise<ResponseOf<typeof CreatePromotion>> {
    return this.promotions.create(request);
  }

  @OnRequest(GetPromotion)
  get(request: RequestOf<typeof GetPromotion>): Promise<ResponseOf<typeof GetPromotion>> {
    return this.promotions.get(request.promotionId);
  }

  @OnRequest(UpdatePromotion)
  update(request: RequestOf<typeof UpdatePromotion>): Promise<ResponseOf<typeof UpdatePromotion>> {
    return this.promotions.update(request);
  }

  @OnRequest(EndPromotion)
  end(request: RequestOf<typeof EndPromotion>): Promise<ResponseOf<typeof EndPromotion>> {
    return this.promotions.end(request.promotionId, request.endedBy);
  }

  @OnRequest(ListPromotions)
  async list(): Promise<ResponseOf<typeof ListPromotions>> {
    return { items: await this.promotions.list() };
  }

  @OnRequest(RedeemCoupon)
  async redeem(request: RequestOf<typeof RedeemCoupon>): Promise<ResponseOf<typeof RedeemCoupon>> {
    return {
      status: await this.promotions.redeemCoupon(request.code, request.customerId, request.orderId),
    };
  }

  @OnRequest(ReleaseCoupon)
  async release(
    request: RequestOf<typeof ReleaseCoupon>,
  ): Promise<ResponseOf<typeof ReleaseCoupon>> {
    return {
      status: await this.promotions.releaseCoupon(
        request.code,
        request.customerId,
        request.orderId,
      ),
    };
  }

  @OnRequest(PriceCart)
  price(request: RequestOf<typeof PriceCart>): Promise<ResponseOf<typeof PriceCart>> {
    return this.promotions.priceCart(request);
  }
}

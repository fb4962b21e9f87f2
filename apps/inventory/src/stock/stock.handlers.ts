import { Injectable } from '@nestjs/common';
import {
  GetAvailability,
  ProductChanged,
  RestockStock,
  ReturnStock,
  TransferStock,
  type EventData,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { OnEvent, OnRequest } from '@mercato/messaging';
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

  @OnRequest(RestockStock)
  async restock(request: RequestOf<typeof RestockStock>): Promise<ResponseOf<typeof RestockStock>> {
    return { operationId: request.operationId, stock: await this.stock.restock(request) };
  }

  @OnRequest(TransferStock)
  async transfer(
    request: RequestOf<typeof TransferStock>,
  ): Promise<ResponseOf<typeof TransferStock>> {
    return { operationId: request.operationId, stock: await this.stock.transfer(request) };
  }

  @OnRequest(ReturnStock)
  async returnUnits(
    request: RequestOf<typeof ReturnStock>,
  ): Promise<ResponseOf<typeof ReturnStock>> {
    return { operationId: request.operationId, stock: await this.stock.returnUnits(request) };
  }

  @OnEvent(ProductChanged, { group: 'inventory' })
  async productChanged(event: EventData<typeof ProductChanged>): Promise<void> {
    await this.stock.createForProduct(event);
  }
}

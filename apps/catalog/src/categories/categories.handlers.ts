import { Injectable } from '@nestjs/common';
import { ListCategories, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { CategoriesService } from './categories.service';

/** Bus handlers of the category tree: translate only. */
@Injectable()
export class CategoriesHandlers {
  constructor(private readonly categories: CategoriesService) {}

  @OnRequest(ListCategories)
  async list(
    _request: RequestOf<typeof ListCategories>,
  ): Promise<ResponseOf<typeof ListCategories>> {
    return { items: await this.categories.list() };
  }
}

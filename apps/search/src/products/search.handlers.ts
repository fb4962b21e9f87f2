import { Injectable } from '@nestjs/common';
import { SearchProducts, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { SearchService } from './search.service';

/** Bus handlers of product search: translate only. */
@Injectable()
export class SearchHandlers {
  constructor(private readonly searchService: SearchService) {}

  @OnRequest(SearchProducts)
  search(request: RequestOf<typeof SearchProducts>): Promise<ResponseOf<typeof SearchProducts>> {
    return this.searchService.search(request);
  }
}

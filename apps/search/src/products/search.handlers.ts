import { Injectable } from '@nestjs/common';
import { SearchProducts, SuggestSearch, type RequestOf, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { SearchService } from './search.service';
import { SuggestService } from './suggest.service';

/** Bus handlers of product search and autocomplete: translate only. */
@Injectable()
export class SearchHandlers {
  constructor(
    private readonly searchService: SearchService,
    private readonly suggestService: SuggestService,
  ) {}

  @OnRequest(SearchProducts)
  search(request: RequestOf<typeof SearchProducts>): Promise<ResponseOf<typeof SearchProducts>> {
    return this.searchService.search(request);
  }

  @OnRequest(SuggestSearch)
  suggest(request: RequestOf<typeof SuggestSearch>): Promise<ResponseOf<typeof SuggestSearch>> {
    return this.suggestService.suggest(request);
  }
}

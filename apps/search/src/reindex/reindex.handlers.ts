import { Injectable } from '@nestjs/common';
import { GetSearchReindexStatus, StartSearchReindex, type ResponseOf } from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { SearchReindex } from './search-reindex.service';

/** Bus handlers of the index rebuild: translate only. */
@Injectable()
export class ReindexHandlers {
  constructor(private readonly reindex: SearchReindex) {}

  @OnRequest(StartSearchReindex)
  start(): Promise<ResponseOf<typeof StartSearchReindex>> {
    return Promise.resolve(this.reindex.start());
  }

  @OnRequest(GetSearchReindexStatus)
  status(): Promise<ResponseOf<typeof GetSearchReindexStatus>> {
    return Promise.resolve(this.reindex.status());
  }
}

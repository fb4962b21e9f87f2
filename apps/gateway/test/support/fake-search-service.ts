import { Injectable } from '@nestjs/common';
import {
  type Envelope,
  GetSearchInsights,
  RecordSearchFeedback,
  type RequestOf,
  type ResponseOf,
  SearchProducts,
  SuggestSearch,
} from '@mercato/contracts';
import { OnRequest } from '@mercato/messaging';
import { FakeService } from './fake-shop-services';

/** The queryId every fake search answers. */
export const FAKE_QUERY_ID = 'q-fake-0001';

/** Stands in for the search service: one hit, the facets asked for, canned answers elsewhere. */
@Injectable()
export class FakeSearchService extends FakeService {
  @OnRequest(SearchProducts)
  async search(
    payload: RequestOf<typeof SearchProducts>,
    envelope: Envelope,
  ): Promise<ResponseOf<typeof SearchProducts>> {
    this.receive(payload, envelope);
    return {
      total: 1,
      hits: [
        {
          productId: 'p-000042',
          title: 'Northwind Ultra Laptop 14 X2',
          brand: 'Northwind',
          categoryId: 'electronics-computers-laptops',
          price: { amount: 129900, currency: 'USD' },
          rating: 4.4,
          ratingCount: 318,
          available: true,
        },
      ],
      facets: Object.fromEntries(
        (payload.facets ?? []).map((facet) => [
          facet,
          facet === 'price' ? [{ from: 100000, count: 1 }] : [{ value: facet, count: 1 }],
        ]),
      ),
      didYouMean: null,
      queryId: FAKE_QUERY_ID,
      nextCursor: null,
      tookMs: 3,
    };
  }

  @OnRequest(SuggestSearch)
  async suggest(payload: RequestOf<typeof SuggestSearch>, envelope: Envelope) {
    this.receive(payload, envelope);
    return { suggestions: [{ text: `${payload.q}top` }, { text: 'Laptop', productId: 'p-1' }] };
  }

  @OnRequest(RecordSearchFeedback)
  async feedback(payload: unknown, envelope: Envelope) {
    this.receive(payload, envelope);
    return { counted: true };
  }

  @OnRequest(GetSearchInsights)
  async insights(
    payload: unknown,
    envelope: Envelope,
  ): Promise<ResponseOf<typeof GetSearchInsights>> {
    this.receive(payload, envelope);
    const totals = { searches: 0, zeroResults: 0, zeroResultRate: 0, clicks: 0, cartAdds: 0 };
    return {
      from: '2026-12-01',
      to: '2026-12-07',
      totals: { ...totals, clickThroughRate: 0 },
      topQueries: [],
      zeroResultQueries: [],
    };
  }
}

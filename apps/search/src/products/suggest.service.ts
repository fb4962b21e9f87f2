import { Injectable } from '@nestjs/common';
import {
  MIN_SUGGEST_LENGTH,
  SuggestSearch,
  type RequestOf,
  type ResponseOf,
} from '@mercato/contracts';
import { ProductIndex } from '@mercato/search-index';
import { PopularQueries } from '../analytics/popular-queries';
import { SearchAnalytics } from '../analytics/search-analytics.service';
import { checkQueryLength } from './search.service';

type SuggestRequest = RequestOf<typeof SuggestSearch>;
type SuggestResponse = ResponseOf<typeof SuggestSearch>;
type Suggestion = SuggestResponse['suggestions'][number];

/**
 * Autocomplete: completions of what the shopper typed — popular past queries first, then
 * phrases from product titles — and the top matching products, within `limit`. Products get
 * at most half the list when there are completions, so both kinds show.
 */
@Injectable()
export class SuggestService {
  constructor(
    private readonly index: ProductIndex,
    private readonly popular: PopularQueries,
    private readonly analytics: SearchAnalytics,
  ) {}

  async suggest({ q, region, limit }: SuggestRequest): Promise<SuggestResponse> {
    const started = performance.now();
    checkQueryLength(q);
    const prefix = q.trim();
    if (prefix.length < MIN_SUGGEST_LENGTH) return { suggestions: [] };
    const fromIndex = await this.index.suggest({ prefix, region, limit });
    const completions = distinct([
      ...this.popular.startingWith(prefix, limit),
      ...fromIndex.completions,
    ]);
    const productSlots = completions.length
      ? Math.min(fromIndex.products.length, Math.floor(limit / 2))
      : fromIndex.products.length;
    const suggestions: Suggestion[] = [
      ...completions.slice(0, limit - productSlots).map((text) => ({ text })),
      ...fromIndex.products
        .slice(0, productSlots)
        .map(({ title, productId }) => ({ text: title, productId })),
    ].slice(0, limit);
    this.analytics.recordSuggest({ tookMs: performance.now() - started });
    return { suggestions };
  }
}

/** Each text once (ignoring case), first occurrence kept. */
function distinct(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  return texts.filter((text) => {
    const key = text.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

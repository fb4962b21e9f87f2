import { Injectable } from '@nestjs/common';
import { ProductIndex, type ProductSearchQuery } from '@mercato/search-index';

/**
 * A query that finds this many products without typo tolerance finds enough: it gets no
 * spelling suggestion, whatever a corrected spelling would find.
 */
export const ENOUGH_EXACT_MATCHES = 10;

/**
 * The corrected query must find more than this many times what the query as typed finds,
 * without typo tolerance both: "clearly more", so a rare but correct word is not second-guessed.
 */
export const CLEARLY_MORE = 2;

/**
 * `didYouMean`: the spelling the index's vocabulary suggests, offered when the query as typed
 * finds few products word for word (typo tolerance may still have found the intended ones) and
 * the corrected query finds clearly more with the same filters.
 */
@Injectable()
export class DidYouMean {
  constructor(private readonly index: ProductIndex) {}

  async suggestionFor(query: ProductSearchQuery): Promise<string | null> {
    const text = query.text?.trim();
    if (!text) return null;
    const countOnly = { ...query, limit: 0, offset: 0, facets: undefined, explain: false };
    const asTyped = await this.index.search({ ...countOnly, typoTolerance: false });
    if (asTyped.total >= ENOUGH_EXACT_MATCHES) return null;
    const corrected = await this.index.spellingCorrection(text);
    if (!corrected || corrected.toLowerCase() === text.toLowerCase()) return null;
    const better = await this.index.search({ ...countOnly, text: corrected, typoTolerance: false });
    return better.total > CLEARLY_MORE * asTyped.total ? corrected : null;
  }
}

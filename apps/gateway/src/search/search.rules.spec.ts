import type { AuthenticatedUser } from '../auth';
import { mayExplain, searchAnswerOf, searchRequestOf, wantsSuggestions } from './search.rules';

const customer: AuthenticatedUser = { customerId: 'c-ann', roles: ['customer'], region: 'eu' };
const seller: AuthenticatedUser = { customerId: 's-sam', roles: ['seller'], region: 'us' };
const admin: AuthenticatedUser = { customerId: 'a-ada', roles: ['admin'], region: 'us' };

describe('search rules', () => {
  describe('searchRequestOf', () => {
    it('renames the public parameters to the search request’s and adds the region', () => {
      const request = searchRequestOf(
        { q: 'boot', category: 'outdoor', rating: 4, minPrice: 100, limit: 5 },
        'eu',
        undefined,
      );
      expect(request).toMatchObject({
        q: 'boot',
        categoryId: 'outdoor',
        minRating: 4,
        minPrice: 100,
        limit: 5,
        region: 'eu',
      });
      expect(request).not.toHaveProperty('category', expect.anything());
      expect(request).not.toHaveProperty('rating', expect.anything());
    });

    it('asks for every facet when the caller names none, and only those named otherwise', () => {
      expect(searchRequestOf({ limit: 20 }, 'us', undefined).facets).toEqual([
        'category',
        'brand',
        'price',
      ]);
      expect(searchRequestOf({ limit: 20, facets: ['brand'] }, 'us', undefined).facets).toEqual([
        'brand',
      ]);
    });

    it('personalises for a signed-in customer only', () => {
      expect(searchRequestOf({ limit: 20 }, 'us', customer).shopperId).toBe('c-ann');
      expect(searchRequestOf({ limit: 20 }, 'us', seller).shopperId).toBeUndefined();
      expect(searchRequestOf({ limit: 20 }, 'us', undefined).shopperId).toBeUndefined();
    });

    it('asks for explain only when it is true', () => {
      expect(searchRequestOf({ limit: 20, explain: true }, 'us', admin).explain).toBe(true);
      expect(searchRequestOf({ limit: 20, explain: false }, 'us', admin).explain).toBeUndefined();
    });
  });

  it('lets admins alone see the score parts', () => {
    expect(mayExplain(admin)).toBe(true);
    expect(mayExplain(customer)).toBe(false);
    expect(mayExplain(seller)).toBe(false);
    expect(mayExplain(undefined)).toBe(false);
  });

  it('suggests from two characters, spaces around not counted', () => {
    expect(wantsSuggestions('la')).toBe(true);
    expect(wantsSuggestions(' l ')).toBe(false);
    expect(wantsSuggestions('')).toBe(false);
  });

  it('answers a hit’s category id as category, and no facets as an empty object', () => {
    const answer = searchAnswerOf({
      total: 1,
      hits: [
        {
          productId: 'p-1',
          title: 'Trail Boot',
          brand: 'Acme',
          categoryId: 'outdoor-boots',
          price: { amount: 5000, currency: 'USD' },
          rating: 4,
          ratingCount: 2,
          available: true,
        },
      ],
      didYouMean: 'boot',
      queryId: 'q-1',
      nextCursor: null,
      tookMs: 1,
    });
    expect(answer.hits[0]).toMatchObject({ category: 'outdoor-boots' });
    expect(answer.hits[0]).not.toHaveProperty('categoryId');
    expect(answer).toMatchObject({ facets: {}, didYouMean: 'boot', queryId: 'q-1' });
  });
});

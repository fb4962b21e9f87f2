import {
  bySuggestRank,
  completionsFrom,
  planSuggest,
  suggestPopularity,
  withoutTypos,
} from './suggest';

describe('planSuggest', () => {
  it('takes earlier words whole with their typo budget and the last as a prefix', () => {
    expect(planSuggest('Nimbus air LAPT')).toEqual({
      earlier: [
        { text: 'nimbus', typos: 1 },
        { text: 'air', typos: 0 },
      ],
      last: { text: 'lapt', typos: 1 },
    });
  });

  it('forgives the last word one edit from 4 letters, even when longer', () => {
    expect(planSuggest('lap')?.last).toEqual({ text: 'lap', typos: 0 });
    expect(planSuggest('headphon')?.last).toEqual({ text: 'headphon', typos: 1 });
  });

  it('plans nothing under 2 characters or without a word', () => {
    expect(planSuggest(' l ')).toBeUndefined();
    expect(planSuggest('**')).toBeUndefined();
  });
});

describe('completionsFrom', () => {
  const titles = [
    'Voltix Pro Laptop X5',
    'Nimbus Air Laptop Stand',
    'Nimbus Air Laptop Stand S2',
    'Quantra Lapis Lamp',
  ];

  it('completes the current word, adding the next word when it narrows to two or more', () => {
    expect(completionsFrom(titles, planSuggest('lap')!, 10)).toEqual([
      'laptop',
      'laptop stand',
      'lapis',
    ]);
  });

  it('leaves out a next word shared by every title with the phrase', () => {
    expect(completionsFrom(titles, planSuggest('nimbus air la')!, 10)).toEqual([
      'nimbus air laptop',
    ]);
  });

  it('writes completions with the title words, so an earlier typo comes back corrected', () => {
    expect(completionsFrom(titles, planSuggest('nimbsu air la')!, 10)).toEqual([
      'nimbus air laptop',
    ]);
  });

  it('orders by titles matched, then shorter, then alphabetically, and cuts at the limit', () => {
    const many = ['Red Lamp', 'Blue Lamp', 'Red Lapis', 'Green Lapis', 'Lark'];
    expect(completionsFrom(many, planSuggest('la')!, 10)).toEqual(['lamp', 'lapis', 'lark']);
    expect(completionsFrom(many, planSuggest('la')!, 1)).toEqual(['lamp']);
  });

  it('puts phrases matching as typed before those reached through a typo', () => {
    const titles = ['Hearthstone Sofa', 'Hearthstone Lamp', 'Sonora Headphones'];
    expect(completionsFrom(titles, planSuggest('head')!, 10)).toEqual([
      'headphones',
      'hearthstone',
    ]);
  });

  it('counts a title once per phrase, wherever the phrase occurs in it', () => {
    expect(completionsFrom(['Lamp Lamp Shade'], planSuggest('la')!, 10)).toEqual(['lamp']);
  });
});

describe('suggestPopularity', () => {
  it('is the units sold, then the rating times the number of ratings', () => {
    expect(suggestPopularity({ popularity: 12, rating: 4.5, ratingCount: 100 })).toEqual({
      sold: 12,
      rated: 450,
    });
    expect(suggestPopularity({ popularity: 0, rating: 0, ratingCount: 0 })).toEqual({
      sold: 0,
      rated: 0,
    });
  });
});

describe('withoutTypos', () => {
  it('forgives no typo anywhere', () => {
    expect(withoutTypos(planSuggest('nimbsu lapt')!)).toEqual({
      earlier: [{ text: 'nimbsu', typos: 0 }],
      last: { text: 'lapt', typos: 0 },
    });
  });
});

describe('bySuggestRank', () => {
  it('orders matches as typed first, then by units sold, then by rating × count, then by productId', () => {
    const candidates = [
      { productId: 'p-5', exact: false, sold: 90, rated: 900 },
      { productId: 'p-4', exact: true, sold: 0, rated: 900 },
      { productId: 'p-3', exact: true, sold: 5, rated: 10 },
      { productId: 'p-2', exact: true, sold: 5, rated: 50 },
      { productId: 'p-1', exact: true, sold: 5, rated: 10 },
    ];
    expect(candidates.sort(bySuggestRank).map((c) => c.productId)).toEqual([
      'p-2',
      'p-1',
      'p-3',
      'p-4',
      'p-5',
    ]);
  });
});

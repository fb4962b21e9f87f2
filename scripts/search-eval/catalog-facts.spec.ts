import { generateCatalog, generateProduct, type DemoProduct } from '@mercato/demo-data';
import { containsPhrase, factsOf, hasWords, isKind, typed, unknownNamesOf } from './catalog-facts';

const catalog = [...generateCatalog({ seed: 42, products: 5_000 })];

describe('factsOf', () => {
  const product = (title: string, brand: string, index = 0): DemoProduct => ({
    ...generateProduct(42, index),
    title,
    brand,
  });

  it('takes a title apart into brand, adjective, noun and model', () => {
    const p = catalog.find((c) => c.title.startsWith('Willow & Oak Mid-Century'))!;
    const facts = factsOf(p);
    expect(facts).toMatchObject({ brand: 'Willow & Oak', adjective: 'Mid-Century' });
    expect(`${facts.brand} ${facts.adjective} ${facts.noun} ${facts.model}`).toBe(p.title);
  });

  it('prefers the longest noun, so a "Smart Smart TV" is a Smart TV', () => {
    const tv = catalog.find((p) => p.categoryId === 'televisions')!;
    expect(
      factsOf(product(`${tv.brand} Smart Smart TV X5`, tv.brand, catalog.indexOf(tv))),
    ).toMatchObject({
      adjective: 'Smart',
      noun: 'Smart TV',
      model: 'X5',
    });
  });

  it('refuses a title that is not brand, adjective, noun and model', () => {
    const first = catalog[0];
    expect(() => factsOf(product(`${first.brand} Something Else`, first.brand))).toThrow(
      /is not brand adjective noun model/,
    );
  });
});

describe('containsPhrase and hasWords', () => {
  it('find whole words in any case only', () => {
    expect(containsPhrase('16GB / 512GB', '16gb')).toBe(true);
    expect(containsPhrase('120 kg', '20 kg')).toBe(false);
    expect(containsPhrase('Blue Velvet', 'velvet')).toBe(true);
    expect(hasWords('Voltix Vision Smart TV X5', 'smart tv')).toBe(true);
    expect(hasWords('Voltix Smartwatch', 'smart')).toBe(false);
  });
});

describe('isKind', () => {
  it('takes every product of the named leaves, and products elsewhere with a named noun', () => {
    const sneakers = { leaves: ['Sneakers'], nouns: ['Sneaker'] };
    const kids = catalog
      .map(factsOf)
      .find((p) => p.leaf.name === "Kids' Shoes" && p.noun === 'Sneaker')!;
    const men = catalog.map(factsOf).find((p) => p.leaf.name === 'Sneakers')!;
    const sandal = catalog
      .map(factsOf)
      .find((p) => p.leaf.name === "Kids' Shoes" && p.noun === 'Sandal')!;
    expect([isKind(kids, sneakers), isKind(men, sneakers), isKind(sandal, sneakers)]).toEqual([
      true,
      true,
      false,
    ]);
  });
});

describe('typed', () => {
  it('writes a name as a shopper types it', () => {
    expect(typed('Lumière')).toBe('lumiere');
    expect(typed('Willow & Oak')).toBe('willow & oak');
  });
});

describe('unknownNamesOf', () => {
  it('names the leaves and nouns of a kind that the catalog lacks', () => {
    expect(
      unknownNamesOf({ leaves: ['Laptops', 'Laptopz'], nouns: ['Notebook', 'Netbook'] }),
    ).toEqual(['Laptopz', 'Netbook']);
  });
});

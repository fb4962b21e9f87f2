import { WordPostings } from './word-postings';

describe('WordPostings', () => {
  const postings = () => {
    const words = new WordPostings();
    words.add('laptop', 'p-1');
    words.add('laptop', 'p-2');
    words.add('lapis', 'p-3');
    words.add('sofa', 'p-4');
    return words;
  };

  it('counts the products per word', () => {
    const words = postings();
    expect(words.frequency('laptop')).toBe(2);
    expect([...words.productsOf('laptop')]).toEqual(['p-1', 'p-2']);
    expect(words.frequency('tablet')).toBe(0);
  });

  it('forgets a word when its last product goes', () => {
    const words = postings();
    words.remove('sofa', 'p-4');
    words.remove('laptop', 'p-1');
    expect(words.frequency('sofa')).toBe(0);
    expect(words.near('sofa', 1)).toEqual([]);
    expect(words.frequency('laptop')).toBe(1);
  });

  it('finds the words within a number of edits, the word itself included', () => {
    const words = postings();
    expect(words.near('laptpo', 1)).toEqual(['laptop']);
    expect(words.near('laptop', 0)).toEqual(['laptop']);
    expect(words.near('lapiss', 1)).toEqual(['lapis']);
    expect(words.near('sofa', 0)).toEqual(['sofa']);
    expect(words.near('lptp', 1)).toEqual([]);
  });
});

describe('WordPostings.startingWithin', () => {
  it('finds the words starting with a prefix, give or take the edits, as startsWithin does', () => {
    const words = new WordPostings();
    for (const word of ['laptop', 'lamp', 'lapis', 'leather', 'sofa', 'soft', 'l', 'la']) {
      words.add(word, 'p-1');
    }
    expect([...words.startingWithin('lap', 0)].sort()).toEqual(['lapis', 'laptop']);
    expect([...words.startingWithin('latp', 1)].sort()).toEqual(['lamp', 'lapis', 'laptop']);
    expect([...words.startingWithin('sofa', 1)].sort()).toEqual(['sofa', 'soft']);
    expect(words.startingWithin('lxpx', 1)).toEqual([]);
  });

  it('forgets removed words and finds new ones', () => {
    const words = new WordPostings();
    words.add('laptop', 'p-1');
    expect(words.startingWithin('lap', 0)).toEqual(['laptop']);
    words.remove('laptop', 'p-1');
    words.add('lapis', 'p-2');
    expect(words.startingWithin('lap', 0)).toEqual(['lapis']);
  });
});

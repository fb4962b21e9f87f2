import { misspell, misspellQuery } from './misspell';

describe('misspell', () => {
  it('swaps the two letters straddling the middle of the word', () => {
    expect(misspell('laptop', 'transposed')).toBe('latpop');
  });

  it('moves on to the next pair when the middle letters are equal', () => {
    expect(misspell('kettle', 'transposed')).toBe('ketlte');
  });

  it('leaves out the middle letter', () => {
    expect(misspell('laptop', 'missing')).toBe('lapop');
  });

  it('types the middle letter twice', () => {
    expect(misspell('laptop', 'doubled')).toBe('lapttop');
  });

  it('leaves words shorter than 4 letters, and words with digits or marks, alone', () => {
    expect(misspell('cam', 'missing')).toBeUndefined();
    expect(misspell('x500', 'doubled')).toBeUndefined();
    expect(misspell('t-shirt', 'missing')).toBeUndefined();
  });

  it('gives up on a swap that changes nothing', () => {
    expect(misspell('aaaa', 'transposed')).toBeUndefined();
  });

  it('gives the same slip every time', () => {
    expect(misspell('headphones', 'transposed')).toBe(misspell('headphones', 'transposed'));
  });
});

describe('misspellQuery', () => {
  const noWord = () => false;

  it('misspells the longest word of the query and keeps the others', () => {
    expect(misspellQuery('nimbus headphones', 'missing', noWord)).toEqual({
      q: 'nimbus headpones',
      word: 'headphones',
      misspelled: 'headpones',
      how: 'missing',
    });
  });

  it('takes the first of two equally long words', () => {
    expect(misspellQuery('voltix laptop', 'doubled', noWord)?.word).toBe('voltix');
  });

  it('tries the other slips in order when one makes another real word', () => {
    const known = new Set(['lapop', 'latpop']);
    expect(misspellQuery('laptop', 'missing', (w) => known.has(w))).toMatchObject({
      misspelled: 'lapttop',
      how: 'doubled',
    });
  });

  it('finds nothing to misspell in a query of short words', () => {
    expect(misspellQuery('rc car', 'missing', noWord)).toBeUndefined();
  });
});

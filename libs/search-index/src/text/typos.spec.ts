import { editDistance, startsWithin, typoBudget } from './typos';

describe('typoBudget', () => {
  it('forgives nothing in words under 4 letters', () => {
    expect(typoBudget('tv')).toBe(0);
    expect(typoBudget('oak')).toBe(0);
  });

  it('forgives one edit from 4 to 7 letters', () => {
    expect(typoBudget('sofa')).toBe(1);
    expect(typoBudget('headset')).toBe(1);
  });

  it('forgives two edits from 8 letters', () => {
    expect(typoBudget('espresso')).toBe(2);
    expect(typoBudget('headphones')).toBe(2);
  });

  it('counts letters as typed, not UTF-16 units', () => {
    // "café" is 4 letters; an emoji is one character but two UTF-16 units.
    expect(typoBudget('café')).toBe(1);
    expect(typoBudget('ab😀')).toBe(0);
  });
});

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('laptop', 'laptop', 2)).toBe(0);
    expect(editDistance('laptop', 'laptops', 2)).toBe(1);
    expect(editDistance('laptop', 'lapop', 2)).toBe(1);
    expect(editDistance('laptop', 'lapfop', 2)).toBe(1);
  });

  it('counts a swap of two neighbouring letters as one edit (Damerau)', () => {
    expect(editDistance('laptpo', 'laptop', 2)).toBe(1);
    expect(editDistance('lpatpo', 'laptop', 2)).toBe(2);
  });

  it('answers max + 1 as soon as the words are further apart than max', () => {
    expect(editDistance('laptop', 'sofa', 1)).toBe(2);
    expect(editDistance('headphones', 'hdphns', 2)).toBe(3);
    expect(editDistance('ab', 'abcdef', 2)).toBe(3);
  });
});

describe('startsWithin', () => {
  it('accepts a word starting with the prefix', () => {
    expect(startsWithin('laptop', 'lap', 0)).toBe(true);
    expect(startsWithin('laptop', 'lpa', 0)).toBe(false);
  });

  it('accepts a beginning of the word within the edits, one letter shorter to one longer', () => {
    expect(startsWithin('laptop', 'latp', 1)).toBe(true);
    expect(startsWithin('laptop', 'lapx', 1)).toBe(true);
    expect(startsWithin('laptop', 'lpto', 1)).toBe(true);
    expect(startsWithin('laptop', 'lxpx', 1)).toBe(false);
  });

  it('does not accept a word shorter than the prefix less the edits', () => {
    expect(startsWithin('s2', 'sono', 1)).toBe(false);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brandKey, foldForSearch } from './text.ts';

/** brandKey as defined: the search fold of the whole text, without what is not a-z or 0-9. */
function brandKeyByDefinition(text: string): string {
  return foldForSearch(text).replace(/[^a-z0-9]/g, '');
}

describe('brandKey', () => {
  it('folds names to letters and digits', () => {
    assert.equal(brandKey('TikTok Shop'), 'tiktokshop');
    assert.equal(brandKey('Thế Giới Di Động'), 'thegioididong');
    assert.equal(brandKey('ĐẠI-LÝ 123'), 'daily123');
  });

  it('gives the key of its definition for every character, computed character by character', () => {
    for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const text = String.fromCodePoint(codePoint);
      if (brandKey(text) !== brandKeyByDefinition(text)) assert.fail(`U+${codePoint.toString(16)}`);
    }
  });

  it('gives the key of its definition for texts where neighbours could interact', () => {
    const pieces = [
      'a',
      'Đ',
      'ế',
      '\u0309',
      '\u0301',
      'İ',
      'K',
      'ß',
      'Σ',
      'ς',
      ' ',
      '\ud800',
      '\udc00',
      '😀',
      'Ａ',
      'ﬁ',
    ];
    let seed = 8598;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 20_000; round++) {
      let text = '';
      for (let length = Math.floor(random() * 8); length > 0; length--)
        text += pieces[Math.floor(random() * pieces.length)];
      assert.equal(brandKey(text), brandKeyByDefinition(text), JSON.stringify(text));
    }
  });
});

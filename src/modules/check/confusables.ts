/**
 * Letters that can appear in an internationalised domain name and look like a Latin letter, by the ASCII they
 * imitate. Drawn from Unicode's confusables (UTS #39) and dnstwist's homoglyph and Cyrillic tables, kept to
 * characters that survive IDNA mapping (it already folds case, full-width forms and mathematical letters).
 *
 * Letters with diacritics (á, ư, ơ, ş, ï…) are not listed: the skeleton strips combining marks after NFD.
 * Only letters that do not decompose are here (đ, ł, ø, ħ…).
 */
const LOOKALIKES_BY_ASCII: Readonly<Record<string, string>> = {
  a: 'аɑαᴀ',
  ae: 'æ',
  b: 'ьƅɓƀʙ',
  c: 'сϲᴄƈ',
  d: 'ԁɗɖđð',
  e: 'еєҽεɇᴇ',
  f: 'ƒ',
  g: 'ɡԍǥɠց',
  h: 'һհħɦⱨʜ',
  i: 'іıɩɪιɨ',
  j: 'јϳʝɉᴊ',
  k: 'кκᴋⱪƙ',
  l: 'ӏłɫƚɭǀʟ',
  m: 'мᴍɱ',
  n: 'пηɴŋɲꞑո',
  o: 'оοσօøɵᴏ',
  oe: 'œ',
  p: 'рρƥᴘ',
  q: 'ԛʠɋզ',
  r: 'гʀɼɽɾɍ',
  s: 'ѕʂꜱ',
  ss: 'ß',
  t: 'тτŧƫƭʈᴛ',
  u: 'υսʉᴜμ',
  v: 'ѵνᴠⱱⱴᶌ',
  w: 'ԝѡωᴡⱳ',
  x: 'хχҳ',
  y: 'уүγʏɏƴỿ',
  z: 'ᴢƶʐȥⱬʑ',
};

/** Each look-alike character mapped to the ASCII it imitates. */
export const CONFUSABLE_TO_ASCII: ReadonlyMap<string, string> = new Map(
  Object.entries(LOOKALIKES_BY_ASCII).flatMap(([ascii, lookalikes]) =>
    Array.from(lookalikes, (character) => [character, ascii] as const),
  ),
);

/*
 * ASCII look-alikes. Source: dnstwist's table of them, `glyphs_ascii` in dnstwist.py (lines 649–674) at commit
 * 341395377f40761fe4152f43fd18eea757b6069a of https://github.com/elceef/dnstwist. Every pair of that table is
 * covered, in one of two ways by how alike its two sides are in a browser's address bar:
 *
 * - identities (ASCII_LOOKALIKE_SEQUENCES, and i/l/1 in lookalike.ts skeletonOf) go into the skeleton: any number
 *   of them, anywhere in the label, for keys of 3 letters and more;
 * - mere resemblances (SIMILAR_GLYPHS) are undone one at a time, at one interior position, for keys of 5 letters
 *   and more (lookalike.ts, matchSimilarGlyph), the way dnstwist generates them.
 *
 * Measured on 989,803 labels, every pair of words of bench/corpus/words-*.txt run together: how many share their
 * skeleton with another label if the pair went into the skeleton, against how many are another label with one
 * interior letter undone. Labels that become one another would flag one another in a register of shop names.
 *   identities: 0/o, 1/l, 1/i, vv/w 0 · i/l 36 (dongholan, donghoian) · rn/m 2,003 · cl/d 4,038
 *   resemblances: b/d 13,777 → 5,979 (andao, anbao) · m/n 18,900 → 7,972 · n/r 15,115 → 6,017 · c/e 56 → 31
 * and against the brand keys (the demo register and well-known-sites.txt), false matches among the 990,004 labels:
 * 166 before this table, 169 with it (senbo → sendo for b/d, foodly → foody for dl/d, guardlan → guardian for
 * i/l); 176 if resemblances also counted as the first or last letter, 167 from 6 letters (but sendo → senbo then
 * passes). The public-check corpus (test/lookalike-corpus.test.ts) stays at 0 of 6,000 in every variant.
 */

/**
 * Sequences of ASCII that read as another letter, applied after the Unicode table above, in this order. Digits
 * first, so "c1" (→ "cl") can still become "d". The skeleton then folds l into i (lookalike.ts, skeletonOf).
 */
export const ASCII_LOOKALIKE_SEQUENCES: ReadonlyArray<readonly [string, string]> = [
  ['0', 'o'],
  ['1', 'l'],
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
];

/**
 * Characters that only resemble what they replace, as [in the key, in the look-alike]: the rest of dnstwist's
 * table, its direction kept (n is written r, not r written n).
 */
export const SIMILAR_GLYPHS: ReadonlyArray<readonly [string, string]> = [
  // Same height and shape but a mirrored or opened bowl: whole families of Vietnamese syllables differ by these
  // (bao/dao, nam/mam, nau/rau), see above; in the skeleton they would tie thousands of names together.
  ['b', 'd'],
  ['d', 'b'],
  ['m', 'n'],
  ['n', 'm'],
  ['n', 'r'],
  // Rarely tie two names (c/e 56, u/v 16, g/q 0 labels), but plainly different letters to a careful reader.
  ['c', 'e'],
  ['e', 'c'],
  ['g', 'q'],
  ['q', 'g'],
  ['u', 'v'],
  ['v', 'u'],
  // Digits: 1988 and 1388 are different numbers in shop names (years, phone endings).
  ['3', '8'],
  ['8', '3'],
  ['6', '9'],
  ['9', '6'],
  // One letter drawn as two, or an l slipped in beside a tall letter: an extra stroke, wider than the original,
  // so no identity; as many labels either way (nn/m 20, lb/b 91, dl/d 121, lh/h 56, lc/k 9), and one at a time
  // keeps them off short keys and the first and last letter.
  ['m', 'nn'],
  ['b', 'lb'],
  ['d', 'dl'],
  ['h', 'lh'],
  ['k', 'lc'],
];

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

/**
 * Sequences of ASCII that read as another letter in a browser's address bar, applied after the table above.
 * Digits first, so "c1" (→ "cl") can still become "d". The digit 1 is read as "l" here; lookalike.ts also tries
 * "i" for it, since t1ki imitates tiki.
 */
export const ASCII_LOOKALIKE_SEQUENCES: ReadonlyArray<readonly [string, string]> = [
  ['0', 'o'],
  ['1', 'l'],
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
];

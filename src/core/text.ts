/** Vietnamese-aware text helpers: NFC everywhere, diacritics-insensitive keys for search. */

export function toNfc(text: string): string {
  return text.normalize('NFC');
}

/**
 * `text` without the run of `chars` it ends with. A regex such as `/[\s,]+$/` tries every start in a long run
 * and takes time quadratic in it (a pasted text of 200 000 commas then blocks the server for seconds); this is linear.
 */
export function trimEndOf(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text.charAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** White space as the `\s` of a regex knows it, for trimEndOf. */
export const WHITE_SPACE =
  ' \t\n\r\v\f\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * A search key: lower case, Vietnamese diacritics removed (đ → d), runs of white space folded.
 * "Công ty TNHH Sàn Đẹp" → "cong ty tnhh san dep".
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A compact key for brand names: folded, letters and digits only ("TikTok Shop" → "tiktokshop"), i.e.
 * `foldForSearch(text)` without what is not a-z or 0-9.
 *
 * Computed character by character, which gives the same key: of what NFD and lower-casing make of a character, only
 * its a-z and 0-9 remain, and those do not depend on its neighbours (canonical reordering moves combining marks
 * only; the one context rule of lower-casing, Greek final sigma, yields no Latin letter). So ASCII is folded directly
 * and other characters through a table filled as they are met: a million names (the check index's load) in well
 * under a second instead of seconds.
 */
export function brandKey(text: string): string {
  let key = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) key += text[i];
      else if (code >= 0x41 && code <= 0x5a) key += String.fromCharCode(code + 0x20);
    } else {
      const codePoint = text.codePointAt(i) as number;
      if (codePoint > 0xffff) i++;
      key += brandKeyOfCodePoint(codePoint);
    }
  }
  return key;
}

/** What `brandKey` makes of one character, given as its code point (for callers reading UTF-8 bytes). */
export function brandKeyOfCodePoint(codePoint: number): string {
  if (codePoint >= 0x10000) return brandKeyOfCharacter(String.fromCodePoint(codePoint));
  let folded = BRAND_KEY_OF_BMP_CHARACTER[codePoint];
  if (folded === undefined) {
    folded = brandKeyOfCharacter(String.fromCharCode(codePoint));
    BRAND_KEY_OF_BMP_CHARACTER[codePoint] = folded;
  }
  return folded;
}

/** brandKey of each character of the Basic Multilingual Plane, filled as characters are met. */
const BRAND_KEY_OF_BMP_CHARACTER: (string | undefined)[] = new Array(0x10000);

function brandKeyOfCharacter(character: string): string {
  return foldForSearch(character).replace(/[^a-z0-9]/g, '');
}

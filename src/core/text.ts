/** Vietnamese-aware text helpers: NFC everywhere, diacritics-insensitive keys for search. */

export function toNfc(text: string): string {
  return text.normalize('NFC');
}

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

/** A compact key for brand names: folded, letters and digits only ("TikTok Shop" → "tiktokshop"). */
export function brandKey(text: string): string {
  return foldForSearch(text).replace(/[^a-z0-9]/g, '');
}

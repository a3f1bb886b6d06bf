import { foldForSearch } from '../../core/text.ts';
import { PROVINCES } from '../monitor/index.ts';

/**
 * One key per place for Vietnamese consignee addresses, however they are spelled (issue 13, "Gathering points"):
 * "Số 15 Đường số 7, KCN Tân Tạo, P. Tân Tạo A, Q. Bình Tân, TP.HCM" and
 * "15 duong so 7 khu cong nghiep tan tao phuong tan tao a quan binh tan thanh pho ho chi minh" →
 * "15 duong so 7, kcn tan tao, p. tan tao a, tp ho chi minh".
 *
 * Steps: fold case and diacritics (đ → d); abbreviations to one spelling (P./Phường → "p.", Q./Quận, H./Huyện,
 * TX./Thị xã, TP./Thành phố → "tp", KCN/Khu công nghiệp → "kcn", Đ./Đường → "duong"); a leading "số" before the house
 * number dropped; "N hẻm/ngõ/kiệt M" (the same thing in the South, North and Centre) → "M/N"; the province at the end
 * mapped to its name since the 2025 merger (Resolution 202/2025/QH15, `monitor`'s province list), former names
 * included. The district (quận, huyện, thị xã, or a "tp" that is not a province) is left out of the key: districts
 * were abolished on 1 July 2025, so old addresses name one and new ones do not; it is kept only after a numbered
 * ward ("p. 12"), where the ward alone is ambiguous within a city.
 *
 * Not placed: ward names changed by the 2025 merger of wards (no list of them here), and misspellings.
 */
export function addressKey(address: string): string {
  const tokens = tokenize(address);
  const province = takeProvince(tokens);
  const segments: { marker: string; words: string[] }[] = [{ marker: '', words: [] }];
  for (const token of tokens) {
    if (MARKERS.has(token)) segments.push({ marker: token, words: [] });
    else (segments[segments.length - 1] as { words: string[] }).words.push(token);
  }
  const parts: string[] = [];
  let wardNumbered = false;
  for (const segment of segments) {
    if (segment.words.length === 0) continue;
    const words = segment.words.join(' ');
    switch (segment.marker) {
      case '':
        parts.push(streetPart(segment.words));
        break;
      case 'p.':
      case 'x.':
        wardNumbered = /^\d+$/.test(words);
        parts.push(`${segment.marker} ${words}`);
        break;
      case 'q.':
      case 'h.':
      case 'tx':
        if (wardNumbered) parts.push(`${segment.marker} ${words}`);
        break;
      case 'tp': {
        const named = provinceOf(words);
        if (named && !province.name) province.name = named;
        else if (wardNumbered && !named) parts.push(`tp ${words}`);
        break;
      }
      default:
        parts.push(`${segment.marker} ${words}`);
    }
  }
  if (province.name) parts.push(`tp ${province.name}`);
  return parts.join(', ');
}

const MARKERS = new Set(['p.', 'x.', 'q.', 'h.', 'tx', 'tp', 'kcn', 'ccn', 'kdc']);

/** Multi-word phrases first, longest first; applied to the folded text with spaces around it. */
const PHRASES: ReadonlyArray<[RegExp, string]> = [
  [/ thanh pho ho chi minh | tp\.? ?ho chi minh | tp\.? ?hcm | tphcm | hcmc | sai gon | saigon /g, ' tp ho-chi-minh '],
  [/ khu cong nghiep /g, ' kcn '],
  [/ cum cong nghiep /g, ' ccn '],
  [/ khu dan cu /g, ' kdc '],
  [/ thanh pho /g, ' tp '],
  [/ thi xa /g, ' tx '],
  [/ thi tran /g, ' x. '],
];

const WORDS: Record<string, string> = {
  phuong: 'p.',
  'p.': 'p.',
  p: 'p.',
  xa: 'x.',
  'x.': 'x.',
  quan: 'q.',
  'q.': 'q.',
  q: 'q.',
  huyen: 'h.',
  'h.': 'h.',
  'tx.': 'tx',
  'tp.': 'tp',
  tp: 'tp',
  'd.': 'duong',
  'đ.': 'duong',
  'duong.': 'duong',
  'kcn.': 'kcn',
};

function tokenize(address: string): string[] {
  let text = ` ${foldForSearch(address.slice(0, 500))} `;
  // "p.tan tao", "q.1", "tp.hcm": the abbreviation's dot binds to the next word; split it off first.
  text = text.replace(/\b(p|q|h|x|tp|tx|d|kcn)\.(?=\S)/g, '$1. ');
  // Separators: commas, semicolons, dashes between words, brackets.
  text = text.replace(/[,;()[\]]|\s-\s|\s–\s/g, ' ');
  text = ` ${text.replace(/\s+/g, ' ').trim()} `;
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, replacement);
  const tokens: string[] = [];
  for (const raw of text.trim().split(' ')) {
    if (raw === '') continue;
    const word = WORDS[raw] ?? raw.replace(/^[.]+|[.]+$/g, '');
    if (word !== '') tokens.push(word);
  }
  return tokens;
}

/** An alley: "hẻm" in the South, "ngõ" in the North, "kiệt" in the Centre (only before a number: "ngô" folds alike). */
const ALLEY = new Set(['hem', 'ngo', 'kiet']);

/** "so 15 duong so 7" → "15 duong so 7"; "5 hem 12 nguyen trai" → "12/5 nguyen trai". */
function streetPart(words: string[]): string {
  const list = words[0] === 'so' && /^\d/.test(words[1] ?? '') ? words.slice(1) : words.slice();
  if (list[0] === 'so' && list[1] === 'nha') list.splice(0, 2);
  // "5 hem 12 ..." (house 5 in alley 12) and "hem 12 so 5 ..." → "12/5 ..."
  if (/^\d+[a-z]?$/.test(list[0] ?? '') && ALLEY.has(list[1] ?? '') && /^\d+$/.test(list[2] ?? '')) {
    list.splice(0, 3, `${list[2]}/${list[0]}`);
  } else if (
    ALLEY.has(list[0] ?? '') &&
    /^\d+$/.test(list[1] ?? '') &&
    list[2] === 'so' &&
    /^\d+[a-z]?$/.test(list[3] ?? '')
  ) {
    list.splice(0, 4, `${list[1]}/${list[3]}`);
  }
  return list.join(' ');
}

interface ProvinceName {
  folded: string[];
  name: string;
}

/** Every folded spelling of each province (new name, former names, ASCII spellings) → its name since 2025. */
const PROVINCE_SPELLINGS: ReadonlyArray<ProvinceName> = PROVINCES.flatMap((province) => {
  const name = foldForSearch(province.name);
  return [province.name, ...province.formerly, ...province.ascii].map((spelling) => ({
    folded: foldForSearch(spelling)
      .replace(/[.\-–]/g, ' ')
      .split(/\s+/)
      .filter((word) => word !== ''),
    name,
  }));
})
  .concat([{ folded: ['ho-chi-minh'], name: 'ho chi minh' }])
  // Longest first: "ba ria vung tau" before "vung tau".
  .sort((a, b) => b.folded.length - a.folded.length);

function provinceOf(words: string): string | undefined {
  const list = words.split(' ');
  return PROVINCE_SPELLINGS.find(
    (spelling) => spelling.folded.length === list.length && spelling.folded.every((word, i) => word === list[i]),
  )?.name;
}

/** Removes the province named at the end of the tokens (after an optional "tp"), returning its name since 2025. */
function takeProvince(tokens: string[]): { name: string | undefined } {
  for (const spelling of PROVINCE_SPELLINGS) {
    const n = spelling.folded.length;
    if (tokens.length < n) continue;
    const tail = tokens.slice(tokens.length - n);
    if (tail.every((word, i) => word === spelling.folded[i])) {
      tokens.splice(tokens.length - n, n);
      if (tokens[tokens.length - 1] === 'tp') tokens.pop();
      return { name: spelling.name };
    }
  }
  return { name: undefined };
}

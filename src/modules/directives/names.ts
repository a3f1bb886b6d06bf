import { KNOWN_UNIT_NAMES, type UnitRef } from '../units/index.ts';
import { foldKeepingOffsets } from './calendar.ts';

/**
 * Reading unit names in running text: known names and aliases first, then names shaped like a unit
 * ("Cục …", "Vụ …", "… Department"), one after another ("Cục Xuất nhập khẩu, Vụ Thị trường trong nước").
 */

interface Token {
  word: string;
  index: number;
  end: number;
  capitalized: boolean;
}

function tokenize(text: string, folded: string): Token[] {
  const tokens: Token[] = [];
  for (const match of folded.matchAll(/[a-z0-9]+|&/g)) {
    const index = match.index ?? 0;
    tokens.push({
      word: match[0] === '&' ? 'and' : match[0],
      index,
      end: index + match[0].length,
      capitalized: /^\p{Lu}/u.test(text.slice(index)),
    });
  }
  return tokens;
}

/** Known names by their first word, longest first: a token is compared with the few names it can start. */
const KNOWN_BY_FIRST_WORD = new Map<string, Array<(typeof KNOWN_UNIT_NAMES)[number]>>();
for (const name of KNOWN_UNIT_NAMES) {
  const first = name.words[0] as string;
  const list = KNOWN_BY_FIRST_WORD.get(first) ?? [];
  list.push(name);
  KNOWN_BY_FIRST_WORD.set(first, list);
}

function matchKnownAt(tokens: readonly Token[], at: number): { unit: UnitRef; length: number } | undefined {
  const first = tokens[at]?.word;
  for (const { words, unit } of (first !== undefined && KNOWN_BY_FIRST_WORD.get(first)) || []) {
    if (at + words.length > tokens.length) continue;
    if (words.every((word, i) => tokens[at + i]?.word === word)) return { unit, length: words.length };
  }
  return undefined;
}

/** Vietnamese words that open a unit's name ("Cục …", "Tổng cục …", "Các cơ quan …"). */
const VI_HEADS: readonly (readonly string[])[] = [
  ['tong', 'cuc'],
  ['uy', 'ban'],
  ['thanh', 'tra'],
  ['van', 'phong'],
  ['tap', 'chi'],
  ['truyen', 'hinh'],
  ['trung', 'tam'],
  ['ngan', 'hang'],
  ['hiep', 'hoi'],
  ['ban', 'chi', 'dao'],
  ['cong', 'an'],
  ['ubnd'],
  ['cuc'],
  ['vu'],
  ['bo'],
  ['bao'],
  ['vien'],
  ['so'],
];

/** English nouns that close a unit's name ("… Agency", "… Department", "Media units"). */
const EN_HEADS = new Set([
  'agency',
  'department',
  'departments',
  'commission',
  'inspectorate',
  'ministry',
  'ministries',
  'office',
  'units',
  'unit',
  'committee',
  'committees',
  'council',
  'newspaper',
  'magazine',
  'television',
  'authority',
  'bureau',
  'institute',
  'center',
  'centre',
  'directorate',
  'government',
  'customs',
  'bank',
  'association',
]);
const EN_LINKS = new Set(['and', 'of', 'for', 'the', 'on', 'in']);

/** First words of what a unit is asked to do; a Vietnamese name of unknown length ends before them. */
const VI_VERB_STARTS = new Set([
  'chu',
  'phoi',
  'theo',
  'thuc',
  'trien',
  'to',
  'ra',
  'xay',
  'nghien',
  'tang',
  'chi',
  'huong',
  'de',
  'khan',
  'tiep',
  'day',
  'kiem',
  'tham',
  'can',
  'co',
  'la',
  'duoc',
  'nham',
  'cung',
  'tap',
  'quyet',
  'chiu',
  'xu',
  'giam',
  'cap',
  'hoan',
  'lam',
  'ap',
  'sua',
  'danh',
  'tuyen',
  'canh',
  'xem',
  'dam',
  'lap',
  'gui',
  'nang',
  'ho',
  'uu',
  'khan',
]);

function startsWithViHead(tokens: readonly Token[], at: number): number {
  for (const head of VI_HEADS) {
    if (head.every((word, i) => tokens[at + i]?.word === word) && tokens[at]?.capitalized) return head.length;
  }
  return 0;
}

/** Parties named only by kind ("các cơ quan, đơn vị liên quan", "relevant agencies and units"): not units. */
const GENERIC_PARTIES = [
  /^(?:cac|nhung)\s+(?:bo|nganh|co\s+quan|don\s+vi|dia\s+phuong|to\s+chuc)(?:\s*(?:,|va)\s*(?:bo|nganh|co\s+quan|don\s+vi|dia\s+phuong|to\s+chuc))*(?:\s+(?:co\s+)?lien\s+quan|\s+thuoc\s+bo)?/,
  /^(?:co\s+quan|don\s+vi)(?:\s*,\s*(?:co\s+quan|don\s+vi))*\s+(?:co\s+)?lien\s+quan/,
  /^(?:(?:the|other)\s+)*(?:relevant|related|concerned|competent|functional)\s+(?:agencies|units|ministries|sectors|localities|bodies|authorities|organi[sz]ations)(?:(?:\s*,\s*|\s+and\s+)(?:agencies|units|ministries|sectors|localities|bodies|authorities|organi[sz]ations))*/,
];

function matchGenericAt(folded: string, index: number): number {
  for (const regex of GENERIC_PARTIES) {
    const match = regex.exec(folded.slice(index));
    if (match) return match[0].length;
  }
  return 0;
}

/** Where a name shaped like a unit ends (a token index), or -1. */
function readShapedName(tokens: readonly Token[], at: number, text: string): number {
  const viHead = startsWithViHead(tokens, at);
  if (viHead > 0) {
    let end = at + viHead;
    while (end < tokens.length && end - at < 12) {
      const token = tokens[end] as Token;
      const gap = text.slice((tokens[end - 1] as Token).end, token.index);
      if (/[,:;.(]/.test(gap)) break;
      if (VI_VERB_STARTS.has(token.word) && end > at + viHead) break;
      if (token.word === 'va' && startsWithViHead(tokens, end + 1) > 0) break;
      if (matchKnownAt(tokens, end) && end > at + viHead) break;
      end++;
    }
    return end;
  }
  let lastHead = -1;
  for (let end = at; end < tokens.length && end - at < 14; end++) {
    const token = tokens[end] as Token;
    if (end > at && /[,:;.(]/.test(text.slice((tokens[end - 1] as Token).end, token.index))) break;
    const known = end > at ? matchKnownAt(tokens, end) : undefined;
    if (known) {
      lastHead = end + known.length;
      end += known.length - 1;
      continue;
    }
    if (EN_HEADS.has(token.word)) lastHead = end + 1;
    else if (!token.capitalized && !EN_LINKS.has(token.word)) break;
  }
  return lastHead;
}

export interface NamedParty {
  /** The name as written (an owner qualifier kept, a bracketed abbreviation left out). */
  name: string;
  /** Named only by kind ("các đơn vị liên quan", "relevant agencies and units"). */
  generic: boolean;
}

export interface NameList {
  parties: NamedParty[];
  /** Offset in the text where the list ends. */
  end: number;
}

const SEPARATOR = /^(?:\s*,\s*(?:and\s+|va\s+)?|\s*;\s*|\s+(?:and|va|cung)\s+)/;
/** "… of the Ministry of Industry and Trade", "… thuộc Bộ Công Thương": part of the name as written. */
const OWNER =
  /^\s*(?:(?:of|thuoc|cua)\s+(?:the\s+)?)?(?:ministry\s+of\s+industry\s+and\s+trade(?:\s+of\s+viet\s?nam)?|bo\s+cong\s+thuong|cong\s+thuong)\b/;
/** "(Cục TMĐT và KTS)", "(iDEA)": an abbreviation in brackets right after a name. */
const BRACKETED = /^\s*\([^()]{1,120}\)/;

/**
 * Where the party starting at `start` ends (exclusive), or -1 when no name starts there. `at` is the first of
 * `tokens` (the whole text's) at or after `start`: the text is tokenized once for a list, however long.
 */
function readParty(
  text: string,
  folded: string,
  tokens: readonly Token[],
  at: number,
  start: number,
): { end: number; generic: boolean } {
  const known = matchKnownAt(tokens, at);
  const generic = known ? 0 : matchGenericAt(folded, start);
  if (generic > 0) return { end: start + generic, generic: true };
  const tokenEnd = known ? at + known.length : readShapedName(tokens, at, text);
  if (tokenEnd <= at) return { end: -1, generic: false };
  return { end: (tokens[tokenEnd - 1] as Token).end, generic: false };
}

/**
 * Reads a list of parties from the start of `text` ("the X Agency and the Y Department",
 * "Cục A, Vụ B và các đơn vị liên quan"). Undefined when the text does not start with one.
 */
export function readNameList(text: string): NameList | undefined {
  const folded = foldKeepingOffsets(text);
  const tokens = tokenize(text, folded);
  const parties: NamedParty[] = [];
  let cursor = 0;
  let end = 0;
  let at = 0;
  for (;;) {
    const article = /^\s*(?:the\s+)?/.exec(folded.slice(cursor))?.[0].length ?? 0;
    const start = cursor + article;
    while (at < tokens.length && (tokens[at] as Token).index < start) at++;
    const party = readParty(text, folded, tokens, at, start);
    if (party.end <= start) break;
    let nameEnd = party.end;
    const owner = OWNER.exec(folded.slice(nameEnd));
    if (owner) nameEnd += owner[0].length;
    const bracketed = BRACKETED.exec(folded.slice(nameEnd));
    end = nameEnd + (bracketed?.[0].length ?? 0);
    parties.push({ name: text.slice(start, nameEnd).trim(), generic: party.generic });
    const separator = SEPARATOR.exec(folded.slice(end));
    if (!separator) break;
    cursor = end + separator[0].length;
  }
  return parties.length > 0 ? { parties, end } : undefined;
}

/** Every known unit named anywhere in a text, in order. */
export function findKnownUnits(text: string): Array<{ unit: UnitRef; index: number }> {
  const folded = foldKeepingOffsets(text);
  const tokens = tokenize(text, folded);
  const found: Array<{ unit: UnitRef; index: number }> = [];
  for (let at = 0; at < tokens.length; at++) {
    const known = matchKnownAt(tokens, at);
    if (!known) continue;
    found.push({ unit: known.unit, index: (tokens[at] as Token).index });
    at += known.length - 1;
  }
  return found;
}

import { toNfc } from '../../core/text.ts';
import { KNOWN_UNIT_NAMES } from '../units/index.ts';
import { foldKeepingOffsets } from './calendar.ts';

/**
 * The layout stages of directive parsing: clean the lines of a text copied from a portal, then rejoin
 * the lines that were broken in the middle of a sentence or a name.
 */

/** How a line is numbered: "(1)", "1.", "a)", "I.", a bullet, an inline-style "(i)", or not at all. */
export type MarkerKind = 'paren_number' | 'number' | 'letter' | 'roman' | 'bullet' | 'sub_item' | 'none';

export interface Line {
  /** The whole line, marker included. */
  text: string;
  marker: MarkerKind;
  /** The line without its marker. */
  body: string;
  /** Whether a blank line (or the start of the text) comes before it. */
  opensParagraph: boolean;
}

const MARKERS: ReadonlyArray<{ kind: Exclude<MarkerKind, 'none'>; regex: RegExp }> = [
  { kind: 'paren_number', regex: /^\(\d{1,2}\)\s*/ },
  { kind: 'sub_item', regex: /^\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)\s*/ },
  { kind: 'number', regex: /^\d{1,2}(?:\.\d{1,2})*[.)]\s+/ },
  { kind: 'letter', regex: /^[a-zđ][.)]\s+/ },
  { kind: 'roman', regex: /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)[.)]\s+/ },
  { kind: 'bullet', regex: /^[-–—+•*·●○▪◦]\s*(?=\S)/ },
];

function readMarker(text: string, opensParagraph = false): Line {
  for (const { kind, regex } of MARKERS) {
    const match = regex.exec(text);
    if (match) return { text, marker: kind, body: text.slice(match[0].length).trim(), opensParagraph };
  }
  return { text, marker: 'none', body: text, opensParagraph };
}

/** Lines of the header, the addressees and the signature block that never continue a sentence. */
const FRAME_LINE =
  /^(?:cong hoa xa hoi chu nghia|socialist republic of viet ?nam|doc lap\s*-|independence\s*-|so\s*:|no\.?\s*:|v\/v\b|re\s*:|subject\s*:|kinh gui\b|to\s*:|noi nhan\b|recipients?\s*:|(?:kt|tm|tl|tuq|q|pp|p\.p)\.\s|for the (?:minister|prime minister)\b|\(?(?:da ky|signed)\b)/;
/** "Hà Nội, ngày 26 tháng 10 năm 2024", "Hanoi, October 26, 2024". */
export const PLACE_DATE =
  /^[a-z][a-z .]{1,30}, (?:ngay \d{1,2}|(?:january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2}|\d{1,2} (?:january|february|march|april|may|june|july|august|september|october|november|december))/;

export function isFrameLine(text: string): boolean {
  const folded = foldKeepingOffsets(text);
  return FRAME_LINE.test(folded) || PLACE_DATE.test(folded);
}

/** A line whose letters are all capitals: header and signature lines, or an upper-case heading. */
export function isUpperCaseLine(text: string): boolean {
  const letters = text.replace(/[^\p{L}]/gu, '');
  return letters.length >= 2 && letters === letters.toLocaleUpperCase('vi');
}

/**
 * Normalises a pasted text into trimmed lines: NFC, one kind of space, no zero-width characters,
 * no decoration rules ("-----") or page numbers. Blank lines are kept as "" (they end a paragraph).
 */
export function cleanLines(text: string): string[] {
  return toNfc(text)
    .replace(/\r\n?/g, '\n')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\u00a0\u2000-\u200a\u202f\u3000\t]/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .filter((line) => !/^[-_=*.~•]{3,}$/.test(line) && !/^(?:trang|page)\s*\d+(?:\s*(?:\/|of)\s*\d+)?$/i.test(line))
    .filter((line) => !/^\d{1,3}$/.test(line));
}

/** Words after which a sentence cannot stop: a line ending with one goes on in the next line. */
const DANGLING_WORDS = new Set([
  'of',
  'and',
  'the',
  'with',
  'to',
  'for',
  'in',
  'on',
  'by',
  'at',
  'from',
  'a',
  'an',
  'as',
  'or',
  'its',
  'their',
  'such',
  'va',
  'voi',
  'cua',
  'cac',
  'nhung',
  'cho',
  'tai',
  'trong',
  'theo',
  've',
  'de',
  'duoc',
  'la',
  'so',
  'ngay',
  'thang',
  'nhu',
  'tu',
  'den',
  'hoac',
  'nham',
  'doi',
  'tren',
  'bo',
  'cuc',
  'vu',
  'tong',
]);

function lastWord(text: string): string {
  return foldKeepingOffsets(text).split(' ').at(-1) ?? '';
}

/** True when a known unit name starts at the end of one line and ends at the start of the next ("Bộ Công / Thương"). */
function splitsKnownName(previous: string, next: string): boolean {
  const tail = foldKeepingOffsets(previous)
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(' ')
    .filter(Boolean)
    .slice(-6);
  const head = foldKeepingOffsets(next)
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(' ')
    .filter(Boolean)
    .slice(0, 6);
  for (const { words } of KNOWN_UNIT_NAMES) {
    if (words.length < 2) continue;
    for (let cut = 1; cut < words.length; cut++) {
      const before = words.slice(0, cut);
      const after = words.slice(cut);
      if (before.length > tail.length || after.length > head.length) continue;
      if (
        before.every((word, i) => tail[tail.length - cut + i] === word) &&
        after.every((word, i) => head[i] === word)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** What the layout stage needs to know of the document's structure. */
export interface StructureTests {
  /** A unit or topic heading: it ends where its line ends. */
  isHeading(line: Line): boolean;
  /** The line names a unit ("2. Bộ Tài chính chỉ đạo …"). */
  opensUnit(line: Line): boolean;
}

/** The label an item numbered like this one follows: "(1)" for "(2)", "a)" for "b)". */
function previousLabel(line: Line): string | undefined {
  const paren = /^\((\d{1,2})\)/.exec(line.text);
  if (paren) return Number(paren[1]) > 1 ? `(${Number(paren[1]) - 1})` : undefined;
  const letter = /^([a-zđ])\)/.exec(line.text);
  if (!letter) return undefined;
  const letters = 'abcdđefghijklmnopqrstuvwxyz';
  const index = letters.indexOf(letter[1] as string);
  return index > 0 ? `${letters[index - 1]})` : undefined;
}

/** "(2) …" opening a line whose "(1) …" sits inside the line before: one enumeration broken over lines. */
function continuesInlineEnumeration(previous: Line, next: Line, tests: StructureTests): boolean {
  if (next.marker !== 'paren_number' && next.marker !== 'letter') return false;
  if (tests.opensUnit(next)) return false;
  // "…key tasks such as:" then "(1) cooperate with…": items in lower case go on with the sentence that announces them.
  if (/:$/.test(previous.text) && /^\p{Ll}/u.test(next.body)) return true;
  const label = previousLabel(next);
  return label !== undefined && new RegExp(`[\\s:;,]${label.replace(/[()]/g, '\\$&')}\\s`).test(previous.body);
}

/** A period label closing a line ("Implementation period:", "Thời hạn:"): its phrase is on the next line. */
const PERIOD_LABEL_AT_END =
  /(?:period|deadline|time\s*limit|timeline|thoi\s+han|thoi\s+gian(?:\s+\S+){0,2}|tien\s+do)\s*:$/;

interface Wrapping {
  /** The width the text was hard-wrapped at, when it was. */
  width: number | undefined;
  /** The length of the raw line that ends the previous line. */
  previousLength: number;
}

function continuesInNextLine(previous: Line, next: Line, tests: StructureTests, wrapping: Wrapping): boolean {
  const nextText = next.text;
  // "(ii) …" continues the enumeration of the line before it; the task splitter reads it inline.
  if (next.marker === 'sub_item' || continuesInlineEnumeration(previous, next, tests)) return true;
  if (next.marker !== 'none' || isFrameLine(nextText)) return false;
  // No line opens with a lower-case word, a bracket or a number ("1234/QĐ-BCT") unless it goes on from the one before.
  if (/^[\p{Ll}(\d]/u.test(nextText) && !isUpperCaseLine(nextText)) return true;
  if (isUpperCaseLine(previous.text) && isUpperCaseLine(nextText)) {
    return previous.marker !== 'none' && previous.marker !== 'bullet' && !isFrameLine(previous.text);
  }
  if (isUpperCaseLine(previous.text) || isUpperCaseLine(nextText) || isFrameLine(previous.text)) return false;
  if (/[,–-]$/.test(previous.text) || DANGLING_WORDS.has(lastWord(previous.text))) return true;
  if (/(?:^|\s)(?:No|Nos|Art|Cl|Sec)\.$/i.test(previous.text)) return true;
  if (PERIOD_LABEL_AT_END.test(foldKeepingOffsets(previous.text))) return true;
  if (splitsKnownName(previous.text, nextText)) return true;
  if (tests.isHeading(previous)) return false;
  if (/[.:;!?]$|\.\/\.$/.test(previous.text)) {
    // In a hard-wrapped text a sentence may end a line only because the next word did not fit on it.
    const firstWord = nextText.split(' ')[0] ?? '';
    return wrapping.width !== undefined && wrapping.previousLength + 1 + firstWord.length > wrapping.width;
  }
  return true;
}

/**
 * The width a text was hard-wrapped at, if it was: most of its longer lines then end close to one width.
 * Texts with one paragraph per line (as most portals give them) have no such width.
 */
function findWrapWidth(lines: readonly string[]): number | undefined {
  const lengths = lines.map((line) => line.length).filter((length) => length >= 20);
  if (lengths.length < 4) return undefined;
  const width = Math.max(...lengths);
  const nearWidth = lengths.filter((length) => length >= width * 0.8).length;
  return nearWidth >= lengths.length * 0.5 ? width : undefined;
}

/**
 * Rejoins lines broken in the middle of a sentence or a name. A line goes on in the next one unless the
 * next starts a numbered item or a header/signature line, or the line ends its sentence or is a heading.
 * Blank lines end paragraphs.
 */
export function rejoinLines(lines: readonly string[], tests: StructureTests): Line[] {
  const width = findWrapWidth(lines);
  const joined: Line[] = [];
  let previous: Line | undefined;
  let previousLength = 0;
  for (const text of lines) {
    if (text === '') {
      previous = undefined;
      continue;
    }
    const line = readMarker(text, previous === undefined);
    if (previous && continuesInNextLine(previous, line, tests, { width, previousLength })) {
      const glued =
        /[-–]$/.test(previous.text) && /^\p{Ll}/u.test(text) ? previous.text + text : `${previous.text} ${text}`;
      previous = readMarker(glued, previous.opensParagraph);
      joined[joined.length - 1] = previous;
    } else {
      joined.push(line);
      previous = line;
    }
    previousLength = text.length;
  }
  return joined;
}

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
  /** The line of the text (from 1) it starts on. */
  number: number;
}

/** A line of the text, cleaned, with its number in the text (from 1). */
export interface CleanLine {
  text: string;
  number: number;
}

const MARKERS: ReadonlyArray<{ kind: Exclude<MarkerKind, 'none'>; regex: RegExp }> = [
  { kind: 'paren_number', regex: /^\(\d{1,2}\)\s*/ },
  { kind: 'sub_item', regex: /^\((?:i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)\)\s*/ },
  // "1.", "1.2.", "1)" and "1-" (as the Government's English pages number a telegram's items: "1- The Ministry …").
  { kind: 'number', regex: /^\d{1,2}(?:\.\d{1,2})*(?:[.)]|\s?[-–](?=\s))\s+/ },
  { kind: 'letter', regex: /^[a-zđ][.)]\s+/ },
  { kind: 'roman', regex: /^(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)[.)]\s+/ },
  { kind: 'bullet', regex: /^[-–—+•*·●○▪◦]\s*(?=\S)/ },
];

function readMarker(text: string, opensParagraph = false, number = 0): Line {
  for (const { kind, regex } of MARKERS) {
    const match = regex.exec(text);
    if (match) return { text, marker: kind, body: text.slice(match[0].length).trim(), opensParagraph, number };
  }
  return { text, marker: 'none', body: text, opensParagraph, number };
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
export function cleanLines(text: string): CleanLine[] {
  return (
    toNfc(text)
      .replace(/\r\n?/g, '\n')
      .replace(/[\u200b-\u200d\ufeff]/g, '')
      .split('\n')
      // A row of a Word table pasted as text (cells between tabs, four or more of them) keeps its cells: " | ".
      .map((line) => (line.split('\t').length >= 4 ? line.split('\t').join(' | ') : line))
      .map((line) => line.replace(/[\u00a0\u2000-\u200a\u202f\u3000\t]/g, ' '))
      .map((line, index) => ({ text: line.replace(/ {2,}/g, ' ').trim(), number: index + 1 }))
      .filter(
        ({ text: line }) =>
          !/^[-_=*.~•]{3,}$/.test(line) &&
          !/^(?:trang|page)\s*\d+(?:\s*(?:\/|of)\s*\d+)?$/i.test(line) &&
          !/^\d{1,3}$/.test(line),
      )
  );
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

/**
 * How much of a line's end (or start) the tests of where it ends read: a few words, a period label. The tests
 * read no more, so that a paragraph glued from thousands of lines costs each new line a constant, not its length.
 */
const EDGE_CHARS = 160;

function lastWord(foldedTail: string): string {
  return foldedTail.slice(foldedTail.lastIndexOf(' ') + 1);
}

/** The words of a folded text's edge; the word cut in two where the edge was cut off its text is left out. */
function edgeWords(folded: string, cut: 'start' | 'end' | 'none'): string[] {
  const words = folded
    .replace(/[^a-z0-9 ]/g, ' ')
    .split(' ')
    .filter(Boolean);
  if (cut === 'start') words.shift();
  if (cut === 'end') words.pop();
  return words;
}

/** Each known name cut in two at each place, by the last word before the cut: a line's last word finds its few. */
const NAME_CUTS = new Map<string, Array<{ before: readonly string[]; after: readonly string[] }>>();
for (const { words } of KNOWN_UNIT_NAMES) {
  for (let cut = 1; cut < words.length; cut++) {
    const before = words.slice(0, cut);
    const cuts = NAME_CUTS.get(before.at(-1) as string) ?? [];
    cuts.push({ before, after: words.slice(cut) });
    NAME_CUTS.set(before.at(-1) as string, cuts);
  }
}

/** True when a known unit name starts at the end of one line and ends at the start of the next ("Bộ Công / Thương"). */
function splitsKnownName(foldedTail: string, tailIsCut: boolean, next: string): boolean {
  const tail = edgeWords(foldedTail, tailIsCut ? 'start' : 'none').slice(-6);
  const cuts = NAME_CUTS.get(tail.at(-1) ?? '');
  if (!cuts) return false;
  const head = edgeWords(
    foldKeepingOffsets(next.slice(0, EDGE_CHARS)),
    next.length > EDGE_CHARS ? 'end' : 'none',
  ).slice(0, 6);
  return cuts.some(
    ({ before, after }) =>
      before.length <= tail.length &&
      after.length <= head.length &&
      before.every((word, i) => tail[tail.length - before.length + i] === word) &&
      after.every((word, i) => head[i] === word),
  );
}

/** What the layout stage needs to know of the document's structure. */
export interface StructureTests {
  /** A unit or topic heading: it ends where its line ends. */
  isHeading(line: Line): boolean;
  /** The line names a unit ("2. Bộ Tài chính chỉ đạo …"). */
  opensUnit(line: Line): boolean;
  /** A heading ends inside a unit's name that the next line finishes ("1.2. Giao Công an" / "Thành phố Hà Nội …"). */
  nameGoesOn(heading: Line, next: Line): boolean;
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
function continuesInlineEnumeration(previous: Paragraph, next: Line, tests: StructureTests): boolean {
  if (next.marker !== 'paren_number' && next.marker !== 'letter') return false;
  if (tests.opensUnit(next)) return false;
  // "…key tasks such as:" then "(1) cooperate with…": items in lower case go on with the sentence that announces them.
  if (/:$/.test(previous.tail) && /^\p{Ll}/u.test(next.body)) return true;
  const label = previousLabel(next);
  return label !== undefined && previous.labels.has(label);
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

function continuesInNextLine(previous: Paragraph, next: Line, tests: StructureTests, wrapping: Wrapping): boolean {
  const nextText = next.text;
  // "(ii) …" continues the enumeration of the line before it; the task splitter reads it inline.
  if (next.marker === 'sub_item' || continuesInlineEnumeration(previous, next, tests)) return true;
  if (next.marker !== 'none' || isFrameLine(nextText)) return false;
  // No line opens with a lower-case word, a bracket or a number ("1234/QĐ-BCT") unless it goes on from the one before.
  if (/^[\p{Ll}(\d]/u.test(nextText) && !isUpperCaseLine(nextText)) return true;
  const { tail, foldedTail } = previous;
  const previousIsFrame = previous.isFrame();
  if (previous.upperCase && isUpperCaseLine(nextText)) {
    return previous.marker !== 'none' && previous.marker !== 'bullet' && !previousIsFrame;
  }
  if (previous.upperCase || isUpperCaseLine(nextText) || previousIsFrame) return false;
  if (/[,–-]$/.test(tail) || DANGLING_WORDS.has(lastWord(foldedTail))) return true;
  if (/(?:^|\s)(?:No|Nos|Art|Cl|Sec)\.$/i.test(tail)) return true;
  if (PERIOD_LABEL_AT_END.test(foldedTail)) return true;
  if (splitsKnownName(foldedTail, previous.length > tail.length, nextText)) return true;
  if (previous.length <= MAX_HEADING_CHARS) {
    if (tests.nameGoesOn(previous.line(), next)) return true;
    if (tests.isHeading(previous.line())) return false;
  }
  if (/[.:;!?]$|\.\/\.$/.test(tail)) {
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
function findWrapWidth(lines: readonly CleanLine[]): number | undefined {
  const lengths = lines.map((line) => line.text.length).filter((length) => length >= 20);
  if (lengths.length < 4) return undefined;
  // Not Math.max(...lengths): spreading 100 000 lines overflows the stack.
  const width = lengths.reduce((max, length) => Math.max(max, length), 0);
  const nearWidth = lengths.filter((length) => length >= width * 0.8).length;
  return nearWidth >= lengths.length * 0.5 ? width : undefined;
}

/** The longest text a heading may have: a longer line is a paragraph, and no heading test needs to read it. */
export const MAX_HEADING_CHARS = 600;

/** "(1)" or "a)" standing inside a line's text after a space or a punctuation mark: an inline enumeration. */
const INLINE_LABEL = /[\s:;,](\(\d{1,2}\)|[a-zđ]\))(?=\s|$)/g;

/**
 * A line being glued from the lines of a text. Each line glued on costs the length of that line only: the
 * tests of where it ends read its edges and what was gathered while gluing, never the whole of it, so a
 * paragraph of 200 000 lines is rejoined in linear time.
 */
class Paragraph {
  private readonly parts: string[];
  /** The start and the end of the text, at most EDGE_CHARS each. */
  head: string;
  tail: string;
  /** The tail folded (foldKeepingOffsets), kept as lines are glued on: folding is per character. */
  foldedTail: string;
  length: number;
  marker: MarkerKind;
  upperCase: boolean;
  /** Inline labels ("(1)", "a)") in the text after its marker. */
  readonly labels = new Set<string>();
  private letters: number;
  private lettersUpper: boolean;
  /** An inline label at the very end: it counts once a space follows. */
  private labelAtEnd: string | undefined;
  private built: Line | undefined;
  private frame: boolean | undefined;

  constructor(
    first: Line,
    readonly opensParagraph: boolean,
    readonly number: number,
  ) {
    this.parts = [first.text];
    this.head = first.text.slice(0, EDGE_CHARS);
    this.tail = first.text.slice(-EDGE_CHARS);
    this.foldedTail = foldKeepingOffsets(this.tail);
    this.length = first.text.length;
    this.marker = first.marker;
    const letters = first.text.replace(/[^\p{L}]/gu, '');
    this.letters = letters.length;
    this.lettersUpper = letters === letters.toLocaleUpperCase('vi');
    this.upperCase = this.letters >= 2 && this.lettersUpper;
    this.built = first;
    this.gatherLabels(first.body);
  }

  /** Glues a line on, without a space when a word was hyphenated across the break. */
  glue(text: string): void {
    const separator = /[-–]$/.test(this.tail) && /^\p{Ll}/u.test(text) ? '' : ' ';
    if (separator === ' ' && this.labelAtEnd) this.labels.add(this.labelAtEnd);
    this.gatherLabels(this.tail.slice(-1) + separator + text);
    this.parts.push(separator, text);
    this.length += separator.length + text.length;
    if (this.head.length < EDGE_CHARS) {
      this.head = (this.head + separator + text).slice(0, EDGE_CHARS);
      this.frame = undefined;
    }
    this.tail = (this.tail + separator + text).slice(-EDGE_CHARS);
    const foldedText = foldKeepingOffsets(text.length > EDGE_CHARS ? text.slice(-EDGE_CHARS) : text);
    this.foldedTail = (this.foldedTail + separator + foldedText).slice(-EDGE_CHARS);
    this.marker = readMarker(this.head).marker;
    const letters = text.replace(/[^\p{L}]/gu, '');
    this.letters += letters.length;
    this.lettersUpper &&= letters === letters.toLocaleUpperCase('vi');
    this.upperCase = this.letters >= 2 && this.lettersUpper;
    this.built = undefined;
  }

  /** A header or signature line: read by its start, so read again only while the start grows. */
  isFrame(): boolean {
    this.frame ??= isFrameLine(this.head);
    return this.frame;
  }

  /** The whole line: costs its length, so asked for once it is complete, or while it is short. */
  line(): Line {
    this.built ??= readMarker(this.parts.join(''), this.opensParagraph, this.number);
    return this.built;
  }

  private gatherLabels(text: string): void {
    this.labelAtEnd = undefined;
    for (const match of text.matchAll(INLINE_LABEL)) {
      const label = match[1] as string;
      if ((match.index ?? 0) + match[0].length === text.length) this.labelAtEnd = label;
      else this.labels.add(label);
    }
  }
}

/**
 * Rejoins lines broken in the middle of a sentence or a name. A line goes on in the next one unless the
 * next starts a numbered item or a header/signature line, or the line ends its sentence or is a heading.
 * Blank lines end paragraphs.
 */
export function rejoinLines(lines: readonly CleanLine[], tests: StructureTests): Line[] {
  const width = findWrapWidth(lines);
  const joined: Line[] = [];
  let previous: Paragraph | undefined;
  let previousLength = 0;
  for (const { text, number } of lines) {
    if (text === '') {
      if (previous) joined.push(previous.line());
      previous = undefined;
      continue;
    }
    const line = readMarker(text, previous === undefined, number);
    if (previous && continuesInNextLine(previous, line, tests, { width, previousLength })) {
      previous.glue(text);
    } else {
      if (previous) joined.push(previous.line());
      previous = new Paragraph(line, line.opensParagraph, number);
    }
    previousLength = text.length;
  }
  if (previous) joined.push(previous.line());
  return joined;
}

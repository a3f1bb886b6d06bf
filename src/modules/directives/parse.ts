import { invalidInput } from '../../core/errors.ts';
import { trimEndOf, WHITE_SPACE } from '../../core/text.ts';
import type { WorkingCalendar } from '../../core/working-days.ts';
import { matchUnit, STATE_BODIES, type UnitRef, unitNameIn, unitNameKey } from '../units/index.ts';
import { foldKeepingOffsets } from './calendar.ts';
import type {
  Assignment,
  DirectiveTask,
  ParsedDirective,
  Period,
  Role,
  Unplaced,
  UnplacedReason,
} from './directive.schemas.ts';
import {
  cleanLines,
  isFrameLine,
  isUpperCaseLine,
  type Line,
  type MarkerKind,
  PLACE_DATE,
  rejoinLines,
  type StructureTests,
} from './layout.ts';
import { findKnownUnits, type NamedParty, readNameList } from './names.ts';
import {
  findFullDates,
  findPeriodInText,
  NO_PERIOD,
  type PeriodContext,
  parsePeriodPhrase,
  splitPeriodLabel,
} from './periods.ts';

/**
 * Dispatch or telegram text (English or Vietnamese) → Directive JSON. A pipeline of named stages:
 * clean lines → rejoin broken lines → split header / body / signature → find the header facts →
 * segment the body into units → split each unit's text into tasks → read each task's period.
 */

export interface ParseDirectiveOptions {
  /** Year for period phrases that give none ("in October") when the document carries no date of its own. */
  referenceYear?: number;
  /** The working calendar periods in working days count on (the stored one); the shipped one when absent. */
  calendar?: WorkingCalendar;
}

type Language = 'vi' | 'en';

/** Markers that number a heading or an item: a unit may open with one of them. */
const NUMBERED: ReadonlySet<MarkerKind> = new Set(['paren_number', 'number', 'letter', 'roman']);

// ---------------------------------------------------------------------------------------------
// Units: "X will preside and cooperate with Y", "Giao X chủ trì, phối hợp với Y", "2. Bộ Tài chính:" …
// ---------------------------------------------------------------------------------------------

interface UnitClause {
  parties: NamedParty[];
  role: Role;
  cooperating: string[];
  /** What follows the clause on its line: the start of the unit's first task, if any. */
  rest: string;
}

// "X là đơn vị đầu mối" / "X shall act as the focal point": the unit that leads and gathers the others' work.
const PRESIDE_CUE =
  /\s+(?:(?:will|shall|is\s+to|are\s+to|to)\s+(?:preside|take\s+the\s+lead|lead)(?:\s+over)?|(?:se\s+)?chu\s+tri|la\s+(?:co\s+quan|don\s+vi)\s+dau\s+moi|(?:(?:will|shall)\s+)?(?:act|serve)s?\s+as\s+(?:the\s+)?focal\s+(?:point|unit|agency)|(?:is|will\s+be|shall\s+be)\s+the\s+focal\s+(?:point|unit|agency))\b/;
const ASSIGN_LEAD = /^(?:giao(?:\s+cho)?|assign(?:s|ed)?|de\s+nghi|(?:we\s+)?request(?:s)?)\s+/;
const COOPERATION_CUE =
  /^\s*,?\s*(?:and\s+)?(?:in\s+)?(?:(?:cooperat|coordinat|collaborat)\w*|work(?:ing)?|phoi\s+hop)\s+(?:closely\s+|chat\s+che\s+)?(?:with|voi)\s+/;
const BY_FUNCTION =
  /^\s*,?\s*(?:theo\s+chuc\s+nang,?\s+nhiem\s+vu(?:,?\s+quyen\s+han)?(?:\s+duoc\s+giao)?|within\s+(?:its|their)\s+(?:functions|competence|remit)(?:\s+and\s+(?:tasks|duties))?)\s*[,:]?\s*/;
// "X shall, in coordination with Y, review …": the comma after the modal opens the cooperation.
const MODAL = /^\s+(?:shall|will|must|should|is\s+to|are\s+to)\s*,?\s+/;
const VERB_AFTER_NAME =
  /^\s+(?:chi\s+dao|thuc\s+hien|trien\s+khai|to\s+chuc|ra\s+soat|xay\s+dung|nghien\s+cuu|tang\s+cuong|huong\s+dan|de\s+xuat|khan\s+truong|tiep\s+tuc|day\s+manh|kiem\s+tra|tham\s+muu|chu\s+dong|phoi\s+hop|theo\s+doi|bao\s+cao|xu\s+ly|giam\s+sat|cap\s+nhat)\b/;

/** Cuts connecting words off the start of a clause's rest ("to propose …" → "propose …"). */
function cleanRest(text: string): string {
  return text
    .replace(/^[\s,:;.–-]+/, '')
    .replace(/^(?:in\s+order\s+to|to|de|nham)\s+/i, '')
    .replace(/^(?:để|nhằm)\s+/i, '')
    .trim();
}

/** The names of a clause when `part` holds nothing else ("The X Agency", "Cục A và Vụ B"). */
function namesFilling(part: string): NamedParty[] | undefined {
  const trimmed = trimEndOf(part, `${WHITE_SPACE},:`);
  const list = readNameList(trimmed);
  if (list && trimmed.slice(list.end).trim() === '') return list.parties;
  return undefined;
}

function readCooperation(after: string): { cooperating: string[]; rest: string } {
  const cue = COOPERATION_CUE.exec(foldKeepingOffsets(after));
  if (!cue) return { cooperating: [], rest: cleanRest(after) };
  const listed = after.slice(cue[0].length);
  const list = readNameList(listed);
  if (!list) return { cooperating: [], rest: cleanRest(after) };
  const cooperating = list.parties.filter((party) => !party.generic).map((party) => party.name);
  return { cooperating, rest: cleanRest(listed.slice(list.end)) };
}

/** "X will preside (and cooperate with Y)", "Giao X chủ trì, phối hợp với Y", "X chủ trì". */
function readPresideClause(text: string, folded: string): UnitClause | undefined {
  const cue = PRESIDE_CUE.exec(folded);
  if (!cue) return undefined;
  const lead = ASSIGN_LEAD.exec(folded)?.[0].length ?? 0;
  const parties = namesFilling(text.slice(lead, cue.index));
  if (!parties) return undefined;
  return { parties, role: 'preside', ...readCooperation(text.slice(cue.index + cue[0].length)) };
}

/** "Giao X …", "Assign X to …", "Đề nghị X …": X implements. */
function readAssignClause(text: string, folded: string): UnitClause | undefined {
  const lead = ASSIGN_LEAD.exec(folded);
  if (!lead) return undefined;
  const after = text.slice(lead[0].length);
  const list = readNameList(after);
  if (!list || list.parties.every((party) => party.generic)) return undefined;
  let rest = after.slice(list.end);
  const byFunction = BY_FUNCTION.exec(foldKeepingOffsets(rest));
  if (byFunction) rest = rest.slice(byFunction[0].length);
  return { parties: list.parties, role: 'implement', ...readCooperation(rest) };
}

/** "Các Bộ: Công Thương, Tài chính, Công an:": one kind of body, then the names that follow the kind's word. */
const GROUPED_NAMES = /^(?:cac|nhung)\s+(bo|cuc|vu|so)\s*:\s*/;
const GROUP_HEADS: Record<string, string> = { bo: 'Bộ', cuc: 'Cục', vu: 'Vụ', so: 'Sở' };

/** The units of a grouped heading, each named in full ("Bộ Công Thương", "Bộ Tài chính"), and what follows them. */
function readGroupedNames(text: string): { parties: NamedParty[]; rest: string } | undefined {
  const group = GROUPED_NAMES.exec(foldKeepingOffsets(text));
  if (!group) return undefined;
  const head = GROUP_HEADS[group[1] as string] as string;
  const listed = text.slice(group[0].length);
  const colon = listed.indexOf(':');
  const names = (colon === -1 ? listed : listed.slice(0, colon))
    .split(/\s*[,;]\s*|\s+(?:và|and)\s+/u)
    .map((name) => name.replace(/[.…\s]+$/u, '').trim())
    .filter((name) => name !== '');
  // Each name is a short one ("Tài chính", "Công an"): a sentence here is not such a list.
  if (names.length < 2 || names.some((name) => name.split(' ').length > 6 || !/^\p{Lu}/u.test(name))) return undefined;
  return {
    parties: names.map((name) => ({ name: `${head} ${name}`, generic: false })),
    rest: colon === -1 ? '' : listed.slice(colon + 1),
  };
}

/** A numbered heading or item that opens with names: "2. Bộ Tài chính:", "(9) Inspection and enforcement units". */
function readNamedClause(text: string, marker: MarkerKind): UnitClause | undefined {
  const grouped = readGroupedNames(text);
  if (grouped) return { parties: grouped.parties, role: 'implement', ...readCooperation(grouped.rest) };
  const list = readNameList(text);
  if (!list) return undefined;
  const after = text.slice(list.end);
  const folded = foldKeepingOffsets(after);
  const clause = (rest: string): UnitClause => ({ parties: list.parties, role: 'implement', ...readCooperation(rest) });
  if (/^\s*:/.test(after)) return clause(after.replace(/^\s*:/, ''));
  const byFunction = BY_FUNCTION.exec(folded);
  if (byFunction) return clause(after.slice(byFunction[0].length));
  if (marker === 'bullet') return undefined;
  // Upper-case headings read as names by their capitals; only known units count there.
  if (isUpperCaseLine(text) && !list.parties.every((party) => matchUnit(party.name))) return undefined;
  if (/^\s*[.;]?\s*$/.test(after)) return clause('');
  const modal = MODAL.exec(folded);
  if (modal) return clause(after.slice(modal[0].length));
  if (VERB_AFTER_NAME.test(folded) && list.parties.some((party) => !party.generic)) return clause(after);
  // "2. Vụ Kế hoạch, Tài chính và Quản lý doanh nghiệp bố trí kinh phí …": a numbered item that opens with units the
  // catalogue knows, then a lower-case word, assigns them whatever the verb (the list of verbs cannot be complete).
  if (/^\s+\p{Ll}/u.test(after) && list.parties.every((party) => !party.generic && matchUnit(party.name))) {
    return clause(after);
  }
  return undefined;
}

function readUnitClause(line: Line): UnitClause | undefined {
  const text = line.body.replace(/^[\s:–-]+/, '');
  const folded = foldKeepingOffsets(text);
  const clause =
    readPresideClause(text, folded) ??
    readAssignClause(text, folded) ??
    (NUMBERED.has(line.marker) || line.marker === 'bullet' ? readNamedClause(text, line.marker) : undefined);
  // A unit is named by at least one party; "Các đơn vị liên quan:" alone is a unit only as a heading.
  if (clause?.parties.every((party) => party.generic) && clause.rest !== '') return undefined;
  return clause;
}

const TOPIC_START = /^(?:ve\s+viec|ve|regarding|concerning|on\s+the|re\s*:)\s/;

/** "I. Về công tác truyền thông", "II. NHIỆM VỤ CỤ THỂ": headings that group units, not units. */
function isTopicHeading(line: Line): boolean {
  if (isFrameLine(line.text)) return false;
  const folded = foldKeepingOffsets(line.body);
  const headingLike =
    NUMBERED.has(line.marker) ||
    (line.marker === 'none' &&
      (isUpperCaseLine(line.body) || (folded.split(' ').length <= 20 && !/[.;]$/.test(line.body))));
  if (!headingLike) return false;
  if (TOPIC_START.test(folded)) return true;
  return NUMBERED.has(line.marker) && isUpperCaseLine(line.body) && !readUnitClause(line);
}

const STRUCTURE: StructureTests = {
  isHeading: (line) => isHeadingLine(line),
  opensUnit: (line) => readUnitClause(line) !== undefined,
  nameGoesOn: (heading, next) => headingNameGoesOn(heading, next),
};

/**
 * "1.2. Giao Công an" then "Thành phố Hà Nội kiểm tra …" (a heading copied from a PDF, wrapped inside the name):
 * the heading's last name is none the catalogue knows, the next line opens with a capital and no verb, and read
 * together the name runs on into it.
 */
function headingNameGoesOn(heading: Line, next: Line): boolean {
  if (!/^\p{Lu}/u.test(next.text) || VERB_AFTER_NAME.test(` ${foldKeepingOffsets(next.text)}`)) return false;
  const clause = readUnitClause(heading);
  if (clause?.rest !== '') return false;
  const last = clause.parties.at(-1);
  if (!last || last.generic || matchUnit(last.name)) return false;
  const text = `${heading.text} ${next.text}`;
  const glued = readUnitClause({ ...heading, text, body: `${heading.body} ${next.text}` });
  const runsOn = glued?.parties[clause.parties.length - 1];
  return runsOn !== undefined && runsOn.name.length > last.name.length && runsOn.name.startsWith(last.name);
}

/** Tells the rejoin stage which lines end where they end: unit and topic headings. */
function isHeadingLine(line: Line): boolean {
  if (isTopicHeading(line)) return true;
  if (!NUMBERED.has(line.marker) && line.marker !== 'none') return false;
  return readUnitClause(line)?.rest === '';
}

// ---------------------------------------------------------------------------------------------
// Sections: header and addressees / body / signature and recipients
// ---------------------------------------------------------------------------------------------

interface Sections {
  preamble: Line[];
  body: Line[];
  trailer: Line[];
}

/** "Kính gửi:", "To:", and a telegram's "THỦ TƯỚNG CHÍNH PHỦ điện:". */
const ADDRESSEE_START = /^(?:kinh\s+gui|to)\s*:|\bdien\s*:\s*$/;
const TRAILER_START =
  /^(?:noi\s+nhan|recipients?\b|distribution\s*:|(?:kt|tm|tl|tuq|q|pp|p\.p)\.\s|for\s+the\s+(?:minister|prime\s+minister)\b|\(?(?:da\s+ky|signed)\b)/;
const SIGNATURE_TITLE =
  /^(?:bo\s+truong|thu\s+truong|cuc\s+truong|vu\s+truong|thu\s+tuong|pho\s+thu\s+tuong|chanh\s+van\s+phong|minister|deputy\s+minister|prime\s+minister|deputy\s+prime\s+minister|director(?:\s+general)?)\b/;

/** "Văn phòng Chính phủ thông báo để Bộ … biết, thực hiện./.": the letter's closing formula, no task of its own. */
const NOTICE_FORMULA =
  /\bthong\s+bao\s+(?:de|cho|den)\s+[^.;]{0,200}\bbiet(?:\s*,\s*(?:thuc\s+hien|trien\s+khai))?\s*[./]*$/;

function isTrailerStart(line: Line): boolean {
  const folded = foldKeepingOffsets(line.text);
  if (TRAILER_START.test(folded) || PLACE_DATE.test(folded)) return true;
  if (line.marker === 'none' && NOTICE_FORMULA.test(folded)) return true;
  return SIGNATURE_TITLE.test(folded) && (isUpperCaseLine(line.text) || folded.split(' ').length <= 4);
}

/** An addressee line after "Kính gửi:"/"To:": a name, or a list item closed by ";" or ",". */
function isAddresseeLine(line: Line): boolean {
  if (/[;,]$/.test(line.text)) return true;
  return namesFilling(line.body.replace(/\.$/, '')) !== undefined;
}

/**
 * Numbered lines before the first unit the parser read that open with a unit the catalogue knows ("1. Cục X …" in a
 * wording no clause reads): likely assignments, so the officer is told instead of the line vanishing with the
 * preamble.
 */
function assignmentsMissedBeforeBody(preamble: readonly Line[]): Unplaced[] {
  return preamble
    .filter((line) => {
      if (!NUMBERED.has(line.marker) || isUpperCaseLine(line.body)) return false;
      const first = readNameList(line.body)?.parties[0];
      return first !== undefined && !first.generic && matchUnit(first.name) !== undefined;
    })
    .map((line) => ({ line: line.number, text: line.text, reason: 'no_task' as const }));
}

/** Splits the text where the first unit opens and where the signature or the recipients begin. */
function splitSections(lines: readonly Line[]): Sections {
  let bodyStart = -1;
  let inAddressees = false;
  for (const [index, line] of lines.entries()) {
    const folded = foldKeepingOffsets(line.text);
    if (ADDRESSEE_START.test(folded)) {
      inAddressees = true;
      continue;
    }
    if (inAddressees && isAddresseeLine(line)) continue;
    inAddressees = false;
    if (isFrameLine(line.text)) continue;
    if (readUnitClause(line)) {
      bodyStart = index;
      break;
    }
  }
  if (bodyStart === -1) return { preamble: [...lines], body: [], trailer: [] };
  let bodyEnd = lines.length;
  for (let index = bodyStart + 1; index < lines.length; index++) {
    const line = lines[index] as Line;
    if (isTrailerStart(line)) {
      bodyEnd = index;
      break;
    }
    if (/\.\/\.$/.test(line.text)) {
      bodyEnd = index + 1;
      break;
    }
  }
  return {
    preamble: lines.slice(0, bodyStart),
    body: lines.slice(bodyStart, bodyEnd),
    trailer: lines.slice(bodyEnd),
  };
}

// ---------------------------------------------------------------------------------------------
// Header facts: number, date, issuer
// ---------------------------------------------------------------------------------------------

interface HeaderFacts {
  number: string | null;
  issued_on: string | null;
  issuer: string | null;
}

const DOCUMENT_NUMBER = '(\\d{1,6}/(?:\\d{4}/)?\\p{L}[\\p{L}\\d]*(?:-[\\p{L}\\d]+)*)';
const NUMBER_PATTERNS = [
  new RegExp(`(?:^|\\s)(?:Số|SỐ|So|SO|No\\.?|NO\\.?|Number)\\s*:\\s*${DOCUMENT_NUMBER}`, 'u'),
  new RegExp(`^(?:Số|So|No\\.?)\\s+${DOCUMENT_NUMBER}`, 'u'),
  new RegExp(
    `(?:issued|signed|ban hành|promulgated)\\s+(?:the\\s+)?(?:Official\\s+(?:Dispatch|Letter|Telegram)|Dispatch|Công\\s+văn|Công\\s+điện|Decision|Quyết\\s+định|Directive|Chỉ\\s+thị)\\s+(?:No\\.?\\s*|số\\s+)?${DOCUMENT_NUMBER}`,
    'iu',
  ),
  new RegExp(
    `^(?:Official\\s+(?:Dispatch|Letter|Telegram)|Công\\s+văn|Công\\s+điện)\\s+(?:No\\.?\\s*|số\\s+)?${DOCUMENT_NUMBER}`,
    'iu',
  ),
];

function findNumber(lines: readonly Line[]): { number: string; line: Line; end: number } | undefined {
  for (const pattern of NUMBER_PATTERNS) {
    for (const line of lines) {
      const match = pattern.exec(line.text);
      if (match?.[1]) return { number: match[1], line, end: match.index + match[0].length };
    }
  }
  return undefined;
}

/** The document's own date: the place-date line, the date next to its number, or "On DATE, …" opening the text. */
function findIssueDate(
  lines: readonly Line[],
  numbered: { line: Line; end: number } | undefined,
  first: Line | undefined,
): string | null {
  for (const line of lines) {
    const folded = foldKeepingOffsets(line.text);
    for (const mention of findFullDates(line.text)) {
      // What stands right before the date: the place and its comma. Only that is read, not the whole line before it.
      if (/[a-z.]\s*,\s*(?:ngay\s+)?$/.test(folded.slice(Math.max(0, mention.index - 24), mention.index))) {
        return mention.day;
      }
    }
  }
  if (numbered) {
    const after = foldKeepingOffsets(numbered.line.text.slice(numbered.end));
    const mention = findFullDates(numbered.line.text.slice(numbered.end))[0];
    const gap = mention ? after.slice(0, mention.index) : '';
    if (mention && /^\s*,?\s*(?:dated|ngay|of|on)?\s*$/.test(gap)) return mention.day;
  }
  if (first) {
    const mention = findFullDates(first.text)[0];
    if (mention && /^(?:on|ngay)?\s*$/.test(foldKeepingOffsets(first.text).slice(0, mention.index))) return mention.day;
  }
  return null;
}

const MOTTO = /(?:cong hoa xa hoi chu nghia viet nam|socialist republic of viet ?nam|doc lap\s*-|independence\s*-).*$/;

/** The issuing body: the left column of the header, else the body issuing the number, else its code. */
function findIssuer(
  preamble: readonly Line[],
  numbered: { number: string; line: Line } | undefined,
): UnitRef | undefined {
  const column: string[] = [];
  for (const line of preamble) {
    const folded = foldKeepingOffsets(line.text);
    if (!isUpperCaseLine(line.text) && !MOTTO.test(folded)) break;
    column.push(line.text.slice(0, folded.search(MOTTO) === -1 ? undefined : folded.search(MOTTO)));
  }
  const inColumn = findKnownUnits(column.join('\n')).at(-1);
  if (inColumn) return inColumn.unit;
  if (numbered) {
    const inSentence = findKnownUnits(numbered.line.text.split(numbered.number)[0] ?? '').at(-1);
    if (inSentence) return inSentence.unit;
    const codes = numbered.number.split('/').slice(1).join('-').split('-');
    for (const code of codes) {
      const body = STATE_BODIES.find((unit) => unit.aliases.includes(code));
      if (body) return body;
    }
  }
  return undefined;
}

function findHeaderFacts(sections: Sections, language: Language): HeaderFacts {
  const frame = [...sections.preamble, ...sections.trailer];
  const numbered = findNumber(sections.preamble);
  const issuer = findIssuer(sections.preamble, numbered);
  return {
    number: numbered?.number ?? null,
    issued_on: findIssueDate(frame, numbered, sections.preamble[0]),
    issuer: issuer ? unitNameIn(issuer, language) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Segmenting the body into units
// ---------------------------------------------------------------------------------------------

interface UnitDraft {
  clause: UnitClause;
  marker: MarkerKind;
  blocks: Line[];
  /** The line of the text naming the unit. */
  line: number;
}

/** Notes what the officer should look at: text that found no place, a name or a period not understood. */
type Note = (text: string, reason: UnplacedReason) => void;

const IGNORE: Note = () => {};

/** How deep a marker sits in the outline; paragraphs without one belong under the heading above them. */
const DEPTH: Record<MarkerKind, number> = {
  roman: 0,
  paren_number: 1,
  number: 1,
  letter: 2,
  bullet: 3,
  sub_item: 4,
  none: 5,
};

const CLOSING =
  /^(?:yeu\s+cau\s+(?:thu\s+truong|cac\s+(?:don\s+vi|co\s+quan))|thu\s+truong\s+cac\s+(?:don\s+vi|co\s+quan)|trong\s+qua\s+trinh\s+(?:thuc\s+hien|trien\s+khai)|de\s+nghi\s+(?:thu\s+truong|cac\s+(?:don\s+vi|co\s+quan))|bo\s+(?:cong\s+thuong|truong)\s+yeu\s+cau|heads\s+of\s+(?:the\s+)?units|the\s+ministry(?:\s+of\s+industry\s+and\s+trade)?\s+(?:requests|requires)|in\s+the\s+course\s+of\s+implementation|during\s+the\s+implementation|the\s+minister\s+requests)/;

interface Segments {
  drafts: UnitDraft[];
  /** Closing paragraphs addressed to all the units ("Yêu cầu Thủ trưởng các đơn vị …"): a task of each. */
  closing: Line[];
  unplaced: Unplaced[];
}

function segmentUnits(body: readonly Line[]): Segments {
  const drafts: UnitDraft[] = [];
  const closing: Line[] = [];
  const unplaced: Unplaced[] = [];
  let current: UnitDraft | undefined;
  for (const line of body) {
    if (isTopicHeading(line)) {
      current = undefined;
      continue;
    }
    const clause = readUnitClause(line);
    if (clause) {
      current = { clause, marker: line.marker, blocks: [], line: line.number };
      drafts.push(current);
      if (clause.rest !== '') {
        current.blocks.push({
          text: clause.rest,
          marker: 'none',
          body: clause.rest,
          opensParagraph: false,
          number: line.number,
        });
      }
      continue;
    }
    if (line.marker === 'none' && CLOSING.test(foldKeepingOffsets(line.text))) {
      closing.push(line);
      current = undefined;
      continue;
    }
    const lastBlock = current?.blocks.at(-1);
    if (current && lastBlock && lastBlock.marker !== 'none' && line.marker === 'none' && !line.opensParagraph) {
      // An unnumbered line right under a bullet or a lettered item goes on with that item.
      current.blocks[current.blocks.length - 1] = {
        ...lastBlock,
        text: `${lastBlock.text} ${line.text}`,
        body: `${lastBlock.body} ${line.text}`,
      };
    } else if (current) current.blocks.push(line);
    else unplaced.push({ line: line.number, text: line.text, reason: 'no_task' });
  }
  // A heading with no text of its own whose next unit sits deeper is a group ("1. Bộ Công Thương" over a) b) c)).
  const units = drafts.filter((draft, index) => {
    const next = drafts[index + 1];
    return draft.blocks.length > 0 || !next || DEPTH[next.marker] <= DEPTH[draft.marker];
  });
  return { drafts: units, closing, unplaced };
}

// ---------------------------------------------------------------------------------------------
// Plans: a task, then "Cơ quan chủ trì / Cơ quan phối hợp / Thời gian thực hiện" under it; annex tables
// ---------------------------------------------------------------------------------------------

/** The labels of a plan's block under a task ("- Cơ quan chủ trì: Cục X."); other labels of the block are skipped. */
const BLOCK_LABEL =
  /^(?:(?:co\s+quan|don\s+vi)\s+(chu\s+tri|phoi\s+hop)|(thoi\s+gian(?:\s+(?:thuc\s+hien|hoan\s+thanh))?|thoi\s+han(?:\s+hoan\s+thanh)?|tien\s+do(?:\s+thuc\s+hien)?)|(san\s+pham|ket\s+qua(?:\s+dau\s+ra)?|kinh\s+phi|nguon\s+kinh\s+phi))\s*:\s*/;

interface PlanReading {
  drafts: UnitDraft[];
  /** Lines read as plan blocks or table rows, left out of the other stages. */
  consumed: Set<number>;
}

function namesOf(value: string, keepGeneric: boolean): NamedParty[] {
  const list = readNameList(value.replace(/[.;]+$/, ''));
  return (list?.parties ?? []).filter((party) => keepGeneric || !party.generic);
}

/** A task with its units and period, as a unit draft the task stage reads like any other. */
function planDraft(
  taskLine: Line,
  taskText: string,
  lead: NamedParty[],
  cooperating: string[],
  period: string,
  at: number,
): UnitDraft {
  const body = period === '' ? taskText : `${trimEndOf(taskText, `${WHITE_SPACE}.;:`)}; Thời gian thực hiện: ${period}`;
  return {
    clause: { parties: lead, role: 'preside', cooperating, rest: '' },
    marker: taskLine.marker,
    blocks: [{ ...taskLine, text: body, body, marker: 'none' }],
    line: at,
  };
}

/** "1. Rà soát …" then "- Cơ quan chủ trì: …", "- Cơ quan phối hợp: …", "- Thời gian thực hiện: …". */
function readPlanBlocks(lines: readonly Line[], reading: PlanReading): void {
  let index = 0;
  while (index < lines.length) {
    const line = lines[index] as Line;
    const label = BLOCK_LABEL.exec(foldKeepingOffsets(line.body));
    const previous = lines[index - 1];
    if (!label || !previous || BLOCK_LABEL.test(foldKeepingOffsets(previous.body))) {
      index++;
      continue;
    }
    // A run of labelled lines under the task line just above it.
    let lead: NamedParty[] = [];
    const cooperating: string[] = [];
    let period = '';
    let end = index;
    for (; end < lines.length; end++) {
      const labelled = lines[end] as Line;
      const match = BLOCK_LABEL.exec(foldKeepingOffsets(labelled.body));
      if (!match) break;
      const value = labelled.body.slice(match[0].length).trim();
      if (match[1]?.startsWith('chu')) lead = namesOf(value, true);
      else if (match[1]) cooperating.push(...namesOf(value, false).map((party) => party.name));
      else if (match[2]) period = value.replace(/[.;]+$/, '');
    }
    if (lead.length > 0) {
      const leadLine = lines
        .slice(index, end)
        .find((item) => /^(?:co\s+quan|don\s+vi)\s+chu/.test(foldKeepingOffsets(item.body)));
      reading.drafts.push(
        planDraft(previous, previous.body, lead, cooperating, period, leadLine?.number ?? previous.number),
      );
      for (const consumed of [previous, ...lines.slice(index, end)]) reading.consumed.add(consumed.number);
    }
    index = Math.max(end, index + 1);
  }
}

const CELL_SEPARATOR = /\s*\|\s*/;

/** An annex table as text (cells between "|", or tabs from a Word table): STT | Nhiệm vụ | Đơn vị chủ trì | … */
function readAnnexTables(lines: ReadonlyArray<{ text: string; number: number }>, reading: PlanReading): void {
  let columns: { task: number; lead: number; cooperating: number; time: number } | undefined;
  for (const line of lines) {
    if (!line.text.includes('|')) {
      columns = undefined;
      continue;
    }
    const cells = line.text
      .replace(/^\||\|$/g, '')
      .split(CELL_SEPARATOR)
      .map((cell) => cell.trim());
    const folded = cells.map((cell) => foldKeepingOffsets(cell));
    const lead = folded.findIndex((cell) => /\bchu\s+tri\b/.test(cell));
    const task = folded.findIndex((cell) => /^(?:ten\s+)?(?:nhiem\s+vu|noi\s+dung)/.test(cell));
    if (lead !== -1 && task !== -1) {
      columns = {
        task,
        lead,
        cooperating: folded.findIndex((cell) => /\bphoi\s+hop\b/.test(cell)),
        time: folded.findIndex((cell) => /^(?:thoi\s+gian|thoi\s+han|tien\s+do)/.test(cell)),
      };
      reading.consumed.add(line.number);
      continue;
    }
    if (!columns) continue;
    const taskText = cells[columns.task] ?? '';
    const parties = namesOf(cells[columns.lead] ?? '', true);
    if (taskText === '' || parties.length === 0) continue;
    const cooperating = columns.cooperating === -1 ? [] : namesOf(cells[columns.cooperating] ?? '', false);
    const period = columns.time === -1 ? '' : (cells[columns.time] ?? '');
    const row: Line = { text: taskText, body: taskText, marker: 'none', opensParagraph: false, number: line.number };
    reading.drafts.push(
      planDraft(
        row,
        taskText,
        parties,
        cooperating.map((party) => party.name),
        period,
        line.number,
      ),
    );
    reading.consumed.add(line.number);
  }
}

/** The lines before the recipients and the signature. */
function beforeTrailer<L extends { text: string }>(lines: readonly L[]): readonly L[] {
  const trailer = lines.findIndex((line) => TRAILER_START.test(foldKeepingOffsets(line.text)));
  return trailer === -1 ? lines : lines.slice(0, trailer);
}

// ---------------------------------------------------------------------------------------------
// Tasks and their periods
// ---------------------------------------------------------------------------------------------

/** "… thực hiện các nhiệm vụ sau:", "… in performing the following tasks:": announces the tasks, is none. */
const LEAD_IN =
  /(?:(?:cac|nhung)\s+nhiem\s+vu(?:\s+(?:cu\s+the|trong\s+tam))?\s+(?:sau(?:\s+day)?|nhu\s+sau)|(?:the\s+)?following\s+tasks|as\s+follows|cu\s+the(?:\s+nhu\s+sau)?|nhu\s+sau)\s*:?$/;
/** What may stand beside a period in a sentence that states only a period ("Hoàn thành trong Quý I/2025."). */
const COMPLETION_ONLY = /^(?:\s|[.,:;()]|hoan\s+thanh|thoi\s+han|deadline|to\s+be\s+(?:completed|finished|done))*$/;

/** The period of a sentence that says nothing but when ("Hoàn thành trong Quý I/2025.", "Thời hạn: …"). */
function readPeriodSentence(text: string, year: PeriodContext, note: Note): Period | undefined {
  const labelled = splitPeriodLabel(text);
  if (labelled) return tidyTaskText(labelled.taskText) === '' ? readTaskPeriod(text, year, note).period : undefined;
  const period = findPeriodInText(text, year);
  if (!period?.text) return undefined;
  const rest = foldKeepingOffsets(text.normalize('NFC').replace(period.text, ' '));
  return COMPLETION_ONLY.test(rest) ? period : undefined;
}

function tidyTaskText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\s*\.\/\.\s*$/, '.')
    .replace(/^[\s,;:–-]+/, '')
    .replace(/\s*(?:[;,]\s*(?:và|and)?|\b(?:và|and))\s*$/u, '')
    .trim();
}

interface Enumeration {
  intro: string;
  items: string[];
}

const INLINE_MARKER = /(?:^|[\s:;,.])(\((?:[ivx]{1,4}|\d{1,2})\)|[a-zđ]\))\s/g;
const ROMAN_ORDER = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii'];
const LETTER_ORDER = 'abcdđefghijklmnopqrstuvwxyz'.split('');

function labelsInOrder(first: string): readonly string[] {
  if (first === '(i)') return ROMAN_ORDER.map((label) => `(${label})`);
  if (first === '(1)') return Array.from({ length: 20 }, (_, index) => `(${index + 1})`);
  if (first === 'a)') return LETTER_ORDER.map((label) => `${label})`);
  return [];
}

/** Finds "(i) … (ii) …", "(1) … (2) …" or "a) … b) …" enumerated inside one paragraph. */
function findEnumeration(text: string): Enumeration | undefined {
  const markers = [...text.matchAll(INLINE_MARKER)].map((match) => ({
    label: match[1] as string,
    start: (match.index ?? 0) + match[0].indexOf(match[1] as string),
    contentStart: (match.index ?? 0) + match[0].length,
  }));
  // Where each label stands last: a chain is followed only from a first item that some second item comes after,
  // so that a paragraph of thousands of "a)" is read once, not once per "a)".
  const lastAt = new Map<string, number>();
  for (const [index, marker] of markers.entries()) lastAt.set(marker.label, index);
  for (const [index, first] of markers.entries()) {
    const order = labelsInOrder(first.label);
    if (order.length === 0 || (lastAt.get(order[1] as string) ?? -1) <= index) continue;
    const chain = [first];
    for (let next = index + 1; next < markers.length; next++) {
      const candidate = markers[next] as (typeof markers)[number];
      if (candidate.label === order[chain.length]) chain.push(candidate);
    }
    const items = chain.map((marker, position) =>
      text.slice(marker.contentStart, chain[position + 1]?.start ?? text.length).trim(),
    );
    return { intro: text.slice(0, first.start).trim(), items };
  }
  return undefined;
}

interface TaskDraft {
  text: string;
  period: Period | undefined;
}

function readTaskPeriod(text: string, year: PeriodContext, note: Note): TaskDraft {
  const labelled = splitPeriodLabel(text);
  if (labelled) {
    const period = parsePeriodPhrase(labelled.phrase, year);
    if (!period && labelled.phrase !== '') note(labelled.phrase, 'unknown_period');
    return {
      text: tidyTaskText(labelled.taskText),
      period: period ?? { text: labelled.phrase, kind: 'none', start: null, due: null },
    };
  }
  // "Giao X chủ trì xây dựng … . Hoàn thành trong tháng 8 năm 2021.": a closing sentence that only states when.
  const sentences = text.split(/(?<=\.)\s+(?=\p{Lu})/u);
  const last = sentences.at(-1) as string;
  const closingPeriod = sentences.length >= 2 ? readPeriodSentence(last, year, IGNORE) : undefined;
  if (closingPeriod) return { text: tidyTaskText(sentences.slice(0, -1).join(' ')), period: closingPeriod };
  return { text: tidyTaskText(text), period: findPeriodInText(text, year) };
}

/** The last sentence of an enumeration's last item when it states a period for all items ("… Hoàn thành trong Quý I/2025."). */
function splitSharedPeriod(item: string, year: PeriodContext): { item: string; sentence: string } | undefined {
  const sentences = item.split(/(?<=\.)\s+(?=\p{Lu})/u);
  if (sentences.length < 2) return undefined;
  const sentence = sentences.at(-1) as string;
  if (!readPeriodSentence(sentence, year, IGNORE)) return undefined;
  return { item: sentences.slice(0, -1).join(' '), sentence };
}

/** One paragraph or item → its tasks: one, or one per enumerated item when the items are the tasks. */
function splitBlock(text: string, year: PeriodContext, note: Note): TaskDraft[] {
  const enumeration = findEnumeration(text);
  if (enumeration) {
    const intro = trimEndOf(enumeration.intro, `${WHITE_SPACE}:`);
    const introFolded = foldKeepingOffsets(intro);
    const shared = splitSharedPeriod(enumeration.items.at(-1) as string, year);
    const items = shared ? [...enumeration.items.slice(0, -1), shared.item] : enumeration.items;
    const drafts = items.map((item) => readTaskPeriod(item, year, IGNORE));
    const ownPeriods = drafts.filter((draft) => draft.period).length;
    // Items are tasks of their own when nothing but a lead-in comes before them, or each states its period;
    // inside a task's sentence ("…, including key tasks such as: (1) … (2) …") they stay one task.
    if (intro === '' || LEAD_IN.test(introFolded) || ownPeriods >= 2) {
      const sharedPeriod = shared ? readTaskPeriod(shared.sentence, year, note).period : undefined;
      const prefix = intro === '' || LEAD_IN.test(introFolded) ? '' : `${intro}: `;
      return drafts.map((draft) => ({ text: prefix + draft.text, period: draft.period ?? sharedPeriod }));
    }
  }
  return [readTaskPeriod(text, year, note)];
}

/**
 * "phối hợp với Tổng cục Hải quan …", "coordinate with the General Department of Customs to …", "in coordination with
 * the Legal Department, …" inside a task.
 */
const TASK_COOPERATION =
  /(?:^|[\s,;(])(?:phoi\s+hop|cooperat(?:e|es|ing|ion)|coordinat(?:e|es|ing|ion)|collaborat(?:e|es|ing|ion)|work(?:s|ing)?)\s+(?:chat\s+che\s+|closely\s+)?(?:voi|with)\s+/g;
/** How far after its cue a task's list of cooperating units is read: a list, not the rest of the text. */
const COOPERATION_WINDOW = 300;

/** The units a task names to cooperate with, as written (generic ones, "các đơn vị liên quan", left out). */
function cooperatingInTask(text: string): string[] {
  const names: string[] = [];
  for (const cue of foldKeepingOffsets(text).matchAll(TASK_COOPERATION)) {
    const start = (cue.index ?? 0) + cue[0].length;
    const list = readNameList(text.slice(start, start + COOPERATION_WINDOW));
    for (const party of list?.parties ?? []) {
      if (!party.generic && !names.includes(party.name)) names.push(party.name);
    }
  }
  return names;
}

function withCooperating(task: DirectiveTask): DirectiveTask {
  const cooperating = cooperatingInTask(task.text);
  return cooperating.length > 0 ? { ...task, cooperating } : task;
}

function splitTasks(draft: UnitDraft, year: PeriodContext, unplaced: Unplaced[]): DirectiveTask[] {
  const tasks: TaskDraft[] = [];
  let lastBlock: TaskDraft[] = [];
  for (const block of draft.blocks) {
    const text = block.body;
    const note: Note = (noted, reason) => unplaced.push({ line: block.number, text: noted, reason });
    // A paragraph that only states a period belongs to the tasks right above it.
    const periodOnly = readPeriodSentence(text, year, note);
    if (periodOnly) {
      for (const task of lastBlock) task.period ??= periodOnly;
      continue;
    }
    if (LEAD_IN.test(foldKeepingOffsets(text)) && /:\s*$/.test(text)) continue;
    lastBlock = splitBlock(text, year, note).filter((task) => task.text !== '');
    tasks.push(...lastBlock);
  }
  return tasks.map((task) => withCooperating({ text: task.text, period: task.period ?? { ...NO_PERIOD } }));
}

/**
 * The most tasks a text may give, counting a task given to n units n times. No directive comes near it; a text
 * naming thousands of units over thousands of tasks would otherwise make an answer quadratic in its length.
 */
export const MAX_PARSED_TASKS = 10_000;

function tooManyTasks() {
  return invalidInput(
    {
      vi: `Văn bản giao hơn ${MAX_PARSED_TASKS.toLocaleString('vi-VN')} nhiệm vụ (mỗi đơn vị được giao tính một lần): đây không phải một văn bản chỉ đạo đọc được; hãy tách văn bản.`,
      en: `The text assigns more than ${MAX_PARSED_TASKS.toLocaleString('en-US')} tasks (a task given to several units counted once for each): it cannot be read as one directive; split it.`,
    },
    'text',
  );
}

function toAssignments(
  draft: UnitDraft,
  year: PeriodContext,
  unplaced: Unplaced[],
  counted: { tasks: number },
): Assignment[] {
  const tasks = splitTasks(draft, year, unplaced);
  const named = draft.clause.parties.map((party) => party.name);
  counted.tasks += named.length * Math.max(tasks.length, 1);
  if (counted.tasks > MAX_PARSED_TASKS) throw tooManyTasks();
  if (tasks.length === 0) unplaced.push({ line: draft.line, text: named.join(', '), reason: 'no_task' });
  // Several units named together for one task each carry it.
  return named.map((unit) => {
    const assignment: Assignment = { unit, role: draft.clause.role, tasks: structuredClone(tasks) };
    if (draft.clause.cooperating.length > 0) assignment.cooperating = [...draft.clause.cooperating];
    return assignment;
  });
}

/** A closing paragraph addressed to all the units is a task of each unit the directive names (once each). */
function giveClosingTasks(
  assignments: Assignment[],
  closing: readonly Line[],
  year: PeriodContext,
  unplaced: Unplaced[],
  counted: { tasks: number },
): void {
  if (closing.length === 0) return;
  const tasks = closing.flatMap((line) => {
    const note: Note = (text, reason) => unplaced.push({ line: line.number, text, reason });
    const task = readTaskPeriod(line.text, year, note);
    return task.text === '' ? [] : [{ text: task.text, period: task.period ?? { ...NO_PERIOD } }];
  });
  const seen = new Set<string>();
  for (const assignment of assignments) {
    const key = unitNameKey(assignment.unit);
    if (seen.has(key)) continue;
    seen.add(key);
    counted.tasks += tasks.length;
    assignment.tasks.push(...structuredClone(tasks));
  }
  if (counted.tasks > MAX_PARSED_TASKS) throw tooManyTasks();
}

/** Units (and cooperating units) the catalogue does not know: kept as named, shown to the officer. */
function noteUnknownUnits(drafts: readonly UnitDraft[], unplaced: Unplaced[]): void {
  const noted = new Set<string>();
  for (const draft of drafts) {
    const names = [...draft.clause.parties.map((party) => party.name), ...draft.clause.cooperating];
    for (const name of names) {
      const key = `${draft.line}\u0000${name}`;
      if (noted.has(key) || matchUnit(name)) continue;
      noted.add(key);
      unplaced.push({ line: draft.line, text: name, reason: 'unknown_unit' });
    }
  }
}

// ---------------------------------------------------------------------------------------------

function detectLanguage(text: string): Language {
  const letters = text.normalize('NFC').replace(/[^\p{L}]/gu, '');
  const vietnamese = letters.replace(/[a-zA-Z]/g, '');
  return letters.length > 0 && vietnamese.length / letters.length > 0.03 ? 'vi' : 'en';
}

/**
 * Parses a dispatch or telegram (English or Vietnamese, as pasted from a portal) into its number, date,
 * issuer and the units it assigns, each with its tasks and their periods. Text that could not be placed
 * is listed in `unplaced`. Throws invalid_input when no assigned unit can be found.
 */
export function parseDirective(text: string, options: ParseDirectiveOptions = {}): ParsedDirective {
  const plans: PlanReading = { drafts: [], consumed: new Set() };
  // Table rows are read as the text gives them, before lines are rejoined into sentences.
  const clean = cleanLines(text);
  readAnnexTables(beforeTrailer(clean), plans);
  const lines = rejoinLines(
    clean.filter((line) => !plans.consumed.has(line.number)),
    STRUCTURE,
  );
  readPlanBlocks(beforeTrailer(lines), plans);
  if (lines.length === 0) {
    throw invalidInput({ vi: 'Văn bản trống: hãy dán toàn văn văn bản.', en: 'The directive text is empty.' }, 'text');
  }
  const sections = splitSections(lines.filter((line) => !plans.consumed.has(line.number)));
  const facts = findHeaderFacts(sections, detectLanguage(text));
  const segments = segmentUnits(sections.body);
  const { closing, unplaced } = segments;
  unplaced.push(...assignmentsMissedBeforeBody(sections.preamble));
  const drafts = [...segments.drafts, ...plans.drafts].sort((a, b) => a.line - b.line);
  if (drafts.length === 0) {
    throw invalidInput(
      {
        vi: 'Không tìm thấy đơn vị nào được giao nhiệm vụ. Văn bản cần có các mục như “(1) Cục X chủ trì, phối hợp với …”, “1. Giao Vụ Y …” hoặc đề mục đánh số nêu tên đơn vị.',
        en:
          'No assigned unit found: expected units such as "(1) The X Agency will preside and cooperate with …", ' +
          '"1. Cục X chủ trì, phối hợp với …", "Giao Vụ Y …" or a numbered heading naming a unit.',
      },
      'text',
    );
  }
  const year: PeriodContext = {
    year: facts.issued_on ? Number(facts.issued_on.slice(0, 4)) : options.referenceYear,
    issuedOn: facts.issued_on ?? undefined,
    calendar: options.calendar,
  };
  const counted = { tasks: 0 };
  const assignments = drafts.flatMap((draft) => toAssignments(draft, year, unplaced, counted));
  giveClosingTasks(assignments, closing, year, unplaced, counted);
  noteUnknownUnits(drafts, unplaced);
  if (assignments.every((assignment) => assignment.tasks.length === 0)) {
    throw invalidInput(
      {
        vi: 'Đã thấy các đơn vị nhưng không thấy nhiệm vụ nào: chưa hiểu được cấu trúc văn bản.',
        en: 'Units were found but no task under any of them: the structure of the text is not understood.',
      },
      'text',
    );
  }
  unplaced.sort((a, b) => a.line - b.line);
  return { ...facts, assignments, unplaced };
}

/** Exposed for tests of the layout stage: the lines after cleaning and rejoining. */
export function readDirectiveLines(text: string): Line[] {
  return rejoinLines(cleanLines(text), STRUCTURE);
}

import { foldForSearch, toNfc, trimEndOf } from '../../core/text.ts';
import { foldKeepingOffsets } from './calendar.ts';

/**
 * What a directive is and what it is about, read from its number and its text, for storing and listing
 * it: the kind (dispatch, telegram…), the subject ("V/v …", "Về việc …", "Re: …"), and the numbers of
 * other documents it mentions (to link dependent tasks to the telegram they follow).
 */

export const DIRECTIVE_KINDS = ['dispatch', 'telegram', 'directive', 'decision', 'plan', 'notice', 'other'] as const;
export type DirectiveKind = (typeof DIRECTIVE_KINDS)[number];

/** The comparison key of a document number: "8598/BCT-TMĐT" and "8598/bct-tmdt" are one document. */
export function directiveNumberKey(number: string): string {
  return foldForSearch(number).toUpperCase().replace(/\s+/g, '');
}

/** Kinds by the document-type code of the number (Decree 30/2020/NĐ-CP): "105/CĐ-TTg" is a telegram. */
const KIND_BY_CODE: ReadonlyArray<[RegExp, DirectiveKind]> = [
  [/^CD\b/, 'telegram'],
  [/^CT\b/, 'directive'],
  [/^QD\b/, 'decision'],
  [/^KH\b/, 'plan'],
  [/^TB\b/, 'notice'],
];

const KIND_BY_WORDS: ReadonlyArray<[RegExp, DirectiveKind]> = [
  [/\b(?:cong dien|official telegram|telegram)\b/, 'telegram'],
  [/\b(?:chi thi|directive no)\b/, 'directive'],
  [/\b(?:cong van|official dispatch|official letter|dispatch)\b/, 'dispatch'],
];

/**
 * A number names its document type first ("105/CĐ-TTg", "12/CT-BCT"), except an official dispatch's,
 * which has only the issuer's codes ("8598/BCT-TMĐT"). Without a number, the first type word of the text.
 */
export function kindOfDirective(number: string | null, text: string): DirectiveKind {
  if (number) {
    const code = directiveNumberKey(number).split('/').at(-1) ?? '';
    return KIND_BY_CODE.find(([pattern]) => pattern.test(code))?.[1] ?? 'dispatch';
  }
  const head = foldForSearch(text.slice(0, 1500));
  let first: { index: number; kind: DirectiveKind } | undefined;
  for (const [pattern, kind] of KIND_BY_WORDS) {
    const index = head.search(pattern);
    if (index >= 0 && (!first || index < first.index)) first = { index, kind };
  }
  return first?.kind ?? 'other';
}

const SUBJECT_LINE = /^(?:v\/v|ve viec|re\s*:|subject\s*:|regarding\s*:)\s*/;
/** Lines that end a subject running over several lines. */
const SUBJECT_STOP =
  /^(?:kinh gui|to\s*:|so\s*:|no\.?\s*:|noi nhan|[-–•*+]|\(?\d{1,2}[.)]|[ivx]+\.|[a-z][a-z .]{1,30}, (?:ngay \d|\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4}))/;
/** "… issued Official Dispatch 8598/BCT-TMDT to enhance …", "… ban hành Công văn số 8598/BCT-TMĐT về việc …". */
const SUMMARY_SENTENCE =
  /(?:issued|ban hanh)\s+(?:the\s+)?[\p{L} ]{0,40}?\s(?:no\.?\s*|so\s+)?\d{1,6}\/\S+\s+(?:to|on|regarding|about|ve viec|ve|nham)\s+/u;

function tidy(subject: string): string | null {
  const cleaned = trimEndOf(subject.replace(/\s+/g, ' '), ' .;:,').trim();
  if (cleaned.length < 3) return null;
  const capped = cleaned.charAt(0).toLocaleUpperCase('vi') + cleaned.slice(1);
  return capped.length > 300 ? `${capped.slice(0, 297)}…` : capped;
}

/** The subject of a document as it states it, or undefined when it states none. */
export function findSubject(text: string): string | undefined {
  const lines = toNfc(text)
    .split(/\r?\n/)
    .map((line) => line.replace(/\s+/g, ' ').trim());
  for (const [index, line] of lines.slice(0, 40).entries()) {
    const folded = foldKeepingOffsets(line).toLowerCase();
    const opening = SUBJECT_LINE.exec(folded);
    if (opening) {
      const parts = [line.slice(opening[0].length)];
      for (const next of lines.slice(index + 1, index + 4)) {
        if (next === '' || SUBJECT_STOP.test(foldKeepingOffsets(next).toLowerCase()) || /^-{3,}/.test(next)) break;
        parts.push(next);
      }
      const subject = tidy(parts.join(' '));
      if (subject) return subject;
    }
  }
  for (const line of lines.slice(0, 5)) {
    const summary = SUMMARY_SENTENCE.exec(foldKeepingOffsets(line).toLowerCase());
    if (summary) {
      const subject = tidy(line.slice(summary.index + summary[0].length));
      if (subject) return subject;
    }
  }
  return undefined;
}

const KIND_NAMES: Record<DirectiveKind, { vi: string; en: string }> = {
  dispatch: { vi: 'Công văn', en: 'Official Dispatch' },
  telegram: { vi: 'Công điện', en: 'Official Telegram' },
  directive: { vi: 'Chỉ thị', en: 'Directive' },
  decision: { vi: 'Quyết định', en: 'Decision' },
  plan: { vi: 'Kế hoạch', en: 'Plan' },
  notice: { vi: 'Thông báo', en: 'Notice' },
  other: { vi: 'Văn bản', en: 'Document' },
};

export function directiveKindName(kind: DirectiveKind): { vi: string; en: string } {
  return KIND_NAMES[kind];
}

/** "Official Dispatch 8598/BCT-TMDT": the title of a document that states no subject. */
export function fallbackTitle(kind: DirectiveKind, number: string, language: 'vi' | 'en'): string {
  return language === 'vi' ? `${KIND_NAMES[kind].vi} số ${number}` : `${KIND_NAMES[kind].en} ${number}`;
}

const NUMBER_MENTION = /\b\d{1,6}\/(?:\d{4}\/)?\p{L}[\p{L}\d]*(?:-[\p{L}\d]+)*/gu;

/** Numbers of documents mentioned in a text ("Thực hiện Công điện số 105/CĐ-TTg …"), as number keys. */
export function findMentionedNumbers(text: string): string[] {
  return [...new Set([...toNfc(text).matchAll(NUMBER_MENTION)].map((match) => directiveNumberKey(match[0])))];
}

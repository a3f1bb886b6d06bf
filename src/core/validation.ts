import { z } from 'zod';
import { isCalendarDate, parseDayInput } from './dates.ts';
import { type FieldIssue, invalidInput } from './errors.ts';
import { fill, type Localized } from './i18n.ts';
import { toNfc, trimEndOf } from './text.ts';

/**
 * Validation at the edges, in both languages. A zod schema validates a JSON body and a form body alike; its
 * failures become field issues whose text people can read: a rule's own words where it gives them
 * (`localizedRule`), else a plain message chosen by the kind of failure (required, too long, not a date…).
 * The API shows the English text, pages the reader's language.
 */

/**
 * The options of a `.refine()`/`.superRefine()` issue whose message reaches forms in both languages:
 * `schema.refine(check, localizedRule({ vi, en }))`.
 */
export function localizedRule(text: Localized): { error: string; params: { text: Localized } } {
  return { error: text.en, params: { text } };
}

const MESSAGES = {
  required: { vi: 'Chưa điền mục này.', en: 'This is required.' },
  tooShort: { vi: 'Cần ít nhất {n} ký tự.', en: 'Use at least {n} characters.' },
  tooLong: { vi: 'Tối đa {n} ký tự.', en: 'Use at most {n} characters.' },
  tooFew: { vi: 'Cần chọn ít nhất {n}.', en: 'Choose at least {n}.' },
  tooMany: { vi: 'Tối đa {n} mục.', en: 'At most {n} items.' },
  numberTooSmall: { vi: 'Phải từ {n} trở lên.', en: 'Must be {n} or more.' },
  numberTooBig: { vi: 'Không được lớn hơn {n}.', en: 'Must be {n} or less.' },
  notNumber: { vi: 'Hãy nhập một số.', en: 'Enter a number.' },
  notInteger: { vi: 'Hãy nhập một số nguyên.', en: 'Enter a whole number.' },
  email: {
    vi: 'Địa chỉ email không hợp lệ (ví dụ ten@congty.vn).',
    en: 'Enter an email address like name@company.vn.',
  },
  url: { vi: 'Địa chỉ web không hợp lệ.', en: 'Enter a valid web address.' },
  uuid: { vi: 'Mã định danh không hợp lệ.', en: 'Not a valid identifier.' },
  format: { vi: 'Không đúng định dạng.', en: 'This is not in the expected format.' },
  choice: { vi: 'Hãy chọn một trong các lựa chọn.', en: 'Choose one of the options.' },
  day: {
    vi: 'Hãy viết ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2024.',
    en: 'Write the date as dd/mm/yyyy, for example 31/12/2024.',
  },
  unknownField: { vi: 'Trường không được hỗ trợ: {keys}.', en: 'Unsupported field(s): {keys}.' },
  invalid: { vi: 'Giá trị không hợp lệ.', en: 'This value is not valid.' },
} satisfies Record<string, Localized>;

/** What this module needs of a zod issue; Fastify's validation errors carry the same facts under other names. */
export interface IssueFacts {
  code: string;
  path: readonly PropertyKey[];
  message?: string;
  /** Everything else zod reported: minimum, maximum, origin, format, expected, keys, params… */
  details: Record<string, unknown>;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * The text of one failure in both languages. `input` is what was validated, to tell a missing value from a wrong
 * one; where it is not at hand (an API error), zod's own "received undefined" tells.
 */
export function localizeIssue(issue: IssueFacts, input?: { value: unknown }): Localized {
  const missing = input
    ? isBlank(valueAt(input.value, issue.path))
    : issue.message?.endsWith('received undefined') === true;
  const { details } = issue;
  const custom = (details.params as { text?: Localized } | undefined)?.text;
  if (custom) return custom;
  const n = (key: 'minimum' | 'maximum') => ({ n: Number(details[key]) });
  const origin = details.origin;
  switch (issue.code) {
    case 'invalid_type':
      if (missing) return MESSAGES.required;
      if (details.expected === 'int') return MESSAGES.notInteger;
      return details.expected === 'number' ? MESSAGES.notNumber : MESSAGES.invalid;
    case 'too_small':
      if (origin === 'string') {
        return Number(details.minimum) <= 1 ? MESSAGES.required : fill(MESSAGES.tooShort, n('minimum'));
      }
      if (origin === 'array' || origin === 'set') return fill(MESSAGES.tooFew, n('minimum'));
      return fill(MESSAGES.numberTooSmall, n('minimum'));
    case 'too_big':
      if (origin === 'string') return fill(MESSAGES.tooLong, n('maximum'));
      if (origin === 'array' || origin === 'set') return fill(MESSAGES.tooMany, n('maximum'));
      return fill(MESSAGES.numberTooBig, n('maximum'));
    case 'invalid_format':
      if (details.format === 'email') return MESSAGES.email;
      if (details.format === 'url') return MESSAGES.url;
      if (details.format === 'uuid' || details.format === 'guid') return MESSAGES.uuid;
      return MESSAGES.format;
    case 'invalid_value':
      return missing ? MESSAGES.required : MESSAGES.choice;
    case 'not_multiple_of':
      return MESSAGES.notInteger;
    case 'unrecognized_keys':
      return fill(MESSAGES.unknownField, { keys: ((details.keys as string[] | undefined) ?? []).join(', ') });
    default:
      return MESSAGES.invalid;
  }
}

/** A field's name as forms and the API name it: the path joined with dots (`vn_representative.tax_code`). */
export function fieldOfPath(path: readonly PropertyKey[]): string | undefined {
  return path.length ? path.map(String).join('.') : undefined;
}

/** zod's issues as field issues in both languages. */
export function fieldIssuesOfZod(issues: readonly z.core.$ZodIssue[], input: unknown): FieldIssue[] {
  return issues.map((issue) => {
    const { code, path, message, ...details } = issue;
    const field = fieldOfPath(path);
    const text = localizeIssue({ code, path, message, details }, { value: input });
    return field === undefined ? { message: text } : { field, message: text };
  });
}

// ---------------------------------------------------------------------------------------------------
/**
 * Free text a service takes (a provision, a note, a title): NFC and trimmed; refused, naming `field`, when it is longer
 * than `max` or, if `required`, empty. `label` names it in the message (the field's name when omitted).
 */
export function boundedText(
  value: string | undefined,
  field: string,
  max: number,
  options: { label?: Localized; required?: boolean } = {},
): string {
  const label = options.label ?? { vi: field, en: field };
  const text = toNfc(value ?? '').trim();
  if (options.required && !text) {
    throw invalidInput({ vi: `Chưa nhập ${label.vi}`, en: `${label.en} is required` }, field);
  }
  if (text.length > max) {
    throw invalidInput(
      { vi: `${label.vi} dài quá ${max} ký tự`, en: `${label.en} is longer than ${max} characters` },
      field,
    );
  }
  return text;
}

// Fields as HTML forms send them: every value a string, absent when empty or unchecked.

/** Form text: NFC, runs of white space folded to one space, trimmed. */
export function cleanFormText(value: string): string {
  return toNfc(value).replace(/\s+/g, ' ').trim();
}

/** Several lines of text: NFC, each line's end trimmed, at most two blank lines in a row. */
function cleanFormParagraphs(value: string): string {
  return toNfc(value)
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => trimEndOf(line, ' \t'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const blankToUndefined = (value: unknown) => (isBlank(value) ? undefined : value);

/** A required line of text of at most `max` characters. */
export function requiredText(max: number) {
  return z.string().transform(cleanFormText).pipe(z.string().min(1).max(max));
}

/** An optional line of text: absent or blank → undefined. */
export function optionalText(max: number) {
  return z.preprocess(blankToUndefined, z.string().transform(cleanFormText).pipe(z.string().max(max)).optional());
}

/**
 * A password or another secret typed in a form, required: kept exactly as typed (never trimmed, folded or
 * normalised: the same keys must give the same secret).
 */
export function requiredSecret(max: number) {
  return z.string().min(1).max(max);
}

/** Several lines (a textarea), required. */
export function requiredParagraphs(max: number) {
  return z.string().transform(cleanFormParagraphs).pipe(z.string().min(1).max(max));
}

/** Several lines (a textarea), optional. */
export function optionalParagraphs(max: number) {
  return z.preprocess(blankToUndefined, z.string().transform(cleanFormParagraphs).pipe(z.string().max(max)).optional());
}

/** A day typed as dd/mm/yyyy (or sent as YYYY-MM-DD by the API) → 'YYYY-MM-DD'. */
export function requiredDay() {
  return z.string().transform((value, context) => {
    const day = parseDayInput(value);
    if (day === undefined) {
      context.addIssue({
        code: 'custom',
        message: MESSAGES.day.en,
        params: { text: isBlank(value) ? MESSAGES.required : MESSAGES.day },
      });
      return z.NEVER;
    }
    return day;
  });
}

/** An optional day: absent or blank → undefined. */
export function optionalDay() {
  return z.preprocess(blankToUndefined, requiredDay().optional());
}

/** 'YYYY-MM-DD' only (query strings and JSON), a day that exists. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isCalendarDate, localizedRule({ vi: 'Ngày không tồn tại.', en: 'No such day.' }));

/** A whole number typed in a form. */
export function formInteger(min: number, max: number) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : Number(value.trim())) : value),
    z.number().int().min(min).max(max),
  );
}

/** An optional whole number typed in a form: absent or blank → undefined. */
export function optionalInteger(min: number, max: number) {
  return z.preprocess(blankToUndefined, formInteger(min, max).optional());
}

/** A checkbox: present ('on', 'true', '1', 'yes') → true; absent → false. */
export function formCheckbox() {
  return z.preprocess(
    (value) => (typeof value === 'boolean' ? value : ['on', 'true', '1', 'yes'].includes(String(value ?? ''))),
    z.boolean(),
  );
}

/** Checkboxes sharing one name: a form sends one string or several; the API an array. */
export function formList<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
    z.array(item),
  );
}

/** A textarea of one item a line (blank lines dropped); a JSON body may send an array. */
export function formLines(maxItems: number, maxLength: number) {
  return z.preprocess(
    (value) =>
      value === undefined || value === null
        ? []
        : typeof value === 'string'
          ? value
              .split(/\r?\n/)
              .map((line) => line.trim())
              .filter(Boolean)
          : value,
    z.array(z.string().trim().min(1).max(maxLength)).max(maxItems),
  );
}

import { formatCalendarDate, isCalendarDate } from '../core/dates.ts';
import { type AppError, HTTP_STATUS_BY_CODE, isAppError } from '../core/errors.ts';
import { html, type SafeHtml } from '../core/html.ts';
import type { Localized } from '../core/i18n.ts';
import { fieldOfPath, type IssueFacts, localizeIssue } from '../core/validation.ts';

/**
 * The one way pages do forms. A form's body is validated by its zod schema, declared on the route like a JSON
 * body (`schema: { body }`, `attachValidation: true`); `formInputOf` gives the handler either the valid values or
 * the form state to show again: what was typed and every problem, per field, in both languages. Errors the
 * service throws become form state through `formStateOfError`. `formView` renders the parts: the error summary,
 * text, date, choice and file fields, each with its label, hint and error message.
 */

export type FormValue = string | readonly string[] | undefined;
export type FormValues = Readonly<Record<string, FormValue>>;

/** A problem to show: beside its field when it names one, always in the summary. */
export interface FormIssue {
  field?: string | undefined;
  message: Localized;
}

export interface FormState {
  values: FormValues;
  issues: readonly FormIssue[];
}

export const EMPTY_FORM: FormState = { values: {}, issues: [] };

/** Fields never shown again (a password is typed again; the CSRF token is the page's own). */
const NEVER_ECHOED = /password|^_csrf$|secret|token$/i;

/** What was typed, as strings, to fill the form in again. */
export function echoValues(body: unknown): FormValues {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const values: Record<string, FormValue> = {};
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (NEVER_ECHOED.test(name)) continue;
    if (typeof value === 'string') values[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') values[name] = String(value);
    else if (Array.isArray(value)) values[name] = value.filter((item): item is string => typeof item === 'string');
  }
  return values;
}

interface ValidationEntry {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Fastify's validation error of a body (from the zod type provider) as issues in both languages. */
function issuesOfValidation(error: Error, body: unknown): FormIssue[] {
  const entries = (error as Error & { validation?: ValidationEntry[] }).validation ?? [];
  return entries.map((entry) => {
    const path = entry.instancePath.split('/').filter(Boolean);
    const facts: IssueFacts = { code: entry.keyword, path, details: entry.params ?? {} };
    if (entry.message !== undefined) facts.message = entry.message;
    return { field: fieldOfPath(path), message: localizeIssue(facts, { value: body }) };
  });
}

/**
 * The valid body of a form route (declared with `attachValidation: true`), or the form to show again.
 * The type of `request.body` is what the schema produces; it is that only when validation passed.
 */
export function formInputOf<Body>(request: {
  validationError?: Error | undefined;
  body: Body;
}): { ok: true; value: Body } | { ok: false; form: FormState } {
  const error = request.validationError;
  if (!error) return { ok: true, value: request.body };
  return { ok: false, form: { values: echoValues(request.body), issues: issuesOfValidation(error, request.body) } };
}

/**
 * An error of the service as the form's state, with the HTTP status to answer: its issues when it lists them, else
 * its message under the field it names (or above the form). Anything but invalid input, a conflict or a too large
 * payload is not the form's problem: it is thrown again, for the error page.
 */
export function formStateOfError(error: unknown, values: FormValues): { form: FormState; status: number } {
  if (
    !isAppError(error) ||
    !(error.code === 'invalid_input' || error.code === 'conflict' || error.code === 'payload_too_large')
  ) {
    throw error;
  }
  return { form: { values, issues: issuesOfError(error) }, status: HTTP_STATUS_BY_CODE[error.code] };
}

function issuesOfError(error: AppError): FormIssue[] {
  if (error.issues.length > 0) {
    return error.issues.map((issue) => ({ field: issue.field, message: issue.message }));
  }
  return [{ field: error.field, message: error.text }];
}

// ---------------------------------------------------------------------------------------------------
// Rendering

export interface FieldSpec {
  name: string;
  label: Localized;
  hint?: Localized | undefined;
  /** Whether the browser should insist (the schema decides; this marks the field for people and assistive tech). */
  required?: boolean | undefined;
  autocomplete?: string | undefined;
  /** The value to show when the form is new (values typed and sent back win). */
  initial?: string | undefined;
}

export interface TextFieldSpec extends FieldSpec {
  type?: 'text' | 'email' | 'password' | 'tel' | 'url' | 'search' | 'number' | undefined;
  inputmode?: 'numeric' | 'email' | 'tel' | 'url' | 'decimal' | undefined;
  maxlength?: number | undefined;
  /** A textarea of this many rows instead of a one-line input. */
  rows?: number | undefined;
}

export interface Choice {
  value: string;
  label: Localized;
}

export interface ChoiceFieldSpec extends FieldSpec {
  choices: readonly Choice[] | ReadonlyArray<{ group: Localized; choices: readonly Choice[] }>;
  /** A first option with an empty value ("— Choose —"). */
  placeholder?: Localized | undefined;
}

export interface FileFieldSpec extends FieldSpec {
  /** MIME types and extensions the browser offers (`application/pdf,.pdf`); the server checks the content. */
  accept?: string | undefined;
  multiple?: boolean | undefined;
}

const TEXT = {
  summaryTitle: { vi: 'Có lỗi cần sửa', en: 'There is a problem' },
  dayHint: { vi: 'Dạng dd/mm/yyyy, ví dụ 31/12/2024.', en: 'As dd/mm/yyyy, for example 31/12/2024.' },
} satisfies Record<string, Localized>;

type Translate = (text: Localized) => string;

function isGrouped(
  choices: ChoiceFieldSpec['choices'],
): choices is ReadonlyArray<{ group: Localized; choices: readonly Choice[] }> {
  return choices.length > 0 && 'group' in (choices[0] as object);
}

export interface FormViewOptions {
  /**
   * Put before the ids of the form's fields (`totp-start-` gives `id="totp-start-current_password"`; the names stay),
   * so that several forms of one page may have fields of the same name.
   */
  idPrefix?: string | undefined;
}

/** Renders the parts of one form in one language, from its state. */
export function formView(t: Translate, state: FormState = EMPTY_FORM, options: FormViewOptions = {}) {
  const idOf = (name: string) => `${options.idPrefix ?? ''}${name}`;
  const messagesOf = (name: string) =>
    state.issues.filter((issue) => issue.field === name).map((issue) => t(issue.message));

  const shownValue = (spec: FieldSpec): string => {
    const typed = state.values[spec.name];
    if (typeof typed === 'string') return typed;
    return spec.initial ?? '';
  };

  const chosen = (spec: FieldSpec): ReadonlySet<string> => {
    const typed = state.values[spec.name];
    if (typed === undefined) return new Set(spec.initial === undefined ? [] : [spec.initial]);
    return new Set(typeof typed === 'string' ? [typed] : typed);
  };

  /**
   * Label, hint and error message above a control, and the attributes tying them to it. `controlClass` is the
   * control's own class, kept beside `input-error`: an element has one class attribute.
   */
  const frame = (spec: FieldSpec, control: (attributes: SafeHtml) => SafeHtml, controlClass?: string): SafeHtml => {
    const messages = messagesOf(spec.name);
    const invalid = messages.length > 0;
    const id = idOf(spec.name);
    const hintId = spec.hint ? `${id}-hint` : undefined;
    const errorId = invalid ? `${id}-error` : undefined;
    const describedBy = [hintId, errorId].filter(Boolean).join(' ');
    const attributes = html` id="${id}" name="${spec.name}"${spec.required ? html` required` : ''}${
      controlClass || invalid
        ? html` class="${[controlClass, invalid ? 'input-error' : ''].filter(Boolean).join(' ')}"`
        : ''
    }${invalid ? html` aria-invalid="true"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${
      spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''
    }`;
    return html`<div class="form-group${invalid ? ' form-group-error' : ''}">
  <label for="${id}">${t(spec.label)}</label>
  ${spec.hint ? html`<p class="hint" id="${hintId}">${t(spec.hint)}</p>` : ''}
  ${invalid ? html`<p class="field-error" id="${errorId}">${messages.join(' · ')}</p>` : ''}
  ${control(attributes)}
</div>`;
  };

  return {
    /**
     * Every problem, each linked to its field, at the top of the form (focus it: `role="alert"`). `labels` name the
     * fields in the summary, where the message stands away from its field.
     */
    summary(labels: Readonly<Record<string, Localized>> = {}): SafeHtml | string {
      if (state.issues.length === 0) return '';
      return html`<div class="error-summary" role="alert" tabindex="-1">
  <h2>${t(TEXT.summaryTitle)}</h2>
  <ul>${state.issues.map((issue) => {
    const label = issue.field ? labels[issue.field] : undefined;
    const text = label ? `${t(label)}: ${t(issue.message)}` : t(issue.message);
    return html`<li>${issue.field ? html`<a href="#${idOf(issue.field)}">${text}</a>` : text}</li>`;
  })}</ul>
</div>`;
    },

    text(spec: TextFieldSpec): SafeHtml {
      const value = spec.type === 'password' ? '' : shownValue(spec);
      return frame(spec, (attributes) =>
        spec.rows
          ? html`<textarea${attributes} rows="${spec.rows}"${spec.maxlength ? html` maxlength="${spec.maxlength}"` : ''}>${value}</textarea>`
          : html`<input type="${spec.type ?? 'text'}"${attributes} value="${value}"${
              spec.maxlength ? html` maxlength="${spec.maxlength}"` : ''
            }${spec.inputmode ? html` inputmode="${spec.inputmode}"` : ''}>`,
      );
    },

    /** A day typed as dd/mm/yyyy (a text input: the browsers' date pickers show the user's locale, not dd/mm/yyyy). */
    day(spec: FieldSpec): SafeHtml {
      const typed = shownValue(spec);
      const shown = isCalendarDate(typed) ? formatCalendarDate(typed) : typed;
      return frame(
        { ...spec, hint: spec.hint ?? TEXT.dayHint },
        (attributes) =>
          html`<input type="text"${attributes} value="${shown}" inputmode="numeric" maxlength="10" placeholder="dd/mm/yyyy">`,
        'input-day',
      );
    },

    select(spec: ChoiceFieldSpec): SafeHtml {
      const selected = chosen(spec);
      const option = (choice: Choice) =>
        html`<option value="${choice.value}"${selected.has(choice.value) ? html` selected` : ''}>${t(choice.label)}</option>`;
      return frame(
        spec,
        (attributes) => html`<select${attributes}>
  ${spec.placeholder ? html`<option value="">${t(spec.placeholder)}</option>` : ''}
  ${
    isGrouped(spec.choices)
      ? spec.choices.map((group) => html`<optgroup label="${t(group.group)}">${group.choices.map(option)}</optgroup>`)
      : spec.choices.map(option)
  }
</select>`,
      );
    },

    /** Radio buttons (one choice) or checkboxes (several), in a fieldset whose legend is the label. */
    choices(spec: ChoiceFieldSpec & { multiple?: boolean }): SafeHtml {
      const selected = chosen(spec);
      const messages = messagesOf(spec.name);
      const flat = isGrouped(spec.choices) ? spec.choices.flatMap((group) => group.choices) : spec.choices;
      const type = spec.multiple ? 'checkbox' : 'radio';
      const id = idOf(spec.name);
      return html`<fieldset class="form-group checkboxes${messages.length ? ' form-group-error' : ''}" id="${id}"${
        spec.hint ? html` aria-describedby="${id}-hint"` : ''
      }>
  <legend>${t(spec.label)}</legend>
  ${spec.hint ? html`<p class="hint" id="${id}-hint">${t(spec.hint)}</p>` : ''}
  ${messages.length ? html`<p class="field-error" id="${id}-error">${messages.join(' · ')}</p>` : ''}
  ${flat.map(
    (choice) =>
      html`<label><input type="${type}" name="${spec.name}" value="${choice.value}"${selected.has(choice.value) ? html` checked` : ''}> ${t(choice.label)}</label>`,
  )}
</fieldset>`;
    },

    /** Files: never filled in again (browsers do not allow it); the hint says what is accepted. */
    file(spec: FileFieldSpec): SafeHtml {
      return frame(
        spec,
        (attributes) =>
          html`<input type="file"${attributes}${spec.accept ? html` accept="${spec.accept}"` : ''}${spec.multiple ? html` multiple` : ''}>`,
      );
    },

    /** The messages of a field, for controls built by hand. */
    messagesOf,
  };
}

export type FormView = ReturnType<typeof formView>;

/** The confirmation above a page after a form did its work (`?done=…` after the redirect). */
export function successNotice(t: Translate, text: Localized | undefined): SafeHtml | string {
  return text ? html`<div class="notice" role="status"><p>${t(text)}</p></div>` : '';
}

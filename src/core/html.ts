/**
 * Server-rendered HTML with escaping by default: every interpolated value is escaped unless it is
 * already SafeHtml (the output of another `html` template or of `trustedHtml`). Crawled and submitted
 * text therefore cannot inject markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function renderValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(renderValue).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++) {
    out += renderValue(values[index]) + (strings[index + 1] ?? '');
  }
  return new SafeHtml(out);
}

/** Marks text as markup. Only for constants written in this code base, never for input. */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Plain text as paragraphs (a blank line between them) and line breaks; everything escaped. */
export function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n{2,}/)
    .filter((part) => part.trim() !== '')
    .map((part) => {
      const lines = part.split('\n');
      return html`<p>${lines.map((line, index) => html`${index > 0 ? html`<br>` : ''}${line}`)}</p>`;
    })}`;
}

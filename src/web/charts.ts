import { html, type SafeHtml } from '../core/html.ts';

/**
 * A table whose last column draws one of its numbers as a bar (inline SVG, no script, no outside resource): the table
 * is the chart's data for screen readers, printing and copying; the bars are decoration (`aria-hidden`).
 */
export interface BarTable {
  /** The caption, also the table's accessible name. */
  caption: string;
  /** Column headings; the bar column comes after them. */
  columns: readonly string[];
  rows: ReadonlyArray<{
    cells: ReadonlyArray<string | number | SafeHtml>;
    value: number;
    /** Set as `data-key` on the row (tests and scripts find a row by it). */
    key?: string;
    /** The bar's colour (default: the table's). */
    colour?: string;
  }>;
  /** The bar column's heading (what the bar measures). */
  barLabel: string;
  id: string;
  colour?: string;
  /** The figure's class (its layout in site.css); default `bar-table`. */
  className?: string;
  /** The first cell names the row (`<th scope="row">`) rather than being data. */
  rowHeaders?: boolean;
}

export function barTable(chart: BarTable): SafeHtml {
  const max = Math.max(1, ...chart.rows.map((row) => row.value));
  const colour = chart.colour ?? '#1d4f91';
  return html`<figure class="${chart.className ?? 'bar-table'}" aria-labelledby="${chart.id}-caption">
<table class="responsive-table">
  <caption id="${chart.id}-caption">${chart.caption}</caption>
  <thead><tr>${chart.columns.map((column) => html`<th scope="col">${column}</th>`)}<th scope="col">${chart.barLabel}</th></tr></thead>
  <tbody>${chart.rows.map((row) => {
    const width = Math.round((row.value / max) * 100);
    return html`<tr${row.key ? html` data-key="${row.key}"` : ''}>${row.cells.map((cell, index) =>
      index === 0 && chart.rowHeaders
        ? html`<th scope="row">${cell}</th>`
        : html`<td data-label="${chart.columns[index] ?? ''}">${cell}</td>`,
    )}<td class="bar" data-label="${chart.barLabel}"><svg aria-hidden="true" focusable="false" width="100%" height="14" viewBox="0 0 100 14" preserveAspectRatio="none"><rect x="0" y="0" width="100" height="14" fill="#f3f2f1"/>${width > 0 ? html`<rect x="0" y="0" width="${width}" height="14" fill="${row.colour ?? colour}"/>` : ''}</svg></td></tr>`;
  })}</tbody>
</table>
</figure>`;
}

import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for exports people open in a spreadsheet (the audit trail, the tracker, and every export to
 * come). A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is run by Excel, LibreOffice and
 * Google Sheets as a formula (`=HYPERLINK(…)` typed as an e-mail address at sign-in, say), so such a text gets a
 * leading apostrophe, as OWASP's "CSV injection" advice says: the spreadsheet shows it as text. Numbers, booleans
 * and empty cells are written as they are.
 *
 * Not for the Registry CSV: that is a data format that round-trips through `registry import`, whose importer
 * refuses such cells in the first place.
 */

export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** The text of one cell as a spreadsheet must get it. */
export function neutralizeCell(value: CsvCell): string | number | boolean {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return value;
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Rows (the header first, when there is one) as CSV lines ending in `\n`. */
export function spreadsheetCsv(rows: ReadonlyArray<ReadonlyArray<CsvCell>>): string {
  if (rows.length === 0) return '';
  return stringify(
    rows.map((row) => row.map(neutralizeCell)),
    { record_delimiter: '\n' },
  );
}

/**
 * The feed formats, written a page of entries at a time: an RPZ zone (as BIND and Unbound load it), a hosts file,
 * CSV (through the one spreadsheet CSV writer) and JSON. Pure functions of the entries and the serial: the same
 * serial gives the same bytes, so a signature made once stays valid for every copy of that serial.
 */
import { spreadsheetCsv } from '../../core/csv.ts';
import type { EntryRow } from './blocklist.repository.ts';

export const FEED_FORMATS = ['rpz', 'hosts', 'csv', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export const FEED_CONTENT_TYPES: Record<FeedFormat, string> = {
  rpz: 'text/dns; charset=utf-8',
  hosts: 'text/plain; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

export interface FeedSettings {
  /** The RPZ zone's name (BLOCKLIST_ZONE or --zone). */
  zone: string;
  /** Walled garden: blocked names answer a CNAME to this host; null: NXDOMAIN (`CNAME .`). */
  landingHost: string | null;
}

/** What a feed says when the decision that blocked a platform is not recorded in ecomgov (yet). */
export const DECISION_NOTE =
  'decision_no, legal_basis, effective_from and effective_to are those of the active block decision recorded by the blocking workflow; null for a platform blocked without one (imported as blocked)';

const RPZ_TTL = 300;

export function rpzHeader(serial: number, settings: FeedSettings): string {
  const zone = `${settings.zone.replace(/\.$/, '')}.`;
  return [
    `; ecomgov blocklist, serial ${serial}. Platforms whose register status is "blocked".`,
    `$ORIGIN ${zone}`,
    `$TTL ${RPZ_TTL}`,
    `@ IN SOA localhost. hostmaster.localhost. ( ${serial % 2 ** 32} 3600 600 604800 ${RPZ_TTL} )`,
    '@ IN NS localhost.',
    '',
  ].join('\n');
}

/**
 * What a blocked name is rewritten to: `.` (NXDOMAIN) or the landing host (walled garden). The lines themselves
 * (`DOMAIN CNAME TARGET`, `*.DOMAIN CNAME TARGET`; `rpz-passthru.` for exceptions) are written by the database:
 * `readFeedLinesAt` in the repository.
 */
export function rpzBlockTarget(settings: FeedSettings): string {
  return settings.landingHost ? `${settings.landingHost.replace(/\.$/, '')}.` : '.';
}

export function hostsHeader(serial: number): string {
  return `# ecomgov blocklist, serial ${serial}. Platforms whose register status is "blocked".\n# A hosts file cannot hold wildcards: subdomains are blocked by the RPZ feed only.\n`;
}

export const CSV_HEADER = [
  'domain',
  'platform',
  'registration_no',
  'decision_no',
  'legal_basis',
  'effective_from',
  'effective_to',
  'serial',
] as const;

export function csvLines(rows: readonly EntryRow[], serial: number, header: boolean): string {
  const cells = rows
    .filter((row) => row.action === 'block')
    .map((row) => [
      row.domain,
      row.platform_name,
      row.registration_no,
      row.decision_no,
      row.legal_basis,
      row.effective_from,
      row.effective_to,
      serial,
    ]);
  return spreadsheetCsv(header ? [[...CSV_HEADER], ...cells] : cells);
}

export function entryJson(row: EntryRow): string {
  return JSON.stringify({
    domain: row.domain,
    platform: row.platform_name,
    platform_id: row.platform_id,
    registration_no: row.registration_no,
    decision_no: row.decision_no,
    legal_basis: row.legal_basis,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
  });
}

export function jsonHeader(serial: number): string {
  return `{"serial":${serial},"note":${JSON.stringify(DECISION_NOTE)},"entries":[`;
}

export function jsonLines(rows: readonly EntryRow[], first: boolean): string {
  let text = '';
  let comma = !first;
  for (const row of rows) {
    if (row.action !== 'block') continue;
    text += `${comma ? ',\n' : '\n'}${entryJson(row)}`;
    comma = true;
  }
  return text;
}

export const JSON_FOOTER = '\n]}\n';

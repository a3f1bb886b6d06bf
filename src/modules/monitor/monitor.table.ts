import type { ColumnType, Generated } from 'kysely';

export const SCAN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** One requested scan: the queue's row while waiting, then the Monitor answer it produced. */
export interface MonitorScanTable {
  id: Generated<string>;
  url: string;
  /** HOST:PORT:ADDR mappings given with the request (curl's --resolve); the SSRF guard still checks ADDR. */
  resolve: ColumnType<string[], string[] | undefined, never>;
  requested_by: string;
  sweep_id: ColumnType<string | null, string | null | undefined, never>;
  status: ColumnType<ScanStatus, ScanStatus | undefined, ScanStatus>;
  /** The Monitor answer (DESIGN.md), when done. */
  answer: ColumnType<unknown, never, string | null>;
  classification: string | null;
  /** The host the answer landed on (after redirects), without `www.`: what a finding is keyed on. */
  domain: string | null;
  evidence_id: string | null;
  error: string | null;
  requested_at: ColumnType<Date, Date | undefined, never>;
  started_at: Date | null;
  finished_at: Date | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    monitor_scans: MonitorScanTable;
  }
}

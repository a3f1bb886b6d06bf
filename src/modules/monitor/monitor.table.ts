import type { ColumnType, Generated } from 'kysely';

export const SCAN_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

/** One requested scan: the queue's row while waiting, then the Monitor answer it produced. */
export interface MonitorScanTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
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
  /** Times a worker claimed it (a scan whose worker died is queued again, then failed: `requeueStaleScans`). */
  attempts: ColumnType<number, never, number>;
}

/** A named list of URLs scanned together, on demand or on its schedule (cron, Vietnam time). */
export interface MonitorSweepTable {
  id: ColumnType<string, string | undefined, never>;
  name: string;
  urls: string[];
  cron: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date, Date>;
  updated_at: ColumnType<Date, Date, Date>;
  last_run_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    monitor_scans: MonitorScanTable;
  }
}

export const FINDING_STATUSES = ['open', 'dismissed', 'warned', 'block_requested', 'case'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** One per domain: the latest flagged scan, and the latest scan whatever it found. */
export interface MonitorFindingTable {
  id: Generated<string>;
  domain: string;
  classification: 'unregistered_ecommerce' | 'fake_badge';
  status: ColumnType<FindingStatus, FindingStatus | undefined, FindingStatus>;
  first_seen_at: Date;
  last_seen_at: Date;
  latest_scan_id: string;
  latest_evidence_id: string | null;
  last_scan_id: string;
  last_scan_classification: string;
  last_scanned_at: Date;
  status_reason: string | null;
  status_changed_by: string | null;
  status_changed_at: Date | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    monitor_findings: MonitorFindingTable;
    monitor_sweeps: MonitorSweepTable;
  }
}

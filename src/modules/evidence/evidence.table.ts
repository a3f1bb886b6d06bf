import type { ColumnType, Generated } from 'kysely';

/** What happened to an evidence item, in its custody log. */
export const CUSTODY_EVENTS = ['captured', 'viewed', 'exported', 'attached', 'verified'] as const;
export type CustodyEvent = (typeof CUSTODY_EVENTS)[number];

/**
 * One capture of a URL: where the fetch went and what it got, and the files of the evidence store that hold it
 * (paths relative to the store) with their SHA-256.
 */
export interface EvidenceItemTable {
  id: Generated<string>;
  url: string;
  final_url: string;
  http_status: number;
  captured_at: Date;
  /** The address connected to for the final response. */
  ip: string;
  warc_path: string;
  warc_sha256: string;
  /** WARC-Record-ID of the final response record: its payload is the body that `body_sha256` hashes. */
  final_record_id: string;
  body_sha256: string;
  body_bytes: number;
  body_truncated: boolean;
  cert_chain_path: string | null;
  cert_chain_sha256: string | null;
  screenshot_path: string | null;
  screenshot_sha256: string | null;
  captured_by: string;
  case_id: ColumnType<string | null, string | null | undefined, string | null>;
  finding_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EvidenceCustodyTable {
  id: Generated<number>;
  evidence_id: string;
  event: CustodyEvent;
  actor: string;
  at: ColumnType<Date, Date | undefined, never>;
  /** What the event concerned: the verification's result, the export's SHA-256, the case attached to. */
  detail: ColumnType<unknown, string | null, never>;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    evidence_items: EvidenceItemTable;
    evidence_custody: EvidenceCustodyTable;
  }
}

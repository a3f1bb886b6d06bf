import type { ColumnType, Generated } from 'kysely';
import type { SourceStatus } from '../procedures/index.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const TARGET_STATES = ['open', 'explanation_requested', 'listed', 'closed'] as const;
export type TargetState = (typeof TARGET_STATES)[number];
export const TARGET_KINDS = ['domain', 'android_app', 'ios_app', 'name'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const CHANNELS = ['form', 'api', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];
export type TargetEvent =
  | 'explanation_requested'
  | 'replied'
  | 'reply_adequate'
  | 'reply_inadequate'
  | 'listed'
  | 'closed';

/** The portal's rule on sites complained about, as data citing its provision. */
export interface ComplaintRuleTable {
  code: string;
  /** Reporters (told apart by e-mail or phone) that open the request: "more than 5" is 6. */
  min_reporters: number;
  reply_working_days: number;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
  effective_from: string;
  effective_to: string | null;
}

export interface ComplaintTargetTable {
  id: Generated<string>;
  target: string;
  kind: TargetKind;
  /** The competent unit it is routed to (units catalogue id). */
  unit_id: string;
  state: ColumnType<TargetState, TargetState | undefined, TargetState>;
  explanation_requested_on: string | null;
  explanation_due_on: string | null;
  reply: string | null;
  replied_at: NullableTimestamp;
  reply_adequate: boolean | null;
  listed_on: string | null;
  created_at: Timestamp;
}

export interface ComplaintTargetEventTable {
  id: Generated<string>;
  target_id: string;
  occurred_at: Timestamp;
  event: TargetEvent;
  note: ColumnType<string, string | undefined, string>;
}

export interface ComplaintTable {
  id: Generated<string>;
  target_id: string;
  channel: Channel;
  what_happened: string;
  amount_vnd: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  payment_method: string | null;
  occurred_on: string | null;
  reporter_name: string | null;
  reporter_email: string | null;
  reporter_phone: string | null;
  /** Normalised e-mail or phone that tells reporters apart; null counts toward no threshold. */
  reporter_key: string | null;
  /** SHA-256 of reporter + target + facts: the same complaint twice is merged into one. */
  fingerprint: string;
  external_id: string | null;
  duplicates: ColumnType<number, number | undefined, number>;
  received_at: Timestamp;
}

export interface ComplaintFileTable {
  sha256: string;
  media_type: string;
  size_bytes: number;
  content: Buffer;
}

export interface ComplaintAttachmentTable {
  complaint_id: string;
  sha256: string;
  filename: string;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    complaint_rules: ComplaintRuleTable;
    complaint_targets: ComplaintTargetTable;
    complaint_target_events: ComplaintTargetEventTable;
    complaints: ComplaintTable;
    complaint_files: ComplaintFileTable;
    complaint_attachments: ComplaintAttachmentTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface DirectiveTable {
  id: Generated<string>;
  number: string;
  /** The number folded for comparison ("8598/BCT-TMĐT" and "8598/BCT-TMDT" are one document). */
  number_key: string;
  kind: string;
  issued_on: string | null;
  issuer: string | null;
  issuer_unit_id: string | null;
  title: string;
  language: string;
  source_text: string;
  source_sha256: string;
  unplaced: string[];
  is_demo: Generated<boolean>;
  imported_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectiveAssignmentTable {
  id: Generated<string>;
  directive_id: string;
  position: number;
  unit_name: string;
  unit_id: string | null;
  role: string;
  cooperating_names: string[];
  cooperating_unit_ids: string[];
}

export interface DirectiveTaskTable {
  id: Generated<string>;
  directive_id: string;
  assignment_id: string;
  /** Order of the task in the whole directive, from 1 (how people cite it: "task 4 of 8598"). */
  seq: number;
  /** Order within its assignment, from 0. */
  position: number;
  text: string;
  period_text: string | null;
  period_kind: string;
  period_start: string | null;
  period_due: string | null;
  recurrence: string | null;
  /** Units the task's own text names to cooperate with, as written (the assignment's are on its row). */
  cooperating_names: Generated<string[]>;
  depends_on_directive_id: string | null;
  depends_on_task_id: string | null;
  status: Generated<string>;
  completed_on: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DirectiveProgressReportTable {
  id: Generated<string>;
  task_id: string;
  text: string;
  percentage: number;
  period_start: string | null;
  completed_on: string | null;
  reported_by: string;
  reporter_name: string;
  reporter_unit_id: string | null;
  reported_on: string;
  reported_at: Timestamp;
}

export interface DirectiveReportAttachmentTable {
  id: Generated<string>;
  report_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  content: Buffer;
}

export interface DirectiveExtensionRequestTable {
  id: Generated<string>;
  task_id: string;
  current_due: string | null;
  requested_due: string;
  reason: string;
  requested_by: string;
  requester_name: string;
  requested_at: Timestamp;
  decision: string | null;
  decision_note: string | null;
  decided_by: string | null;
  decider_name: string | null;
  decided_at: Date | null;
}

export interface DirectiveReminderTable {
  task_id: string;
  kind: string;
  due_on: string;
  unit_id: string | null;
  recipients: string[];
  sent_at: Timestamp;
}

/** A secret address of a calendar feed; the token itself is never stored, only its SHA-256. */
export interface DirectiveFeedTokenTable {
  id: Generated<string>;
  /** null: the feed of every unit's tasks. */
  unit_id: string | null;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    directives: DirectiveTable;
    directive_assignments: DirectiveAssignmentTable;
    directive_tasks: DirectiveTaskTable;
    directive_progress_reports: DirectiveProgressReportTable;
    directive_report_attachments: DirectiveReportAttachmentTable;
    directive_extension_requests: DirectiveExtensionRequestTable;
    directive_reminders: DirectiveReminderTable;
    directive_feed_tokens: DirectiveFeedTokenTable;
  }
}

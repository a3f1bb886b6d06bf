import type { ColumnType, Generated } from 'kysely';
import type { SourceStatus } from '../procedures/index.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A step of the inspection procedure and its clock, as data citing its provision. */
export interface CaseStepRuleTable {
  step: string;
  position: number;
  label_vi: string;
  label_en: string;
  working_days: number | null;
  extended_working_days: number | null;
  /** The step whose completion starts this step's clock (the fieldwork ends → the report is due). */
  counts_from: string | null;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
  effective_from: string;
  effective_to: string | null;
}

/** A fine of the sanctions decree: the range for an individual; an organisation's is `organisation_multiplier` times. */
export interface SanctionRuleTable {
  code: string;
  position: number;
  violation_vi: string;
  violation_en: string;
  provision: string;
  individual_min_vnd: ColumnType<string, string | number, string | number>;
  individual_max_vnd: ColumnType<string, string | number, string | number>;
  organisation_multiplier: number;
  remedial_vi: string;
  remedial_en: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
  effective_from: string;
  effective_to: string | null;
}

export interface CaseTable {
  id: Generated<string>;
  reference: string;
  title: string;
  summary: string;
  unit_id: string | null;
  status: 'open' | 'closed';
  current_step: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: NullableTimestamp;
}

export const CASE_LINK_KINDS = [
  'platform',
  'finding',
  'complaint',
  'evidence',
  'declaration',
  'task',
  'decision',
] as const;
export type CaseLinkKind = (typeof CASE_LINK_KINDS)[number];

export interface CaseLinkTable {
  case_id: string;
  kind: CaseLinkKind;
  ref: string;
  note: string;
  added_by: string;
  added_at: Timestamp;
}

export interface CaseStepTable {
  case_id: string;
  step: string;
  started_on: string;
  due_on: string | null;
  extended: ColumnType<boolean, boolean | undefined, boolean>;
  completed_on: string | null;
  completed_by: string | null;
  document_no: string | null;
  note: ColumnType<string, string | undefined, string>;
}

export interface CaseSanctionTable {
  id: Generated<string>;
  case_id: string;
  rule_code: string;
  offender_kind: 'individual' | 'organisation';
  offender_name: string;
  platform_id: string | null;
  amount_vnd: ColumnType<string, string | number, string | number>;
  decision_no: string;
  decision_date: string;
  facts: string;
  decided_by: string;
  decided_at: Timestamp;
  public_id: string | null;
}

/** An e-mail sent about an overdue step: one per step and due day (a re-run finds it and sends nothing). */
export interface CaseStepReminderTable {
  case_id: string;
  step: string;
  due_on: string;
  unit_id: string | null;
  recipients: string[];
  sent_at: ColumnType<Date, Date | string | undefined, never>;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    case_step_rules: CaseStepRuleTable;
    sanction_rules: SanctionRuleTable;
    cases: CaseTable;
    case_links: CaseLinkTable;
    case_steps: CaseStepTable;
    case_sanctions: CaseSanctionTable;
    case_step_reminders: CaseStepReminderTable;
  }
}

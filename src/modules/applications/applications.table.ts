import type { ColumnType, Generated } from 'kysely';
import type { SourceStatus } from '../procedures/index.ts';
import type { DomainCheckFailure } from './domain-control.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface ApplicationTable {
  id: Generated<string>;
  /** HS-YYYY-NNNNNN, what the business quotes. */
  reference: string;
  type: 'notification' | 'registration' | 'change' | 'reregistration';
  status: 'submitted' | 'supplement_requested' | 'approved' | 'rejected';
  kind: string;
  law_type: string;
  applicant_account_id: string;
  applicant_organisation_id: string;
  contact_email: string;
  site_name: string;
  org_name: string;
  tax_code: string | null;
  country: string;
  head_office_address: string;
  responsible_person: string;
  responsible_phone: string;
  android_apps: ColumnType<string[], string[] | undefined, string[]>;
  ios_apps: ColumnType<string[], string[] | undefined, string[]>;
  goods_categories: string[];
  cross_border: boolean;
  /** An organisation, or an individual notifying a sales site (Decree 52/2013 Art. 52); tax_code is then the personal number. */
  applicant_kind: ColumnType<'organisation' | 'individual', 'organisation' | 'individual' | undefined>;
  /** A representative office or an appointed legal person; 'authorised_representative' only on rows filed before issue 10. */
  vn_representative_kind: 'representative_office' | 'legal_entity' | 'authorised_representative' | null;
  vn_representative_name: string | null;
  vn_representative_tax_code: string | null;
  vn_representative_address: string | null;
  /** The platform changed or re-registered, or the platform the approval wrote. */
  platform_id: string | null;
  registration_no: string | null;
  verification_token: string;
  /** A change: the day the information changed, when the business had to report it by, and whether it was late. */
  information_changed_on: ColumnType<string | null, string | null | undefined, string | null>;
  change_report_due_on: ColumnType<string | null, string | null | undefined, string | null>;
  reported_late: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  /** When the review clock started: submission, or the last resubmission. */
  received_at: Timestamp;
  due_on: string;
  deadline_at: Timestamp;
  supplement_request: string | null;
  decision_reason: string | null;
  /** The ground a refusal cites (application_refusal_grounds). */
  refusal_ground: ColumnType<string | null, string | null | undefined, string | null>;
  decided_at: NullableTimestamp;
  decided_by: string | null;
  revision: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ApplicationDomainTable {
  application_id: string;
  domain: string;
  /** 0 is the primary domain. */
  position: number;
  verified_at: NullableTimestamp;
  verified_by: 'http' | 'dns' | null;
  last_checked_at: NullableTimestamp;
  /** What the last check met (addresses, errors): for officers only. */
  last_check_detail: string | null;
  /** Why the last check failed, as the applicant is told (see domain-control.ts); null before the first check. */
  last_check_failures: DomainCheckFailure[] | null;
}

export interface ApplicationEventTable {
  id: Generated<number>;
  application_id: string;
  action: string;
  note: string | null;
  actor: string;
  occurred_at: Timestamp;
}

export interface NumberSequenceTable {
  prefix: string;
  year: number;
  last_value: number;
}

export interface RegistrationActionTable {
  id: Generated<number>;
  platform_id: string;
  action: 'suspend' | 'cancel' | 'reinstate' | 'terminate';
  reason: string;
  legal_basis: string;
  /** The codes of `cancellation_grounds` a cancellation rests on; empty for the other actions. */
  grounds: ColumnType<string[], string[] | undefined, string[]>;
  /** The termination request or the proposal (`registration_requests`) the decision accepted. */
  request_id: string | null;
  actor: string;
  occurred_at: Timestamp;
}

/**
 * A row of the law as data: a ground a decision cites (cancellation_grounds, application_refusal_grounds,
 * foreign_platform_grounds, one shape), with its provision, source and how sure that source is.
 */
export interface LegalGroundTable {
  code: string;
  position: number;
  label_vi: string;
  label_en: string;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: ColumnType<string, string | undefined, string>;
  effective_from: string;
  effective_to: ColumnType<string | null, string | null | undefined, string | null>;
}

/** When the periodic report of a year is due (the row in force on 1 January of the following year applies). */
export interface AnnualReportDeadlineTable {
  effective_from: string;
  effective_to: ColumnType<string | null, string | null | undefined, string | null>;
  due_month: number;
  due_day: number;
  /** Whether the due day itself is still on time ("trước ngày 15" read as "by the 14th" when false). */
  due_day_included: boolean;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: ColumnType<string, string | undefined, string>;
}

/** A registered platform's periodic report of a year: the figures by `annual_report_fields` code. */
export interface AnnualReportTable {
  id: Generated<string>;
  platform_id: string;
  year: number;
  figures: ColumnType<Record<string, number>, string, string>;
  note: ColumnType<string, string | undefined, string>;
  filed_by: string;
  filed_at: Timestamp;
  amended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ApplicationForeignGroundTable {
  application_id: string;
  ground_code: string;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    applications: ApplicationTable;
    application_domains: ApplicationDomainTable;
    application_events: ApplicationEventTable;
    number_sequences: NumberSequenceTable;
    registration_actions: RegistrationActionTable;
    foreign_platform_grounds: LegalGroundTable;
    application_refusal_grounds: LegalGroundTable;
    cancellation_grounds: LegalGroundTable;
    application_foreign_grounds: ApplicationForeignGroundTable;
    annual_report_deadlines: AnnualReportDeadlineTable;
    annual_report_fields: LegalGroundTable;
    annual_reports: AnnualReportTable;
  }
}

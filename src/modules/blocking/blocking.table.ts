import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export const BLOCK_STATUSES = ['proposed', 'returned', 'approved', 'decided', 'active', 'lifted'] as const;
export type BlockStatus = (typeof BLOCK_STATUSES)[number];

export const LIFT_REASONS = ['complied', 'appeal_granted', 'expired'] as const;
export type LiftReason = (typeof LIFT_REASONS)[number];

export const APPEAL_STATUSES = ['received', 'accepted', 'granted', 'rejected'] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

export interface BlockRequestTable {
  id: Generated<string>;
  platform_id: string;
  /** The platform's name when proposed (the public page names it even if the register renames it). */
  platform_name: string;
  domains: ColumnType<string[], string[] | undefined, string[]>;
  android_apps: ColumnType<string[], string[] | undefined, string[]>;
  ios_apps: ColumnType<string[], string[] | undefined, string[]>;
  reason: string;
  legal_basis: string;
  /** Links to evidence: URLs, or ids of captured evidence. */
  evidence: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<BlockStatus, BlockStatus | undefined, BlockStatus>;
  unit_id: Nullable<string>;
  proposed_by: string;
  proposed_at: Timestamp;
  reviewed_by: Nullable<string>;
  reviewed_at: NullableTimestamp;
  review_note: Nullable<string>;
  returned_reason: Nullable<string>;
  decision_no: Nullable<string>;
  /** 'YYYY-MM-DD' */
  decision_date: Nullable<string>;
  effective_from: Nullable<string>;
  effective_to: Nullable<string>;
  decided_by: Nullable<string>;
  decided_at: NullableTimestamp;
  activated_by: Nullable<string>;
  activated_at: NullableTimestamp;
  /** The platform's register status before the block: lifting restores it. */
  previous_status: Nullable<string>;
  lifted_by: Nullable<string>;
  lifted_at: NullableTimestamp;
  lift_reason: Nullable<LiftReason>;
  lift_note: Nullable<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BlockAppealTable {
  id: Generated<string>;
  reference: string;
  block_id: string;
  name: string;
  email: string;
  decision_no: string;
  grounds: string;
  status: ColumnType<AppealStatus, AppealStatus | undefined, AppealStatus>;
  received_at: Timestamp;
  acceptance_due_on: string;
  accepted_at: NullableTimestamp;
  resolution_due_on: Nullable<string>;
  decided_at: NullableTimestamp;
  decision_reason: Nullable<string>;
  handled_by: Nullable<string>;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    block_requests: BlockRequestTable;
    block_appeals: BlockAppealTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type RegistrationRequestKind = 'termination' | 'cancellation' | 'suspension';
export type RegistrationRequestStatus = 'pending' | 'accepted' | 'declined';

/** A business's request to terminate its registration, or a unit's proposal to cancel or suspend one. */
export interface RegistrationRequestTable {
  id: Generated<string>;
  platform_id: string;
  kind: RegistrationRequestKind;
  status: ColumnType<RegistrationRequestStatus, RegistrationRequestStatus | undefined, RegistrationRequestStatus>;
  grounds: ColumnType<string[], string[] | undefined, string[]>;
  note: string;
  evidence: string | null;
  requested_by: string;
  requester_unit: string | null;
  requester_organisation_id: string | null;
  created_at: Timestamp;
  /** The Agency's due day for a termination request (table of procedures, `termination`); null for proposals. */
  due_on: ColumnType<string | null, string | null | undefined, string | null>;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_reason: string | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    registration_requests: RegistrationRequestTable;
  }
}

import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Day = ColumnType<string, string, string>;

/** A ground for cancelling a notification or registration (Circular 47/2014/TT-BCT Art. 18), with its source. */
export interface CancellationGroundTable {
  code: string;
  provision: string;
  text_vi: string;
  text_en: string;
  valid_from: Day;
  valid_until: ColumnType<string | null, string | null | undefined, string | null>;
  source_status: 'verified' | 'unverified';
  source_url: string | null;
  source_note: string | null;
  position: number;
}

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
  decided_by: string | null;
  decided_at: NullableTimestamp;
  decision_reason: string | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    cancellation_grounds: CancellationGroundTable;
    registration_requests: RegistrationRequestTable;
  }
}

import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  name_key: string;
  tax_code: string | null;
  country: Generated<string>;
  address: string | null;
  vn_representative: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformTable {
  id: Generated<string>;
  registration_no: string | null;
  name: string;
  name_key: string;
  /** `name_key` with only a-z and 0-9 left, kept by the database (what name searches match). */
  name_compact: GeneratedAlways<string>;
  kind: string;
  status: string;
  cross_border: boolean;
  organisation_id: string | null;
  valid_from: string | null;
  valid_until: string | null;
  legacy_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformIdentityTable {
  kind: 'domain' | 'android_app' | 'ios_app';
  value: string;
  platform_id: string;
  position: number;
}

export interface PlatformStatusHistoryTable {
  id: Generated<number>;
  platform_id: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  changed_by: string;
  changed_at: Timestamp;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    organisations: OrganisationTable;
    platforms: PlatformTable;
    platform_identities: PlatformIdentityTable;
    platform_status_history: PlatformStatusHistoryTable;
  }
}

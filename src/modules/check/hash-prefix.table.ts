import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CheckHashStateTable {
  only_row: Generated<boolean>;
  version: number;
  changed_at: Timestamp;
}

/** One canonical expression of a platform, by its SHA-256 (hex), valid from `added_version` until `removed_version`. */
export interface CheckHashEntryTable {
  id: GeneratedAlways<number>;
  full_hash: string;
  prefix: string;
  verdict: string;
  platform_id: string;
  platform_name: string;
  registration_no: string | null;
  kind: string;
  status: string;
  added_version: number;
  removed_version: number | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    check_hash_state: CheckHashStateTable;
    check_hash_entries: CheckHashEntryTable;
  }
}

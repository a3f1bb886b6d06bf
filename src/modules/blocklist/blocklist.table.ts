import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface BlocklistStateTable {
  only_row: Generated<boolean>;
  serial: number;
  changed_at: Timestamp;
}

export interface BlocklistEntryTable {
  id: GeneratedAlways<number>;
  domain: string;
  action: 'block' | 'passthru';
  platform_id: string;
  platform_name: string;
  registration_no: string | null;
  /** The active block decision of the platform (module `blocking`, `activeBlockTerms`); null when none is recorded. */
  decision_no: string | null;
  legal_basis: string | null;
  effective_from: string | null;
  effective_to: string | null;
  added_serial: number;
  removed_serial: number | null;
}

export interface BlocklistPartnerLoadTable {
  token_id: string;
  partner_name: string;
  serial: number;
  loaded_at: Timestamp;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    blocklist_state: BlocklistStateTable;
    blocklist_entries: BlocklistEntryTable;
    blocklist_partner_loads: BlocklistPartnerLoadTable;
  }
}

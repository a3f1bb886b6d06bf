import type { ColumnType, Generated } from 'kysely';
import type { SourceStatus } from '../procedures/index.ts';

export const ADVISORY_SEVERITIES = ['info', 'warning', 'danger'] as const;
export type AdvisorySeverity = (typeof ADVISORY_SEVERITIES)[number];

export const ADVISORY_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type AdvisoryStatus = (typeof ADVISORY_STATUSES)[number];

/** Which list an advisory belongs to, with the provision it cites (the law as data; see the migration). */
export interface AdvisoryKindTable {
  id: string;
  name_vi: string;
  name_en: string;
  provision_vi: string;
  provision_en: string;
  source_url: string;
  /** Whether the citation was checked against the legal text; anything but `verified` says so on every page that shows it. */
  source_status: SourceStatus;
  note: string;
  effective_from: string | null;
  effective_to: string | null;
  position: number;
}

export interface AdvisoryTable {
  id: Generated<string>;
  kind: string;
  severity: AdvisorySeverity;
  status: ColumnType<AdvisoryStatus, AdvisoryStatus | undefined, AdvisoryStatus>;
  title_vi: string;
  title_en: string;
  body_vi: string;
  body_en: string;
  /** The publishing officer's unit. */
  unit_id: string | null;
  /** Demo data ("sample data" on every page that shows it). */
  sample: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: ColumnType<Date, Date | undefined, Date>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  withdrawn_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  withdrawal_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AdvisoryPlatformTable {
  advisory_id: string;
  platform_id: string;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    advisory_kinds: AdvisoryKindTable;
    advisories: AdvisoryTable;
    advisory_platforms: AdvisoryPlatformTable;
  }
}

import type { UnitSource } from './catalogue.ts';

export interface UnitTable {
  id: string;
  name_vi: string;
  name_en: string;
  aliases: string[];
  member_ids: string[];
  is_ministry_unit: boolean;
  /** yyyy-mm-dd; null for a unit of today, or a ceased one whose day our sources do not give. */
  ceased_on: string | null;
  /** The act that ended the unit; null for a unit of today. */
  ceased_by: string | null;
  successor_ids: string[];
  /** Where the name or the succession is confirmed (JSON array of UnitSource). */
  sources: UnitSource[];
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    units: UnitTable;
  }
}

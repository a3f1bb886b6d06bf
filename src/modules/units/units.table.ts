export interface UnitTable {
  id: string;
  name_vi: string;
  name_en: string;
  aliases: string[];
  member_ids: string[];
  is_ministry_unit: boolean;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    units: UnitTable;
  }
}

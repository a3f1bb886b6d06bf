import type { ColumnType, Generated } from 'kysely';
import type { SourceStatus } from '../procedures/index.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json = ColumnType<unknown, string, string>;

/**
 * A promotion rule as the law sets it (issue 14): one row per rule code and start date, with its parameters (caps,
 * day counts, lists of goods), the provision it cites, where that was read, and how sure the source is. A programme
 * is judged by the rows in force on the day it starts.
 */
export interface PromotionRuleTable {
  id: Generated<number>;
  code: string;
  label_vi: string;
  label_en: string;
  /** Parameters of the rule, JSON (shape per code in promotions.rules.ts). */
  params: Json;
  citation: string;
  source_url: string;
  effective_from: string;
  effective_to: string | null;
  source_status: SourceStatus;
  note: string;
  updated_by: string;
  updated_at: Timestamp;
}

/** A price seen on a site (crawled) or supplied, so a "before" price can be checked against what was charged. */
export interface PriceObservationTable {
  id: Generated<number>;
  domain: string;
  url: string;
  product_key: string;
  product_name: string;
  price_vnd: ColumnType<number, number, number>;
  /** The "before" price the offer showed (struck through, or schema.org StrikethroughPrice/ListPrice). */
  list_price_vnd: ColumnType<number | null, number | null, number | null>;
  observed_at: Timestamp;
  /** The evidence item (module evidence) the price was read from, when there is one. */
  evidence_id: string | null;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    promotion_rules: PromotionRuleTable;
    price_observations: PriceObservationTable;
  }
}

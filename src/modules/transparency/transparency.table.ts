import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** A decision made public (warning, block, sanction): a snapshot taken when it was published. */
export interface PublishedDecisionTable {
  public_id: string;
  public_no: ColumnType<string, string | number, never>;
  kind: 'warning' | 'block' | 'sanction';
  source_type: string;
  source_id: string;
  decision_no: string | null;
  decided_on: string;
  effective_from: string | null;
  effective_to: string | null;
  issuer_unit_id: string | null;
  legal_ground: string;
  facts_vi: string;
  facts_en: string;
  targets: ColumnType<DecisionTarget[], string, string>;
  automated_detection: boolean;
  automated_decision: boolean;
  sample: boolean;
  status: 'in_force' | 'ended';
  end_reason_vi: string | null;
  end_reason_en: string | null;
  ended_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  published_at: Timestamp;
  updated_at: Timestamp;
}

/** Whom a decision concerns: a platform of the register, by its name, number and identities at the time. */
export interface DecisionTarget {
  platform_id: string | null;
  name: string;
  registration_no: string | null;
  domains: string[];
  apps: string[];
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    published_decisions: PublishedDecisionTable;
  }
}

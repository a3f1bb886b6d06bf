import { sql } from 'kysely';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { boundedText } from '../../core/validation.ts';
import { createCase } from '../cases/index.ts';
import { isSourceStatus } from '../procedures/index.ts';
import { screenSets } from './declarations.import.ts';
import {
  amendRuleRecord,
  countDeclarations,
  type DeclarationsDashboard,
  type GatheringPointRow,
  listGatheringPoints,
  listRuleRecords,
  listStandardRecords,
  listStoredDaysAndHs6,
  lockRuleInForce,
  type RuleRecord,
  rescreenStandards,
  type StandardInput,
  type StandardRecord,
  selectDeclarationsDashboard,
  updateRuleRecord,
  upsertGatheringPointReview,
  upsertStandard,
} from './declarations.repository.ts';

export const FLAG_NAMES = [
  'unregistered_platform',
  'split_shipment',
  'needs_standard',
  'undervalued',
  'vague_description',
] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

export interface DeclarationsReport {
  declarations: number;
  rejected: number;
  flags: Record<FlagName, number>;
  gathering_points: GatheringPointRow[];
}

/** DESIGN.md "Declarations report": totals, flags by type, suspected gathering points ranked by parcels. */
export async function buildDeclarationsReport(
  db: Db,
  options: { gatheringPoints?: number } = {},
): Promise<DeclarationsReport> {
  const counts = await countDeclarations(db);
  const flags = Object.fromEntries(FLAG_NAMES.map((name) => [name, counts.flags[name] ?? 0])) as Record<
    FlagName,
    number
  >;
  return {
    declarations: counts.declarations,
    rejected: counts.rejected,
    flags,
    gathering_points: await listGatheringPoints(db, options.gatheringPoints ?? 50),
  };
}

/** A stored declaration as another module cites it (a case): its number, or 400 naming `ref`. */
export async function declarationReference(db: Db, ref: string): Promise<string> {
  const wanted = ref.trim();
  const found = await sql<{ declaration_no: string }>`
    SELECT declaration_no FROM declaration_keys WHERE declaration_no = ${wanted}`.execute(db);
  if (found.rows[0]) return found.rows[0].declaration_no;
  throw invalidInput({ vi: `Không có tờ khai số “${wanted}”`, en: `no declaration numbered “${wanted}”` }, 'ref');
}

export function parseFlagName(value: string): FlagName {
  if (!(FLAG_NAMES as readonly string[]).includes(value)) {
    throw invalidInput(
      {
        vi: `--flag: "${value}" không phải cờ (${FLAG_NAMES.join(', ')})`,
        en: `--flag: "${value}" is not a flag (${FLAG_NAMES.join(', ')})`,
      },
      'flag',
    );
  }
  return value as FlagName;
}

/**
 * Every flagged declaration as NDJSON (`{"declaration_no","flags":[…],"reasons":{flag: reason}}`), built by the
 * database and streamed as bytes: millions of lines without a row object each.
 */
export async function writeFlagsNdjson(
  database: Database,
  flag: FlagName | undefined,
  write: (chunk: Buffer) => void,
): Promise<void> {
  const filter = flag
    ? sql`WHERE declaration_no IN (SELECT declaration_no FROM declaration_flags WHERE flag = ${sql.lit(flag)})`
    : sql``;
  await database.readTextColumn(
    sql`SELECT json_build_object('declaration_no', declaration_no, 'flags', array_agg(flag ORDER BY flag),
                                 'reasons', jsonb_object_agg(flag, reason))::text
        FROM declaration_flags ${filter} GROUP BY declaration_no ORDER BY declaration_no`,
    write,
  );
}

/** Market Management confirms or dismisses a suspected gathering point (audited in the same transaction). */
/**
 * Market Management's decision on a suspected gathering point, audited. Confirming one opens an inspection case for the
 * deciding unit (module `cases`), once: a point confirmed again keeps its case. Returns the case opened, if any.
 */
export async function reviewGatheringPoint(
  database: Database,
  context: ActorContext,
  review: { addressKey: string; status: 'confirmed' | 'dismissed'; unitId: string | null; note: string },
): Promise<{ caseId: string | null }> {
  if (review.addressKey.trim() === '') {
    throw invalidInput({ vi: 'thiếu địa chỉ', en: 'the address is required' }, 'address');
  }
  const opensCase = await database.db.transaction().execute(async (trx) => {
    const known = await sql<{ parcels: number; consignees: number }>`
      SELECT count(*)::int AS parcels, count(DISTINCT consignee_key)::int AS consignees
      FROM declarations WHERE address_key = ${review.addressKey} AND unregistered`.execute(trx);
    const found = known.rows[0];
    if ((found?.parcels ?? 0) === 0) {
      throw new AppError('not_found', {
        vi: `không có điểm tập kết nào ở địa chỉ "${review.addressKey}"`,
        en: `no gathering point at "${review.addressKey}"`,
      });
    }
    const before = await sql<{ status: string }>`
      SELECT status FROM gathering_point_reviews WHERE address_key = ${review.addressKey} FOR UPDATE`.execute(trx);
    await upsertGatheringPointReview(trx, { ...review, decidedBy: context.actor });
    await recordAuditEvent(trx, context, {
      action: `gathering_point.${review.status}`,
      entityType: 'gathering_point',
      entityId: review.addressKey,
      changes: { status: review.status, unit_id: review.unitId, note: review.note },
    });
    return review.status === 'confirmed' && before.rows[0]?.status !== 'confirmed' ? found : undefined;
  });
  if (!opensCase) return { caseId: null };
  const opened = await createCase(
    database,
    { context, unitId: review.unitId },
    {
      title: `Điểm tập kết nghi vấn: ${review.addressKey}`,
      summary: `Địa chỉ nhận ${opensCase.parcels} bưu kiện của ${opensCase.consignees} người nhận qua nền tảng chưa đăng ký (tờ khai hải quan).${review.note ? `\n\n${review.note}` : ''}`,
    },
  );
  return { caseId: opened.id };
}

/** The dashboard's figures for a period (days in Vietnam, YYYY-MM-DD, either end open). */
export async function buildDeclarationsDashboard(
  db: Db,
  period: { from: string | null; to: string | null },
): Promise<DeclarationsDashboard> {
  return selectDeclarationsDashboard(db, period);
}

export async function listStandards(db: Db): Promise<StandardRecord[]> {
  return listStandardRecords(db);
}

/** The screening rules as stored: each row with its provision, source, dates and source status. */
export async function listRules(db: Db): Promise<RuleRecord[]> {
  return listRuleRecords(db);
}

/** The parameters an administrator may set per rule, with their bounds (each rule row keeps any others it has). */
const RULE_PARAMETERS: Record<string, Record<string, { min: number; max: number; integer: boolean }>> = {
  low_value_exemption: { threshold_vnd: { min: 1, max: 1e12, integer: true } },
  split_shipment: {
    threshold_vnd: { min: 1, max: 1e12, integer: true },
    window_days: { min: 1, max: 31, integer: true },
  },
  undervalued: { ratio: { min: 0.001, max: 0.999, integer: false }, min_samples: { min: 1, max: 1e6, integer: true } },
  gathering_point: {
    min_parcels: { min: 1, max: 1e6, integer: true },
    min_consignees: { min: 1, max: 1e6, integer: true },
  },
};

export interface RuleChange {
  /** Parameter values as typed (`window_days` → "2"). */
  params?: Record<string, string> | undefined;
  /** A new row from this day (the row in force ends the day before); absent: the row in force today is corrected. */
  from?: string | undefined;
  provision?: string | undefined;
  sourceUrl?: string | undefined;
  sourceStatus?: string | undefined;
  note?: string | undefined;
}

/**
 * Changes a screening rule as data: from a day (an amendment: a new row, the row in force then ending the day before,
 * so history stays as it was) or the row in force today (a correction), audited in the same transaction. Stored
 * declarations keep their flags until `declarations screen` applies the rules again.
 */
export async function setDeclarationRule(
  database: Database,
  context: ActorContext,
  code: string,
  change: RuleChange,
  today = todayInVietnam(),
): Promise<RuleRecord> {
  const spec = RULE_PARAMETERS[code];
  if (!spec) {
    throw invalidInput(
      {
        vi: `Không có quy tắc “${code}” (${Object.keys(RULE_PARAMETERS).join(', ')})`,
        en: `no rule “${code}” (${Object.keys(RULE_PARAMETERS).join(', ')})`,
      },
      'code',
    );
  }
  const params: Record<string, number> = {};
  for (const [name, text] of Object.entries(change.params ?? {})) {
    const bounds = spec[name];
    if (!bounds) {
      throw invalidInput(
        {
          vi: `${code} không có tham số “${name}” (${Object.keys(spec).join(', ')})`,
          en: `${code} has no parameter “${name}” (${Object.keys(spec).join(', ')})`,
        },
        `params.${name}`,
      );
    }
    const value = Number(text);
    if (
      !Number.isFinite(value) ||
      (bounds.integer && !Number.isInteger(value)) ||
      value < bounds.min ||
      value > bounds.max
    ) {
      throw invalidInput(
        {
          vi: `${name}: “${text}” không phải ${bounds.integer ? 'số nguyên' : 'số'} từ ${bounds.min} đến ${bounds.max}`,
          en: `${name}: “${text}” is not a ${bounds.integer ? 'whole ' : ''}number from ${bounds.min} to ${bounds.max}`,
        },
        `params.${name}`,
      );
    }
    params[name] = value;
  }
  if (change.from !== undefined && !isCalendarDate(change.from)) {
    throw invalidInput({ vi: '--from: ngày YYYY-MM-DD', en: '--from: a day YYYY-MM-DD' }, 'from');
  }
  if (change.sourceStatus !== undefined && !isSourceStatus(change.sourceStatus)) {
    throw invalidInput(
      { vi: 'status: verified, unverified hoặc disputed', en: 'status: verified, unverified or disputed' },
      'status',
    );
  }
  const text = {
    provision: boundedText(change.provision, 'provision', 1000, { label: { vi: 'điều khoản', en: 'the provision' } }),
    source_url: boundedText(change.sourceUrl, 'source_url', 2000, { label: { vi: 'nguồn', en: 'the source' } }),
    note: boundedText(change.note, 'note', 4000, { label: { vi: 'ghi chú', en: 'the note' } }),
  };
  const changed = {
    params: Object.keys(params).length > 0 ? params : undefined,
    provision: change.provision !== undefined ? text.provision : undefined,
    source_url: change.sourceUrl !== undefined ? text.source_url : undefined,
    source_status: change.sourceStatus,
    note: change.note !== undefined ? text.note : undefined,
  };
  if (change.from === undefined && Object.values(changed).every((value) => value === undefined)) {
    throw invalidInput({ vi: 'Không có nội dung nào để sửa', en: 'nothing to change' }, 'code');
  }
  const day = change.from ?? today;
  return database.db.transaction().execute(async (trx) => {
    const before = await lockRuleInForce(trx, code, day);
    if (!before) {
      throw invalidInput(
        { vi: `Không có dòng ${code} có hiệu lực ngày ${day}`, en: `no ${code} row is in force on ${day}` },
        'from',
      );
    }
    const values = {
      params: { ...before.params, ...params },
      provision: changed.provision || before.provision,
      source_url: changed.source_url ?? before.source_url,
      source_status: changed.source_status ?? before.source_status,
      note: changed.note ?? before.note,
    };
    const after =
      change.from === undefined || change.from === before.effective_from
        ? await updateRuleRecord(trx, before.id, values)
        : await amendRuleRecord(trx, before, change.from, {
            ...values,
            // A new row's source is what the administrator says of it, not the row it follows.
            source_status: changed.source_status ?? 'unverified',
            note: changed.note ?? '',
          });
    await recordAuditEvent(trx, context, {
      action: 'declaration_rule.set',
      entityType: 'declaration_rule',
      entityId: String(after.id),
      changes: { code, before, after },
    });
    return after;
  });
}

/**
 * Adds or changes a technical regulation of the catalogue (the Science and Technology Department's job), audited in
 * the same transaction. HS prefixes are 2 to 10 digits; a mapping not read in the regulation's own list is
 * `unverified`.
 */
export async function setStandard(database: Database, context: ActorContext, input: StandardInput): Promise<void> {
  if (input.code.trim() === '')
    throw invalidInput({ vi: 'thiếu mã quy chuẩn', en: 'the regulation code is required' }, 'code');
  if (input.hs_prefixes.length === 0 || input.hs_prefixes.some((prefix) => !/^\d{2,10}$/.test(prefix))) {
    throw invalidInput(
      {
        vi: '--hs: tiền tố mã HS từ 2 đến 10 chữ số, cách nhau bởi dấu phẩy',
        en: '--hs: HS prefixes of 2 to 10 digits, comma-separated',
      },
      'hs',
    );
  }
  for (const [field, value] of [
    ['source_status', input.source_status],
    ['hs_mapping_status', input.hs_mapping_status],
  ] as const) {
    if (!isSourceStatus(value)) {
      throw invalidInput(
        { vi: `${field}: verified, unverified hoặc disputed`, en: `${field}: verified, unverified or disputed` },
        field,
      );
    }
  }
  for (const [field, value] of [
    ['effective_from', input.effective_from],
    ['effective_to', input.effective_to],
  ] as const) {
    if (value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw invalidInput({ vi: `${field}: ngày YYYY-MM-DD`, en: `${field}: a date YYYY-MM-DD` }, field);
    }
  }
  await database.db.transaction().execute(async (trx) => {
    const before = await upsertStandard(trx, input, context.actor);
    await recordAuditEvent(trx, context, {
      action: before ? 'standard.update' : 'standard.create',
      entityType: 'standard',
      entityId: input.code,
      changes: { before: before ?? null, after: input },
    });
  });
}

/**
 * Screens every stored declaration again with the rules and catalogue as they are now: needs_standard, split_shipment
 * and undervalued (the flags that depend on data an officer edits). unregistered_platform and vague_description keep
 * what the import found (the register's verdict on the day of import).
 */
export async function rescreenDeclarations(database: Database): Promise<{ needs_standard: number; seconds: number }> {
  const started = Date.now();
  const needsStandard = await database.db.transaction().execute((trx) => rescreenStandards(trx));
  const { days, hs6 } = await listStoredDaysAndHs6(database.db);
  await screenSets(database, days, hs6);
  return { needs_standard: needsStandard, seconds: (Date.now() - started) / 1000 };
}

/**
 * Promotion rules as data and the check of a programme against them (issue 14). The rows of `promotion_rules` in
 * force on the programme's first day decide: a later amendment changes results from its date only.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { boundedText, fieldIssuesOfZod } from '../../core/validation.ts';
import { SOURCE_STATUSES, type SourceStatus } from '../procedures/index.ts';
import { addDays } from './lunar.ts';
import {
  insertRuleRow,
  lockRuleRow,
  type PromotionRuleRow,
  type RuleRowValues,
  selectRuleRowByStart,
  selectRuleRows,
  selectRuleRowsInForce,
  updateRuleRow,
} from './promotions.repository.ts';
import {
  evaluateProgramme,
  isRuleCode,
  type PromotionRule,
  RULE_PARAMS,
  type RulesInForce,
} from './promotions.rules.ts';
import { type CheckAnswer, type Programme, programmeSchema, type RuleCode } from './promotions.schemas.ts';

export interface PromotionRuleView {
  code: RuleCode;
  label: Localized;
  params: unknown;
  citation: string;
  source_url: string;
  effective_from: string;
  effective_to: string | null;
  source_status: SourceStatus;
  note: string;
  updated_by: string;
  updated_at: string;
}

function viewOfRow(row: PromotionRuleRow): PromotionRuleView {
  return {
    code: row.code as RuleCode,
    label: { vi: row.label_vi, en: row.label_en },
    params: row.params,
    citation: row.citation,
    source_url: row.source_url,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
    source_status: row.source_status,
    note: row.note,
    updated_by: row.updated_by,
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

/** Every rule row, whatever its dates, by code then start. */
export async function listPromotionRules(db: Db): Promise<PromotionRuleView[]> {
  return (await selectRuleRows(db)).map(viewOfRow);
}

/** The rules in force on a day, their parameters checked against each code's shape. */
export async function promotionRulesInForce(db: Db, day: string): Promise<RulesInForce> {
  const rules: Record<string, PromotionRule> = {};
  for (const row of await selectRuleRowsInForce(db, day)) {
    if (!isRuleCode(row.code)) continue;
    const parsed = RULE_PARAMS[row.code].safeParse(row.params);
    if (!parsed.success) {
      throw new AppError('internal', {
        vi: `Tham số của quy tắc ${row.code} (từ ${row.effective_from}) không hợp lệ: ${parsed.error.message}`,
        en: `the parameters of rule ${row.code} (from ${row.effective_from}) are not valid: ${parsed.error.message}`,
      });
    }
    rules[row.code] = { code: row.code, params: parsed.data, citation: row.citation } as PromotionRule;
  }
  return rules as RulesInForce;
}

/** Validates a programme (every problem named by its field path, `goods.2.promo_price_vnd`). */
export function parseProgramme(input: unknown): Programme {
  const parsed = programmeSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = fieldIssuesOfZod(parsed.error.issues, input);
  const first = issues[0];
  throw new AppError(
    'invalid_input',
    first?.field
      ? { vi: `${first.field}: ${first.message.vi}`, en: `${first.field}: ${first.message.en}` }
      : (first?.message ?? { vi: 'Chương trình không hợp lệ', en: 'invalid programme' }),
    { field: first?.field, issues },
  );
}

/** Checks a programme against the rules in force on its first day. */
export async function checkPromotionProgramme(db: Db, input: unknown): Promise<CheckAnswer> {
  const programme = parseProgramme(input);
  return evaluateProgramme(programme, await promotionRulesInForce(db, programme.starts_on));
}

export interface PromotionRuleChange {
  /** The parameters as JSON text (the shape of the code's `RULE_PARAMS`). */
  params?: string;
  citation?: string;
  sourceUrl?: string;
  sourceStatus?: SourceStatus;
  note?: string;
  labelVi?: string;
  labelEn?: string;
  /**
   * A new row starting on this day (an amendment): the row in force on it ends the day before. Without it, the row in
   * force today is corrected in place.
   */
  effectiveFrom?: string;
  effectiveTo?: string | null;
}

function checkDay(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !isCalendarDate(value)) {
    throw invalidInput({ vi: `${field} phải là một ngày YYYY-MM-DD`, en: `${field} must be a day YYYY-MM-DD` }, field);
  }
  return value;
}

function parseParams(code: RuleCode, text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidInput({ vi: 'params không phải JSON hợp lệ', en: 'params is not valid JSON' }, 'params');
  }
  const parsed = RULE_PARAMS[code].safeParse(value);
  if (!parsed.success) {
    const issue = fieldIssuesOfZod(parsed.error.issues, value)[0];
    const where = issue?.field ? `params.${issue.field}` : 'params';
    throw invalidInput(
      { vi: `${where}: ${issue?.message.vi ?? 'không hợp lệ'}`, en: `${where}: ${issue?.message.en ?? 'not valid'}` },
      where,
    );
  }
  return JSON.stringify(parsed.data);
}

/**
 * Corrects the rule in force today, or (with `effectiveFrom`) adds the row of an amendment from that day, closing the
 * row it replaces the day before. Audited as `promotion_rule.set`.
 */
export async function setPromotionRule(
  database: Database,
  context: ActorContext,
  code: string,
  change: PromotionRuleChange,
  now: Date = new Date(),
): Promise<PromotionRuleView> {
  if (!isRuleCode(code)) throw invalidInput({ vi: `Không có quy tắc ${code}`, en: `no rule ${code}` }, 'code');
  const values: Partial<RuleRowValues> = { updated_by: context.actor };
  if (change.params !== undefined) values.params = parseParams(code, change.params);
  if (change.citation !== undefined) {
    values.citation = boundedText(change.citation, 'citation', 1000);
    if (!values.citation)
      throw invalidInput({ vi: 'citation không được trống', en: 'citation is required' }, 'citation');
  }
  if (change.sourceUrl !== undefined) values.source_url = boundedText(change.sourceUrl, 'source_url', 1000);
  if (change.sourceStatus !== undefined) {
    if (!SOURCE_STATUSES.includes(change.sourceStatus)) {
      throw invalidInput(
        { vi: 'status không hợp lệ', en: `status must be one of ${SOURCE_STATUSES.join(', ')}` },
        'status',
      );
    }
    values.source_status = change.sourceStatus;
  }
  if (change.note !== undefined) values.note = boundedText(change.note, 'note', 4000);
  if (change.labelVi !== undefined) values.label_vi = boundedText(change.labelVi, 'label_vi', 300);
  if (change.labelEn !== undefined) values.label_en = boundedText(change.labelEn, 'label_en', 300);
  if (change.effectiveTo !== undefined) {
    values.effective_to = change.effectiveTo === null ? null : checkDay(change.effectiveTo, 'effective_to');
  }
  const from = change.effectiveFrom === undefined ? undefined : checkDay(change.effectiveFrom, 'effective_from');
  if (Object.keys(values).length === 1 && from === undefined) {
    throw invalidInput({ vi: 'Không có nội dung nào để sửa', en: 'nothing to change' }, 'code');
  }
  const day = from ?? todayInVietnam(now);
  return database.db.transaction().execute(async (trx) => {
    const current = (from && (await selectRuleRowByStart(trx, code, from))) || (await lockRuleRow(trx, code, day));
    let row: PromotionRuleRow;
    if (from !== undefined && current?.effective_from !== from) {
      if (values.params === undefined && !current) {
        throw invalidInput({ vi: 'Quy tắc mới cần params', en: 'a new rule row needs params' }, 'params');
      }
      if (current) await updateRuleRow(trx, current.id, { effective_to: addDays(from, -1) });
      row = await insertRuleRow(trx, {
        code,
        effective_from: from,
        label_vi: values.label_vi ?? current?.label_vi ?? code,
        label_en: values.label_en ?? current?.label_en ?? code,
        params: values.params ?? JSON.stringify(current?.params),
        citation: values.citation ?? current?.citation ?? '',
        source_url: values.source_url ?? current?.source_url ?? '',
        effective_to: values.effective_to ?? current?.effective_to ?? null,
        source_status: values.source_status ?? 'unverified',
        note: values.note ?? '',
        updated_by: context.actor,
      });
      if (!row.citation)
        throw invalidInput({ vi: 'citation không được trống', en: 'citation is required' }, 'citation');
    } else {
      if (!current)
        throw notFound({
          vi: `Không có quy tắc ${code} có hiệu lực ngày ${day}`,
          en: `no rule ${code} in force on ${day}`,
        });
      row = await updateRuleRow(trx, current.id, values);
    }
    await recordAuditEvent(trx, context, {
      action: 'promotion_rule.set',
      entityType: 'promotion_rule',
      entityId: `${code}@${row.effective_from}`,
      changes: { ...values, effective_from: row.effective_from },
    });
    return viewOfRow(row);
  });
}

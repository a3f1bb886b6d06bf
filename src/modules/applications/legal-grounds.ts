/**
 * The law as data for filings and decisions (issue 10): the grounds a decision cites, in three tables of one shape:
 *
 * - `cancellation_grounds`: why the Ministry cancels a notification or registration (Circular 47/2014/TT-BCT Art. 18);
 * - `application_refusal_grounds`: why an officer refuses a notification or registration;
 * - `foreign_platform_grounds`: what makes a foreign trader's platform subject to Vietnam's e-commerce rules (Decree
 *   52/2013 Art. 67a, added by Decree 85/2021), recorded on a cross-border application.
 *
 * Each row cites its provision and source and says how sure that source is (verified · unverified · disputed, the
 * vocabulary of the table of procedures). An administrator adds or corrects a row with `ecomgov grounds set`
 * (audited) and closes one with its `effective_to`; decisions keep the codes they cited.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';
import { isSourceStatus, SOURCE_STATUSES, type SourceStatus } from '../procedures/index.ts';
import {
  type GroundKind,
  insertGroundRow,
  type LegalGroundRow,
  lockGroundRow,
  replaceApplicationForeignGroundRows,
  selectApplicationForeignGroundRows,
  selectGroundRow,
  selectGroundRows,
  selectGroundRowsInForce,
  updateGroundRow,
} from './legal-grounds.repository.ts';

export type { GroundKind };

export const GROUND_KINDS: readonly GroundKind[] = [
  'cancellation',
  'refusal',
  'foreign_platform',
  'annual_report_field',
];

export const GROUND_KIND_LABELS: Record<GroundKind, Localized> = {
  cancellation: {
    vi: 'Căn cứ hủy bỏ thông báo, đăng ký (Thông tư 47/2014/TT-BCT, Điều 18)',
    en: 'Grounds for cancelling a notification or registration (Circular 47/2014/TT-BCT Art. 18)',
  },
  refusal: { vi: 'Căn cứ từ chối hồ sơ', en: 'Grounds for refusing an application' },
  foreign_platform: {
    vi: 'Căn cứ xác định nền tảng nước ngoài phải tuân thủ (Nghị định 52/2013/NĐ-CP, Điều 67a)',
    en: 'What makes a foreign platform subject to Vietnamese rules (Decree 52/2013/NĐ-CP Art. 67a)',
  },
  annual_report_field: {
    vi: 'Chỉ tiêu báo cáo định kỳ hằng năm của nền tảng đã đăng ký',
    en: 'Figures of the annual report of a registered platform',
  },
};

export interface LegalGround {
  code: string;
  label: Localized;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
  effective_from: string;
  effective_to: string | null;
}

function groundOfRow(row: LegalGroundRow): LegalGround {
  return {
    code: row.code,
    label: { vi: row.label_vi, en: row.label_en },
    provision: row.provision,
    source_url: row.source_url,
    source_status: row.source_status,
    note: row.note,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
  };
}

/** The grounds of a kind in force on `now`'s day in Vietnam, in their order. */
export async function listGroundsInForce(db: Db, kind: GroundKind, now: Date = new Date()): Promise<LegalGround[]> {
  return listGroundsInForceOn(db, kind, todayInVietnam(now));
}

/** The grounds of a kind in force on a calendar day ('YYYY-MM-DD'), in their order. */
export async function listGroundsInForceOn(db: Db, kind: GroundKind, day: string): Promise<LegalGround[]> {
  return (await selectGroundRowsInForce(db, kind, day)).map(groundOfRow);
}

/** Every ground of a kind, whatever its dates (for naming those of past decisions, and for the administrators). */
export async function listAllGrounds(db: Db, kind: GroundKind): Promise<LegalGround[]> {
  return (await selectGroundRows(db, kind)).map(groundOfRow);
}

export function listForeignPlatformGrounds(db: Db, now: Date = new Date()): Promise<LegalGround[]> {
  return listGroundsInForce(db, 'foreign_platform', now);
}

export function listRefusalGrounds(db: Db, now: Date = new Date()): Promise<LegalGround[]> {
  return listGroundsInForce(db, 'refusal', now);
}

/** A refusal ground by its code, whether or not still in force (a decision cites the ground of its day). */
export async function findRefusalGroundRecord(db: Db, code: string): Promise<LegalGround | undefined> {
  const row = await selectGroundRow(db, 'refusal', code);
  return row ? groundOfRow(row) : undefined;
}

/** The grounds recorded on an application, in the table's order (whether or not still in force). */
export async function listApplicationForeignGrounds(db: Db, applicationId: string): Promise<LegalGround[]> {
  return (await selectApplicationForeignGroundRows(db, applicationId)).map(groundOfRow);
}

/** Sets the grounds recorded on an application (inside the filing's transaction). */
export function replaceApplicationForeignGrounds(
  trx: Db,
  applicationId: string,
  codes: readonly string[],
): Promise<void> {
  return replaceApplicationForeignGroundRows(trx, applicationId, codes);
}

export function isGroundKind(value: string): value is GroundKind {
  return (GROUND_KINDS as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------
// The grounds as data: an administrator checks them against the official text and corrects them

export interface GroundChanges {
  provision?: string | undefined;
  labelVi?: string | undefined;
  labelEn?: string | undefined;
  effectiveFrom?: string | undefined;
  /** 'YYYY-MM-DD', or null to leave it open-ended. */
  effectiveTo?: string | null | undefined;
  sourceStatus?: SourceStatus | undefined;
  sourceUrl?: string | undefined;
  note?: string | undefined;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function cleanField(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = toNfc(value).trim();
  if (cleaned === '') throw invalidInput({ vi: `Chưa nhập ${field}.`, en: `${field} is empty` }, field);
  return cleaned;
}

/**
 * Adds a ground or changes one (its wording, provision, dates, source and how sure the source is), audited. A new
 * ground needs its provision, both labels, the source it was read in and the day it took effect. Past decisions
 * keep the codes they cited.
 */
export async function saveGround(
  db: Db,
  actor: ActorContext,
  kind: GroundKind,
  rawCode: string,
  changes: GroundChanges,
): Promise<LegalGround> {
  if (!isGroundKind(kind)) {
    throw invalidInput(
      {
        vi: `Loại căn cứ phải là một trong: ${GROUND_KINDS.join(', ')}`,
        en: `kind must be one of: ${GROUND_KINDS.join(', ')}`,
      },
      'kind',
    );
  }
  const code = rawCode.trim();
  if (!/^[a-z][a-z0-9_]{0,59}$/.test(code)) {
    throw invalidInput(
      { vi: 'Mã căn cứ chỉ gồm chữ thường, số và dấu _', en: 'the code is lower-case letters, digits and _' },
      'code',
    );
  }
  for (const [field, day] of [
    ['effective_from', changes.effectiveFrom],
    ['effective_to', changes.effectiveTo],
  ] as const) {
    if (typeof day === 'string' && !ISO_DAY.test(day)) {
      throw invalidInput({ vi: `${field}: cần dạng YYYY-MM-DD`, en: `${field}: expected YYYY-MM-DD` }, field);
    }
  }
  if (changes.sourceStatus !== undefined && !isSourceStatus(changes.sourceStatus)) {
    throw invalidInput(
      {
        vi: `Tình trạng nguồn phải là một trong: ${SOURCE_STATUSES.join(', ')}`,
        en: `source_status must be one of: ${SOURCE_STATUSES.join(', ')}`,
      },
      'source_status',
    );
  }
  const values = {
    provision: cleanField(changes.provision, 'provision'),
    label_vi: cleanField(changes.labelVi, 'label_vi'),
    label_en: cleanField(changes.labelEn, 'label_en'),
    effective_from: changes.effectiveFrom,
    effective_to: changes.effectiveTo,
    source_status: changes.sourceStatus,
    source_url: cleanField(changes.sourceUrl, 'source_url'),
    note: changes.note === undefined ? undefined : toNfc(changes.note).trim(),
  };
  const defined = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
  return db.transaction().execute(async (trx) => {
    const before = await lockGroundRow(trx, kind, code);
    const after = { ...before, ...defined } as Partial<LegalGroundRow>;
    for (const field of ['provision', 'label_vi', 'label_en', 'source_url', 'effective_from'] as const) {
      if (!after[field]) {
        throw invalidInput({ vi: `Căn cứ mới cần ${field}`, en: `a new ground needs ${field}` }, field);
      }
    }
    if (after.effective_to && after.effective_from && after.effective_to < after.effective_from) {
      throw invalidInput(
        { vi: 'effective_to trước effective_from', en: 'effective_to is before effective_from' },
        'effective_to',
      );
    }
    if (before) {
      await updateGroundRow(trx, kind, code, defined);
    } else {
      await insertGroundRow(trx, kind, {
        code,
        provision: after.provision as string,
        label_vi: after.label_vi as string,
        label_en: after.label_en as string,
        effective_from: after.effective_from as string,
        effective_to: after.effective_to ?? null,
        source_status: after.source_status ?? 'unverified',
        source_url: after.source_url as string,
        note: after.note ?? '',
      });
    }
    await recordAuditEvent(trx, actor, {
      action: `${kind}_ground.${before ? 'update' : 'create'}`,
      entityType: `${kind}_ground`,
      entityId: code,
      changes: Object.fromEntries(
        Object.entries(defined).map(([field, value]) => [
          field,
          [before ? (before as Record<string, unknown>)[field] : null, value],
        ]),
      ),
    });
    const saved = await selectGroundRow(trx, kind, code);
    if (!saved) throw notFound({ vi: 'Không tìm thấy căn cứ vừa lưu.', en: 'the ground just saved was not found' });
    return groundOfRow(saved);
  });
}

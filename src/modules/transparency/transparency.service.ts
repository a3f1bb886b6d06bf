/**
 * The public register of decisions (issue 15, "Published decisions"): every warning to consumers, block and sanction
 * decision gets a public id (`ECG-2026-000042`) and a permalink with its legal ground, facts, targets and whether its
 * detection or decision was automated, as the EU DSA Transparency Database does for statements of reasons, and a daily
 * dump (CSV and JSON) of the decisions published or ended that day in Vietnam.
 *
 * The deciding modules call `publishDecision` in the transaction that makes a decision public and
 * `endPublishedDecision` in the one that ends it, so a decision is never in force without its public record. The row
 * is a snapshot: what the decision said when it was published.
 */
import { spreadsheetCsv } from '../../core/csv.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';
import { addCalendarDays, endOfVietnamDay } from '../../core/working-days.ts';
import type { PlatformSnapshot } from '../registry/index.ts';
import {
  endDecisionRow,
  findDecisionRow,
  findDecisionRowBySource,
  insertDecisionRow,
  listDecisionRows,
  listDecisionRowsChangedBetween,
  type PublishedDecisionRow,
} from './transparency.repository.ts';
import type { DecisionTarget } from './transparency.table.ts';

export type { DecisionTarget };

export const DECISION_KINDS = ['warning', 'block', 'sanction'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const DECISION_KIND_LABELS: Record<DecisionKind, Localized> = {
  warning: { vi: 'Cảnh báo người tiêu dùng', en: 'Warning to consumers' },
  block: { vi: 'Quyết định chặn', en: 'Blocking decision' },
  sanction: { vi: 'Quyết định xử phạt', en: 'Sanction decision' },
};

export interface PublishedDecision {
  public_id: string;
  kind: DecisionKind;
  source_type: string;
  source_id: string;
  decision_no: string | null;
  decided_on: string;
  effective_from: string | null;
  effective_to: string | null;
  issuer_unit_id: string | null;
  legal_ground: string;
  facts: Localized;
  targets: DecisionTarget[];
  automated_detection: boolean;
  automated_decision: boolean;
  sample: boolean;
  status: 'in_force' | 'ended';
  end_reason: Localized | null;
  ended_at: string | null;
  published_at: string;
  permalink: string;
}

function decisionOf(row: PublishedDecisionRow): PublishedDecision {
  return {
    public_id: row.public_id,
    kind: row.kind,
    source_type: row.source_type,
    source_id: row.source_id,
    decision_no: row.decision_no,
    decided_on: row.decided_on,
    effective_from: row.effective_from,
    effective_to: row.effective_to,
    issuer_unit_id: row.issuer_unit_id,
    legal_ground: row.legal_ground,
    // A decision written only in Vietnamese shows its Vietnamese facts to English readers too.
    facts: { vi: row.facts_vi, en: row.facts_en || row.facts_vi },
    targets: row.targets,
    automated_detection: row.automated_detection,
    automated_decision: row.automated_decision,
    sample: row.sample,
    status: row.status,
    end_reason: row.end_reason_vi ? { vi: row.end_reason_vi, en: row.end_reason_en || row.end_reason_vi } : null,
    ended_at: row.ended_at ? row.ended_at.toISOString() : null,
    published_at: row.published_at.toISOString(),
    permalink: `/decisions/${row.public_id}`,
  };
}

/** Whom a decision concerns, as the register holds the platform now: its name, number, domains and apps. */
export function decisionTargetOfPlatform(platform: PlatformSnapshot): DecisionTarget {
  return {
    platform_id: platform.id,
    name: platform.name,
    registration_no: platform.registrationNo,
    domains: platform.domains,
    apps: [...platform.androidApps, ...platform.iosApps],
  };
}

export interface DecisionToPublish {
  kind: DecisionKind;
  /** The deciding module's record: `source_type` names it (`advisory`, `block_request`, …), `source_id` its id. */
  source: { type: string; id: string };
  decision_no?: string | null | undefined;
  decided_on: string;
  effective_from?: string | null | undefined;
  effective_to?: string | null | undefined;
  issuer_unit_id?: string | null | undefined;
  legal_ground: string;
  facts: { vi: string; en?: string | undefined };
  targets: DecisionTarget[];
  /** Whether the violation was found by an automated scan (the monitor) rather than by a person or a complaint. */
  automated_detection: boolean;
  /** Whether the decision itself was taken by a machine. Every workflow here ends with an officer's decision. */
  automated_decision: boolean;
  sample?: boolean | undefined;
}

/**
 * Publishes a decision in the caller's transaction and returns its public record; publishing the same source again
 * returns the record it already has (a retried transaction, a re-activated block) instead of a second id.
 */
export async function publishDecision(trx: Db, decision: DecisionToPublish, now: Date = new Date()) {
  const existing = await findDecisionRowBySource(trx, decision.source.type, decision.source.id);
  if (existing) return decisionOf(existing);
  const legalGround = toNfc(decision.legal_ground).trim();
  const factsVi = toNfc(decision.facts.vi).trim();
  if (!legalGround)
    throw invalidInput({ vi: 'Thiếu căn cứ pháp lý', en: 'the legal ground is missing' }, 'legal_ground');
  if (!factsVi) throw invalidInput({ vi: 'Thiếu nội dung sự việc', en: 'the facts are missing' }, 'facts');
  const row = await insertDecisionRow(
    trx,
    {
      kind: decision.kind,
      source_type: decision.source.type,
      source_id: decision.source.id,
      decision_no: decision.decision_no ?? null,
      decided_on: decision.decided_on,
      effective_from: decision.effective_from ?? null,
      effective_to: decision.effective_to ?? null,
      issuer_unit_id: decision.issuer_unit_id ?? null,
      legal_ground: legalGround,
      facts_vi: factsVi,
      facts_en: toNfc(decision.facts.en ?? '').trim(),
      targets: decision.targets,
      automated_detection: decision.automated_detection,
      automated_decision: decision.automated_decision,
      sample: decision.sample ?? false,
      published_at: now,
    },
    todayInVietnam(now).slice(0, 4),
  );
  return decisionOf(row);
}

/** Records the end of a published decision (a warning withdrawn, a block lifted), in the caller's transaction. */
export async function endPublishedDecision(
  trx: Db,
  source: { type: string; id: string },
  reason: Localized,
  now: Date = new Date(),
): Promise<void> {
  const row = await findDecisionRowBySource(trx, source.type, source.id);
  // A decision made before the register existed has no record to end.
  if (!row || row.status === 'ended') return;
  await endDecisionRow(trx, row.public_id, {
    end_reason_vi: toNfc(reason.vi).trim(),
    end_reason_en: toNfc(reason.en).trim(),
    ended_at: now,
  });
}

const PUBLIC_ID = /^ECG-\d{4}-\d{6,}$/;

export async function getPublishedDecision(db: Db, publicId: string): Promise<PublishedDecision> {
  const row = PUBLIC_ID.test(publicId) ? await findDecisionRow(db, publicId) : undefined;
  if (!row) throw notFound({ vi: 'Không có quyết định này', en: `no published decision ${publicId}` });
  return decisionOf(row);
}

export async function listPublishedDecisions(
  db: Db,
  filter: { kind?: DecisionKind | undefined; beforeNo?: number | undefined; limit?: number | undefined } = {},
): Promise<{ decisions: PublishedDecision[]; next: number | null }> {
  const limit = filter.limit ?? 50;
  const rows = await listDecisionRows(db, { kind: filter.kind, beforeNo: filter.beforeNo, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    decisions: page.map(decisionOf),
    next: rows.length > limit ? Number(page.at(-1)?.public_no) : null,
  };
}

/** The decisions published or ended on a calendar day in Vietnam ('YYYY-MM-DD'), in order of publication. */
export async function decisionsOfDay(db: Db, day: string): Promise<PublishedDecision[]> {
  const from = new Date(endOfVietnamDay(addCalendarDays(day, -1)).getTime() + 1);
  const to = new Date(endOfVietnamDay(day).getTime() + 1);
  return (await listDecisionRowsChangedBetween(db, from, to)).map(decisionOf);
}

const DUMP_COLUMNS = [
  'public_id',
  'kind',
  'decision_no',
  'decided_on',
  'effective_from',
  'effective_to',
  'issuer_unit_id',
  'legal_ground',
  'facts_vi',
  'facts_en',
  'targets',
  'target_domains',
  'automated_detection',
  'automated_decision',
  'sample',
  'status',
  'end_reason_vi',
  'end_reason_en',
  'ended_at',
  'published_at',
  'permalink',
] as const;

/** The daily dump as CSV: one line a decision, targets by name and their domains joined by spaces. */
export function decisionsCsv(decisions: readonly PublishedDecision[], portalUrl: string): string {
  return spreadsheetCsv([
    [...DUMP_COLUMNS],
    ...decisions.map((decision) => [
      decision.public_id,
      decision.kind,
      decision.decision_no ?? '',
      decision.decided_on,
      decision.effective_from ?? '',
      decision.effective_to ?? '',
      decision.issuer_unit_id ?? '',
      decision.legal_ground,
      decision.facts.vi,
      decision.facts.en === decision.facts.vi ? '' : decision.facts.en,
      decision.targets.map((target) => target.name).join('; '),
      decision.targets.flatMap((target) => target.domains).join(' '),
      String(decision.automated_detection),
      String(decision.automated_decision),
      String(decision.sample),
      decision.status,
      decision.end_reason?.vi ?? '',
      decision.end_reason?.en ?? '',
      decision.ended_at ?? '',
      decision.published_at,
      `${portalUrl}${decision.permalink}`,
    ]),
  ]);
}

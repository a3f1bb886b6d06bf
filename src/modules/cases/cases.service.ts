/**
 * Inspection cases (issue 15): a case gathers what an inspection rests on (platforms, evidence items, published
 * decisions, complaints; findings and declarations as their modules export lookups), follows the steps of the
 * inspection procedure, each with the clock of `case_step_rules` in working days, and ends in sanction decisions that
 * must stay inside the range of `sanction_rules` and are published in the register of decisions. Every change is
 * audited in its transaction.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { isDecisionNo, normalizeDecisionNo } from '../../core/decision-no.ts';
import { conflict, invalidInput, notFound } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import { boundedText } from '../../core/validation.ts';
import { addWorkingDays, type DeadlineStatus, deadlineStatus } from '../../core/working-days.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import { complaintReference } from '../complaints/index.ts';
import { taskReference } from '../directives/index.ts';
import { attachEvidence } from '../evidence/index.ts';
import type { SourceStatus } from '../procedures/index.ts';
import { findIdentityOwners, getPlatform, loadPlatformSnapshotsByIds } from '../registry/index.ts';
import { decisionTargetOfPlatform, getPublishedDecision, publishDecision } from '../transparency/index.ts';
import {
  type CaseRow,
  type CaseSanctionRow,
  type CaseStepRuleRow,
  findCaseRow,
  findSanctionByDecisionNo,
  findSanctionRuleRow,
  findStepRuleRow,
  insertCaseRow,
  insertLinkRow,
  insertSanctionRow,
  insertStepRow,
  listCaseRows,
  type SanctionRuleRow,
  selectLinkRows,
  selectOverdueStepRows,
  selectSanctionRows,
  selectSanctionRulesInForce,
  selectStepRows,
  selectStepRulesInForce,
  setSanctionPublicId,
  updateCaseRow,
  updateSanctionRuleRow,
  updateStepRow,
  updateStepRuleRow,
} from './cases.repository.ts';
import { CASE_LINK_KINDS, type CaseLinkKind } from './cases.table.ts';

export { CASE_LINK_KINDS, type CaseLinkKind };

export interface StepRule {
  step: string;
  label: Localized;
  working_days: number | null;
  extended_working_days: number | null;
  counts_from: string | null;
  provision: string;
  source_url: string;
  source_status: SourceStatus;
  note: string;
}

export interface SanctionRule {
  code: string;
  violation: Localized;
  provision: string;
  individual: { min_vnd: number; max_vnd: number };
  organisation: { min_vnd: number; max_vnd: number };
  remedial: Localized;
  source_url: string;
  source_status: SourceStatus;
  note: string;
}

function stepRuleOf(row: CaseStepRuleRow): StepRule {
  return {
    step: row.step,
    label: { vi: row.label_vi, en: row.label_en },
    working_days: row.working_days,
    extended_working_days: row.extended_working_days,
    counts_from: row.counts_from,
    provision: row.provision,
    source_url: row.source_url,
    source_status: row.source_status,
    note: row.note,
  };
}

function sanctionRuleOf(row: SanctionRuleRow): SanctionRule {
  const min = Number(row.individual_min_vnd);
  const max = Number(row.individual_max_vnd);
  return {
    code: row.code,
    violation: { vi: row.violation_vi, en: row.violation_en },
    provision: row.provision,
    individual: { min_vnd: min, max_vnd: max },
    organisation: { min_vnd: min * row.organisation_multiplier, max_vnd: max * row.organisation_multiplier },
    remedial: { vi: row.remedial_vi, en: row.remedial_en },
    source_url: row.source_url,
    source_status: row.source_status,
    note: row.note,
  };
}

export async function listStepRules(db: Db, now: Date = new Date()): Promise<StepRule[]> {
  return (await selectStepRulesInForce(db, todayInVietnam(now))).map(stepRuleOf);
}

export async function listSanctionRules(db: Db, now: Date = new Date()): Promise<SanctionRule[]> {
  return (await selectSanctionRulesInForce(db, todayInVietnam(now))).map(sanctionRuleOf);
}

export interface CaseStep {
  step: string;
  label: Localized;
  started_on: string;
  due_on: string | null;
  extended: boolean;
  completed_on: string | null;
  document_no: string | null;
  note: string;
  /** For a step not completed that has a due day. */
  deadline: DeadlineStatus | null;
}

export interface CaseSanction {
  id: string;
  rule_code: string;
  offender_kind: 'individual' | 'organisation';
  offender_name: string;
  platform_id: string | null;
  amount_vnd: number;
  decision_no: string;
  decision_date: string;
  facts: string;
  public_id: string | null;
}

export interface Case {
  id: string;
  reference: string;
  title: string;
  summary: string;
  unit_id: string | null;
  status: 'open' | 'closed';
  current_step: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
  /** `label`: what the reference names (a platform's name), where its module says. */
  links: Array<{ kind: CaseLinkKind; ref: string; label: string | null; note: string; added_at: string }>;
  steps: CaseStep[];
  sanctions: CaseSanction[];
}

function sanctionOf(row: CaseSanctionRow): CaseSanction {
  return {
    id: row.id,
    rule_code: row.rule_code,
    offender_kind: row.offender_kind,
    offender_name: row.offender_name,
    platform_id: row.platform_id,
    amount_vnd: Number(row.amount_vnd),
    decision_no: row.decision_no,
    decision_date: row.decision_date,
    facts: row.facts,
    public_id: row.public_id,
  };
}

async function caseOf(db: Db, row: CaseRow, rules: readonly StepRule[], now: Date): Promise<Case> {
  const [links, steps, sanctions] = await Promise.all([
    selectLinkRows(db, row.id),
    selectStepRows(db, [row.id]),
    selectSanctionRows(db, row.id),
  ]);
  const order = new Map(rules.map((rule, index) => [rule.step, index]));
  const platformIds = links.filter((link) => link.kind === 'platform').map((link) => link.ref);
  const platformNames = new Map(
    (await loadPlatformSnapshotsByIds(db, platformIds)).map((platform) => [platform.id, platform.name]),
  );
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    summary: row.summary,
    unit_id: row.unit_id,
    status: row.status,
    current_step: row.current_step,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    closed_at: row.closed_at ? row.closed_at.toISOString() : null,
    links: links.map((link) => ({
      kind: link.kind,
      ref: link.ref,
      label: platformNames.get(link.ref) ?? null,
      note: link.note,
      added_at: link.added_at.toISOString(),
    })),
    steps: steps
      .sort((a, b) => (order.get(a.step) ?? 99) - (order.get(b.step) ?? 99))
      .map((step) => ({
        step: step.step,
        label: rules.find((rule) => rule.step === step.step)?.label ?? { vi: step.step, en: step.step },
        started_on: step.started_on,
        due_on: step.due_on,
        extended: step.extended,
        completed_on: step.completed_on,
        document_no: step.document_no,
        note: step.note,
        deadline: step.due_on && !step.completed_on ? deadlineStatus(step.due_on, now) : null,
      })),
    sanctions: sanctions.map(sanctionOf),
  };
}

const NOT_FOUND: Localized = { vi: 'Không có vụ việc này', en: 'no such case' };

async function requireCase(db: Db, id: string, options: { lock?: boolean } = {}): Promise<CaseRow> {
  const row = isUuid(id) ? await findCaseRow(db, id, options) : undefined;
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

export async function getCase(db: Db, id: string, now: Date = new Date()): Promise<Case> {
  const row = await requireCase(db, id);
  return caseOf(db, row, await listStepRules(db, now), now);
}

export interface CaseSummary {
  id: string;
  reference: string;
  title: string;
  unit_id: string | null;
  status: 'open' | 'closed';
  current_step: string;
  current_label: Localized;
  due_on: string | null;
  deadline: DeadlineStatus | null;
}

export async function listCases(
  db: Db,
  filter: { status?: 'open' | 'closed' | undefined } = {},
  now: Date = new Date(),
): Promise<CaseSummary[]> {
  const [rows, rules] = await Promise.all([listCaseRows(db, filter), listStepRules(db, now)]);
  const steps = await selectStepRows(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const current = steps.find((step) => step.case_id === row.id && step.step === row.current_step);
    const due = current && !current.completed_on ? current.due_on : null;
    return {
      id: row.id,
      reference: row.reference,
      title: row.title,
      unit_id: row.unit_id,
      status: row.status,
      current_step: row.current_step,
      current_label: rules.find((rule) => rule.step === row.current_step)?.label ?? {
        vi: row.current_step,
        en: row.current_step,
      },
      due_on: due,
      deadline: due && row.status === 'open' ? deadlineStatus(due, now) : null,
    };
  });
}

/** Open cases' steps past their due day, oldest first (dashboards and the reminders). */
export async function listOverdueSteps(db: Db, now: Date = new Date()) {
  return selectOverdueStepRows(db, todayInVietnam(now));
}

/** Opens a case at its first step (the plan), numbered `HS-<year>-<n>`. */
export async function createCase(
  database: Database,
  author: { context: ActorContext; unitId: string | null },
  input: { title: string; summary?: string | undefined },
  now: Date = new Date(),
): Promise<Case> {
  const title = boundedText(input.title, 'title', 300, {
    label: { vi: 'tên vụ việc', en: 'the title' },
    required: true,
  });
  const summary = boundedText(input.summary, 'summary', 10_000, {
    label: { vi: 'tóm tắt', en: 'the summary' },
    required: false,
  });
  const rules = await listStepRules(database.db, now);
  const first = rules[0];
  if (!first)
    throw conflict({ vi: 'Chưa có quy trình kiểm tra đang áp dụng', en: 'no inspection procedure is in force' });
  const today = todayInVietnam(now);
  const row = await database.db.transaction().execute(async (trx) => {
    const created = await insertCaseRow(
      trx,
      {
        title,
        summary,
        unit_id: author.unitId,
        status: 'open',
        current_step: first.step,
        created_by: author.context.actor,
        created_at: now,
        updated_at: now,
      },
      today.slice(0, 4),
    );
    await insertStepRow(trx, { case_id: created.id, step: first.step, started_on: today, due_on: null });
    await recordAuditEvent(trx, author.context, {
      action: 'case.create',
      entityType: 'case',
      entityId: created.id,
      changes: { reference: created.reference, title, unit_id: author.unitId },
    });
    return created;
  });
  return caseOf(database.db, row, rules, now);
}

/** The reference as stored, once its module confirmed it exists (a platform by id or by one of its domains). */
async function resolveReference(
  database: Database,
  context: ActorContext,
  caseId: string,
  kind: CaseLinkKind,
  ref: string,
) {
  switch (kind) {
    case 'platform': {
      if (isUuid(ref)) return (await getPlatform(database.db, ref)).id;
      const owner = (await findIdentityOwners(database.db, [{ kind: 'domain', value: ref.toLowerCase() }]))[0];
      if (!owner) {
        throw invalidInput(
          { vi: `Không có nền tảng “${ref}” trong danh sách`, en: `no platform “${ref}” in the register` },
          'ref',
        );
      }
      return owner.platformId;
    }
    case 'evidence':
      // Attaching is a custody event of the item; an unknown id is refused by the evidence module.
      return (await attachEvidence(database.db, context, ref, { caseId })).id;
    case 'decision':
      return (await getPublishedDecision(database.db, ref)).public_id;
    case 'complaint':
      // A complaint by its id, or everything complained about one target (its domain, app id or name).
      return complaintReference(database.db, ref);
    // The monitor and declarations modules open cases themselves (they import this one): their lookups are loaded
    // when used, not when this module is, so neither import cycle runs a module before its dependencies are set up.
    case 'finding':
      return (await import('../monitor/index.ts')).findingReference(database.db, ref);
    case 'declaration':
      return (await import('../declarations/index.ts')).declarationReference(database.db, ref);
    case 'task':
      return taskReference(database.db, ref);
  }
}

/** Links what the case rests on (a platform, finding, complaint, evidence item, declaration, task, decision; again: no change). */
export async function linkToCase(
  database: Database,
  context: ActorContext,
  caseId: string,
  input: { kind: string; ref: string; note?: string | undefined },
  now: Date = new Date(),
): Promise<Case> {
  if (!(CASE_LINK_KINDS as readonly string[]).includes(input.kind)) {
    throw invalidInput({ vi: 'Loại liên kết không hợp lệ', en: `unknown kind “${input.kind}”` }, 'kind');
  }
  const kind = input.kind as CaseLinkKind;
  const ref = boundedText(input.ref, 'ref', 200, { label: { vi: 'mã', en: 'the reference' }, required: true });
  const note = boundedText(input.note, 'note', 2000, { label: { vi: 'ghi chú', en: 'the note' } });
  const row = await requireCase(database.db, caseId);
  if (row.status === 'closed') throw conflict({ vi: 'Vụ việc đã đóng', en: 'the case is closed' }, 'status');
  const resolved = await resolveReference(database, context, row.id, kind, ref);
  await database.db.transaction().execute(async (trx) => {
    const added = await insertLinkRow(trx, {
      case_id: row.id,
      kind,
      ref: resolved,
      note,
      added_by: context.actor,
      added_at: now,
    });
    if (!added) return;
    await updateCaseRow(trx, row.id, { updated_at: now });
    await recordAuditEvent(trx, context, {
      action: 'case.link',
      entityType: 'case',
      entityId: row.id,
      changes: { kind, ref: resolved, note },
    });
  });
  return getCase(database.db, row.id, now);
}

/**
 * Completes the case's current step on `on` (a day, not after today) and starts the next one; its due day is `on` plus
 * the next step's working days when its clock counts from the step completed. `close` after the conclusion ends a
 * case that found no violation; completing the last step closes the case.
 */
export async function advanceCase(
  database: Database,
  context: ActorContext,
  caseId: string,
  input: { on: string; document_no?: string | undefined; note?: string | undefined; close?: boolean | undefined },
  now: Date = new Date(),
): Promise<Case> {
  const today = todayInVietnam(now);
  if (!isCalendarDate(input.on) || input.on > today) {
    throw invalidInput(
      { vi: 'Ngày hoàn thành không hợp lệ hoặc sau hôm nay', en: 'the day must be a day, not after today' },
      'on',
    );
  }
  const documentNo = boundedText(input.document_no, 'document_no', 100, {
    label: { vi: 'số văn bản', en: 'the document number' },
  });
  const note = boundedText(input.note, 'note', 4000, { label: { vi: 'ghi chú', en: 'the note' } });
  const rules = await listStepRules(database.db, now);
  const calendar = await loadWorkingCalendar(database.db);
  await database.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId, { lock: true });
    if (row.status === 'closed') throw conflict({ vi: 'Vụ việc đã đóng', en: 'the case is closed' }, 'status');
    const index = rules.findIndex((rule) => rule.step === row.current_step);
    const current = (await selectStepRows(trx, [row.id])).find((step) => step.step === row.current_step);
    if (index < 0 || !current)
      throw conflict(
        { vi: 'Bước hiện tại không còn trong quy trình', en: 'the current step is no longer in the procedure' },
        'current_step',
      );
    if (input.on < current.started_on) {
      throw invalidInput(
        { vi: 'Ngày hoàn thành trước ngày bắt đầu bước', en: 'the day is before the step started' },
        'on',
      );
    }
    if (input.close && row.current_step !== 'conclusion') {
      throw conflict(
        {
          vi: 'Chỉ đóng vụ việc không vi phạm sau bước kết luận',
          en: 'a case is closed without sanction only at its conclusion',
        },
        'close',
      );
    }
    if (row.current_step === 'sanction' && (await selectSanctionRows(trx, row.id)).length === 0) {
      throw conflict({ vi: 'Chưa có quyết định xử phạt nào', en: 'no sanction decision was recorded' }, 'current_step');
    }
    await updateStepRow(trx, row.id, row.current_step, {
      completed_on: input.on,
      completed_by: context.actor,
      document_no: documentNo || null,
      note,
    });
    const next = input.close ? undefined : rules[index + 1];
    if (next) {
      const dueOn =
        next.working_days !== null && next.counts_from === row.current_step
          ? addWorkingDays(calendar, input.on, next.working_days)
          : null;
      await insertStepRow(trx, { case_id: row.id, step: next.step, started_on: input.on, due_on: dueOn });
      await updateCaseRow(trx, row.id, { current_step: next.step, updated_at: now });
    } else {
      await updateCaseRow(trx, row.id, { status: 'closed', closed_at: now, updated_at: now });
    }
    await recordAuditEvent(trx, context, {
      action: next ? 'case.advance' : 'case.close',
      entityType: 'case',
      entityId: row.id,
      changes: { step: [row.current_step, next?.step ?? null], on: input.on, document_no: documentNo || null, note },
    });
  });
  return getCase(database.db, caseId, now);
}

/** Extends the current step's period to its extended length (the report: 10 → 15 working days), once. */
export async function extendCaseStep(
  database: Database,
  context: ActorContext,
  caseId: string,
  reason: string,
  now: Date = new Date(),
): Promise<Case> {
  const why = boundedText(reason, 'reason', 2000, { label: { vi: 'lý do gia hạn', en: 'the reason' }, required: true });
  const rules = await listStepRules(database.db, now);
  const calendar = await loadWorkingCalendar(database.db);
  await database.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId, { lock: true });
    const rule = rules.find((candidate) => candidate.step === row.current_step);
    const step = (await selectStepRows(trx, [row.id])).find((candidate) => candidate.step === row.current_step);
    if (row.status === 'closed' || !rule?.extended_working_days || !step || step.extended || step.completed_on) {
      throw conflict({ vi: 'Bước này không được gia hạn', en: 'this step cannot be extended' }, 'current_step');
    }
    const dueOn = addWorkingDays(calendar, step.started_on, rule.extended_working_days);
    await updateStepRow(trx, row.id, step.step, { due_on: dueOn, extended: true });
    await updateCaseRow(trx, row.id, { updated_at: now });
    await recordAuditEvent(trx, context, {
      action: 'case.extend',
      entityType: 'case',
      entityId: row.id,
      changes: { step: step.step, due_on: [step.due_on, dueOn], reason: why },
    });
  });
  return getCase(database.db, caseId, now);
}

export interface SanctionInput {
  rule_code: string;
  offender_kind: string;
  offender_name: string;
  platform?: string | undefined;
  amount_vnd: number | string;
  decision_no: string;
  decision_date: string;
  facts: string;
}

const formatVnd = (amount: number) => `${new Intl.NumberFormat('vi-VN').format(amount)} ₫`;

/**
 * Records a sanction decision of a case at its sanction step: the fine must lie inside the rule's range for the kind
 * of offender (an organisation's is the individual's times the rule's multiplier); the decision is published in the
 * register of decisions in the same transaction.
 */
export async function decideSanction(
  database: Database,
  context: ActorContext,
  caseId: string,
  input: SanctionInput,
  now: Date = new Date(),
): Promise<CaseSanction> {
  const rule = (await listSanctionRules(database.db, now)).find((candidate) => candidate.code === input.rule_code);
  if (!rule)
    throw invalidInput(
      { vi: 'Hành vi vi phạm không có trong danh mục đang áp dụng', en: 'no sanction rule in force has this code' },
      'rule_code',
    );
  if (input.offender_kind !== 'individual' && input.offender_kind !== 'organisation') {
    throw invalidInput(
      { vi: 'Đối tượng là cá nhân hoặc tổ chức', en: 'the offender is an individual or an organisation' },
      'offender_kind',
    );
  }
  const offenderKind = input.offender_kind;
  const offenderName = boundedText(input.offender_name, 'offender_name', 300, {
    label: { vi: 'tên đối tượng', en: 'the offender' },
    required: true,
  });
  const facts = boundedText(input.facts, 'facts', 10_000, {
    label: { vi: 'hành vi vi phạm', en: 'the facts' },
    required: true,
  });
  const amountText = String(input.amount_vnd).replace(/[\s.,₫đ]/g, '');
  const amount = /^\d{1,15}$/.test(amountText) ? Number(amountText) : Number.NaN;
  const range = rule[offenderKind];
  if (!Number.isInteger(amount) || amount < range.min_vnd || amount > range.max_vnd) {
    throw invalidInput(
      {
        vi: `Mức phạt phải từ ${formatVnd(range.min_vnd)} đến ${formatVnd(range.max_vnd)} (${offenderKind === 'organisation' ? 'tổ chức' : 'cá nhân'}, ${rule.provision})`,
        en: `the fine must be between ${formatVnd(range.min_vnd)} and ${formatVnd(range.max_vnd)} for an ${offenderKind} (${rule.provision})`,
      },
      'amount_vnd',
    );
  }
  const decisionNo = normalizeDecisionNo(input.decision_no);
  if (!isDecisionNo(decisionNo)) {
    throw invalidInput(
      { vi: 'Số quyết định phải có dạng 12/QĐ-XPHC', en: 'the decision number must look like 12/QĐ-XPHC' },
      'decision_no',
    );
  }
  if (!isCalendarDate(input.decision_date) || input.decision_date > todayInVietnam(now)) {
    throw invalidInput(
      { vi: 'Ngày quyết định không hợp lệ hoặc sau hôm nay', en: 'the decision date must be a day, not after today' },
      'decision_date',
    );
  }
  const platformId = input.platform?.trim()
    ? await resolveReference(database, context, caseId, 'platform', input.platform.trim())
    : null;
  const platform = platformId ? (await loadPlatformSnapshotsByIds(database.db, [platformId]))[0] : undefined;
  const sanction = await database.db.transaction().execute(async (trx) => {
    const row = await requireCase(trx, caseId, { lock: true });
    if (row.status !== 'open' || row.current_step !== 'sanction') {
      throw conflict(
        { vi: 'Vụ việc chưa đến bước xử phạt', en: 'the case is not at its sanction step' },
        'current_step',
      );
    }
    if (await findSanctionByDecisionNo(trx, decisionNo)) {
      throw conflict(
        { vi: `Đã có quyết định số ${decisionNo}`, en: `decision ${decisionNo} is recorded already` },
        'decision_no',
      );
    }
    const created = await insertSanctionRow(trx, {
      case_id: row.id,
      rule_code: rule.code,
      offender_kind: offenderKind,
      offender_name: offenderName,
      platform_id: platformId,
      amount_vnd: amount,
      decision_no: decisionNo,
      decision_date: input.decision_date,
      facts,
      decided_by: context.actor,
      decided_at: now,
    });
    const published = await publishDecision(
      trx,
      {
        kind: 'sanction',
        source: { type: 'case_sanction', id: created.id },
        decision_no: decisionNo,
        decided_on: input.decision_date,
        issuer_unit_id: row.unit_id,
        legal_ground: `${rule.provision}: ${rule.violation.vi}`,
        facts: { vi: `${facts}\n\nMức phạt: ${formatVnd(amount)}.` },
        targets: [
          platform
            ? decisionTargetOfPlatform(platform)
            : { platform_id: null, name: offenderName, registration_no: null, domains: [], apps: [] },
        ],
        automated_detection: false,
        automated_decision: false,
      },
      now,
    );
    await setSanctionPublicId(trx, created.id, published.public_id);
    await updateCaseRow(trx, row.id, { updated_at: now });
    await recordAuditEvent(trx, context, {
      action: 'case.sanction',
      entityType: 'case',
      entityId: row.id,
      changes: {
        sanction_id: created.id,
        rule_code: rule.code,
        offender_kind: offenderKind,
        amount_vnd: amount,
        decision_no: decisionNo,
        public_id: published.public_id,
      },
    });
    return { ...created, public_id: published.public_id };
  });
  return sanctionOf(sanction);
}

export interface RuleChange {
  provision?: string | undefined;
  source_url?: string | undefined;
  source_status?: SourceStatus | undefined;
  note?: string | undefined;
  effective_to?: string | null | undefined;
}

function cleanRuleChange(change: RuleChange) {
  const values: Record<string, unknown> = {};
  if (change.provision !== undefined)
    values.provision = boundedText(change.provision, 'provision', 1000, {
      label: { vi: 'điều khoản', en: 'the provision' },
      required: true,
    });
  if (change.source_url !== undefined)
    values.source_url = boundedText(change.source_url, 'source_url', 2000, {
      label: { vi: 'nguồn', en: 'the source' },
      required: true,
    });
  if (change.note !== undefined)
    values.note = boundedText(change.note, 'note', 4000, { label: { vi: 'ghi chú', en: 'the note' } });
  if (change.source_status !== undefined) values.source_status = change.source_status;
  if (change.effective_to !== undefined) {
    if (change.effective_to !== null && !isCalendarDate(change.effective_to)) {
      throw invalidInput(
        { vi: 'Ngày hết hiệu lực không hợp lệ', en: 'the end date must be a day (YYYY-MM-DD)' },
        'effective_to',
      );
    }
    values.effective_to = change.effective_to;
  }
  return values;
}

/** An administrator corrects a step's period or its source (audited); a period may be removed with `null`. */
export async function setStepRule(
  database: Database,
  context: ActorContext,
  step: string,
  change: RuleChange & { working_days?: number | null | undefined; extended_working_days?: number | null | undefined },
): Promise<StepRule> {
  const values = cleanRuleChange(change);
  for (const field of ['working_days', 'extended_working_days'] as const) {
    const value = change[field];
    if (value === undefined) continue;
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > 365)) {
      throw invalidInput({ vi: 'Số ngày làm việc từ 1 đến 365', en: 'working days must be 1 to 365' }, field);
    }
    values[field] = value;
  }
  return database.db.transaction().execute(async (trx) => {
    const before = await findStepRuleRow(trx, step);
    if (!before) throw notFound({ vi: `Không có bước “${step}”`, en: `no step “${step}”` });
    const after = await updateStepRuleRow(trx, step, values);
    await recordAuditEvent(trx, context, {
      action: 'case_step_rule.set',
      entityType: 'case_step_rule',
      entityId: step,
      changes: Object.fromEntries(
        Object.keys(values).map((key) => [key, [before[key as keyof typeof before], values[key]]]),
      ),
    });
    return stepRuleOf(after as CaseStepRuleRow);
  });
}

/** An administrator corrects a fine's range or its source (audited). */
export async function setSanctionRule(
  database: Database,
  context: ActorContext,
  code: string,
  change: RuleChange & {
    individual_min_vnd?: number | undefined;
    individual_max_vnd?: number | undefined;
    remedial_vi?: string | undefined;
    remedial_en?: string | undefined;
  },
): Promise<SanctionRule> {
  const values = cleanRuleChange(change);
  for (const field of ['remedial_vi', 'remedial_en'] as const) {
    if (change[field] === undefined) continue;
    values[field] = boundedText(change[field], field, 2000, {
      label: { vi: 'biện pháp khắc phục', en: 'the remedial measures' },
    });
  }
  for (const field of ['individual_min_vnd', 'individual_max_vnd'] as const) {
    const value = change[field];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0) {
      throw invalidInput({ vi: 'Số tiền là số nguyên không âm', en: 'an amount is a whole number, 0 or more' }, field);
    }
    values[field] = value;
  }
  return database.db.transaction().execute(async (trx) => {
    const before = await findSanctionRuleRow(trx, code);
    if (!before) throw notFound({ vi: `Không có hành vi “${code}”`, en: `no sanction rule “${code}”` });
    const min = Number(values.individual_min_vnd ?? before.individual_min_vnd);
    const max = Number(values.individual_max_vnd ?? before.individual_max_vnd);
    if (min > max) {
      throw invalidInput(
        { vi: 'Mức tối thiểu lớn hơn mức tối đa', en: 'the minimum exceeds the maximum' },
        'individual_min_vnd',
      );
    }
    const after = await updateSanctionRuleRow(trx, code, values);
    await recordAuditEvent(trx, context, {
      action: 'sanction_rule.set',
      entityType: 'sanction_rule',
      entityId: code,
      changes: Object.fromEntries(
        Object.keys(values).map((key) => [key, [before[key as keyof typeof before], values[key]]]),
      ),
    });
    return sanctionRuleOf(after as SanctionRuleRow);
  });
}

/**
 * Complaints (issue 15): intake from the public form, the API and the hotline's call log; triage into targets (one
 * per registrable domain, app id or name, resolved as the check resolves input); duplicates merged; the portal's
 * rule (table `complaint_rules`): more than 5 reporters → a request for explanation to the business, no adequate
 * reply within its working days → the public list of sites complained about.
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, type FieldIssue, invalidInput, notFound } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import { foldForSearch, toNfc } from '../../core/text.ts';
import { boundedText, fieldIssuesOfZod } from '../../core/validation.ts';
import { addWorkingDays } from '../../core/working-days.ts';
import { detectErcFileType } from '../accounts/index.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import { parseCheckInput } from '../check/index.ts';
import { findIdentityOwners, getPlatform } from '../registry/index.ts';
import { unitWithDuty } from '../units/index.ts';
import {
  countReporters,
  insertTargetEvent,
  lockOrCreateTarget,
  lockTarget,
  selectExistingKeys,
  selectOverdueTargets,
  selectRuleInForce,
  selectStatsRows,
  selectTargetEvents,
  selectTargetSummaries,
  type TargetEventRow,
  type TargetRow,
  type TargetSummary,
  updateTarget,
} from './complaints.repository.ts';
import { type ComplaintBody, complaintBodySchema } from './complaints.schemas.ts';
import type { Channel, TargetKind, TargetState } from './complaints.table.ts';

export type { TargetSummary } from './complaints.repository.ts';

export interface ResolvedTarget {
  target: string;
  kind: TargetKind;
}

/** What a complaint is about, as the check reads it: a registrable domain, an app id, or a name folded. */
export function resolveTarget(text: string, field = 'target'): ResolvedTarget {
  let parsed: ReturnType<typeof parseCheckInput>;
  try {
    parsed = parseCheckInput(text);
  } catch (error) {
    if (error instanceof AppError) throw new AppError(error.code, error.text, { field });
    throw error;
  }
  switch (parsed.type) {
    case 'domain':
      return { target: parsed.host.registrableDomain, kind: 'domain' };
    case 'android_app':
      return { target: parsed.packageId, kind: 'android_app' };
    case 'ios_app':
      return { target: `id${parsed.appId}`, kind: 'ios_app' };
    case 'name':
      return { target: foldForSearch(parsed.name), kind: 'name' };
  }
}

/** Tells reporters apart: e-mail lower-cased, else the phone's digits with +84 read as 0. */
export function reporterKeyOf(reporter: ComplaintBody['reporter']): string | null {
  const email = reporter?.email?.trim().toLowerCase();
  if (email) return `email:${email}`;
  const digits = reporter?.phone?.replace(/\D/g, '');
  if (digits) return `phone:${digits.replace(/^84(?=\d{9}$)/, '0')}`;
  return null;
}

/** Same person, same target, same facts → the same fingerprint: such complaints are merged. */
export function fingerprintOf(body: ComplaintBody, target: string): string {
  const person = reporterKeyOf(body.reporter) ?? `anonymous:${foldForSearch(body.reporter?.name ?? '')}`;
  const facts = [
    person,
    target,
    foldForSearch(body.what_happened).replace(/\s+/g, ' '),
    body.amount_vnd ?? '',
    body.occurred_on ?? '',
  ];
  return sha256Hex(JSON.stringify(facts));
}

export interface Attachment {
  filename: string;
  content: Buffer;
}

const TEXT = {
  fileType: {
    vi: 'Tệp “{name}” không phải PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp, không theo tên).',
    en: 'The file “{name}” is not a PDF, JPEG or PNG (judged by its content, not its name).',
  },
  noTarget: { vi: 'Không có đối tượng bị phản ánh {id}.', en: 'No complaint target {id}.' },
  noRule: {
    vi: 'Chưa có quy định về website bị phản ánh đang có hiệu lực (bảng complaint_rules).',
    en: 'No rule on sites complained about is in force (table complaint_rules).',
  },
  notAwaiting: {
    vi: 'Đối tượng này không đang chờ giải trình (trạng thái “{state}”).',
    en: 'This target is not awaiting an explanation (it is {state}).',
  },
  noReply: { vi: 'Doanh nghiệp chưa gửi giải trình.', en: 'The business has not replied yet.' },
} satisfies Record<string, Localized>;

function checkAttachments(
  files: readonly Attachment[],
  fieldOf: (index: number) => string,
): Array<Attachment & { sha256: string; type: string }> {
  return files.map((file, index) => {
    const type = detectErcFileType(file.content);
    if (!type) throw invalidInput(fill(TEXT.fileType, { name: file.filename || `#${index + 1}` }), fieldOf(index));
    return { ...file, type, sha256: sha256Hex(file.content) };
  });
}

export interface SubmitResult {
  id: string;
  target: string;
  merged: boolean;
  state: TargetState;
  /** The files stored with it (none when merged into an earlier complaint, which keeps its own). */
  attachments: Array<{ filename: string; sha256: string; media_type: string; size_bytes: number }>;
}

/** One complaint, in the caller's transaction: the target locked, the complaint stored or merged, the rule applied. */
async function storeComplaint(
  trx: Db,
  context: ActorContext,
  body: ComplaintBody,
  channel: Channel,
  files: ReadonlyArray<Attachment & { sha256: string; type: string }>,
): Promise<SubmitResult> {
  const resolved = resolveTarget(body.target);
  const target = await lockOrCreateTarget(trx, { ...resolved, unitId: unitWithDuty('consumer_protection').id });
  const fingerprint = fingerprintOf(body, resolved.target);
  const existing = await trx
    .selectFrom('complaints')
    .select('id')
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
  if (existing) {
    await trx
      .updateTable('complaints')
      .set((eb) => ({ duplicates: eb('duplicates', '+', 1) }))
      .where('id', '=', existing.id)
      .execute();
    await recordAuditEvent(trx, context, {
      action: 'complaint.merged',
      entityType: 'complaint',
      entityId: existing.id,
      changes: { channel },
    });
    return { id: existing.id, target: resolved.target, merged: true, state: target.state, attachments: [] };
  }
  const inserted = await trx
    .insertInto('complaints')
    .values({
      target_id: target.id,
      channel,
      what_happened: toNfc(body.what_happened),
      amount_vnd: body.amount_vnd ?? null,
      payment_method: body.payment_method ?? null,
      occurred_on: body.occurred_on ?? null,
      reporter_name: body.reporter?.name ? toNfc(body.reporter.name) : null,
      reporter_email: body.reporter?.email ?? null,
      reporter_phone: body.reporter?.phone ?? null,
      reporter_key: reporterKeyOf(body.reporter),
      fingerprint,
      external_id: body.external_id ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const file of files) {
    await trx
      .insertInto('complaint_files')
      .values({ sha256: file.sha256, media_type: file.type, size_bytes: file.content.length, content: file.content })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
    await trx
      .insertInto('complaint_attachments')
      .values({ complaint_id: inserted.id, sha256: file.sha256, filename: file.filename.slice(0, 255) })
      .onConflict((oc) => oc.columns(['complaint_id', 'sha256']).doNothing())
      .execute();
  }
  // The audit trail names the target and the facts, never the reporter's contact.
  await recordAuditEvent(trx, context, {
    action: 'complaint.received',
    entityType: 'complaint',
    entityId: inserted.id,
    changes: { channel, target: resolved.target, attachments: files.map((file) => file.sha256) },
  });
  const state = await applyThreshold(trx, context, target);
  return {
    id: inserted.id,
    target: resolved.target,
    merged: false,
    state,
    attachments: files.map((file) => ({
      filename: file.filename,
      sha256: file.sha256,
      media_type: file.type,
      size_bytes: file.content.length,
    })),
  };
}

/** More than the rule's reporters about an open target → the request for explanation, due in working days. */
async function applyThreshold(trx: Db, context: ActorContext, target: TargetRow): Promise<TargetState> {
  if (target.state !== 'open') return target.state;
  const today = todayInVietnam();
  const rule = await selectRuleInForce(trx, today);
  if (!rule) throw new AppError('internal', TEXT.noRule);
  const reporters = await countReporters(trx, target.id);
  if (reporters < rule.min_reporters) return target.state;
  const dueOn = addWorkingDays(await loadWorkingCalendar(trx), today, rule.reply_working_days);
  await updateTarget(trx, target.id, {
    state: 'explanation_requested',
    explanation_requested_on: today,
    explanation_due_on: dueOn,
  });
  await insertTargetEvent(trx, target.id, 'explanation_requested', `${reporters}; ${dueOn}; ${rule.provision}`);
  await recordAuditEvent(trx, context, {
    action: 'complaint_target.explanation_requested',
    entityType: 'complaint_target',
    entityId: target.id,
    changes: { reporters, due_on: dueOn, rule: rule.code, provision: rule.provision },
  });
  return 'explanation_requested';
}

export async function submitComplaint(
  database: Database,
  context: ActorContext,
  body: ComplaintBody,
  channel: Channel,
  attachments: readonly Attachment[] = [],
  /** The field a refused file is named by: the form's one input, or the API's `attachments[i]`. */
  fileField: (index: number) => string = () => 'attachments',
): Promise<SubmitResult> {
  const files = checkAttachments(attachments, fileField);
  resolveTarget(body.target);
  return database.db.transaction().execute((trx) => storeComplaint(trx, context, body, channel, files));
}

export interface ImportResult {
  lines: number;
  added: number;
  merged: number;
  skipped: number;
}

/** Problems of an import kept to show (all are counted): the first ones say what is wrong with the file. */
const KEPT_IMPORT_ISSUES = 100;
/** Lines stored per round trip of the second pass (their existing keys looked up together). */
const IMPORT_CHUNK = 500;

type CheckedLine = { line: number; body: ComplaintBody; fingerprint: string } | { line: number; issues: FieldIssue[] };

/** The non-empty lines of an NDJSON stream, each checked against the Complaint contract, with its line number. */
async function* checkedLines(input: Readable): AsyncGenerator<CheckedLine> {
  const reader = readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of reader) {
    line++;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      yield {
        line,
        issues: [{ line, message: { vi: 'Dòng không phải JSON hợp lệ.', en: 'The line is not valid JSON.' } }],
      };
      continue;
    }
    const parsed = complaintBodySchema.safeParse(json);
    if (!parsed.success) {
      yield { line, issues: fieldIssuesOfZod(parsed.error.issues, json).map((issue) => ({ ...issue, line })) };
      continue;
    }
    try {
      const { target } = resolveTarget(parsed.data.target);
      yield { line, body: parsed.data, fingerprint: fingerprintOf(parsed.data, target) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      yield { line, issues: [{ line, field: 'target', message: error.text }] };
    }
  }
}

/**
 * The hotline's call log, one complaint a line, read twice from `open()` so that memory does not grow with the file:
 * first every line is checked (the first 100 problems kept, all counted, each naming its line and field) and, only when
 * none has one, every line is stored in one transaction, chunk by chunk. Idempotent: a line already imported (by its
 * `external_id`, else its content) is skipped, in the file as in the database.
 */
export async function importComplaints(
  database: Database,
  context: ActorContext,
  open: () => Readable,
  fileName = 'input',
): Promise<ImportResult> {
  const issues: FieldIssue[] = [];
  let problems = 0;
  for await (const checked of checkedLines(open())) {
    if (!('issues' in checked)) continue;
    problems += checked.issues.length;
    for (const issue of checked.issues) if (issues.length < KEPT_IMPORT_ISSUES) issues.push(issue);
  }
  if (problems > 0) {
    const first = issues[0] as FieldIssue;
    throw new AppError(
      'invalid_input',
      {
        vi: `${fileName}: ${problems} lỗi, không nhập dòng nào (dòng ${first.line}${first.field ? `, trường ${first.field}` : ''}: ${first.message.vi})`,
        en: `${fileName}: ${problems} problem(s), nothing imported (line ${first.line}${first.field ? `, field ${first.field}` : ''}: ${first.message.en})`,
      },
      { issues },
    );
  }
  return database.db.transaction().execute(async (trx) => {
    const result: ImportResult = { lines: 0, added: 0, merged: 0, skipped: 0 };
    const store = async (chunk: ReadonlyArray<{ body: ComplaintBody; fingerprint: string }>) => {
      // Lines stored by earlier chunks are in the database already (same transaction): only this chunk is compared.
      const existing = await selectExistingKeys(
        trx,
        chunk.map((item) => item.fingerprint),
        chunk.flatMap((item) => (item.body.external_id ? [item.body.external_id] : [])),
      );
      const seen = new Set<string>();
      for (const item of chunk) {
        const key = item.body.external_id ? `x:${item.body.external_id}` : `f:${item.fingerprint}`;
        if (
          seen.has(key) ||
          (item.body.external_id
            ? existing.externalIds.has(item.body.external_id)
            : existing.fingerprints.has(item.fingerprint))
        ) {
          result.skipped++;
          continue;
        }
        seen.add(key);
        const stored = await storeComplaint(trx, context, item.body, 'import', []);
        if (stored.merged) result.merged++;
        else result.added++;
      }
    };
    let chunk: Array<{ body: ComplaintBody; fingerprint: string }> = [];
    for await (const checked of checkedLines(open())) {
      // The file changed between the passes: stop rather than store what was not checked.
      if ('issues' in checked) {
        throw new AppError('invalid_input', {
          vi: `${fileName}: tệp thay đổi trong khi nhập (dòng ${checked.line}); không nhập dòng nào`,
          en: `${fileName}: the file changed while it was imported (line ${checked.line}); nothing imported`,
        });
      }
      result.lines++;
      chunk.push(checked);
      if (chunk.length >= IMPORT_CHUNK) {
        await store(chunk);
        chunk = [];
      }
    }
    await store(chunk);
    return result;
  });
}

/** The list `complaints targets` and the workbench show: counts, state, clock, routing. */
export async function listTargets(db: Db, state?: TargetState): Promise<TargetSummary[]> {
  return selectTargetSummaries(db, state);
}

export interface ListedTarget extends TargetSummary {
  history: TargetEventRow[];
}

/** The public list of sites complained about, each with its history (no complaint's content, no reporter). */
export async function listComplainedAbout(db: Db): Promise<ListedTarget[]> {
  const targets = await selectTargetSummaries(db, 'listed');
  const events = await selectTargetEvents(
    db,
    targets.map((target) => target.id),
  );
  return targets.map((target) => ({ ...target, history: events.filter((event) => event.target_id === target.id) }));
}

export async function getTargetHistory(db: Db, id: string): Promise<TargetEventRow[]> {
  return selectTargetEvents(db, [id]);
}

/** The rule in force, for the pages that explain it. */
export async function complaintRuleInForce(db: Db) {
  const rule = await selectRuleInForce(db, todayInVietnam());
  if (!rule) throw new AppError('internal', TEXT.noRule);
  return rule;
}

async function lockExisting(trx: Db, id: string): Promise<TargetRow> {
  const target = isUuid(id) ? await lockTarget(trx, id) : undefined;
  if (!target) throw notFound(fill(TEXT.noTarget, { id }));
  return target;
}

/** The business's explanation, recorded on the target (the business answers in its account, or an officer for it). */
export async function recordExplanationReply(
  database: Database,
  context: ActorContext,
  id: string,
  reply: string,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    const target = await lockExisting(trx, id);
    if (target.state !== 'explanation_requested') {
      throw new AppError('conflict', fill(TEXT.notAwaiting, { state: target.state }));
    }
    await updateTarget(trx, id, { reply: toNfc(reply), replied_at: new Date(), reply_adequate: null });
    await insertTargetEvent(trx, id, 'replied');
    await recordAuditEvent(trx, context, {
      action: 'complaint_target.replied',
      entityType: 'complaint_target',
      entityId: id,
      changes: { reply },
    });
  });
}

/**
 * An officer judges the reply: adequate closes the target; inadequate leaves it to the clock (listed once the period
 * is over, at once if it already is).
 */
export async function judgeExplanation(
  database: Database,
  context: ActorContext,
  id: string,
  adequate: boolean,
  today = todayInVietnam(),
): Promise<TargetState> {
  return database.db.transaction().execute(async (trx) => {
    const target = await lockExisting(trx, id);
    if (target.state !== 'explanation_requested') {
      throw new AppError('conflict', fill(TEXT.notAwaiting, { state: target.state }));
    }
    if (target.reply === null) throw new AppError('conflict', TEXT.noReply);
    let state: TargetState = 'explanation_requested';
    if (adequate) {
      state = 'closed';
      await updateTarget(trx, id, { reply_adequate: true, state });
      await insertTargetEvent(trx, id, 'reply_adequate');
      await insertTargetEvent(trx, id, 'closed');
    } else {
      await updateTarget(trx, id, { reply_adequate: false });
      await insertTargetEvent(trx, id, 'reply_inadequate');
      if (target.explanation_due_on !== null && target.explanation_due_on < today) {
        state = 'listed';
        await updateTarget(trx, id, { state, listed_on: today });
        await insertTargetEvent(trx, id, 'listed');
      }
    }
    await recordAuditEvent(trx, context, {
      action: 'complaint_target.judged',
      entityType: 'complaint_target',
      entityId: id,
      changes: { adequate, state },
    });
    return state;
  });
}

/**
 * The units a target may be routed to, as the issue names them: the unit holding consumer protection (where intake
 * sends every target), the E-Commerce Agency, Market Management, and the provincial Departments of Industry and Trade.
 */
export function competentUnitIds(): string[] {
  return [unitWithDuty('consumer_protection').id, 'idea', 'market_management', 'provincial_dot'];
}

/** Routes a target to another competent unit, with the officer's note; audited (the public history does not show it). */
export async function routeComplaintTarget(
  database: Database,
  context: ActorContext,
  id: string,
  input: { unit: string; note?: string | undefined },
): Promise<{ from: string; to: string }> {
  const competent = competentUnitIds();
  if (!competent.includes(input.unit)) {
    throw invalidInput(
      {
        vi: `Đơn vị “${input.unit}” không thuộc các đơn vị xử lý phản ánh (${competent.join(', ')})`,
        en: `“${input.unit}” is not a unit that handles complaints (${competent.join(', ')})`,
      },
      'unit',
    );
  }
  const note = boundedText(input.note, 'note', 2000, { label: { vi: 'ghi chú', en: 'the note' } });
  return database.db.transaction().execute(async (trx) => {
    const target = await lockExisting(trx, id);
    if (target.unit_id === input.unit) {
      throw new AppError(
        'conflict',
        { vi: 'Đối tượng đã ở đơn vị này', en: 'the target is with this unit already' },
        {
          field: 'unit',
        },
      );
    }
    await updateTarget(trx, target.id, { unit_id: input.unit });
    await recordAuditEvent(trx, context, {
      action: 'complaint_target.routed',
      entityType: 'complaint_target',
      entityId: target.id,
      changes: { unit_id: [target.unit_id, input.unit], note },
    });
    return { from: target.unit_id, to: input.unit };
  });
}

/**
 * The clock: every target whose explanation period ended before `today` without a reply judged adequate goes on the
 * public list. Run daily by the job `complaints-list-overdue` and by `ecomgov complaints advance`.
 */
export async function listOverdueTargets(
  database: Database,
  context: ActorContext,
  today = todayInVietnam(),
): Promise<string[]> {
  return database.db.transaction().execute(async (trx) => {
    const overdue = await selectOverdueTargets(trx, today);
    for (const target of overdue) {
      await updateTarget(trx, target.id, { state: 'listed', listed_on: today });
      await insertTargetEvent(trx, target.id, 'listed', `${target.explanation_due_on}`);
      await recordAuditEvent(trx, context, {
        action: 'complaint_target.listed',
        entityType: 'complaint_target',
        entityId: target.id,
        changes: { due_on: target.explanation_due_on, listed_on: today, reply: target.reply !== null },
      });
    }
    return overdue.map((target) => target.target);
  });
}

/**
 * The requests for explanation addressed to a business: targets awaiting one whose domain or app the register gives to
 * a platform of the organisation with this tax code.
 */
export async function listExplanationRequestsOf(db: Db, taxCode: string): Promise<TargetSummary[]> {
  const awaiting = (await selectTargetSummaries(db, 'explanation_requested')).filter(
    (target) => target.kind !== 'name',
  );
  if (awaiting.length === 0) return [];
  // An App Store id may be stored with or without its "id" prefix: both are asked for.
  const valuesOf = (target: TargetSummary) =>
    target.kind === 'ios_app' ? [target.target, target.target.replace(/^id/, '')] : [target.target];
  const owners = await findIdentityOwners(
    db,
    awaiting.flatMap((target) =>
      valuesOf(target).map((value) => ({ kind: target.kind as 'domain' | 'android_app' | 'ios_app', value })),
    ),
  );
  const owned = new Set<string>();
  for (const owner of owners) {
    const platform = await getPlatform(db, owner.platformId);
    if (platform.organisation?.tax_code === taxCode) owned.add(`${owner.kind}:${owner.value}`);
  }
  return awaiting.filter((target) => valuesOf(target).some((value) => owned.has(`${target.kind}:${value}`)));
}

/** The business answers in its account: only a request addressed to its own platform (else: not found). */
export async function replyAsBusiness(
  database: Database,
  context: ActorContext,
  taxCode: string,
  id: string,
  reply: string,
): Promise<void> {
  const mine = await listExplanationRequestsOf(database.db, taxCode);
  if (!mine.some((target) => target.id === id)) throw notFound(fill(TEXT.noTarget, { id }));
  await recordExplanationReply(database, context, id, reply);
}

/**
 * What a case links as a complaint, once checked to exist: a complaint by its id, or a target by what the check reads
 * in the text (`lua-dao.vn` for `https://www.lua-dao.vn/p/1`). Refused naming the field `ref` otherwise.
 */
export async function complaintReference(db: Db, ref: string): Promise<string> {
  if (isUuid(ref)) {
    const found = await db.selectFrom('complaints').select('id').where('id', '=', ref).executeTakeFirst();
    if (found) return found.id;
  } else {
    const { target } = resolveTarget(ref, 'ref');
    const found = await db
      .selectFrom('complaint_targets')
      .select('target')
      .where('target', '=', target)
      .executeTakeFirst();
    if (found) return found.target;
  }
  throw invalidInput(
    { vi: `Không có phản ánh hoặc đối tượng bị phản ánh “${ref}”`, en: `no complaint or complaint target “${ref}”` },
    'ref',
  );
}

export interface PlatformStats {
  target: string;
  complaints: number;
  amount_vnd: number;
  by_channel: Record<string, number>;
  by_payment_method: Record<string, number>;
}

/** Statistics per platform (target): complaints by channel and by payment method, and the amounts reported. */
export async function complaintStats(db: Db): Promise<PlatformStats[]> {
  const stats = new Map<string, PlatformStats>();
  for (const row of await selectStatsRows(db)) {
    const entry = stats.get(row.target) ?? {
      target: row.target,
      complaints: 0,
      amount_vnd: 0,
      by_channel: {},
      by_payment_method: {},
    };
    entry.complaints += row.complaints;
    entry.amount_vnd += row.amount_vnd;
    entry.by_channel[row.channel] = (entry.by_channel[row.channel] ?? 0) + row.complaints;
    const method = row.payment_method ?? 'unknown';
    entry.by_payment_method[method] = (entry.by_payment_method[method] ?? 0) + row.complaints;
    stats.set(row.target, entry);
  }
  return [...stats.values()].sort((a, b) => b.complaints - a.complaints || a.target.localeCompare(b.target));
}

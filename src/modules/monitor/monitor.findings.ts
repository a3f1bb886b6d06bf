/**
 * Findings (issue 12): `unregistered_ecommerce` and `fake_badge` answers open ONE finding per domain in the officers'
 * queue (the unique domain; concurrent workers meet in ON CONFLICT). A re-scan updates it: a flagged answer moves
 * last seen, the latest scan and evidence and the classification; any answer (compliant, unreachable…) is noted as
 * the last scan, so an officer sees "compliant since" without the finding or its scans being removed.
 *
 * Officer actions move an `open` finding to another status, each audited in its own transaction; a finding not
 * `open` answers 409 naming `status`. `case` is the extension point for issue 15 (cases): `setFindingStatus` is
 * what a case will call when it takes a finding over.
 */
import { type Selectable, sql } from 'kysely';
import { z } from 'zod';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, conflict, invalidInput, notFound } from '../../core/errors.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import { isUuid } from '../../core/ids.ts';
import { createAdvisory } from '../advisories/index.ts';
import { proposeBlockIn } from '../blocking/index.ts';
import { createCase, linkToCase } from '../cases/index.ts';
import { PLATFORM_KINDS, recordUnregisteredPlatform } from '../registry/index.ts';
import type { MonitorAnswer } from './monitor.schemas.ts';
import { FINDING_STATUSES, type FindingStatus, type MonitorFindingTable } from './monitor.table.ts';

const FLAGGED = new Set(['unregistered_ecommerce', 'fake_badge']);

/** The domain a scan is about: where it landed, else what was asked, as the register normalises hosts. */
export function domainOfAnswer(answer: Pick<MonitorAnswer, 'url' | 'final_url'>): string | null {
  return tryNormalizeHost(answer.final_url ?? answer.url)?.host ?? null;
}

/**
 * Opens or updates the domain's finding from one answer, in the caller's transaction (the one storing the scan);
 * returns the finding's id, if any.
 */
export async function recordFinding(
  trx: Db,
  scanId: string,
  answer: MonitorAnswer,
  at: Date = new Date(answer.fetched_at),
): Promise<string | undefined> {
  const domain = domainOfAnswer(answer);
  if (!domain) return undefined;
  if (FLAGGED.has(answer.classification)) {
    const row = await sql<{ id: string; created: boolean }>`
        INSERT INTO monitor_findings (domain, classification, first_seen_at, last_seen_at, latest_scan_id,
          latest_evidence_id, last_scan_id, last_scan_classification, last_scanned_at)
        VALUES (${domain}, ${answer.classification}, ${at}, ${at}, ${scanId}, ${answer.evidence?.id ?? null},
          ${scanId}, ${answer.classification}, ${at})
        ON CONFLICT (domain) DO UPDATE SET
          classification = EXCLUDED.classification,
          last_seen_at = GREATEST(monitor_findings.last_seen_at, EXCLUDED.last_seen_at),
          latest_scan_id = EXCLUDED.latest_scan_id,
          latest_evidence_id = EXCLUDED.latest_evidence_id,
          last_scan_id = EXCLUDED.last_scan_id,
          last_scan_classification = EXCLUDED.last_scan_classification,
          last_scanned_at = EXCLUDED.last_scanned_at
        RETURNING id, (xmax = 0) AS created`.execute(trx);
    const finding = row.rows[0] as { id: string; created: boolean };
    if (finding.created) {
      await recordAuditEvent(
        trx,
        { actor: 'system:monitor-queue' },
        {
          action: 'monitor_finding.open',
          entityType: 'monitor_finding',
          entityId: finding.id,
          changes: { domain, classification: answer.classification, scan_id: scanId },
        },
      );
    }
    return finding.id;
  }
  const updated = await trx
    .updateTable('monitor_findings')
    .set({ last_scan_id: scanId, last_scan_classification: answer.classification, last_scanned_at: at })
    .where('domain', '=', domain)
    .returning('id')
    .executeTakeFirst();
  return updated?.id;
}

export interface FindingFilters {
  classification?: string | undefined;
  status?: string | undefined;
}

export async function listFindings(db: Db, filters: FindingFilters = {}) {
  let query = db.selectFrom('monitor_findings').selectAll();
  if (filters.classification) query = query.where('classification', '=', filters.classification as never);
  if (filters.status) query = query.where('status', '=', filters.status as FindingStatus);
  const rows = await query.orderBy('last_seen_at', 'desc').orderBy('domain').limit(1000).execute();
  return rows.map(findingView);
}

const findingNotFound = (id: string) => notFound({ vi: `Không có phát hiện ${id}.`, en: `no finding ${id}` });

/** A finding and its domain's scans, newest first (the history a re-scan never removes). */
export async function getFinding(db: Db, id: string) {
  if (!isUuid(id)) throw findingNotFound(id);
  const finding = await db.selectFrom('monitor_findings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!finding) throw findingNotFound(id);
  const scans = await db
    .selectFrom('monitor_scans')
    .select(['id', 'url', 'status', 'classification', 'evidence_id', 'requested_at', 'finished_at'])
    .where('domain', '=', finding.domain)
    .orderBy('seq', 'desc')
    .limit(200)
    .execute();
  return {
    finding: findingView(finding),
    scans: scans.map((scan) => ({
      ...scan,
      requested_at: isoOrNull(scan.requested_at) as string,
      finished_at: isoOrNull(scan.finished_at),
    })),
  };
}

/**
 * Moves an open finding to `status` in the caller's transaction, audited there: the one place statuses change,
 * for dismissals, warnings, block requests and (issue 15) cases.
 */
/**
 * A finding as another module cites it (a case): its id, or the domain it is about (one finding per domain); the
 * finding's id, or 400 naming `ref`.
 */
export async function findingReference(db: Db, ref: string): Promise<string> {
  const wanted = ref.trim();
  const domain = isUuid(wanted) ? undefined : tryNormalizeHost(wanted)?.host;
  const found =
    isUuid(wanted) || domain
      ? await db
          .selectFrom('monitor_findings')
          .select('id')
          .where(isUuid(wanted) ? 'id' : 'domain', '=', isUuid(wanted) ? wanted : (domain as string))
          .executeTakeFirst()
      : undefined;
  if (found) return found.id;
  throw invalidInput(
    { vi: `Không có kết quả rà quét “${wanted}”`, en: `no monitor finding “${wanted}” (an id or a domain)` },
    'ref',
  );
}

export async function setFindingStatus(
  trx: Db,
  context: ActorContext,
  id: string,
  change: { status: Exclude<FindingStatus, 'open'>; reason?: string | null; detail?: Record<string, unknown> },
) {
  if (!isUuid(id)) throw findingNotFound(id);
  const current = await trx
    .selectFrom('monitor_findings')
    .select(['id', 'status'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!current) throw findingNotFound(id);
  if (current.status !== 'open') {
    throw conflict(
      {
        vi: `Phát hiện đang ở trạng thái “${current.status}”, không còn mở: không thể chuyển sang “${change.status}”.`,
        en: `the finding is ${current.status}, no longer open: it cannot become ${change.status}`,
      },
      'status',
    );
  }
  const now = new Date();
  await trx
    .updateTable('monitor_findings')
    .set({
      status: change.status,
      status_reason: change.reason ?? null,
      status_changed_by: context.actor,
      status_changed_at: now,
    })
    .where('id', '=', id)
    .execute();
  await recordAuditEvent(trx, context, {
    action: `monitor_finding.${change.status}`,
    entityType: 'monitor_finding',
    entityId: id,
    changes: { status: ['open', change.status], reason: change.reason ?? null, ...change.detail },
  });
}

export async function dismissFinding(database: Database, context: ActorContext, id: string, reason: string) {
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 2000) {
    throw invalidInput(
      { vi: 'Hãy ghi lý do bỏ qua (3–2000 ký tự).', en: 'give the reason for dismissing (3–2000 characters)' },
      'reason',
    );
  }
  await database.db
    .transaction()
    .execute((trx) => setFindingStatus(trx, context, id, { status: 'dismissed', reason: trimmed }));
}

const isoOrNull = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export const findingSchema = z
  .object({
    id: z.string(),
    domain: z.string(),
    classification: z.enum(['unregistered_ecommerce', 'fake_badge']),
    status: z.enum(FINDING_STATUSES),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
    latest_scan_id: z.string(),
    latest_evidence_id: z.string().nullable(),
    last_scan_id: z.string(),
    last_scan_classification: z.string().describe('What the latest scan found, e.g. compliant after a fix'),
    last_scanned_at: z.string(),
    status_reason: z.string().nullable(),
    status_changed_by: z.string().nullable(),
    status_changed_at: z.string().nullable(),
  })
  .meta({ id: 'MonitorFinding' });

export type FindingView = z.infer<typeof findingSchema>;

export function findingView(row: Selectable<MonitorFindingTable>): FindingView {
  return {
    ...row,
    first_seen_at: isoOrNull(row.first_seen_at) as string,
    last_seen_at: isoOrNull(row.last_seen_at) as string,
    last_scanned_at: isoOrNull(row.last_scanned_at) as string,
    status_changed_at: isoOrNull(row.status_changed_at),
  };
}

export const findingDetailSchema = z
  .object({
    finding: findingSchema,
    scans: z.array(
      z.object({
        id: z.string(),
        url: z.string(),
        status: z.string(),
        classification: z.string().nullable(),
        evidence_id: z.string().nullable(),
        requested_at: z.string(),
        finished_at: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'MonitorFindingDetail' });

export const warningInputSchema = z
  .object({
    severity: z.enum(['info', 'warning', 'danger']),
    title_vi: z.string().trim().min(3).max(300),
    title_en: z.string().trim().min(3).max(300),
    body_vi: z.string().trim().min(3).max(20_000),
    body_en: z.string().trim().min(3).max(20_000),
  })
  .strict()
  .meta({ id: 'MonitorFindingWarning' });

function refuseUnlessOpen(status: FindingStatus): void {
  if (status !== 'open') {
    throw conflict(
      { vi: `Phát hiện đang ở trạng thái “${status}”, không còn mở.`, en: `the finding is ${status}, no longer open` },
      'status',
    );
  }
}

/**
 * Turns an open finding into a consumer warning: a draft advisory (kind `warning`) written through the advisories
 * module, then the finding `warned` citing it. The advisory's own transaction comes first (createAdvisory opens
 * one): a finding closed by someone else in between answers 409 and leaves only an unpublished draft.
 */
export async function warnFinding(
  database: Database,
  author: { context: ActorContext; unitId: string | null },
  id: string,
  input: z.infer<typeof warningInputSchema>,
): Promise<{ advisory_id: string }> {
  const { finding } = await getFinding(database.db, id);
  if (finding.status !== 'open') {
    throw conflict(
      {
        vi: `Phát hiện đang ở trạng thái “${finding.status}”, không còn mở.`,
        en: `the finding is ${finding.status}, no longer open`,
      },
      'status',
    );
  }
  const advisory = await createAdvisory(database, author, { kind: 'warning', platforms: [], ...input });
  await database.db.transaction().execute((trx) =>
    setFindingStatus(trx, author.context, id, {
      status: 'warned',
      detail: { advisory_id: advisory.id, evidence_id: finding.latest_evidence_id },
    }),
  );
  return { advisory_id: advisory.id };
}

export const blockRequestInputSchema = z
  .object({
    reason: z.string().max(4000),
    legal_basis: z.string().max(1000),
    platform_kind: z
      .enum(PLATFORM_KINDS)
      .default('sales')
      .describe('How the register lists a site it does not hold yet (only then used)'),
    cross_border: z
      .boolean()
      .default(false)
      .describe('Whether that site sells from abroad (only used when the register does not hold it)'),
  })
  .strict()
  .meta({ id: 'MonitorFindingBlockRequest' });

/**
 * Turns an open finding into a block request through the blocking module, citing the finding's latest evidence and
 * its domain. A block names a platform of the register; most sites the monitor finds are in no register, so a domain
 * the register does not hold is first recorded there as an `unregistered` platform (kind and cross-border as the
 * officer says), with the finding in its status history. The record, the request and the finding's new status are
 * one transaction: a refused request (no captured evidence, a request already open) leaves the register unchanged.
 */
export async function requestBlockForFinding(
  database: Database,
  author: { context: ActorContext; unitId: string | null },
  id: string,
  input: z.input<typeof blockRequestInputSchema>,
): Promise<{ block_id: string; platform_id: string; platform_recorded: boolean }> {
  const request = blockRequestInputSchema.parse(input);
  const { finding } = await getFinding(database.db, id);
  refuseUnlessOpen(finding.status);
  return database.db.transaction().execute(async (trx) => {
    const platform = await recordUnregisteredPlatform(
      trx,
      {
        domain: finding.domain,
        kind: request.platform_kind,
        crossBorder: request.cross_border,
        reason: `Phát hiện qua giám sát trực tuyến (${finding.classification}), phát hiện ${finding.id}, chứng cứ ${finding.latest_evidence_id ?? '—'}`,
      },
      author.context,
    );
    const block = await proposeBlockIn(trx, author, {
      platform: platform.platformId,
      domains: [finding.domain],
      android_apps: [],
      ios_apps: [],
      reason: request.reason,
      legal_basis: request.legal_basis,
      evidence: finding.latest_evidence_id ? [finding.latest_evidence_id] : [],
    });
    await setFindingStatus(trx, author.context, id, {
      status: 'block_requested',
      detail: {
        block_id: block.id,
        evidence_id: finding.latest_evidence_id,
        platform_id: platform.platformId,
        platform_recorded: platform.created,
      },
    });
    return { block_id: block.id, platform_id: platform.platformId, platform_recorded: platform.created };
  });
}

/**
 * Turns an open finding into an inspection case (module `cases`): the case is opened for the officer's unit, with the
 * finding itself, the domain's platform (when the register has it) and the finding's latest evidence linked, then the finding is `case`.
 * As for warnings, the case is committed before the finding is marked.
 */
export async function openCaseForFinding(
  database: Database,
  author: { context: ActorContext; unitId: string | null },
  id: string,
): Promise<{ case_id: string }> {
  const { finding } = await getFinding(database.db, id);
  refuseUnlessOpen(finding.status);
  const opened = await createCase(database, author, {
    title: `Giám sát trực tuyến: ${finding.domain}`,
    summary: `Phát hiện ${finding.classification} (lần đầu ${finding.first_seen_at}, gần nhất ${finding.last_seen_at}).`,
  });
  await linkToCase(database, author.context, opened.id, { kind: 'finding', ref: finding.id });
  if (finding.latest_evidence_id) {
    await linkToCase(database, author.context, opened.id, { kind: 'evidence', ref: finding.latest_evidence_id });
  }
  try {
    await linkToCase(database, author.context, opened.id, { kind: 'platform', ref: finding.domain });
  } catch (error) {
    // A domain the register does not hold (most unregistered shops) is no platform to link: the case keeps its title.
    if (!(error instanceof AppError && error.field === 'ref')) throw error;
  }
  await database.db
    .transaction()
    .execute((trx) => setFindingStatus(trx, author.context, id, { status: 'case', detail: { case_id: opened.id } }));
  return { case_id: opened.id };
}

/**
 * Scans on the queue (issue 12): a request (API, workbench, sweep) records one `monitor_scans` row per URL as
 * `queued`; a worker claims the oldest with FOR UPDATE SKIP LOCKED (so several servers share the queue without
 * scanning a URL twice), runs `scanUrl` and stores the Monitor answer. `processQueuedScans` is that worker's loop:
 * the server's pg-boss job calls it, tests call it directly so they run deterministically.
 *
 * `allowPrivate` comes only from the server's configuration (MONITOR_ALLOW_PRIVATE), never from a request: a public
 * URL that redirects to a loopback or private address is refused by the SSRF guard and answered `unreachable`.
 */
import { sql } from 'kysely';
import { z } from 'zod';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import { isUuid } from '../../core/ids.ts';
import { domainOfAnswer, recordFinding } from './monitor.findings.ts';
import { type ScanServices, scanUrl } from './monitor.scan.ts';
import { monitorAnswerSchema } from './monitor.schemas.ts';
import type { ScanStatus } from './monitor.table.ts';

/** URLs one request may queue: a sweep of a few hundred sites goes through `monitor sweep`, not one POST. */
export const MAX_URLS_PER_REQUEST = 100;

const RESOLVE_ENTRY = /^[A-Za-z0-9.-]+:\d{1,5}:[0-9A-Fa-f:.[\]]+$/;

export const scanRequestSchema = z
  .object({
    urls: z
      .array(
        z
          .string()
          .trim()
          .min(1)
          .max(2048)
          .refine((url) => /^https?:\/\//i.test(url), 'an http:// or https:// URL'),
      )
      .min(1)
      .max(MAX_URLS_PER_REQUEST),
    resolve: z
      .array(z.string().regex(RESOLVE_ENTRY, 'HOST:PORT:ADDR, as curl --resolve'))
      .max(MAX_URLS_PER_REQUEST)
      .optional(),
  })
  .strict()
  .meta({ id: 'MonitorScanRequest' });

export type ScanRequest = z.infer<typeof scanRequestSchema>;

export const scanStatusSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    requested_by: z.string(),
    requested_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    sweep_id: z.string().nullable(),
    classification: z.string().nullable(),
    evidence_id: z.string().nullable(),
    error: z.string().nullable(),
    answer: monitorAnswerSchema.nullable().describe('The Monitor answer, once done'),
  })
  .meta({ id: 'MonitorScan' });

export type ScanStatusView = z.infer<typeof scanStatusSchema>;

/** Records one queued scan per URL; returns their ids in the order given. */
export async function queueScans(
  db: Db,
  context: ActorContext,
  request: ScanRequest & { sweepId?: string },
): Promise<string[]> {
  const rows = await db
    .insertInto('monitor_scans')
    .values(
      request.urls.map((url) => ({
        url,
        resolve: [...(request.resolve ?? [])],
        requested_by: context.actor,
        sweep_id: request.sweepId ?? null,
        classification: null,
        domain: null,
        evidence_id: null,
        error: null,
        started_at: null,
        finished_at: null,
      })),
    )
    .returning(['id', 'url'])
    .execute();
  return rows.map((row) => row.id);
}

/** Claims the oldest queued scan, or undefined when none is left; other workers skip the row it locks. */
async function claimScan(db: Db, now: Date) {
  const claimed = await sql<{ id: string; url: string; resolve: string[] }>`
    UPDATE monitor_scans SET status = 'running', started_at = ${now}, attempts = attempts + 1
    WHERE id = (
      SELECT id FROM monitor_scans WHERE status = 'queued'
      ORDER BY seq LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id, url, resolve`.execute(db);
  return claimed.rows[0];
}

/** Claims of one scan before it is failed rather than queued again (each claim's worker died or was stopped). */
export const MAX_SCAN_ATTEMPTS = 3;

/**
 * Scans left `running` for longer than `staleMinutes` (their worker died: killed, crashed, the server restarted) go
 * back to the queue, or fail after MAX_SCAN_ATTEMPTS claims saying so; returns how many of each. A scan's own fetches
 * are bounded by their timeouts, so a live worker finishes long before: the period is generous on purpose.
 */
export async function requeueStaleScans(
  db: Db,
  now: Date,
  staleMinutes: number,
): Promise<{ requeued: number; failed: number }> {
  const result = await sql<{ status: string }>`
    UPDATE monitor_scans
    SET status = CASE WHEN attempts >= ${MAX_SCAN_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
        error = CASE WHEN attempts >= ${MAX_SCAN_ATTEMPTS}
                     THEN 'interrupted ' || attempts || ' times: its worker stopped before the scan ended' END,
        finished_at = CASE WHEN attempts >= ${MAX_SCAN_ATTEMPTS} THEN ${now}::timestamptz END,
        started_at = CASE WHEN attempts >= ${MAX_SCAN_ATTEMPTS} THEN started_at END
    WHERE status = 'running' AND started_at < ${now}::timestamptz - make_interval(mins => ${staleMinutes}::int)
    RETURNING status`.execute(db);
  const failed = result.rows.filter((row) => row.status === 'failed').length;
  return { requeued: result.rows.length - failed, failed };
}

export interface QueueServices extends Omit<ScanServices, 'context'> {
  /** Addresses the SSRF guard may connect to although private (MONITOR_ALLOW_PRIVATE): a lab, a test. */
  allowPrivate: readonly string[];
  /** Minutes after which a `running` scan is taken for abandoned (MONITOR_SCAN_STALE_MINUTES, default 10). */
  staleMinutes?: number | undefined;
}

/**
 * Runs queued scans until none is left (or `limit` were run), after putting back those abandoned by a dead worker;
 * returns how many were processed. A scan that throws
 * (not an unreachable site, which is an answer, but a bug or a full disk) is `failed` with the error.
 */
export async function processQueuedScans(services: QueueServices, options: { limit?: number } = {}): Promise<number> {
  const { db } = services.database;
  await requeueStaleScans(db, services.now?.() ?? new Date(), services.staleMinutes ?? 10);
  let processed = 0;
  while (options.limit === undefined || processed < options.limit) {
    const now = services.now?.() ?? new Date();
    const scan = await claimScan(db, now);
    if (!scan) break;
    processed += 1;
    try {
      const answer = await scanUrl(
        { ...services, context: { actor: 'system:monitor-queue' } },
        { url: scan.url, resolve: scan.resolve, allowPrivate: services.allowPrivate },
      );
      // The answer and the finding it opens or updates commit together: a finding always has its scan.
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('monitor_scans')
          .set({
            status: 'done',
            answer: JSON.stringify(answer),
            classification: answer.classification,
            domain: domainOfAnswer(answer),
            evidence_id: answer.evidence?.id ?? null,
            finished_at: services.now?.() ?? new Date(),
          })
          .where('id', '=', scan.id)
          .execute();
        await recordFinding(trx, scan.id, answer);
      });
    } catch (error) {
      await db
        .updateTable('monitor_scans')
        .set({
          status: 'failed',
          error: error instanceof Error ? error.message : String(error),
          finished_at: services.now?.() ?? new Date(),
        })
        .where('id', '=', scan.id)
        .execute();
    }
  }
  return processed;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export async function getScan(db: Db, id: string): Promise<ScanStatusView> {
  const missing = notFound({ vi: `Không có lượt quét ${id}.`, en: `no scan ${id}` });
  if (!isUuid(id)) throw missing;
  const row = await db.selectFrom('monitor_scans').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw missing;
  return {
    id: row.id,
    url: row.url,
    status: row.status as ScanStatus,
    requested_by: row.requested_by,
    requested_at: iso(row.requested_at) as string,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    sweep_id: row.sweep_id,
    classification: row.classification,
    evidence_id: row.evidence_id,
    error: row.error,
    answer: row.answer === null ? null : monitorAnswerSchema.parse(row.answer),
  };
}

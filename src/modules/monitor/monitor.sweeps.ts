/**
 * Sweeps (issue 12): a named list of URLs (from a file, one per line) scanned together through the queue, on demand
 * or on a schedule (cron in Asia/Ho_Chi_Minh); a sweep's report gives each site's latest result in it and the share
 * flagged; `flaggedOnly` re-scans only the sites the sweep last found flagged.
 */
import cronParser from 'cron-parser';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { VIETNAM_TIME_ZONE } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { AppError, type FieldIssue, invalidInput, notFound } from '../../core/errors.ts';
import { queueScans } from './monitor.queue.ts';

/** Sites one sweep may hold: a country's sweep of an online market is hundreds to a few thousand. */
export const MAX_SWEEP_URLS = 10_000;
const FLAGGED = new Set(['unregistered_ecommerce', 'fake_badge']);
const NAME = /^[a-z0-9][a-z0-9._-]{0,79}$/;

function checkCron(cron: string): void {
  try {
    cronParser.parseExpression(cron, { tz: VIETNAM_TIME_ZONE });
  } catch (error) {
    throw invalidInput(
      {
        vi: `Lịch quét không hợp lệ (cron, ví dụ "0 7 * * 1"): ${(error as Error).message}`,
        en: `not a cron schedule (e.g. "0 7 * * 1"): ${(error as Error).message}`,
      },
      'cron',
    );
  }
}

/** The URLs of a sweep file: one per line, blank lines and `#` comments skipped; every bad line named. */
export function parseSweepUrls(text: string): string[] {
  const urls: string[] = [];
  const issues: FieldIssue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    if (line.length > 2048 || !/^https?:\/\/[^\s/]+/i.test(line)) {
      issues.push({
        line: index + 1,
        field: 'urls',
        message: {
          vi: `Dòng ${index + 1}: cần một địa chỉ http:// hoặc https://`,
          en: `line ${index + 1}: not an http(s) URL`,
        },
      });
      return;
    }
    urls.push(line);
  });
  const [first] = issues;
  if (first) throw new AppError('invalid_input', first.message, { field: 'urls', issues });
  if (urls.length === 0)
    throw invalidInput({ vi: 'Danh sách không có địa chỉ nào', en: 'the list holds no URL' }, 'urls');
  if (urls.length > MAX_SWEEP_URLS) {
    throw invalidInput(
      { vi: `Tối đa ${MAX_SWEEP_URLS} địa chỉ mỗi đợt quét`, en: `at most ${MAX_SWEEP_URLS} URLs a sweep` },
      'urls',
    );
  }
  return [...new Set(urls)];
}

/** Creates a sweep, or replaces its list and schedule (audited). */
export async function saveSweep(
  db: Db,
  context: ActorContext,
  input: { name: string; urls: readonly string[]; cron?: string | null | undefined },
  now: Date = new Date(),
) {
  if (!NAME.test(input.name)) {
    throw invalidInput(
      { vi: 'Tên đợt quét: chữ thường, số, . _ -', en: 'a sweep name: lower-case letters, digits, . _ -' },
      'name',
    );
  }
  if (input.cron) checkCron(input.cron);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('monitor_sweeps').selectAll().where('name', '=', input.name).executeTakeFirst();
    const values = { urls: [...input.urls], cron: input.cron ?? null, updated_at: now };
    const saved = before
      ? await trx
          .updateTable('monitor_sweeps')
          .set(values)
          .where('id', '=', before.id)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await trx
          .insertInto('monitor_sweeps')
          .values({ name: input.name, ...values, created_by: context.actor, created_at: now })
          .returningAll()
          .executeTakeFirstOrThrow();
    await recordAuditEvent(trx, context, {
      action: before ? 'monitor_sweep.update' : 'monitor_sweep.create',
      entityType: 'monitor_sweep',
      entityId: saved.id,
      changes: { name: saved.name, urls: saved.urls.length, cron: saved.cron },
    });
    return saved;
  });
}

async function requireSweep(db: Db, name: string) {
  const sweep = await db.selectFrom('monitor_sweeps').selectAll().where('name', '=', name).executeTakeFirst();
  if (!sweep) throw notFound({ vi: `Không có đợt quét “${name}”`, en: `no sweep “${name}”` });
  return sweep;
}

export interface SweepReport {
  name: string;
  cron: string | null;
  last_run_at: string | null;
  sites: Array<{ url: string; status: string; classification: string | null; scan_id: string | null }>;
  /** Counted over the sites with a finished scan in this sweep. */
  scanned: number;
  flagged: number;
  share_flagged: number;
}

/** Each site's latest scan in the sweep, and the share flagged among those scanned. */
export async function sweepReport(db: Db, name: string): Promise<SweepReport> {
  const sweep = await requireSweep(db, name);
  const scans = await db
    .selectFrom('monitor_scans')
    .select(['id', 'url', 'status', 'classification', 'seq'])
    .where('sweep_id', '=', sweep.id)
    .orderBy('seq')
    .execute();
  const latest = new Map(scans.map((scan) => [scan.url, scan]));
  const sites = sweep.urls.map((url) => {
    const scan = latest.get(url);
    return {
      url,
      status: scan?.status ?? 'not_scanned',
      classification: scan?.classification ?? null,
      scan_id: scan?.id ?? null,
    };
  });
  const scanned = sites.filter((site) => site.status === 'done').length;
  const flagged = sites.filter((site) => site.classification !== null && FLAGGED.has(site.classification)).length;
  return {
    name: sweep.name,
    cron: sweep.cron,
    last_run_at: sweep.last_run_at ? sweep.last_run_at.toISOString() : null,
    sites,
    scanned,
    flagged,
    share_flagged: scanned === 0 ? 0 : flagged / scanned,
  };
}

/** Queues the sweep's sites (only those it last found flagged with `flaggedOnly`); returns how many. */
export async function runSweep(
  db: Db,
  context: ActorContext,
  name: string,
  options: { flaggedOnly?: boolean | undefined; resolve?: readonly string[] | undefined } = {},
  now: Date = new Date(),
): Promise<number> {
  const sweep = await requireSweep(db, name);
  const urls = options.flaggedOnly
    ? (await sweepReport(db, name)).sites
        .filter((site) => site.classification !== null && FLAGGED.has(site.classification))
        .map((site) => site.url)
    : sweep.urls;
  await db.updateTable('monitor_sweeps').set({ last_run_at: now }).where('id', '=', sweep.id).execute();
  if (urls.length === 0) return 0;
  // In chunks: one statement's parameters stay far below the servers' limit (65,535) however long the list.
  for (let at = 0; at < urls.length; at += 1000) {
    await queueScans(db, context, {
      urls: urls.slice(at, at + 1000),
      resolve: options.resolve ? [...options.resolve] : [],
      sweepId: sweep.id,
    });
  }
  return urls.length;
}

/**
 * Runs every scheduled sweep whose schedule came round since it last ran (or since it was saved): what the server's
 * job does each minute. Returns the names run.
 */
export async function runDueSweeps(db: Db, now: Date = new Date()): Promise<string[]> {
  const sweeps = await db.selectFrom('monitor_sweeps').selectAll().where('cron', 'is not', null).execute();
  const ran: string[] = [];
  for (const sweep of sweeps) {
    const previous = cronParser
      .parseExpression(sweep.cron as string, { tz: VIETNAM_TIME_ZONE, currentDate: now })
      .prev()
      .toDate();
    if (previous > (sweep.last_run_at ?? sweep.updated_at)) {
      await runSweep(db, { actor: 'system:monitor-sweeps' }, sweep.name, {}, now);
      ran.push(sweep.name);
    }
  }
  return ran;
}

export async function listSweeps(db: Db) {
  return db.selectFrom('monitor_sweeps').select(['name', 'cron', 'last_run_at', 'urls']).orderBy('name').execute();
}

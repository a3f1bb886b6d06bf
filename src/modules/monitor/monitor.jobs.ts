import { z } from 'zod';
import type { Database } from '../../core/db.ts';
import { defineJob } from '../../core/jobs.ts';
import { type CheckIndex, startCheckIndex } from '../check/index.ts';
import { processQueuedScans } from './monitor.queue.ts';
import type { PageObserver } from './monitor.scan.ts';
import { runDueSweeps } from './monitor.sweeps.ts';

export interface MonitorJobSettings {
  storeDir: string;
  portalUrl: string;
  allowPrivate: readonly string[];
  staleMinutes?: number | undefined;
  /** Given each page scanned (the promotions' price history): see `ScanServices.pageObservers`. */
  pageObservers?: readonly PageObserver[] | undefined;
}

/**
 * Every minute (pg-boss cron, one run at a time across servers), the queued scans are drained. The claim itself is
 * FOR UPDATE SKIP LOCKED on `monitor_scans`, so servers that each run this job never scan one request twice.
 * The check index (the register in memory) is started on first use and follows the register from then on.
 */
export function createMonitorJobs(settings: MonitorJobSettings) {
  let index: Promise<CheckIndex> | undefined;
  const indexOf = (database: Database) => {
    index ??= startCheckIndex(database).then((started) => started.index);
    return index;
  };
  return [
    defineJob({
      name: 'monitor-process-scans',
      schema: z.object({}).loose(),
      cron: '* * * * *',
      handler: async (_payload, database) => {
        await processQueuedScans({
          database,
          index: await indexOf(database),
          ...settings,
        });
      },
    }),
    defineJob({
      name: 'monitor-run-due-sweeps',
      schema: z.object({}).loose(),
      cron: '* * * * *',
      handler: async (_payload, database) => {
        await runDueSweeps(database.db);
      },
    }),
  ];
}

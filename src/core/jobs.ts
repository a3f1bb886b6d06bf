import PgBoss from 'pg-boss';
import type { z } from 'zod';
import { VIETNAM_TIME_ZONE } from './dates.ts';
import type { Database } from './db.ts';

/**
 * Jobs are data owned by their module: a name, the schema of their payload, a handler, and for
 * scheduled tasks a cron expression (Vietnam time). The queue is pg-boss on the same pool, so one
 * machine needs nothing but the database, and many workers can share a queue on a server.
 */
export interface JobDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  schema: Schema;
  /** Cron in Asia/Ho_Chi_Minh; absent for jobs only sent by events. */
  cron?: string;
  handler(payload: z.infer<Schema>, database: Database): Promise<void>;
}

export interface JobRunner {
  send<Schema extends z.ZodType>(job: JobDefinition<Schema>, payload: z.infer<Schema>): Promise<void>;
  stop(): Promise<void>;
}

export function defineJob<Schema extends z.ZodType>(job: JobDefinition<Schema>): JobDefinition<Schema> {
  return job;
}

export async function startJobRunner(
  database: Database,
  jobs: readonly JobDefinition[],
  log: { error(object: unknown, message: string): void },
): Promise<JobRunner> {
  const boss = new PgBoss({
    db: { executeSql: async (text, values) => database.pool.query(text, values) },
    schema: 'pgboss',
    // One embedded connection: poll gently so interactive requests are not kept waiting.
    ...(database.kind === 'pglite' ? { supervise: true, maintenanceIntervalSeconds: 300 } : {}),
  });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  await boss.start();
  for (const job of jobs) {
    await boss.createQueue(job.name);
    await boss.work(job.name, { pollingIntervalSeconds: database.kind === 'pglite' ? 10 : 2 }, async (batch) => {
      for (const item of batch) await job.handler(job.schema.parse(item.data), database);
    });
    if (job.cron) await boss.schedule(job.name, job.cron, {}, { tz: VIETNAM_TIME_ZONE });
  }
  return {
    async send(job, payload) {
      await boss.send(job.name, job.schema.parse(payload) as object);
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
    },
  };
}

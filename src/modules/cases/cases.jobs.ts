import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.ts';
import { remindOverdueSteps } from './cases.reminders.ts';

/**
 * Every night at 00:30 (Asia/Ho_Chi_Minh), one e-mail per step of an open case that passed its due day, to the
 * officers of the case's unit, once per step and due day. The messages go to the outbox in the transaction that
 * records them; `applications-mail-retry` sends the outbox within the minute.
 */
export function createCasesJobs(options: { portalUrl?: string | undefined }): JobDefinition[] {
  const remindOverdue = defineJob({
    name: 'cases-remind-overdue',
    schema: z.object({}).loose(),
    cron: '30 0 * * *',
    handler: async (_payload, database) => {
      await remindOverdueSteps(database, { portalUrl: options.portalUrl });
    },
  });
  return [remindOverdue] as JobDefinition[];
}

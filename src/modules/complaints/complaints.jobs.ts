import { z } from 'zod';
import { defineJob } from '../../core/jobs.ts';
import { listOverdueTargets } from './complaints.service.ts';

/**
 * Every night (Asia/Ho_Chi_Minh), targets whose explanation period ended without an adequate reply go on the public
 * list of sites complained about.
 */
export const listOverdueComplaintTargetsJob = defineJob({
  name: 'complaints-list-overdue',
  schema: z.object({}).loose(),
  cron: '10 0 * * *',
  handler: async (_payload, database) => {
    await listOverdueTargets(database, { actor: 'system:complaints-clock' });
  },
});

export const complaintsJobs = [listOverdueComplaintTargetsJob];

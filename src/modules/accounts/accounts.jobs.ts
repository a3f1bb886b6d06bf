import { z } from 'zod';
import { defineJob } from '../../core/jobs.ts';
import { deleteStaleSignInData } from './auth.service.ts';

/** Every night, sessions, second-step challenges and failure counters that can no longer matter are deleted. */
export const deleteStaleSessionsJob = defineJob({
  name: 'accounts-delete-stale-sessions',
  schema: z.object({}).loose(),
  cron: '20 0 * * *',
  handler: async (_payload, database) => {
    await deleteStaleSignInData(database.db);
  },
});

export const accountsJobs = [deleteStaleSessionsJob];

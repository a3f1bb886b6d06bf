import { z } from 'zod';
import { defineJob } from '../../core/jobs.ts';
import { deleteStaleSignInData } from './auth.service.ts';
import { deleteExpiredConfirmationLinks } from './signup.service.ts';

/**
 * Every night, sessions, second-step challenges, failure counters and sign-up confirmation links that can no
 * longer matter are deleted.
 */
export const deleteStaleSessionsJob = defineJob({
  name: 'accounts-delete-stale-sessions',
  schema: z.object({}).loose(),
  cron: '20 0 * * *',
  handler: async (_payload, database) => {
    await deleteStaleSignInData(database.db);
    await deleteExpiredConfirmationLinks(database.db);
  },
});

export const accountsJobs = [deleteStaleSessionsJob];

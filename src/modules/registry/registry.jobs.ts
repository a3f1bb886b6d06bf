import { z } from 'zod';
import { defineJob } from '../../core/jobs.ts';
import { expireLapsedRegistrationsNow } from './registry.service.ts';

/** Every night just after midnight in Vietnam, lapsed registrations stop counting as registered. */
export const expireRegistrationsJob = defineJob({
  name: 'registry-expire-registrations',
  schema: z.object({}).loose(),
  cron: '5 0 * * *',
  handler: async (_payload, database) => {
    await expireLapsedRegistrationsNow(database, { actor: 'system:expire-registrations' });
  },
});

export const registryJobs = [expireRegistrationsJob];

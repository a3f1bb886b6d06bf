import { z } from 'zod';
import { defineJob } from '../../core/jobs.ts';
import { liftExpiredBlocks } from './blocking.service.ts';

/** Every night (Asia/Ho_Chi_Minh), blocks whose decision ended yesterday or before are lifted as expired. */
export const liftExpiredBlocksJob = defineJob({
  name: 'blocking-lift-expired',
  schema: z.object({}).loose(),
  cron: '5 0 * * *',
  handler: async (_payload, database) => {
    await liftExpiredBlocks(database);
  },
});

export const blockingJobs = [liftExpiredBlocksJob];

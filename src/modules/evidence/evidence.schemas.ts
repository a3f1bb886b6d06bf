import { z } from 'zod';

export const evidenceParamsSchema = z.object({ id: z.string().max(100) });
export const evidencePageQuerySchema = z.object({ lang: z.string().optional() });
export const evidenceItemQuerySchema = evidencePageQuerySchema.extend({ done: z.enum(['verified']).optional() });
export const emptyFormSchema = z.object({ _csrf: z.string().optional() });

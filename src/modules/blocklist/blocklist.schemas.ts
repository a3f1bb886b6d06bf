import { z } from 'zod';

const serialText = z
  .string()
  .regex(/^\d{1,15}$/, 'a serial: digits only')
  .transform(Number);

export const feedQuerySchema = z.object({
  /** The diff (JSON) from this serial to the current one. */
  since: serialText.optional(),
  /** The list as it was at this serial (default: now). */
  serial: serialText.optional(),
});

export const signatureQuerySchema = z.object({ serial: serialText.optional() });

const entryAction = z.enum(['block', 'passthru']);

export const diffSchema = z.object({
  since: z.number().int(),
  serial: z.number().int(),
  added: z.array(
    z.object({
      domain: z.string(),
      action: entryAction,
      platform: z.string(),
      platform_id: z.string(),
      registration_no: z.string().nullable(),
      decision_no: z.string().nullable(),
      legal_basis: z.string().nullable(),
      effective_from: z.string().nullable(),
      effective_to: z.string().nullable(),
    }),
  ),
  removed: z.array(z.object({ domain: z.string(), action: entryAction })),
  note: z.string(),
});

export const summarySchema = z.object({
  serial: z.number().int(),
  changed_at: z.string(),
  blocked: z.number().int(),
  passthru: z.number().int(),
});

export const loadedBodySchema = z.object({ serial: z.number().int().min(0) });

export const loadedAnswerSchema = z.object({
  serial: z.number().int(),
  current: z.number().int(),
  behind: z.number().int(),
});

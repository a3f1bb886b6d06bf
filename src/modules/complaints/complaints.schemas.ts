import { z } from 'zod';
import {
  isoDay,
  optionalDay,
  optionalInteger,
  optionalText,
  requiredParagraphs,
  requiredText,
} from '../../core/validation.ts';
import { uploadedFiles } from '../../web/multipart.ts';
import { TARGET_STATES } from './complaints.table.ts';

/** Complaints: the API body and the hotline's NDJSON line (DESIGN.md "Complaint"), the public form, the answers. */

export const PAYMENT_METHODS = ['bank_transfer', 'card', 'e_wallet', 'cash_on_delivery', 'other'] as const;
export const MAX_ATTACHMENTS = 3;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const reporterSchema = z
  .object({
    name: z.string().trim().max(200).optional(),
    email: z.string().trim().max(320).email().optional(),
    phone: z
      .string()
      .trim()
      .max(30)
      .regex(/^\+?[\d .()-]{6,}$/)
      .optional(),
  })
  .strict();

/** One complaint as the API and the import take it. */
export const complaintBodySchema = z
  .object({
    /** The hotline's own id of the call: makes the import idempotent (else the content's hash does). */
    external_id: z.string().trim().min(1).max(100).optional(),
    target: z.string().trim().min(1).max(2048),
    what_happened: z.string().trim().min(1).max(10_000),
    amount_vnd: z.number().int().min(0).max(1_000_000_000_000).optional(),
    payment_method: z.enum(PAYMENT_METHODS).optional(),
    occurred_on: isoDay.optional(),
    reporter: reporterSchema.optional(),
  })
  .strict();
export type ComplaintBody = z.infer<typeof complaintBodySchema>;

export const complaintAnswerSchema = z.object({
  id: z.string(),
  target: z.string(),
  merged: z.boolean(),
  state: z.enum(TARGET_STATES),
  attachments: z.array(
    z.object({ filename: z.string(), sha256: z.string(), media_type: z.string(), size_bytes: z.number().int() }),
  ),
});

/** The public form: the same facts, contact optional, plus the spam traps (a honeypot and when the form was shown). */
export const complaintFormSchema = z.object({
  target: requiredText(2048),
  what_happened: requiredParagraphs(10_000),
  amount_vnd: optionalInteger(0, 1_000_000_000_000),
  payment_method: z.preprocess((value) => (value === '' ? undefined : value), z.enum(PAYMENT_METHODS).optional()),
  occurred_on: optionalDay(),
  name: optionalText(200),
  email: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.string().trim().max(320).email().optional(),
  ),
  phone: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z
      .string()
      .trim()
      .max(30)
      .regex(/^\+?[\d .()-]{6,}$/)
      .optional(),
  ),
  attachments: uploadedFiles({ max: MAX_ATTACHMENTS, maxBytes: MAX_ATTACHMENT_BYTES }),
  /** The honeypot: hidden from people, filled by bots. */
  website: z.string().max(2000).optional(),
  /** When the form was shown (ms since the epoch): a form sent faster than a person types is a bot's. */
  shown_at: z.string().max(20).optional(),
  _csrf: z.string().optional(),
});
export type ComplaintForm = z.infer<typeof complaintFormSchema>;

export const newComplaintQuerySchema = z.object({
  lang: z.string().optional(),
  target: z.string().max(2048).optional(),
});

export const targetIdParamsSchema = z.object({ id: z.string().max(100) });

export const judgeBodySchema = z.object({
  adequate: z.enum(['yes', 'no']),
  _csrf: z.string().optional(),
});

export const routeBodySchema = z.object({
  unit: z.string().max(64),
  note: z.string().max(2000).optional(),
  _csrf: z.string().optional(),
});

export const replyBodySchema = z.object({
  reply: requiredParagraphs(10_000),
  _csrf: z.string().optional(),
});

export const workbenchQuerySchema = z.object({
  lang: z.string().optional(),
  format: z.enum(['html', 'csv', 'stats-csv']).optional(),
  done: z.string().max(20).optional(),
});

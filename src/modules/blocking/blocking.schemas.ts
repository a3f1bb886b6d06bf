import { z } from 'zod';
import {
  formLines,
  optionalDay,
  optionalParagraphs,
  requiredDay,
  requiredParagraphs,
  requiredText,
} from '../../core/validation.ts';
import { APPEAL_STATUSES, BLOCK_STATUSES, LIFT_REASONS } from './blocking.table.ts';

/** Bodies and answers of the blocking workflow: forms and the API validate with the same schemas. */

/** Lines of a textarea (a JSON body may send an array). */
const lines = (max: number) => formLines(max, 2000);

const csrf = { _csrf: z.string().optional() };

export const blockContentSchema = z.object({
  domains: lines(200),
  android_apps: lines(50),
  ios_apps: lines(50),
  reason: requiredParagraphs(4000),
  legal_basis: requiredParagraphs(1000),
  evidence: lines(50),
  ...csrf,
});

export const proposeBodySchema = blockContentSchema.extend({ platform: requiredText(300) });

export const reviewBodySchema = z.object({ note: optionalParagraphs(4000), ...csrf });
export const reasonBodySchema = z.object({ reason: requiredParagraphs(4000), ...csrf });

export const decideBodySchema = z.object({
  decision_no: requiredText(60),
  decision_date: requiredDay(),
  effective_from: optionalDay(),
  effective_to: optionalDay(),
  ...csrf,
});

export const liftBodySchema = z.object({
  reason: z.enum(LIFT_REASONS.filter((reason) => reason !== 'appeal_granted') as ['complied', 'expired']),
  note: optionalParagraphs(4000),
  ...csrf,
});

export const emptyBodySchema = z.object({ ...csrf });

export const appealBodySchema = z.object({
  name: requiredText(200),
  email: requiredText(320),
  decision_no: requiredText(60),
  grounds: requiredParagraphs(10_000),
  ...csrf,
});

export const idParamsSchema = z.object({ id: z.string().max(100) });
export const referenceParamsSchema = z.object({ reference: z.string().max(40) });

export const workbenchListQuerySchema = z.object({
  lang: z.string().optional(),
  status: z.enum(BLOCK_STATUSES).optional(),
});

export const workbenchDetailQuerySchema = z.object({
  lang: z.string().optional(),
  done: z.string().max(20).optional(),
});

export const newBlockQuerySchema = z.object({ lang: z.string().optional(), platform: z.string().max(300).optional() });

export const landingQuerySchema = z.object({ lang: z.string().optional(), domain: z.string().max(2000).optional() });

export const publicQuerySchema = z.object({ lang: z.string().optional(), appealed: z.string().max(40).optional() });

export const blockSchema = z.object({
  id: z.string(),
  platform_id: z.string(),
  platform_name: z.string(),
  domains: z.array(z.string()),
  android_apps: z.array(z.string()),
  ios_apps: z.array(z.string()),
  reason: z.string(),
  legal_basis: z.string(),
  evidence: z.array(z.string()),
  status: z.enum(BLOCK_STATUSES),
  unit_id: z.string().nullable(),
  proposed_by: z.string(),
  proposed_at: z.string(),
  reviewed_by: z.string().nullable(),
  reviewed_at: z.string().nullable(),
  review_note: z.string().nullable(),
  returned_reason: z.string().nullable(),
  decision_no: z.string().nullable(),
  decision_date: z.string().nullable(),
  effective_from: z.string().nullable(),
  effective_to: z.string().nullable(),
  decided_at: z.string().nullable(),
  activated_at: z.string().nullable(),
  previous_status: z.string().nullable(),
  lifted_at: z.string().nullable(),
  lift_reason: z.enum(LIFT_REASONS).nullable(),
  lift_note: z.string().nullable(),
  updated_at: z.string(),
});

export const appealStatusSchema = z.enum(APPEAL_STATUSES);

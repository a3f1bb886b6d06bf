import { z } from 'zod';
import { formLines, requiredParagraphs, requiredText } from '../../core/validation.ts';
import { ADVISORY_SEVERITIES, ADVISORY_STATUSES } from './advisories.table.ts';

/** Advisories' bodies and answers: the forms and the API validate with the same schemas. */

export const MAX_TITLE = 200;
export const MAX_BODY = 10_000;

/** The platforms a form names, one per line (a JSON body may send an array). */
const platformReferences = formLines(200, 300);

export const advisoryBodySchema = z.object({
  kind: requiredText(40),
  severity: z.enum(ADVISORY_SEVERITIES),
  title_vi: requiredText(MAX_TITLE),
  title_en: requiredText(MAX_TITLE),
  body_vi: requiredParagraphs(MAX_BODY),
  body_en: requiredParagraphs(MAX_BODY),
  platforms: platformReferences,
  _csrf: z.string().optional(),
});

export const withdrawBodySchema = z.object({
  reason: requiredParagraphs(2000),
  _csrf: z.string().optional(),
});

export const emptyFormSchema = z.object({ _csrf: z.string().optional() });

export const advisoryParamsSchema = z.object({ id: z.string().max(100) });

export const publicListQuerySchema = z.object({
  lang: z.string().optional(),
  kind: z.string().max(40).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export const workbenchQuerySchema = z.object({
  lang: z.string().optional(),
  status: z.enum(ADVISORY_STATUSES).optional(),
  done: z.enum(['created', 'updated', 'published', 'withdrawn']).optional(),
});

export const feedQuerySchema = z.object({ lang: z.enum(['vi', 'en']).optional() });

const localizedSchema = z.object({ vi: z.string(), en: z.string() });

export const advisorySchema = z.object({
  id: z.string(),
  kind: z.string(),
  severity: z.enum(ADVISORY_SEVERITIES),
  status: z.enum(ADVISORY_STATUSES),
  title: localizedSchema,
  body: localizedSchema,
  platforms: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      registration_no: z.string().nullable(),
      status: z.string().nullable(),
    }),
  ),
  unit_id: z.string().nullable(),
  sample: z.boolean(),
  created_by: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
  published_at: z.string().nullable(),
  withdrawn_at: z.string().nullable(),
  withdrawal_reason: z.string().nullable(),
});

export const advisoryListSchema = z.object({ advisories: z.array(advisorySchema), total: z.number().int() });

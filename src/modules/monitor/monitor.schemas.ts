/**
 * The parts of the Monitor answer (DESIGN.md "Monitor answer") that the page classification produces: `signals`,
 * `registry` (the check's verdict and platform for the page's domain, same shapes as the Check answer),
 * `classification` and the `reasons` for it. The fetch fields (url, final_url, http_status, fetched_at, ip) and
 * `evidence` belong to the scanner and the evidence store.
 */
import { z } from 'zod';
import { checkAnswerSchema } from '../check/index.ts';

export const CLASSIFICATIONS = [
  'compliant',
  'fake_badge',
  'unregistered_ecommerce',
  'not_ecommerce',
  'not_targeting_vietnam',
  'unreachable',
] as const;

export type Classification = (typeof CLASSIFICATIONS)[number];

const evidenceList = z
  .array(z.string().max(80))
  .max(12)
  .describe('The short texts (NFC) that triggered the signal, as the page writes them');

export const monitorSignalsSchema = z
  .object({
    ecommerce: z.object({ value: z.boolean(), evidence: evidenceList }),
    targets_vietnam: z.object({ value: z.boolean(), evidence: evidenceList }),
    badge: z.object({
      present: z.boolean().describe('A registration badge image (ours or the old portal’s) or a link to a record'),
      link: z.string().nullable().describe('The link the badge verdict rests on'),
      genuine: z.boolean().nullable().describe('null when no badge is shown'),
      reason: z.string().nullable(),
    }),
  })
  .meta({ id: 'MonitorSignals' });

export const monitorRegistrySchema = z
  .object({ verdict: checkAnswerSchema.shape.verdict, platform: checkAnswerSchema.shape.platform })
  .meta({ id: 'MonitorRegistry' });

export const monitorReasonSchema = z.object({ code: z.string(), vi: z.string(), en: z.string() });

export const monitorAssessmentSchema = z
  .object({
    signals: monitorSignalsSchema,
    registry: monitorRegistrySchema,
    classification: z.enum(CLASSIFICATIONS),
    reasons: z.array(monitorReasonSchema).describe('Why the classification, in the order the rules were applied'),
  })
  .meta({ id: 'MonitorAssessment' });

export type MonitorSignals = z.infer<typeof monitorSignalsSchema>;
export type RegistryPart = z.infer<typeof monitorRegistrySchema>;
export type MonitorAssessment = z.infer<typeof monitorAssessmentSchema>;

/** The whole Monitor answer of one URL (`monitor scan URL --json`): the fetch, the assessment and the evidence. */
export const monitorAnswerSchema = monitorAssessmentSchema
  .extend({
    url: z.string(),
    final_url: z.string().nullable().describe('After redirects; null when unreachable'),
    http_status: z.number().int().nullable(),
    fetched_at: z.string().describe('ISO 8601, UTC'),
    ip: z.string().nullable().describe('The address actually connected to'),
    evidence: z
      .object({
        id: z.string(),
        sha256: z.string().describe('SHA-256 of the WARC file'),
        warc: z.string().describe('The WARC file, relative to the evidence store’s parent folder'),
      })
      .nullable()
      .describe('null when unreachable (nothing was captured)'),
  })
  .meta({ id: 'MonitorAnswer' });

export type MonitorAnswer = z.infer<typeof monitorAnswerSchema>;

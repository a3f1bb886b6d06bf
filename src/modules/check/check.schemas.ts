import { z } from 'zod';

export const LOOKALIKE_TECHNIQUES = [
  'addition',
  'bitsquatting',
  'homoglyph',
  'hyphenation',
  'insertion',
  'omission',
  'repetition',
  'replacement',
  'transposition',
  'vowel-swap',
  'tld-swap',
  'subdomain',
  'dictionary',
] as const;

/** The verdicts a platform of the register can have (also the hash-prefix list's verdict classes). */
export const VERDICT_CLASSES = [
  'registered',
  'notified',
  'pending',
  'expired',
  'revoked',
  'unregistered',
  'blocked',
] as const;

export const VERDICTS = [...VERDICT_CLASSES, 'lookalike', 'unknown'] as const;

export const checkQuerySchema = z.object({
  input: z
    .string()
    .describe('A URL, a bare host, a Google Play or App Store link, or a platform name (max 2,048 characters).'),
});

export const checkAnswerSchema = z
  .object({
    input: z.string(),
    type: z.enum(['domain', 'android_app', 'ios_app', 'name']),
    normalized: z.string().describe('The registrable domain, package id, App Store id or name that was looked up'),
    verdict: z.enum(VERDICTS),
    platform: z
      .object({
        id: z.string(),
        name: z.string(),
        registration_no: z.string().nullable(),
        status: z.string(),
        kind: z.string(),
        cross_border: z.boolean(),
        valid_until: z.string().nullable(),
      })
      .nullable(),
    lookalike_of: z
      .object({
        platform: z.string(),
        platform_id: z.string(),
        domain: z.string(),
        technique: z.enum(LOOKALIKE_TECHNIQUES),
      })
      .nullable(),
    advisories: z.array(z.object({ id: z.string(), title: z.string(), published_at: z.string() })),
    explanation: z.object({ vi: z.string(), en: z.string() }),
  })
  .meta({ id: 'CheckAnswer' });

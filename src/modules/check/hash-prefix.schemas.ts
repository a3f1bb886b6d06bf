import { z } from 'zod';
import { HASH_PREFIX_HEX_LENGTH, VERDICT_CLASSES } from './hash-prefix.ts';

const prefixEntrySchema = z.object({
  prefix: z.string().describe('The first 4 bytes of the SHA-256 of a canonical expression, 8 lower-case hex digits'),
  verdict: z.enum(VERDICT_CLASSES),
});

export const hashPrefixQuerySchema = z.object({
  since: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('A version the client holds: the answer is the diff from it to the current version'),
});

export const hashPrefixListSchema = z
  .object({
    version: z.number().int(),
    prefix_bytes: z.literal(4),
    hash: z.literal('sha256'),
    prefixes: z.array(prefixEntrySchema),
  })
  .meta({ id: 'HashPrefixList' });

export const hashPrefixDiffSchema = z
  .object({
    since: z.number().int(),
    version: z.number().int(),
    additions: z.array(prefixEntrySchema),
    removals: z.array(prefixEntrySchema),
  })
  .meta({ id: 'HashPrefixDiff' });

export const fullHashQuerySchema = z.object({
  prefix: z.string().describe(`${HASH_PREFIX_HEX_LENGTH} hex digits: a prefix of the list`),
});

export const fullHashAnswerSchema = z
  .object({
    prefix: z.string(),
    version: z.number().int(),
    full_hashes: z.array(
      z.object({
        hash: z.string().describe('SHA-256 of the expression, 64 lower-case hex digits'),
        verdict: z.enum(VERDICT_CLASSES),
        platform: z.object({
          id: z.string(),
          name: z.string(),
          registration_no: z.string().nullable(),
          kind: z.string(),
          status: z.string(),
        }),
      }),
    ),
  })
  .meta({ id: 'FullHashes' });

import { z } from 'zod';
import { LAW_PLATFORM_TYPES, PLATFORM_KINDS, PLATFORM_STATUSES } from './registry.csv.ts';
import { MAX_SEARCH_OFFSET } from './registry.search.ts';

export const platformSchema = z
  .object({
    id: z.string(),
    registration_no: z.string().nullable(),
    name: z.string(),
    kind: z.enum(PLATFORM_KINDS),
    law_type: z.enum(LAW_PLATFORM_TYPES).describe('Platform type in the terms of Law No. 122/2025/QH15'),
    status: z.enum(PLATFORM_STATUSES),
    cross_border: z.boolean(),
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    legacy_id: z.string().nullable().describe('Record on the old portal: WebDetails/<id> or AppDetails/<id>'),
    organisation: z.object({ name: z.string(), tax_code: z.string().nullable(), country: z.string() }).nullable(),
    domains: z.array(z.string()),
    android_apps: z.array(z.string()),
    ios_apps: z.array(z.string()),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Platform' });

export const platformSearchQuerySchema = z.object({
  q: z.string().max(200).default('').describe('Name (case and diacritics ignored), registration number or domain'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .max(2000)
    .optional()
    .describe('`next_cursor` of the previous page, as it is; without it, the first page'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(`Deprecated: results to skip (after the cursor), at most ${MAX_SEARCH_OFFSET}; page with cursor instead`),
});

export const platformListSchema = z
  .object({
    total: z
      .number()
      .int()
      .nullable()
      .describe('Number of matches when the first page holds them all; null when there are more (follow next_cursor)'),
    platforms: z.array(platformSchema),
    next_cursor: z
      .string()
      .nullable()
      .describe(
        'Pass as cursor for the next page; null on the last one. Results come by rank (registration number or ' +
          'domain, then names starting with the query, then names holding it), then name, then id.',
      ),
  })
  .meta({ id: 'PlatformList' });

export const statusChangeSchema = z.object({
  from_status: z.enum(PLATFORM_STATUSES).nullable(),
  to_status: z.enum(PLATFORM_STATUSES),
  reason: z.string().nullable(),
  changed_at: z.string(),
});

export const platformDetailSchema = platformSchema
  .extend({ status_history: z.array(statusChangeSchema) })
  .meta({ id: 'PlatformDetail' });

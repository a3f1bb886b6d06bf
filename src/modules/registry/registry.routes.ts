import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import type { SafeHtml } from '../../core/html.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { publicTaxCode } from '../../core/personal-id.ts';
import { renderPlatformList, renderPlatformRecord } from './registry.pages.ts';
import { platformDetailSchema, platformListSchema, platformSearchQuerySchema } from './registry.schemas.ts';
import { searchPlatforms } from './registry.search.ts';
import { findPlatformByRegistrationNo, getPlatform, getStatusHistory, type Platform } from './registry.service.ts';

export interface RegistryRouteOptions {
  db: Db;
  /** More for the record page `/r/{registration_no}` (module applications: the badge snippet for its owner). */
  recordPageExtras?: (request: FastifyRequest, platform: Platform) => Promise<SafeHtml | undefined>;
  /** Requests per minute per client IP on the public search (API and page, each); 0 or absent = no limit. */
  searchRateLimitPerMinute?: number;
}

/** The public API never gives an individual's personal identification number in full (issue 10). */
function withPublicTaxCode<P extends { organisation: { tax_code: string | null } | null }>(platform: P): P {
  return platform.organisation
    ? {
        ...platform,
        organisation: { ...platform.organisation, tax_code: publicTaxCode(platform.organisation.tax_code) },
      }
    : platform;
}

export async function registerRegistryRoutes(app: App, options: RegistryRouteOptions): Promise<void> {
  const { db } = options;
  const searchLimit = options.searchRateLimitPerMinute ?? 0;
  const searchRateLimit: { rateLimit: false | { max: number; timeWindow: number } } = {
    rateLimit: searchLimit > 0 ? { max: searchLimit, timeWindow: 60_000 } : false,
  };

  app.get(
    '/api/v1/platforms',
    {
      config: searchRateLimit,
      schema: {
        tags: ['registry'],
        summary: 'Search the register',
        description:
          'By name (case and Vietnamese diacritics ignored), registration number, or domain; a page at a time, ' +
          'the next one through `cursor`. Rate limited per IP.',
        querystring: platformSearchQuerySchema,
        response: { 200: platformListSchema, 400: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request) => {
      const page = await searchPlatforms(db, request.query);
      return { ...page, platforms: page.platforms.map(withPublicTaxCode) };
    },
  );

  app.get(
    '/api/v1/platforms/:id',
    {
      schema: {
        tags: ['registry'],
        summary: 'One platform with its identities and status history',
        params: z.object({ id: z.string() }),
        response: { 200: platformDetailSchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const platform = await getPlatform(db, request.params.id);
      const history = await getStatusHistory(db, platform.id);
      return {
        ...withPublicTaxCode(platform),
        status_history: history.map(({ changed_by: _, ...change }) => change),
      };
    },
  );

  app.get(
    '/platforms',
    {
      config: searchRateLimit,
      schema: { hide: true, querystring: platformSearchQuerySchema.extend({ lang: z.string().optional() }) },
    },
    async (request, reply) =>
      renderPlatformList(request, reply, await searchPlatforms(db, request.query), request.query),
  );

  app.get(
    '/r/:registrationNo',
    { schema: { hide: true, params: z.object({ registrationNo: z.string().max(100) }) } },
    async (request, reply) => {
      const platform = await findPlatformByRegistrationNo(db, request.params.registrationNo);
      const number = request.params.registrationNo;
      if (!platform) {
        throw notFound({ vi: `Không có hồ sơ số ${number}`, en: `no record with registration number ${number}` });
      }
      const extras = await options.recordPageExtras?.(request, platform);
      return renderPlatformRecord(request, reply, platform, await getStatusHistory(db, platform.id), extras);
    },
  );
}

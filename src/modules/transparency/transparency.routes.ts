/** Public routes of the register of decisions: list, permalink, daily dumps, and the API. */
import { z } from 'zod';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { notFound } from '../../core/errors.ts';
import type { App } from '../../core/http.ts';
import { addCalendarDays } from '../../core/working-days.ts';
import { renderDecision, renderDecisionList } from './transparency.pages.ts';
import {
  DECISION_KINDS,
  decisionsCsv,
  decisionsOfDay,
  getPublishedDecision,
  listPublishedDecisions,
} from './transparency.service.ts';

export interface TransparencyRoutesOptions {
  database: Database;
  portalUrl: string;
  /** Requests per minute per IP on every route here; 0 turns the limit off. */
  rateLimitPerMinute: number;
}

/** Days offered on the list page (each dump stays reachable by its address for any past day). */
const DAYS_LISTED = 14;

const listQuerySchema = z.object({
  kind: z.enum(DECISION_KINDS).or(z.literal('')).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  lang: z.string().optional(),
});

const dumpParamsSchema = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD'),
  format: z.enum(['csv', 'json']),
});

export async function registerTransparencyRoutes(app: App, options: TransparencyRoutesOptions): Promise<void> {
  const db = options.database.db;
  const perMinute = options.rateLimitPerMinute;
  const config = { rateLimit: perMinute > 0 ? { max: perMinute, timeWindow: 60_000 } : (false as const) };

  app.get('/decisions', { config, schema: { hide: true, querystring: listQuerySchema } }, async (request, reply) => {
    const kind = request.query.kind || undefined;
    const page = await listPublishedDecisions(db, { kind, beforeNo: request.query.before });
    const today = todayInVietnam();
    const days = Array.from({ length: DAYS_LISTED }, (_, index) => addCalendarDays(today, -index));
    return renderDecisionList(request, reply, { ...page, kind, days });
  });

  // Registered before the permalink route: "dumps" is not a public id.
  app.get(
    '/decisions/dumps/:day.:format',
    { config, schema: { hide: true, params: dumpParamsSchema } },
    async (request, reply) => {
      const { day, format } = request.params;
      if (Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || day > todayInVietnam()) {
        throw notFound({ vi: `Không có dữ liệu ngày ${day}`, en: `no dump for ${day}` });
      }
      const decisions = await decisionsOfDay(db, day);
      const name = `decisions-${day}.${format}`;
      reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'csv')
        return reply.type('text/csv; charset=utf-8').send(decisionsCsv(decisions, options.portalUrl));
      return reply.type('application/json; charset=utf-8').send({ day, decisions });
    },
  );

  app.get(
    '/decisions/:publicId',
    { config, schema: { hide: true, params: z.object({ publicId: z.string().max(40) }) } },
    async (request, reply) => renderDecision(request, reply, await getPublishedDecision(db, request.params.publicId)),
  );

  app.get(
    '/api/v1/decisions',
    {
      config,
      schema: {
        tags: ['transparency'],
        summary: 'Published decisions (warnings, blocks, sanctions), newest first',
        description:
          'Public, rate-limited. `before` continues from the `next` of the previous page. Each decision has its public id, legal ground, facts, targets, and whether detection and decision were automated; the daily dumps are at `/decisions/dumps/{YYYY-MM-DD}.csv|json`.',
        querystring: listQuerySchema.omit({ lang: true }),
      },
    },
    async (request) =>
      listPublishedDecisions(db, {
        kind: request.query.kind || undefined,
        beforeNo: request.query.before,
        limit: request.query.limit,
      }),
  );

  app.get(
    '/api/v1/decisions/:publicId',
    {
      config,
      schema: {
        tags: ['transparency'],
        summary: 'One published decision by its public id',
        params: z.object({ publicId: z.string().max(40) }),
      },
    },
    async (request) => getPublishedDecision(db, request.params.publicId),
  );
}

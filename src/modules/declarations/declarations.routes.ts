import { Readable } from 'node:stream';
import { z } from 'zod';
import { spreadsheetCsv } from '../../core/csv.ts';
import { parseDayInput } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import type { App } from '../../core/http.ts';
import { errorBodySchema } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { actorContextOf, can, getPrincipal, registerWorkbenchLink } from '../accounts/index.ts';
import type { CheckIndex } from '../check/index.ts';
import { importDeclarations } from './declarations.import.ts';
import {
  DASHBOARD_TABLES,
  dashboardCsvRows,
  POINT_STATUS_LABELS,
  renderDeclarationsPage,
} from './declarations.pages.ts';
import { buildDeclarationsDashboard, buildDeclarationsReport, reviewGatheringPoint } from './declarations.service.ts';

export interface DeclarationsRouteOptions {
  database: Database;
  index: CheckIndex;
}

/** Bodies the import reads as a stream, never buffered: CSV, NDJSON, either gzipped. */
const STREAMED_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/ndjson',
  'application/gzip',
  'application/octet-stream',
];

const rejectionSchema = z.object({ line: z.number(), field: z.string(), reason: z.string() });
const importSummarySchema = z.object({
  source: z.string(),
  format: z.enum(['csv', 'ndjson']),
  gzip: z.boolean(),
  rows: z.number(),
  stored: z.number(),
  duplicates: z.number(),
  rejected: z.number(),
  rejections: z.array(rejectionSchema),
  seconds: z.number(),
  screening_seconds: z.number(),
});
const flagCountsSchema = z.object({
  unregistered_platform: z.number(),
  split_shipment: z.number(),
  needs_standard: z.number(),
  undervalued: z.number(),
  vague_description: z.number(),
});
const reportSchema = z.object({
  declarations: z.number(),
  rejected: z.number(),
  flags: flagCountsSchema,
  gathering_points: z.array(
    z.object({
      address: z.string(),
      parcels: z.number(),
      consignees: z.number(),
      platforms: z.array(z.string()),
      first_seen: z.string(),
      last_seen: z.string(),
      status: z.string(),
    }),
  ),
});

export async function registerDeclarationsRoutes(app: App, options: DeclarationsRouteOptions): Promise<void> {
  await app.register(async (scope) => {
    // The body stays a stream: the import reads it batch by batch (memory does not grow with the upload).
    scope.addContentTypeParser(STREAMED_TYPES, (_request, payload, done) => done(null, payload));

    scope.post(
      '/api/v1/declarations',
      {
        config: { permission: 'declarations:write' },
        bodyLimit: Number.MAX_SAFE_INTEGER,
        schema: {
          tags: ['declarations'],
          summary: 'Import customs e-commerce declarations (CSV or NDJSON body, gzip accepted), streamed',
          description:
            'Content-Type text/csv, application/x-ndjson or application/gzip. Invalid rows are reported by line and field and skipped; declaration numbers already stored are not stored twice.',
          response: { 200: importSummarySchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
        },
      },
      async (request) => {
        if (!(request.body instanceof Readable)) {
          throw invalidInput(
            {
              vi: `Content-Type phải là ${STREAMED_TYPES.join(', ')}`,
              en: `Content-Type must be one of ${STREAMED_TYPES.join(', ')}`,
            },
            'content-type',
          );
        }
        return importDeclarations(options.database, request.body, {
          source: `api:${request.id}`,
          index: options.index,
        });
      },
    );
  });

  app.get(
    '/api/v1/declarations/report',
    {
      config: { permission: 'declarations:read' },
      schema: {
        tags: ['declarations'],
        summary: 'Declarations report: totals, flags by type, suspected gathering points',
        response: { 200: reportSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async () => buildDeclarationsReport(options.database.db),
  );
}

const reviewFormSchema = z.object({
  _csrf: z.string().optional(),
  address: z.string().trim().min(1).max(500),
  status: z.enum(['confirmed', 'dismissed']),
  note: z.string().max(1000).optional(),
});

/** The workbench page, its CSV and Market Management's decisions on gathering points. */
export async function registerDeclarationsPages(
  app: App,
  options: Pick<DeclarationsRouteOptions, 'database'>,
): Promise<void> {
  registerWorkbenchLink({
    href: '/workbench/declarations',
    label: { vi: 'Tờ khai nhập khẩu TMĐT', en: 'Import declarations' },
    permission: 'declarations:read',
  });

  app.get(
    '/workbench/declarations',
    {
      config: { permission: 'declarations:read' },
      schema: {
        hide: true,
        querystring: z.object({
          lang: z.string().optional(),
          done: z.string().max(500).optional(),
          from: z.string().max(20).optional(),
          to: z.string().max(20).optional(),
        }),
      },
    },
    async (request, reply) =>
      renderDeclarationsPage(
        request,
        reply,
        await buildDeclarationsReport(options.database.db),
        await buildDeclarationsDashboard(options.database.db, periodOf(request.query)),
        { canReview: can(getPrincipal(request), 'gathering_points:review'), done: request.query.done },
      ),
  );

  app.get(
    '/workbench/declarations/dashboard.csv',
    {
      config: { permission: 'declarations:read' },
      schema: {
        hide: true,
        querystring: z.object({
          table: z.enum(DASHBOARD_TABLES),
          from: z.string().max(20).optional(),
          to: z.string().max(20).optional(),
        }),
      },
    },
    async (request, reply) => {
      const dashboard = await buildDeclarationsDashboard(options.database.db, periodOf(request.query));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', `imports-by-${request.query.table}.csv`))
        .send(`\uFEFF${spreadsheetCsv(dashboardCsvRows(dashboard, request.query.table))}`);
    },
  );

  app.get(
    '/workbench/declarations/gathering-points.csv',
    { config: { permission: 'declarations:read' }, schema: { hide: true } },
    async (_request, reply) => {
      const report = await buildDeclarationsReport(options.database.db, { gatheringPoints: 10_000 });
      const csv = spreadsheetCsv([
        ['address', 'parcels', 'consignees', 'platforms', 'first_seen', 'last_seen', 'status', 'status_vi'],
        ...report.gathering_points.map((p) => [
          p.address,
          p.parcels,
          p.consignees,
          p.platforms.join('|'),
          p.first_seen,
          p.last_seen,
          p.status,
          POINT_STATUS_LABELS[p.status]?.vi ?? p.status,
        ]),
      ]);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', 'gathering-points.csv'))
        .send(`\uFEFF${csv}`);
    },
  );

  app.post(
    '/workbench/declarations/gathering-points/review',
    { config: { permission: 'gathering_points:review' }, schema: { hide: true, body: reviewFormSchema } },
    async (request, reply) => {
      const principal = getPrincipal(request);
      const { caseId } = await reviewGatheringPoint(options.database, actorContextOf(request), {
        addressKey: request.body.address,
        status: request.body.status,
        unitId: principal?.unitId ?? null,
        note: request.body.note ?? '',
      });
      // A confirmed point is an inspection task of the unit: its new case opens.
      if (caseId) return reply.redirect(`/workbench/cases/${caseId}?done=created`, 303);
      return reply.redirect(`/workbench/declarations?done=${encodeURIComponent(request.body.address)}`, 303);
    },
  );
}

/** The dashboard's period from the query: days as people type them (dd/mm/yyyy) or ISO; a wrong one is named. */
function periodOf(query: { from?: string | undefined; to?: string | undefined }): {
  from: string | null;
  to: string | null;
} {
  const day = (field: 'from' | 'to') => {
    const text = query[field]?.trim();
    if (!text) return null;
    const parsed = parseDayInput(text);
    if (!parsed) {
      throw invalidInput(
        { vi: `“${text}” không phải ngày dd/mm/yyyy`, en: `“${text}” is not a day (dd/mm/yyyy)` },
        field,
      );
    }
    return parsed;
  };
  return { from: day('from'), to: day('to') };
}

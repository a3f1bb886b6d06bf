/**
 * Routes of the periodic reports: the business files or corrects the report of a year for its registered platform
 * (page and API); the E-Commerce Agency sees a year's reports (page, CSV, API).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../core/dates.ts';
import { notFound } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { type FormState, formInputOf } from '../../web/forms.ts';
import { actorContextOf, registerWorkbenchLink } from '../accounts/index.ts';
import { getPlatform } from '../registry/index.ts';
import { annualReportsCsv, renderAnnualReportsOverview, renderBusinessAnnualReports } from './annual-reports.pages.ts';
import {
  ANNUAL_REPORT_STATES,
  annualReportDeadline,
  annualReportFields,
  annualReportOverview,
  fileAnnualReport,
  listAnnualReportsOfPlatform,
  owesAnnualReports,
} from './annual-reports.ts';
import { applicantOf, submitForm } from './applications.http.ts';
import { idParamsSchema } from './applications.schemas.ts';
import { type ApplicationsContext, nowOf } from './applications.service.ts';
import { isOwner } from './registration.service.ts';

const yearSchema = z.coerce.number().int().min(2000).max(2999);

const annualReportBodySchema = z.object({
  year: yearSchema,
  figures: z.record(z.string().max(60), z.union([z.number(), z.string().max(30)])),
  note: z.string().max(4000).optional(),
});

/** The form's body: the figures come as `figures.<code>` fields (the names errors point at). */
const annualReportFormSchema = z
  .object({ _csrf: z.string().optional(), year: yearSchema, note: z.string().max(4000).optional() })
  .catchall(z.string().max(30));

const annualReportAnswerSchema = z.object({
  id: z.string(),
  platform_id: z.string(),
  year: z.number(),
  figures: z.record(z.string(), z.number()),
  note: z.string(),
  filed_at: z.string(),
  amended_at: z.string().nullable(),
  on_time: z.boolean(),
});

const overviewQuerySchema = z.object({
  year: yearSchema.optional(),
  state: z.enum(ANNUAL_REPORT_STATES).or(z.literal('')).optional(),
  format: z.enum(['html', 'csv']).optional(),
  lang: z.string().optional(),
});

function figuresOfForm(body: Record<string, unknown>): Record<string, string> {
  const figures: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('figures.') && typeof value === 'string') figures[name.slice('figures.'.length)] = value;
  }
  return figures;
}

export async function registerAnnualReportRoutes(app: App, context: ApplicationsContext): Promise<void> {
  const db = context.database.db;
  /** The last year that is over: the one a report is filed for now. */
  const lastYear = () => Number(todayInVietnam(nowOf(context)).slice(0, 4)) - 1;

  registerWorkbenchLink({
    href: '/workbench/annual-reports',
    label: { vi: 'Báo cáo định kỳ của nền tảng', en: 'Platforms’ annual reports' },
    permission: 'applications:review',
  });

  const showBusinessPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    platformId: string,
    extra: { year?: number | undefined; done?: string | undefined; form?: FormState; status?: number } = {},
  ) => {
    const applicant = await applicantOf(context, request);
    const platform = await getPlatform(db, platformId);
    if (!isOwner(platform, applicant.organisationTaxCode)) {
      throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    }
    const year = extra.year ?? lastYear();
    return renderBusinessAnnualReports(
      request,
      reply,
      {
        platform,
        owes: owesAnnualReports(platform, year),
        reports: await listAnnualReportsOfPlatform(db, platform.id),
        year,
        deadline: await annualReportDeadline(db, year),
        fields: await annualReportFields(db, year),
        form: extra.form,
        done: extra.done,
      },
      extra.status,
    );
  };

  app.get(
    '/business/platforms/:id/annual-reports',
    {
      config: { permission: 'applications:file' },
      schema: {
        hide: true,
        params: idParamsSchema,
        querystring: z.object({
          year: yearSchema.optional(),
          done: z.string().max(40).optional(),
          lang: z.string().optional(),
        }),
      },
    },
    async (request, reply) =>
      showBusinessPage(request, reply, request.params.id, { year: request.query.year, done: request.query.done }),
  );

  app.post(
    '/business/platforms/:id/annual-reports',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: annualReportFormSchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const input = formInputOf<z.output<typeof annualReportFormSchema>>(request);
      const refused = await submitForm(input, (body) =>
        fileAnnualReport(
          context,
          applicant,
          request.params.id,
          { year: body.year, figures: figuresOfForm(body), note: body.note },
          actorContextOf(request),
        ),
      );
      const year = input.ok ? input.value.year : undefined;
      if (refused) {
        return showBusinessPage(request, reply, request.params.id, {
          year,
          form: refused.form,
          status: refused.status,
        });
      }
      return reply.redirect(`/business/platforms/${request.params.id}/annual-reports?year=${year}&done=filed`, 303);
    },
  );

  app.get(
    '/workbench/annual-reports',
    {
      config: { permission: 'applications:review' },
      schema: { hide: true, querystring: overviewQuerySchema },
    },
    async (request, reply) => {
      const state = request.query.state || undefined;
      const overview = await annualReportOverview(context, request.query.year ?? lastYear(), { state });
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="annual-reports-${overview.year}.csv"`)
          .send(annualReportsCsv(overview));
      }
      return renderAnnualReportsOverview(request, reply, overview, { state });
    },
  );

  app.post(
    '/api/v1/platforms/:id/annual-reports',
    {
      config: { permission: 'applications:file' },
      schema: {
        tags: ['registrations'],
        summary: 'File or correct the annual report of one’s own registered platform',
        description:
          'The figures of the fields in force for the year, by code (the form page and `ecomgov grounds list --kind annual_report_field` list them), each a whole number; a field missing or unknown is refused, naming `figures.<code>`. A second filing for the same year corrects the first; the first filing’s time decides whether the report was on time.',
        params: idParamsSchema,
        body: annualReportBodySchema,
        response: {
          201: annualReportAnswerSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const report = await fileAnnualReport(
        context,
        applicant,
        request.params.id,
        request.body,
        actorContextOf(request),
      );
      return reply.code(201).send({
        ...report,
        filed_at: report.filed_at.toISOString(),
        amended_at: report.amended_at ? report.amended_at.toISOString() : null,
      });
    },
  );

  app.get(
    '/api/v1/admin/annual-reports',
    {
      config: { permission: 'applications:review' },
      schema: {
        tags: ['registrations'],
        summary: 'The annual reports of a year: who filed on time, late, or not at all',
        querystring: overviewQuerySchema.omit({ format: true, lang: true }),
      },
    },
    async (request) => {
      const overview = await annualReportOverview(context, request.query.year ?? lastYear(), {
        state: request.query.state || undefined,
      });
      return {
        year: overview.year,
        deadline: overview.deadline,
        fields: overview.fields,
        counts: overview.counts,
        platforms: overview.rows.map(({ platform, report, state }) => ({
          id: platform.id,
          registration_no: platform.registration_no,
          name: platform.name,
          status: platform.status,
          organisation: platform.organisation?.name ?? null,
          state,
          report: report
            ? {
                figures: report.figures,
                filed_at: report.filed_at.toISOString(),
                amended_at: report.amended_at ? report.amended_at.toISOString() : null,
              }
            : null,
        })),
      };
    },
  );
}

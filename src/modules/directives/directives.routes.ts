import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { actorContextOf, can, getPrincipal, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { listUnits } from '../units/index.ts';
import { countBuckets } from './buckets.ts';
import { parsedDirectiveSchema } from './directive.schemas.ts';
import { formatTrackerCsv, formatTrackerXlsx } from './directives.export.ts';
import {
  importDigest,
  importDirective,
  parseDirectiveTextOffThread,
  previewDirectiveImport,
} from './directives.import.ts';
import {
  doneNotice,
  type FeedPanelView,
  type PageRights,
  renderDirectiveList,
  renderDirectivePage,
  renderImportPage,
  renderTaskPage,
  renderUnitPage,
  type TaskFormName,
} from './directives.pages.ts';
import {
  createDirectiveFeed,
  type FeedActor,
  findFeedPanel,
  listDirectiveFeeds,
  readDirectiveFeed,
  revokeDirectiveFeed,
} from './feeds.service.ts';
import {
  createdFeedSchema,
  createFeedBodySchema,
  decisionBodySchema,
  decisionFormSchema,
  directiveDetailSchema,
  directiveFeedListSchema,
  directiveFeedSchema,
  directiveListSchema,
  directiveTextBodySchema,
  exportQuerySchema,
  extensionBodySchema,
  extensionFormSchema,
  extensionRequestSchema,
  feedFormSchema,
  importBodySchema,
  importFormSchema,
  importResultSchema,
  linkBodySchema,
  linkFormSchema,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_REPORT,
  progressReportSchema,
  reportBodySchema,
  reportFormSchema,
  revokeFeedFormSchema,
  taskDetailSchema,
  taskListQuerySchema,
  taskListSchema,
  trackedTaskSchema,
} from './tracker.schemas.ts';
import {
  getAttachment,
  getDirective,
  getExtensionRequest,
  getTaskDetail,
  listDirectives,
  listPendingExtensions,
  listUnitTasks,
  loadTrackedTasks,
  type TrackedTask,
  unitIdsCovering,
} from './tracker.service.ts';
import {
  type AttachmentInput,
  addProgressReport,
  decideExtension,
  linkDependentTask,
  mayReportOn,
  type Reporter,
  requestExtension,
} from './tracker.writes.ts';

/** A directive's text as JSON or text/plain: 200 000 characters of Vietnamese fit in this. */
const TEXT_BODY_LIMIT = 1536 * 1024;
/** A report with its attachments (base64 in JSON, or a multipart form). */
const REPORT_BODY_LIMIT = Math.ceil(MAX_ATTACHMENTS_PER_REPORT * MAX_ATTACHMENT_BYTES * 1.4) + 64 * 1024;

const TAGS = ['directives'];
/**
 * Fetches of secret feed addresses per client address and minute. Calendar services fetch for many people
 * from few addresses (and a ministry's officers share one), so it is generous; it bounds guessing (pointless
 * against 256 bits anyway) and the load of building calendars.
 */
const FEED_RATE_LIMIT = { max: 60, timeWindow: 60_000 };
const idParams = z.object({ id: z.string().max(100) });
const taskParams = z.object({ taskId: z.string().max(100) });

export interface DirectiveRoutesOptions {
  database: Database;
  /** PORTAL_URL, for links in the calendar feed. */
  portalUrl?: string | undefined;
}

function textOf(body: string | { text: string }): string {
  return typeof body === 'string' ? body : body.text;
}

function reporterOf(request: FastifyRequest): Reporter {
  const principal = requirePrincipal(request);
  return {
    context: actorContextOf(request),
    name: principal.displayName,
    unitId: principal.unitId,
    actsForAnyUnit: can(principal, 'directives:manage'),
  };
}

function feedActorOf(request: FastifyRequest): FeedActor {
  const principal = requirePrincipal(request);
  return {
    context: actorContextOf(request),
    unitId: principal.unitId,
    isHead: principal.kind === 'officer' && principal.role === 'head',
    canManage: can(principal, 'directives:manage'),
  };
}

/** The secret address of a feed: on PORTAL_URL when set, else on the host the request came to. */
function feedAddress(request: FastifyRequest, portalUrl: string | undefined, token: string): string {
  const base = portalUrl ? portalUrl.replace(/\/$/, '') : `${request.protocol}://${request.host}`;
  return `${base}/feeds/directives/${token}.ics`;
}

function deciderOf(request: FastifyRequest) {
  return { context: actorContextOf(request), name: requirePrincipal(request).displayName };
}

function decodeAttachments(
  files: Array<{ filename: string; content_type: string; content_base64: string }> | undefined,
): AttachmentInput[] {
  return (files ?? []).map((file) => ({
    filename: file.filename,
    contentType: file.content_type,
    content: Buffer.from(file.content_base64, 'base64'),
  }));
}

async function sendAttachment(reply: FastifyReply, database: Database, id: string) {
  const file = await getAttachment(database.db, id);
  return reply
    .type(file.content_type)
    .header('content-disposition', contentDisposition('attachment', file.filename))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "default-src 'none'; sandbox")
    .header('cache-control', 'private, no-store')
    .send(file.content);
}

export async function registerDirectiveRoutes(app: App, options: DirectiveRoutesOptions): Promise<void> {
  const { database } = options;
  const { db } = database;

  registerWorkbenchLink({
    href: '/workbench/directives',
    label: { vi: 'Theo dõi nhiệm vụ', en: 'Directive tracker' },
    permission: 'directives:read',
  });

  // ------------------------------------------------------------------------------------------
  // API
  // ------------------------------------------------------------------------------------------

  app.post(
    '/api/v1/directives/parse',
    {
      bodyLimit: TEXT_BODY_LIMIT,
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Parse a directive’s text into units, tasks and periods (Directive JSON); stores nothing',
        description:
          'Body: `{ "text": "…" }` (application/json) or the text itself (text/plain). At most 200 000 characters (413 above, and 413 when parsing takes longer than its 2 s budget). 400 `invalid_input` when the structure is not understood.',
        consumes: ['application/json', 'text/plain'],
        body: directiveTextBodySchema,
        response: {
          200: parsedDirectiveSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          413: errorBodySchema,
        },
      },
    },
    async (request) => parseDirectiveTextOffThread(db, textOf(request.body)),
  );

  app.post(
    '/api/v1/directives',
    {
      bodyLimit: TEXT_BODY_LIMIT,
      config: { permission: 'directives:manage' },
      schema: {
        tags: TAGS,
        summary: 'Import a directive from its text (idempotent by document number)',
        description:
          '201 when created; 200 when the number was already stored (`outcome` `unchanged`, or `updated` in place: tasks keep their reports). 409 when a new text would drop a task that has reports.',
        consumes: ['application/json', 'text/plain'],
        body: importBodySchema,
        response: {
          200: importResultSchema,
          201: importResultSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          409: errorBodySchema,
          413: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const input = typeof body === 'string' ? { text: body } : body;
      const result = await importDirective(database, input, actorContextOf(request));
      return reply.status(result.outcome === 'created' ? 201 : 200).send(result);
    },
  );

  app.get(
    '/api/v1/directives',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Directives with the four buckets of their tasks',
        response: { 200: directiveListSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async () => {
      const today = todayInVietnam();
      return { today, directives: await listDirectives(db, today) };
    },
  );

  app.get(
    '/api/v1/directives/:id',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'One directive: its units, tasks, statuses and buckets',
        params: idParams,
        response: { 200: directiveDetailSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const today = todayInVietnam();
      return { today, ...(await getDirective(db, request.params.id, today)) };
    },
  );

  app.get(
    '/api/v1/directive-tasks',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Tasks with their buckets, by unit, directive or bucket (the dashboards’ data)',
        querystring: taskListQuerySchema,
        response: {
          200: taskListSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) => {
      const today = todayInVietnam();
      const { unit, directive, bucket } = request.query;
      const covering = unit ? await unitIdsCovering(db, unit) : undefined;
      let tasks = await loadTrackedTasks(
        db,
        { ...(covering ? { unitIds: covering.ids } : {}), ...(directive ? { directiveIds: [directive] } : {}) },
        today,
      );
      const counts = countBuckets(tasks.map((task) => task.bucket));
      if (bucket) tasks = tasks.filter((task) => task.bucket === bucket);
      const unitRef = covering
        ? { id: covering.unit.id, name_vi: covering.unit.name_vi, name_en: covering.unit.name_en }
        : null;
      return { today, unit: unitRef, counts, tasks };
    },
  );

  app.get(
    '/api/v1/directive-tasks/export',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'The tracker as CSV or XLSX (one row per task)',
        description:
          'CSV: header of column keys, dates YYYY-MM-DD. XLSX: a Tracker sheet (dates as date cells, dd/mm/yyyy) and a Summary sheet with the four buckets per unit.',
        querystring: exportQuerySchema,
      },
    },
    async (request, reply) => {
      const today = todayInVietnam();
      const { format, unit, directive } = request.query;
      const covering = unit ? await unitIdsCovering(db, unit) : undefined;
      const tasks = await loadTrackedTasks(
        db,
        { ...(covering ? { unitIds: covering.ids } : {}), ...(directive ? { directiveIds: [directive] } : {}) },
        today,
      );
      const name = `directive-tracker-${today}${unit ? `-${unit}` : ''}`;
      if (format === 'xlsx') {
        return reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header('content-disposition', contentDisposition('attachment', `${name}.xlsx`))
          .send(await formatTrackerXlsx(tasks, today));
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', `${name}.csv`))
        .send(formatTrackerCsv(tasks));
    },
  );

  app.get(
    '/api/v1/directive-tasks/:taskId',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'One task with its progress reports and extension requests',
        params: taskParams,
        response: { 200: taskDetailSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => {
      const today = todayInVietnam();
      return { today, ...(await getTaskDetail(db, request.params.taskId, today)) };
    },
  );

  app.post(
    '/api/v1/directive-tasks/:taskId/reports',
    {
      bodyLimit: REPORT_BODY_LIMIT,
      config: { permission: 'directives:report' },
      schema: {
        tags: TAGS,
        summary: 'Report progress on a task (the task’s unit only)',
        description:
          '100 % completes a task with a deadline (on `completed_on`, default today). A recurring task’s report is for one period (`period_start`, default the awaited one). Attachments: at most 5 files of 5 MiB each, stored in the database.',
        params: taskParams,
        body: reportBodySchema,
        response: {
          201: progressReportSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          413: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const report = await addProgressReport(
        database,
        request.params.taskId,
        {
          text: body.text,
          percentage: body.percentage,
          completedOn: body.completed_on,
          periodStart: body.period_start,
          attachments: decodeAttachments(body.attachments),
        },
        reporterOf(request),
      );
      return reply.status(201).send(report);
    },
  );

  app.post(
    '/api/v1/directive-tasks/:taskId/extensions',
    {
      config: { permission: 'directives:report' },
      schema: {
        tags: TAGS,
        summary: 'Ask the issuing side for a later deadline (the task’s unit only)',
        params: taskParams,
        body: extensionBodySchema,
        response: {
          201: extensionRequestSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const extension = await requestExtension(
        database,
        request.params.taskId,
        { requestedDue: request.body.requested_due, reason: request.body.reason },
        reporterOf(request),
      );
      return reply.status(201).send(extension);
    },
  );

  app.get(
    '/api/v1/directive-extensions',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Extension requests waiting for a decision',
        response: {
          200: z.object({ extensions: z.array(extensionRequestSchema) }),
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async () => ({ extensions: await listPendingExtensions(db) }),
  );

  app.post(
    '/api/v1/directive-extensions/:id/decision',
    {
      config: { permission: 'directives:approve_extension' },
      schema: {
        tags: TAGS,
        summary: 'Approve (the deadline moves) or reject an extension request',
        params: idParams,
        body: decisionBodySchema,
        response: {
          200: extensionRequestSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) =>
      decideExtension(
        database,
        request.params.id,
        { decision: request.body.decision, note: request.body.note },
        deciderOf(request),
      ),
  );

  app.post(
    '/api/v1/directive-tasks/:taskId/link',
    {
      config: { permission: 'directives:manage' },
      schema: {
        tags: TAGS,
        summary: 'Link a dependent task to the directive (or one of its tasks) whose deadline it follows',
        params: taskParams,
        body: linkBodySchema,
        response: {
          200: trackedTaskSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
        },
      },
    },
    async (request) =>
      linkDependentTask(
        database,
        request.params.taskId,
        request.body.directive ? { directive: request.body.directive, taskSeq: request.body.task_seq } : null,
        actorContextOf(request),
      ),
  );

  app.get(
    '/api/v1/directive-attachments/:id',
    {
      config: { permission: 'directives:read' },
      schema: { tags: TAGS, summary: 'Download an attachment of a progress report', params: idParams },
    },
    async (request, reply) => sendAttachment(reply, database, request.params.id),
  );

  app.get(
    '/api/v1/directive-feeds',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'The calendar feeds’ secret addresses one may see (without their tokens)',
        description:
          'A unit’s officers see their unit’s; directives:manage sees every one, the all-units feed’s included. Newest first, revoked ones included.',
        response: { 200: directiveFeedListSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => ({ feeds: await listDirectiveFeeds(db, feedActorOf(request)) }),
  );

  app.post(
    '/api/v1/directive-feeds',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Make a unit’s secret calendar address (replacing its live one), shown once',
        description:
          'The unit’s head, or directives:manage (also for `unit_id: null`, the all-units feed). A unit has one live address: making another revokes the old one. The answer’s `url` is the only time the address is shown; only its SHA-256 is kept.',
        body: createFeedBodySchema,
        response: {
          201: createdFeedSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { token, feed } = await createDirectiveFeed(database, request.body.unit_id, feedActorOf(request));
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({ feed, url: feedAddress(request, options.portalUrl, token) });
    },
  );

  app.delete(
    '/api/v1/directive-feeds/:id',
    {
      config: { permission: 'directives:read' },
      schema: {
        tags: TAGS,
        summary: 'Revoke a secret calendar address (the unit’s head, or directives:manage)',
        params: idParams,
        response: { 200: directiveFeedSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => revokeDirectiveFeed(database, request.params.id, feedActorOf(request)),
  );

  // ------------------------------------------------------------------------------------------
  // Feeds (calendar applications cannot sign in: a secret address per unit, see feeds.service.ts)
  // ------------------------------------------------------------------------------------------

  app.get(
    '/feeds/directives/:token.ics',
    {
      config: { rateLimit: FEED_RATE_LIMIT },
      // The token is the URL: keep it out of the request log (requests are logged at info).
      logLevel: 'warn',
      schema: {
        tags: ['feeds'],
        summary: 'Deadlines of a unit’s directive tasks as an iCalendar feed (RFC 5545), at its secret address',
        description:
          'One all-day event per deadline, one recurring event per recurring task (the last day of each reporting period). Holds what the directives say and approved new deadlines, no reports. An unknown or revoked address answers 404. Rate limited per client address.',
        params: z.object({ token: z.string().max(100) }),
      },
    },
    async (request, reply) => {
      const feed = await readDirectiveFeed(db, request.params.token, { portalUrl: options.portalUrl });
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', contentDisposition('inline', feed.filename))
        .header('cache-control', 'private, max-age=300')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex')
        .send(feed.calendar);
    },
  );

  // The public feed of every unit's tasks, closed: 410 says for good, and where the addresses are now.
  // Nothing is secret about this address (it was public), so saying it existed tells no one anything.
  app.get(
    '/feeds/directives.ics',
    {
      schema: {
        tags: ['feeds'],
        summary: 'Closed: calendar feeds have secret addresses per unit now (410 Gone)',
        response: { 410: errorBodySchema },
      },
    },
    async (_request, reply) => {
      const page = `${options.portalUrl ? options.portalUrl.replace(/\/$/, '') : ''}/workbench/directives`;
      reply.header('link', `<${page}>; rel="alternate"`);
      throw new AppError('gone', {
        vi: `Lịch công khai này đã đóng. Mỗi đơn vị nay có một địa chỉ lịch bí mật: cán bộ của đơn vị xem ở trang của đơn vị trong mục theo dõi nhiệm vụ (${page}).`,
        en: `This public calendar is closed. Each unit now has a secret calendar address: its officers find it on their unit's page of the directive tracker (${page}).`,
      });
    },
  );

  // ------------------------------------------------------------------------------------------
  // Pages. Each form's body is its schema (tracker.schemas.ts), validated with `attachValidation`: a form with
  // problems, or one the service refuses, is shown again with them; a form that did its work redirects, and the
  // page says so (`?done=`).
  // ------------------------------------------------------------------------------------------

  const pageQuery = z.object({ lang: z.string().optional(), done: z.string().max(20).optional() });

  function rightsOf(
    request: FastifyRequest,
    task?: TrackedTask,
    units: Awaited<ReturnType<typeof listUnits>> = [],
  ): PageRights {
    const principal = getPrincipal(request);
    const canManage = can(principal, 'directives:manage');
    const canReport =
      task !== undefined &&
      can(principal, 'directives:report') &&
      mayReportOn({ unitId: principal?.unitId ?? null, actsForAnyUnit: canManage }, task, units);
    return { canManage, canReport, canApprove: can(principal, 'directives:approve_extension') };
  }

  function noticeOf(request: FastifyRequest) {
    return doneNotice((request.query as { done?: string } | undefined)?.done);
  }

  /** The calendar section of a page: the unit's (null: all units') feed, with an address just made. */
  async function feedPanelOf(
    request: FastifyRequest,
    unitId: string | null,
    address: string | undefined,
  ): Promise<FeedPanelView | undefined> {
    const panel = await findFeedPanel(db, feedActorOf(request), unitId);
    return panel && { ...panel, address };
  }

  /** What the calendar form leaves on its page: an address just made, or the form's problems. */
  interface FeedOutcome {
    address?: string;
    form?: FormState;
    status?: number;
  }

  async function showDirectiveList(request: FastifyRequest, reply: FastifyReply, outcome: FeedOutcome = {}) {
    const today = todayInVietnam();
    const tasks = await loadTrackedTasks(db, {}, today);
    const directives = await listDirectives(db, today, tasks);
    const units = await listUnits(db);
    return renderDirectiveList(
      request,
      reply,
      {
        directives,
        tasks,
        counts: countBuckets(tasks.map((task) => task.bucket)),
        units,
        today,
        rights: rightsOf(request),
        feed: await feedPanelOf(request, null, outcome.address),
        ownUnitId: getPrincipal(request)?.unitId ?? null,
        notice: noticeOf(request),
        feedForm: outcome.form,
      },
      outcome.status,
    );
  }

  async function showUnitPage(request: FastifyRequest, reply: FastifyReply, unitId: string, outcome: FeedOutcome = {}) {
    const today = todayInVietnam();
    const data = await listUnitTasks(db, unitId, today);
    return renderUnitPage(
      request,
      reply,
      {
        ...data,
        today,
        feed: await feedPanelOf(request, data.unit.id, outcome.address),
        notice: noticeOf(request),
        feedForm: outcome.form,
      },
      outcome.status,
    );
  }

  app.get(
    '/workbench/directives',
    { config: { permission: 'directives:read' }, schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => showDirectiveList(request, reply),
  );

  app.get(
    '/workbench/directives/import',
    { config: { permission: 'directives:manage' }, schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => renderImportPage(request, reply),
  );

  app.post(
    '/workbench/directives/import',
    {
      bodyLimit: TEXT_BODY_LIMIT,
      config: { permission: 'directives:manage' },
      attachValidation: true,
      schema: { hide: true, body: importFormSchema },
    },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return renderImportPage(request, reply, input.form, 400);
      const { step, previewed, ...fields } = input.value;
      try {
        // Stored only when the officer confirms the very text and subject the preview showed.
        if (step === 'confirm' && previewed === importDigest(fields)) {
          const result = await importDirective(database, fields, actorContextOf(request));
          return reply.redirect(`/workbench/directives/${result.directive_id}?done=${result.outcome}`, 303);
        }
        const preview = await previewDirectiveImport(database, fields);
        const values = { text: fields.text, title: fields.title ?? '' };
        return renderImportPage(request, reply, { values, issues: [] }, 200, {
          ...preview,
          changed: step === 'confirm',
        });
      } catch (error) {
        const { form, status } = formStateOfError(error, echoValues(request.body));
        return renderImportPage(request, reply, form, status);
      }
    },
  );

  app.get(
    '/workbench/directives/:id',
    { config: { permission: 'directives:read' }, schema: { hide: true, params: idParams, querystring: pageQuery } },
    async (request, reply) => {
      const today = todayInVietnam();
      return renderDirectivePage(request, reply, {
        directive: await getDirective(db, request.params.id, today),
        today,
        notice: noticeOf(request),
      });
    },
  );

  app.get(
    '/workbench/units/:unitId/tasks',
    {
      config: { permission: 'directives:read' },
      schema: { hide: true, params: z.object({ unitId: z.string().max(100) }), querystring: pageQuery },
    },
    async (request, reply) => showUnitPage(request, reply, request.params.unitId),
  );

  // The form answers with the page itself, the new address shown once in it (never in a URL).
  app.post(
    '/workbench/directive-feeds',
    {
      config: { permission: 'directives:read' },
      attachValidation: true,
      schema: { hide: true, body: feedFormSchema },
    },
    async (request, reply) => {
      const input = formInputOf(request);
      // The unit is a hidden field of the page's form: without it, the page is the tracker's.
      if (!input.ok) return showDirectiveList(request, reply, { form: input.form, status: 400 });
      const unitId = input.value.unit_id === 'all' ? null : input.value.unit_id;
      const show = (outcome: FeedOutcome) =>
        unitId === null ? showDirectiveList(request, reply, outcome) : showUnitPage(request, reply, unitId, outcome);
      try {
        const { token } = await createDirectiveFeed(database, unitId, feedActorOf(request));
        return show({ address: feedAddress(request, options.portalUrl, token) });
      } catch (error) {
        return show(formStateOfError(error, echoValues(request.body)));
      }
    },
  );

  app.post(
    '/workbench/directive-feeds/:id/revoke',
    {
      config: { permission: 'directives:read' },
      attachValidation: true,
      // Nothing but the CSRF token, which may come as a header: no body at all is a revocation too.
      schema: { hide: true, params: idParams, body: revokeFeedFormSchema.optional() },
    },
    async (request, reply) => {
      const feed = await revokeDirectiveFeed(database, request.params.id, feedActorOf(request));
      const page = feed.unit ? `/workbench/units/${encodeURIComponent(feed.unit.id)}/tasks` : '/workbench/directives';
      return reply.redirect(`${page}?done=feed_revoked#calendar`, 303);
    },
  );

  async function showTask(
    request: FastifyRequest,
    reply: FastifyReply,
    taskId: string,
    form?: { name: TaskFormName; state: FormState; status: number },
  ) {
    const today = todayInVietnam();
    const task = await getTaskDetail(db, taskId, today);
    const rights = rightsOf(request, task, await listUnits(db));
    // Only the link form of a dependent task lists the other directives.
    const directives = rights.canManage && task.period.kind === 'dependent' ? await listDirectives(db, today) : [];
    return renderTaskPage(request, reply, {
      task,
      today,
      rights,
      directives,
      form,
      notice: noticeOf(request),
      status: form?.status,
    });
  }

  /**
   * A form of a task's page: its valid values go to `save`, then back to the task with a notice; a form with
   * problems, or one the service refuses, is the task's page again with them.
   */
  async function submitTaskForm<Body>(
    request: FastifyRequest & { body: Body },
    reply: FastifyReply,
    taskId: string,
    name: TaskFormName,
    save: (value: Body) => Promise<unknown>,
  ) {
    const input = formInputOf(request);
    if (!input.ok) return showTask(request, reply, taskId, { name, state: input.form, status: 400 });
    try {
      await save(input.value);
    } catch (error) {
      const { form, status } = formStateOfError(error, echoValues(request.body));
      return showTask(request, reply, taskId, { name, state: form, status });
    }
    return reply.redirect(`/workbench/directive-tasks/${encodeURIComponent(taskId)}?done=${name}`, 303);
  }

  app.get(
    '/workbench/directive-tasks/:taskId',
    { config: { permission: 'directives:read' }, schema: { hide: true, params: taskParams, querystring: pageQuery } },
    async (request, reply) => showTask(request, reply, request.params.taskId),
  );

  // The report form carries files: a multipart body, streamed within these limits.
  app.post(
    '/workbench/directive-tasks/:taskId/reports',
    {
      config: {
        permission: 'directives:report',
        multipart: { maxFiles: MAX_ATTACHMENTS_PER_REPORT, maxFileBytes: MAX_ATTACHMENT_BYTES },
      },
      attachValidation: true,
      schema: { hide: true, params: taskParams, body: reportFormSchema },
    },
    async (request, reply) =>
      submitTaskForm(request, reply, request.params.taskId, 'report', (value) =>
        addProgressReport(
          database,
          request.params.taskId,
          {
            text: value.text,
            percentage: value.percentage,
            completedOn: value.completed_on,
            periodStart: value.period_start,
            attachments: value.attachments,
          },
          reporterOf(request),
        ),
      ),
  );

  app.post(
    '/workbench/directive-tasks/:taskId/extensions',
    {
      config: { permission: 'directives:report' },
      attachValidation: true,
      schema: { hide: true, params: taskParams, body: extensionFormSchema },
    },
    async (request, reply) =>
      submitTaskForm(request, reply, request.params.taskId, 'extension', (value) =>
        requestExtension(
          database,
          request.params.taskId,
          { requestedDue: value.requested_due, reason: value.reason },
          reporterOf(request),
        ),
      ),
  );

  app.post(
    '/workbench/directive-extensions/:id/decision',
    {
      config: { permission: 'directives:approve_extension' },
      attachValidation: true,
      schema: { hide: true, params: idParams, body: decisionFormSchema },
    },
    async (request, reply) => {
      // The form is on the page of the request's task: shown again there when it has a problem.
      const extension = await getExtensionRequest(db, request.params.id);
      return submitTaskForm(request, reply, extension.task_id, 'decision', (value) =>
        decideExtension(database, extension.id, { decision: value.decision, note: value.note }, deciderOf(request)),
      );
    },
  );

  app.post(
    '/workbench/directive-tasks/:taskId/link',
    {
      config: { permission: 'directives:manage' },
      attachValidation: true,
      schema: { hide: true, params: taskParams, body: linkFormSchema },
    },
    async (request, reply) =>
      submitTaskForm(request, reply, request.params.taskId, 'link', (value) =>
        linkDependentTask(
          database,
          request.params.taskId,
          value.directive ? { directive: value.directive, taskSeq: value.task_seq } : null,
          actorContextOf(request),
        ),
      ),
  );

  app.get(
    '/workbench/directive-attachments/:id',
    { config: { permission: 'directives:read' }, schema: { hide: true, params: idParams } },
    async (request, reply) => sendAttachment(reply, database, request.params.id),
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Database } from '../../core/db.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { formCheckbox } from '../../core/validation.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { actorContextOf, can, getPrincipal, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { PLATFORM_KINDS } from '../registry/index.ts';
import {
  blockRequestInputSchema,
  dismissFinding,
  findingDetailSchema,
  findingSchema,
  getFinding,
  listFindings,
  openCaseForFinding,
  requestBlockForFinding,
  warnFinding,
  warningInputSchema,
} from './monitor.findings.ts';
import { type FindingForm, findingsCsv, renderFindingPage, renderMonitorPage } from './monitor.pages.ts';
import { getScan, queueScans, scanRequestSchema, scanStatusSchema } from './monitor.queue.ts';
import { CLASSIFICATIONS } from './monitor.schemas.ts';
import { FINDING_STATUSES } from './monitor.table.ts';

const TAGS = ['monitor'];

/** What an officer's action on a finding may answer besides success. */
const ACTION_ERRORS = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
} as const;

/**
 * The monitor's API (issue 12): queue scans, read each one's status and Monitor answer. The request never chooses
 * `allow-private`: only the server's MONITOR_ALLOW_PRIVATE does (monitor.queue.ts).
 */
export async function registerMonitorRoutes(app: App, options: { database: Database }): Promise<void> {
  const { db } = options.database;
  const permission = { permission: 'monitor:scan' as const };

  app.post(
    '/api/v1/monitor/scans',
    {
      config: permission,
      schema: {
        tags: TAGS,
        summary: 'Queue scans of URLs (202 with one scan id per URL, in order)',
        body: scanRequestSchema,
        response: {
          202: z.object({ scans: z.array(z.object({ id: z.string(), url: z.string() })) }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const ids = await queueScans(db, actorContextOf(request), request.body);
      return reply.status(202).send({ scans: ids.map((id, at) => ({ id, url: request.body.urls[at] as string })) });
    },
  );

  app.get(
    '/api/v1/monitor/scans/:id',
    {
      config: permission,
      schema: {
        tags: TAGS,
        summary: 'A scan: its status and, once done, its Monitor answer',
        params: z.object({ id: z.string() }),
        response: { 200: scanStatusSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => getScan(db, request.params.id),
  );

  app.get(
    '/api/v1/monitor/findings',
    {
      config: permission,
      schema: {
        tags: TAGS,
        summary: 'The findings queue: one per domain, newest sighting first',
        querystring: z
          .object({ classification: z.enum(CLASSIFICATIONS).optional(), status: z.enum(FINDING_STATUSES).optional() })
          .strict(),
        response: { 200: z.object({ findings: z.array(findingSchema) }), 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => ({ findings: await listFindings(db, request.query) }),
  );

  app.get(
    '/api/v1/monitor/findings/:id',
    {
      config: permission,
      schema: {
        tags: TAGS,
        summary: 'A finding and its domain’s scans, newest first',
        params: z.object({ id: z.string() }),
        response: { 200: findingDetailSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => getFinding(db, request.params.id),
  );

  app.post(
    '/api/v1/monitor/findings/:id/dismiss',
    {
      config: { permission: 'monitor:act' as const },
      schema: {
        tags: TAGS,
        summary: 'Dismiss an open finding, with the reason (409 when it is no longer open)',
        params: z.object({ id: z.string() }),
        body: z.object({ reason: z.string().max(2000) }).strict(),
        response: {
          200: z.object({ id: z.string(), status: z.literal('dismissed') }),
          ...ACTION_ERRORS,
        },
      },
    },
    async (request) => {
      await dismissFinding(options.database, actorContextOf(request), request.params.id, request.body.reason);
      return { id: request.params.id, status: 'dismissed' as const };
    },
  );

  app.post(
    '/api/v1/monitor/findings/:id/warning',
    {
      // Writing a warning is the advisories' permission; acting on a finding is the monitor's: both are needed.
      config: { permission: ['monitor:act', 'advisories:publish'] as const },
      schema: {
        tags: TAGS,
        summary: 'Turn an open finding into a draft consumer warning (409 when it is no longer open)',
        params: z.object({ id: z.string() }),
        body: warningInputSchema,
        response: {
          201: z.object({ id: z.string(), status: z.literal('warned'), advisory_id: z.string() }),
          ...ACTION_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const { advisory_id } = await warnFinding(
        options.database,
        { context: actorContextOf(request), unitId: principal.unitId },
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id: request.params.id, status: 'warned' as const, advisory_id });
    },
  );

  app.post(
    '/api/v1/monitor/findings/:id/block-request',
    {
      // Proposing a block is the blocking workflow's permission; acting on a finding is the monitor's: both needed.
      config: { permission: ['monitor:act', 'blocks:propose'] as const },
      schema: {
        tags: TAGS,
        summary: 'Turn an open finding into a block request citing its evidence (409 when no longer open)',
        params: z.object({ id: z.string() }),
        body: blockRequestInputSchema,
        response: {
          201: z.object({
            id: z.string(),
            status: z.literal('block_requested'),
            block_id: z.string(),
            platform_id: z.string(),
            platform_recorded: z.boolean().describe('The register did not hold the domain: recorded as unregistered'),
          }),
          ...ACTION_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const requested = await requestBlockForFinding(
        options.database,
        { context: actorContextOf(request), unitId: principal.unitId },
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id: request.params.id, status: 'block_requested' as const, ...requested });
    },
  );
}

/** The lines of a textarea, blank ones left out. */
const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);

const findingFilterSchema = z.object({
  status: z.enum(FINDING_STATUSES).or(z.literal('')).optional(),
  classification: z.enum(['unregistered_ecommerce', 'fake_badge']).or(z.literal('')).optional(),
  format: z.enum(['html', 'csv']).optional(),
  done: z.string().max(40).optional(),
  lang: z.string().optional(),
});
const csrf = { _csrf: z.string().optional() };
const scanFormSchema = z.object({ urls: z.string().max(210_000), ...csrf });
const dismissFormSchema = z.object({ reason: z.string().trim().min(1).max(2000), ...csrf });
const warningFormSchema = warningInputSchema.extend(csrf);
const blockFormSchema = z.object({
  reason: z.string().trim().min(1).max(4000),
  legal_basis: z.string().trim().min(1).max(1000),
  platform_kind: z.enum(PLATFORM_KINDS),
  cross_border: formCheckbox(),
  ...csrf,
});

/** The workbench pages: queue scans, the findings queue, a finding and the officer's actions (HTML forms). */
export async function registerMonitorPages(app: App, options: { database: Database }): Promise<void> {
  const { database } = options;
  const { db } = database;
  registerWorkbenchLink({
    href: '/workbench/monitor',
    label: { vi: 'Giám sát trực tuyến', en: 'Online monitoring' },
    permission: 'monitor:scan',
  });

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    query: z.infer<typeof findingFilterSchema>,
    refused?: { form: FormState; status: number },
  ) => {
    const filters = { status: query.status || undefined, classification: query.classification || undefined };
    const findings = await listFindings(db, filters);
    if (query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="monitor-findings.csv"')
        .send(findingsCsv(findings));
    }
    return renderMonitorPage(
      request,
      reply,
      { findings, filters, mayScan: can(getPrincipal(request), 'monitor:scan'), form: refused?.form, done: query.done },
      refused?.status,
    );
  };

  app.get(
    '/workbench/monitor',
    { config: { permission: 'monitor:scan' }, schema: { hide: true, querystring: findingFilterSchema } },
    async (request, reply) => showList(request, reply, request.query),
  );

  app.post(
    '/workbench/monitor/scans',
    { config: { permission: 'monitor:scan' }, attachValidation: true, schema: { hide: true, body: scanFormSchema } },
    async (request, reply) => {
      const input = formInputOf<z.output<typeof scanFormSchema>>(request);
      if (!input.ok) return showList(request, reply, {}, { form: input.form, status: 400 });
      const parsed = scanRequestSchema.safeParse({ urls: lines(input.value.urls) });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const at = typeof issue?.path[1] === 'number' ? issue.path[1] + 1 : undefined;
        const text = {
          vi: at
            ? `Dòng ${at}: cần một địa chỉ http:// hoặc https://`
            : 'Cần từ 1 đến 100 địa chỉ http:// hoặc https://',
          en: at
            ? `line ${at}: an http:// or https:// address is needed`
            : 'give 1 to 100 http:// or https:// addresses',
        };
        return showList(
          request,
          reply,
          {},
          { form: { values: echoValues(request.body), issues: [{ field: 'urls', message: text }] }, status: 400 },
        );
      }
      await queueScans(db, actorContextOf(request), parsed.data);
      return reply.redirect('/workbench/monitor?done=queued', 303);
    },
  );

  const showFinding = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; refused?: { form: FindingForm; state: FormState }; status?: number } = {},
  ) => {
    const { finding, scans } = await getFinding(db, id);
    const principal = getPrincipal(request);
    const act = can(principal, 'monitor:act');
    return renderFindingPage(
      request,
      reply,
      {
        finding,
        scans,
        latest: await getScan(db, finding.latest_scan_id),
        may: {
          act,
          warn: act && can(principal, 'advisories:publish'),
          block: act && can(principal, 'blocks:propose'),
          openCase: act && can(principal, 'cases:write'),
        },
        refused: extra.refused,
        done: extra.done,
      },
      extra.status,
    );
  };

  app.get(
    '/workbench/monitor/findings/:id',
    {
      config: { permission: 'monitor:scan' },
      schema: { hide: true, params: z.object({ id: z.string() }), querystring: findingFilterSchema },
    },
    async (request, reply) => showFinding(request, reply, request.params.id, { done: request.query.done }),
  );

  /** One action form of a finding's page; `also` is the second permission the action needs. */
  const action = <Body>(
    name: FindingForm,
    permission: 'monitor:act' | 'advisories:publish' | 'blocks:propose' | 'cases:write',
    body: z.ZodType<Body>,
    run: (request: FastifyRequest, id: string, value: Body) => Promise<unknown>,
  ) => {
    app.post(
      `/workbench/monitor/findings/:id/${name}`,
      {
        // Acting on a finding is the monitor's; the action may also be another module's (writing a warning, proposing
        // a block, opening a case): both are needed, as on the API.
        config: { permission: permission === 'monitor:act' ? permission : (['monitor:act', permission] as const) },
        attachValidation: true,
        schema: { hide: true, params: z.object({ id: z.string() }), body },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const input = formInputOf(request as { validationError?: Error; body: Body });
        if (!input.ok)
          return showFinding(request, reply, id, { refused: { form: name, state: input.form }, status: 400 });
        try {
          await run(request, id, input.value);
        } catch (error) {
          const failed = formStateOfError(error, echoValues(request.body));
          return showFinding(request, reply, id, {
            refused: { form: name, state: failed.form },
            status: failed.status,
          });
        }
        return reply.redirect(`/workbench/monitor/findings/${id}?done=${name}`, 303);
      },
    );
  };
  const author = (request: FastifyRequest) => ({
    context: actorContextOf(request),
    unitId: requirePrincipal(request).unitId,
  });
  action('dismiss', 'monitor:act', dismissFormSchema, (request, id, value) =>
    dismissFinding(database, actorContextOf(request), id, value.reason),
  );
  action('warning', 'advisories:publish', warningFormSchema, (request, id, { _csrf, ...value }) =>
    warnFinding(database, author(request), id, value),
  );
  action('block-request', 'blocks:propose', blockFormSchema, (request, id, { _csrf, ...value }) =>
    requestBlockForFinding(database, author(request), id, value),
  );
  action('case', 'cases:write', z.object(csrf), (request, id) => openCaseForFinding(database, author(request), id));
}

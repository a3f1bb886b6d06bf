/** Routes of the cases: the workbench pages and forms, and the API. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Database } from '../../core/db.ts';
import type { App } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { actorContextOf, can, getPrincipal, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { exportCase } from './cases.export.ts';
import { type CaseForm, renderCase, renderCaseList } from './cases.pages.ts';
import {
  advanceBodySchema,
  createCaseBodySchema,
  extendBodySchema,
  idParamsSchema,
  linkBodySchema,
  sanctionBodySchema,
} from './cases.schemas.ts';
import {
  advanceCase,
  createCase,
  decideSanction,
  extendCaseStep,
  getCase,
  linkToCase,
  listCases,
  listOverdueSteps,
  listSanctionRules,
  listStepRules,
} from './cases.service.ts';

/** A header value carries printable ASCII only (a path or a browser's message may not be). */
const asciiHeader = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300);

export interface CasesRouteOptions {
  database: Database;
  /** The evidence store, whose packages a case's bundle carries. */
  evidenceDir: string;
}

export async function registerCasesRoutes(app: App, options: CasesRouteOptions): Promise<void> {
  const { database, evidenceDir } = options;
  const db = database.db;
  registerWorkbenchLink({
    href: '/workbench/cases',
    label: { vi: 'Vụ việc kiểm tra', en: 'Inspection cases' },
    permission: 'cases:read',
  });

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    refused?: { form: FormState; status: number },
  ) =>
    renderCaseList(
      request,
      reply,
      {
        cases: await listCases(db),
        overdue: await listOverdueSteps(db),
        mayWrite: can(getPrincipal(request), 'cases:write'),
        form: refused?.form,
      },
      refused?.status,
    );

  const showCase = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; refused?: { form: CaseForm; state: FormState }; status?: number } = {},
  ) => {
    const principal = getPrincipal(request);
    return renderCase(
      request,
      reply,
      {
        item: await getCase(db, id),
        steps: await listStepRules(db),
        sanctionRules: await listSanctionRules(db),
        mayWrite: can(principal, 'cases:write'),
        maySanction: can(principal, 'cases:sanction'),
        done: extra.done,
        refused: extra.refused,
      },
      extra.status,
    );
  };

  app.get(
    '/workbench/cases',
    { config: { permission: 'cases:read' }, schema: { hide: true } },
    async (request, reply) => showList(request, reply),
  );

  app.post(
    '/workbench/cases',
    {
      config: { permission: 'cases:write' },
      attachValidation: true,
      schema: { hide: true, body: createCaseBodySchema },
    },
    async (request, reply) => {
      const input = formInputOf<z.output<typeof createCaseBodySchema>>(request);
      if (!input.ok) return showList(request, reply, { form: input.form, status: 400 });
      try {
        const principal = requirePrincipal(request);
        const created = await createCase(
          database,
          { context: actorContextOf(request), unitId: principal.unitId },
          input.value,
        );
        return reply.redirect(`/workbench/cases/${created.id}?done=created`, 303);
      } catch (error) {
        return showList(request, reply, formStateOfError(error, echoValues(request.body)));
      }
    },
  );

  app.get(
    '/workbench/cases/:id',
    { config: { permission: 'cases:read' }, schema: { hide: true, params: idParamsSchema } },
    async (request, reply) =>
      showCase(request, reply, request.params.id, { done: (request.query as { done?: string }).done }),
  );

  /** One form of a case's page: validate, call the service, or show the page again with the form's problems. */
  const step = <Body>(
    name: CaseForm,
    permission: 'cases:write' | 'cases:sanction',
    body: z.ZodType<Body>,
    run: (request: FastifyRequest, id: string, value: Body) => Promise<unknown>,
  ) => {
    app.post(
      `/workbench/cases/:id/${name}`,
      { config: { permission }, attachValidation: true, schema: { hide: true, params: idParamsSchema, body } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const input = formInputOf(request as { validationError?: Error; body: Body });
        if (!input.ok) return showCase(request, reply, id, { refused: { form: name, state: input.form }, status: 400 });
        try {
          await run(request, id, input.value);
        } catch (error) {
          const failed = formStateOfError(error, echoValues(request.body));
          return showCase(request, reply, id, { refused: { form: name, state: failed.form }, status: failed.status });
        }
        return reply.redirect(`/workbench/cases/${id}?done=${name}`, 303);
      },
    );
  };
  step('link', 'cases:write', linkBodySchema, (request, id, value) =>
    linkToCase(database, actorContextOf(request), id, value),
  );
  step('advance', 'cases:write', advanceBodySchema, (request, id, value) =>
    advanceCase(database, actorContextOf(request), id, value),
  );
  step('extend', 'cases:write', extendBodySchema, (request, id, value) =>
    extendCaseStep(database, actorContextOf(request), id, value.reason),
  );
  step('sanction', 'cases:sanction', sanctionBodySchema, (request, id, value) =>
    decideSanction(database, actorContextOf(request), id, value),
  );

  app.get(
    '/api/v1/cases',
    { config: { permission: 'cases:read' }, schema: { tags: ['cases'], summary: 'Inspection cases, newest first' } },
    async () => ({ cases: await listCases(db), overdue: await listOverdueSteps(db) }),
  );
  app.get(
    '/api/v1/cases/:id',
    {
      config: { permission: 'cases:read' },
      schema: { tags: ['cases'], summary: 'One case: links, steps with due days, sanctions', params: idParamsSchema },
    },
    async (request) => getCase(db, request.params.id),
  );
  /**
   * The case's bundle as a download (the workbench's link and the API alike). Reading a case is enough: the bundle
   * holds what the case's page shows, and the export is audited. Whether the PDF was made is said in a header too.
   */
  const sendBundle = async (request: FastifyRequest, reply: FastifyReply, id: string) => {
    const bundle = await exportCase(database, actorContextOf(request), id, { evidenceDir, destination: 'download' });
    return reply
      .header('content-type', 'application/zip')
      .header('content-disposition', contentDisposition('attachment', bundle.filename))
      .header('cache-control', 'no-store')
      .header('x-case-export-pdf', bundle.pdf.made ? 'made' : `not made: ${asciiHeader(bundle.pdf.reason)}`)
      .send(bundle.zip);
  };
  app.get(
    '/workbench/cases/:id/bundle.zip',
    { config: { permission: 'cases:read' }, schema: { hide: true, params: idParamsSchema } },
    async (request, reply) => sendBundle(request, reply, request.params.id),
  );
  app.get(
    '/api/v1/cases/:id/export',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags: ['cases'],
        summary: 'The case bundle (zip): PDF and HTML summary, evidence packages, audit trail, SHA256SUMS',
        description:
          'Check it with `unzip` and `sha256sum -c SHA256SUMS`. Without Chromium the bundle has no `summary.pdf`: ' +
          'the header `x-case-export-pdf` and `manifest.json` (`pdf.made: false`, `pdf.reason`) say so. ' +
          'The export is an audit event of the case and a custody event of each evidence item.',
        params: idParamsSchema,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => sendBundle(request, reply, request.params.id),
  );
  app.get(
    '/api/v1/sanction-rules',
    {
      config: { permission: 'cases:read' },
      schema: {
        tags: ['cases'],
        summary: 'The fines in force (Decree 98/2020 as amended), per individual and per organisation, with sources',
      },
    },
    async () => ({ rules: await listSanctionRules(db) }),
  );
}

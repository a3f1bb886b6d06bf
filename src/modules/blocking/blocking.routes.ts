import type { FastifyReply, FastifyRequest } from 'fastify';
import { listAuditEvents } from '../../core/audit.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { isAppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { actorContextOf, can, getPrincipal, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { describeEvidence } from '../evidence/index.ts';
import { procedureInForce } from '../procedures/index.ts';
import {
  type AppealProcedures,
  type BlockForm,
  renderAppealStatus,
  renderBlockNotFound,
  renderLanding,
  renderNewBlock,
  renderPublicBlock,
  renderWorkbenchAppeals,
  renderWorkbenchBlock,
  renderWorkbenchList,
} from './blocking.pages.ts';
import {
  appealBodySchema,
  blockContentSchema,
  blockSchema,
  decideBodySchema,
  emptyBodySchema,
  idParamsSchema,
  landingQuerySchema,
  liftBodySchema,
  newBlockQuerySchema,
  proposeBodySchema,
  publicQuerySchema,
  reasonBodySchema,
  referenceParamsSchema,
  reviewBodySchema,
  workbenchDetailQuerySchema,
  workbenchListQuerySchema,
} from './blocking.schemas.ts';
import {
  acceptAppeal,
  activateBlock,
  amendBlock,
  approveBlock,
  decideBlock,
  fileAppeal,
  findActiveBlockForDomain,
  getAppeal,
  getAppealByReference,
  getBlock,
  getPublicBlock,
  grantAppeal,
  liftBlock,
  listAppeals,
  listBlocks,
  proposeBlock,
  rejectAppeal,
  returnBlock,
} from './blocking.service.ts';

export interface BlockingRouteOptions {
  database: Database;
  /** Requests per minute per client address on the public pages; 0 = no limit. */
  rateLimitPerMinute?: number | undefined;
  /** Appeals per hour per client address; 0 = no limit. */
  appealsPerHour?: number | undefined;
  /**
   * The walled garden's landing host (BLOCKLIST_LANDING_HOST): resolvers answer a blocked name with a CNAME to it, so
   * its requests carry the blocked name as their Host. When set, a GET for a host covered by an active block (other
   * than this landing host and the portal's own) is answered with the landing page of that host.
   */
  landingHost?: string | undefined;
  /** The portal's public address, whose host is never taken for a blocked one. */
  portalUrl?: string | undefined;
}

async function appealProcedures(db: Db): Promise<AppealProcedures> {
  const today = todayInVietnam();
  const [acceptance, resolution] = await Promise.all([
    procedureInForce(db, 'appeal_acceptance', today),
    procedureInForce(db, 'appeal_resolution', today),
  ]);
  const view = (row: typeof acceptance) => ({
    workingDays: row.workingDays ?? 0,
    provision: row.provision,
    sourceUrl: row.sourceUrl,
    verified: row.sourceStatus === 'verified',
  });
  return { acceptance: view(acceptance), resolution: view(resolution) };
}

const isNotFound = (error: unknown) => isAppError(error) && error.code === 'not_found';

export async function registerBlockingRoutes(app: App, options: BlockingRouteOptions): Promise<void> {
  const { database } = options;
  const db = database.db;
  const perMinute = options.rateLimitPerMinute ?? 0;
  const rateLimit = { rateLimit: perMinute > 0 ? { max: perMinute, timeWindow: 60_000 } : (false as const) };
  const perHour = options.appealsPerHour ?? 0;
  const appealLimit = { rateLimit: perHour > 0 ? { max: perHour, timeWindow: 3_600_000 } : (false as const) };

  registerWorkbenchLink({
    href: '/workbench/blocks',
    label: { vi: 'Chặn website, ứng dụng', en: 'Blocking' },
    permission: 'blocks:read',
  });

  // -------------------------------------------------------------------------------------------------
  // Public

  if (options.landingHost) {
    const ownHosts = new Set(
      [options.landingHost, options.portalUrl ? new URL(options.portalUrl).hostname : undefined, 'localhost']
        .filter((host): host is string => host !== undefined)
        .map((host) => host.toLowerCase()),
    );
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const host = request.hostname.toLowerCase().replace(/\.$/, '');
      if (ownHosts.has(host) || !host.includes('.') || /^[\d.]+$|:/.test(host)) return;
      const block = await findActiveBlockForDomain(db, host);
      if (!block) return;
      return renderLanding(request, reply, { domain: host, block, procedures: await appealProcedures(db) });
    });
  }

  const showPublicBlock = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    refused?: { form: FormState; status: number },
  ) => {
    let block: Awaited<ReturnType<typeof getPublicBlock>>;
    try {
      block = await getPublicBlock(db, id);
    } catch (error) {
      if (isNotFound(error)) return renderBlockNotFound(request, reply, `/blocks/${id}`);
      throw error;
    }
    return renderPublicBlock(
      request,
      reply,
      { block, procedures: await appealProcedures(db), ...(refused ? { form: refused.form } : {}) },
      refused?.status ?? 200,
    );
  };

  app.get(
    '/blocks/:id',
    { config: rateLimit, schema: { hide: true, params: idParamsSchema, querystring: publicQuerySchema } },
    async (request, reply) => showPublicBlock(request, reply, request.params.id),
  );

  app.post(
    '/blocks/:id/appeals',
    {
      config: appealLimit,
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: appealBodySchema },
    },
    async (request, reply) => {
      const { id } = request.params;
      const input = formInputOf(request);
      if (!input.ok) return showPublicBlock(request, reply, id, { form: input.form, status: 400 });
      let reference: string;
      try {
        reference = (await fileAppeal(database, actorContextOf(request), id, input.value)).reference;
      } catch (error) {
        if (isNotFound(error)) return renderBlockNotFound(request, reply, `/blocks/${id}`);
        return showPublicBlock(request, reply, id, formStateOfError(error, echoValues(request.body)));
      }
      return reply.redirect(`/appeals/${reference}?filed=1`, 303);
    },
  );

  app.get(
    '/blocked',
    { config: rateLimit, schema: { hide: true, querystring: landingQuerySchema } },
    async (request, reply) => {
      const domain = (request.query.domain ?? '').trim();
      const block = domain ? await findActiveBlockForDomain(db, domain) : undefined;
      return renderLanding(request, reply, { domain, block, procedures: await appealProcedures(db) });
    },
  );

  app.get(
    '/appeals/:reference',
    { config: rateLimit, schema: { hide: true, params: referenceParamsSchema } },
    async (request, reply) =>
      renderAppealStatus(request, reply, {
        appeal: await getAppealByReference(db, request.params.reference),
        filed: (request.query as { filed?: string }).filed === '1',
      }),
  );

  // -------------------------------------------------------------------------------------------------
  // Workbench

  app.get(
    '/workbench/blocks',
    { config: { permission: 'blocks:read' }, schema: { hide: true, querystring: workbenchListQuerySchema } },
    async (request, reply) => {
      const principal = getPrincipal(request);
      return renderWorkbenchList(request, reply, {
        blocks: await listBlocks(db, { status: request.query.status }),
        status: request.query.status,
        canPropose: can(principal, 'blocks:propose'),
        canHandleAppeals: can(principal, 'appeals:handle'),
      });
    },
  );

  app.get(
    '/workbench/blocks/new',
    { config: { permission: 'blocks:propose' }, schema: { hide: true, querystring: newBlockQuerySchema } },
    async (request, reply) => renderNewBlock(request, reply, { platform: request.query.platform }),
  );

  app.post(
    '/workbench/blocks',
    {
      config: { permission: 'blocks:propose' },
      attachValidation: true,
      schema: { hide: true, body: proposeBodySchema },
    },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return renderNewBlock(request, reply, { form: input.form }, 400);
      let id: string;
      try {
        const principal = requirePrincipal(request);
        id = (await proposeBlock(database, { context: actorContextOf(request), unitId: principal.unitId }, input.value))
          .id;
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return renderNewBlock(request, reply, { form: failed.form }, failed.status);
      }
      return reply.redirect(`/workbench/blocks/${id}?done=proposed`, 303);
    },
  );

  const showBlock = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; refused?: { form: BlockForm; state: FormState }; status?: number } = {},
  ) => {
    const block = await getBlock(db, id);
    const principal = getPrincipal(request);
    return renderWorkbenchBlock(
      request,
      reply,
      {
        block,
        appeals: await listAppeals(db, { blockId: block.id }),
        history: await listAuditEvents(db, { entityType: 'block_request', entityId: block.id }),
        captures: await describeEvidence(db, block.evidence),
        can: {
          propose: can(principal, 'blocks:propose'),
          review: can(principal, 'blocks:review'),
          decide: can(principal, 'blocks:decide'),
          appeals: can(principal, 'appeals:handle'),
        },
        done: extra.done,
        refused: extra.refused,
      },
      extra.status,
    );
  };

  app.get(
    '/workbench/blocks/:id',
    {
      config: { permission: 'blocks:read' },
      schema: { hide: true, params: idParamsSchema, querystring: workbenchDetailQuerySchema },
    },
    async (request, reply) => showBlock(request, reply, request.params.id, { done: request.query.done }),
  );

  /** One step of the workflow as a form post: validate, call the service, show the form again if refused. */
  const step = <Body>(
    name: BlockForm,
    permission: 'blocks:propose' | 'blocks:review' | 'blocks:decide',
    body: import('zod').ZodType<Body>,
    done: string,
    run: (request: FastifyRequest, id: string, value: Body) => Promise<unknown>,
  ) => {
    app.post(
      `/workbench/blocks/:id/${name}`,
      { config: { permission }, attachValidation: true, schema: { hide: true, params: idParamsSchema, body } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const input = formInputOf(request as { validationError?: Error; body: Body });
        if (!input.ok)
          return showBlock(request, reply, id, { refused: { form: name, state: input.form }, status: 400 });
        try {
          await run(request, id, input.value);
        } catch (error) {
          const failed = formStateOfError(error, echoValues(request.body));
          return showBlock(request, reply, id, { refused: { form: name, state: failed.form }, status: failed.status });
        }
        return reply.redirect(`/workbench/blocks/${id}?done=${done}`, 303);
      },
    );
  };

  step('amend', 'blocks:propose', blockContentSchema, 'amended', (request, id, value) =>
    amendBlock(database, actorContextOf(request), id, value),
  );
  step('approve', 'blocks:review', reviewBodySchema, 'approved', (request, id, value) =>
    approveBlock(database, actorContextOf(request), id, value.note),
  );
  step('return', 'blocks:review', reasonBodySchema, 'returned', (request, id, value) =>
    returnBlock(database, actorContextOf(request), id, value.reason),
  );
  step('decide', 'blocks:decide', decideBodySchema, 'decided', (request, id, value) =>
    decideBlock(database, actorContextOf(request), id, value),
  );
  step('activate', 'blocks:decide', emptyBodySchema, 'activated', (request, id) =>
    activateBlock(database, actorContextOf(request), id),
  );
  step('lift', 'blocks:decide', liftBodySchema, 'lifted', (request, id, value) =>
    liftBlock(database, actorContextOf(request), id, value),
  );

  // -------------------------------------------------------------------------------------------------
  // API

  app.get(
    '/api/v1/admin/blocks',
    {
      config: { permission: 'blocks:read' },
      schema: {
        tags: ['blocking'],
        summary: 'Block requests',
        description: 'Newest change first, at most 200; `status` filters by step.',
        querystring: workbenchListQuerySchema.omit({ lang: true }),
        response: { 200: blockSchema.array(), 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => listBlocks(db, { status: request.query.status }),
  );

  app.get(
    '/api/v1/admin/blocks/:id',
    {
      config: { permission: 'blocks:read' },
      schema: {
        tags: ['blocking'],
        summary: 'One block request',
        params: idParamsSchema,
        response: { 200: blockSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => getBlock(db, request.params.id),
  );

  // Appeals

  app.get(
    '/workbench/appeals',
    { config: { permission: 'appeals:handle' }, schema: { hide: true, querystring: workbenchDetailQuerySchema } },
    async (request, reply) =>
      renderWorkbenchAppeals(request, reply, { appeals: await listAppeals(db), done: request.query.done }),
  );

  const appealStep = <Body>(
    name: 'accept' | 'grant' | 'reject',
    body: import('zod').ZodType<Body>,
    done: string,
    run: (request: FastifyRequest, id: string, value: Body) => Promise<unknown>,
  ) => {
    app.post(
      `/workbench/appeals/:id/${name}`,
      {
        config: { permission: 'appeals:handle' },
        attachValidation: true,
        schema: { hide: true, params: idParamsSchema, body },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const appeal = await getAppeal(db, id);
        const refuse = async (state: FormState, status: number) =>
          renderWorkbenchAppeals(request, reply, { appeals: await listAppeals(db), refused: state }, status);
        const input = formInputOf(request as { validationError?: Error; body: Body });
        if (!input.ok) return refuse(input.form, 400);
        try {
          await run(request, appeal.id, input.value);
        } catch (error) {
          const failed = formStateOfError(error, echoValues(request.body));
          return refuse(failed.form, failed.status);
        }
        return reply.redirect(`/workbench/blocks/${appeal.block_id}?done=${done}`, 303);
      },
    );
  };

  appealStep('accept', emptyBodySchema, 'accepted', (request, id) =>
    acceptAppeal(database, actorContextOf(request), id),
  );
  appealStep('grant', reasonBodySchema, 'granted', (request, id, value) =>
    grantAppeal(database, actorContextOf(request), id, value.reason),
  );
  appealStep('reject', reasonBodySchema, 'rejected', (request, id, value) =>
    rejectAppeal(database, actorContextOf(request), id, value.reason),
  );
}

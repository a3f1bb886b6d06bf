import type { FastifyReply, FastifyRequest } from 'fastify';
import { listAuditEvents } from '../../core/audit.ts';
import type { Database } from '../../core/db.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import type { Locale } from '../../core/i18n.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { actorContextOf, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { buildAtomFeed, buildRssFeed, entityTag } from './advisories.feeds.ts';
import {
  renderNewAdvisory,
  renderPublicAdvisory,
  renderPublicList,
  renderWorkbenchAdvisory,
  renderWorkbenchList,
} from './advisories.pages.ts';
import { lastPublicChange } from './advisories.repository.ts';
import {
  advisoryBodySchema,
  advisoryListSchema,
  advisoryParamsSchema,
  advisorySchema,
  emptyFormSchema,
  feedQuerySchema,
  publicListQuerySchema,
  withdrawBodySchema,
  workbenchQuerySchema,
} from './advisories.schemas.ts';
import {
  type AdvisoryInput,
  createAdvisory,
  getAdvisory,
  getPublicAdvisory,
  listAdvisories,
  listAdvisoryKinds,
  listPublishedAdvisories,
  publishAdvisory,
  updateAdvisory,
  withdrawAdvisory,
} from './advisories.service.ts';

export interface AdvisoryRouteOptions {
  database: Database;
  /** The portal's public address (absolute links of the feeds), without a trailing slash. */
  portalUrl: string;
  /** Requests per minute per client address on the public pages, feeds and API; 0 = no limit. */
  rateLimitPerMinute?: number | undefined;
}

const PUBLIC_PAGE_SIZE = 20;
/** The feeds carry the latest advisories. */
const FEED_SIZE = 50;

const publicAdvisorySchema = advisorySchema.omit({ created_by: true });

function inputOf(body: {
  kind: string;
  severity: AdvisoryInput['severity'];
  title_vi: string;
  title_en: string;
  body_vi: string;
  body_en: string;
  platforms: string[];
}): AdvisoryInput {
  return {
    kind: body.kind,
    severity: body.severity,
    title_vi: body.title_vi,
    title_en: body.title_en,
    body_vi: body.body_vi,
    body_en: body.body_en,
    platforms: body.platforms,
  };
}

export async function registerAdvisoryRoutes(app: App, options: AdvisoryRouteOptions): Promise<void> {
  const { database, portalUrl } = options;
  const db = database.db;
  const limit = options.rateLimitPerMinute ?? 0;
  const rateLimit = { rateLimit: limit > 0 ? { max: limit, timeWindow: 60_000 } : (false as const) };

  registerWorkbenchLink({
    href: '/workbench/advisories',
    label: { vi: 'Cảnh báo người tiêu dùng', en: 'Consumer advisories' },
    permission: 'advisories:publish',
  });

  // -------------------------------------------------------------------------------------------------
  // Public

  app.get(
    '/advisories',
    { config: rateLimit, schema: { hide: true, querystring: publicListQuerySchema } },
    async (request, reply) => {
      const { kind, page } = request.query;
      const kinds = await listAdvisoryKinds(db);
      const known = kinds.some((candidate) => candidate.id === kind) ? kind : undefined;
      const list = await listPublishedAdvisories(db, {
        ...(known ? { kind: known } : {}),
        limit: PUBLIC_PAGE_SIZE,
        offset: (page - 1) * PUBLIC_PAGE_SIZE,
      });
      return renderPublicList(request, reply, { ...list, kinds, kind: known, page, pageSize: PUBLIC_PAGE_SIZE });
    },
  );

  app.get(
    '/advisories/:id',
    { config: rateLimit, schema: { hide: true, params: advisoryParamsSchema } },
    async (request, reply) =>
      renderPublicAdvisory(request, reply, {
        advisory: await getPublicAdvisory(db, request.params.id),
        kinds: await listAdvisoryKinds(db),
      }),
  );

  const sendFeed = async (
    request: FastifyRequest,
    reply: FastifyReply,
    format: 'atom' | 'rss',
    locale: Locale,
  ): Promise<FastifyReply> => {
    const { advisories } = await listPublishedAdvisories(db, { limit: FEED_SIZE });
    const updated = await lastPublicChange(db);
    const feedOptions = { portalUrl, locale, updated };
    const body = format === 'atom' ? buildAtomFeed(advisories, feedOptions) : buildRssFeed(advisories, feedOptions);
    const etag = entityTag(body);
    const lastModified = new Date(
      Math.max(updated?.getTime() ?? 0, ...advisories.map((advisory) => Date.parse(advisory.updated_at))),
    );
    lastModified.setMilliseconds(0);
    reply
      .header('etag', etag)
      .header('last-modified', lastModified.toUTCString())
      .header('cache-control', 'public, max-age=60')
      .header('vary', 'accept-encoding');
    const ifNoneMatch = request.headers['if-none-match'];
    const ifModifiedSince = request.headers['if-modified-since'];
    const notModified =
      ifNoneMatch !== undefined
        ? ifNoneMatch.split(',').some((tag) => tag.trim() === etag || tag.trim() === `W/${etag}` || tag.trim() === '*')
        : ifModifiedSince !== undefined &&
          !Number.isNaN(Date.parse(ifModifiedSince)) &&
          lastModified.getTime() <= Date.parse(ifModifiedSince);
    if (notModified) return reply.status(304).send();
    return reply
      .type(format === 'atom' ? 'application/atom+xml; charset=utf-8' : 'application/rss+xml; charset=utf-8')
      .send(body);
  };

  app.get(
    '/feeds/advisories.atom',
    {
      config: rateLimit,
      schema: {
        tags: ['advisories'],
        summary: 'Published advisories as Atom (RFC 4287)',
        description:
          'The latest 50 published advisories; `?lang=en` for English. ETag and Last-Modified; rate limited per IP.',
        querystring: feedQuerySchema,
      },
    },
    async (request, reply) => sendFeed(request, reply, 'atom', request.query.lang ?? 'vi'),
  );

  app.get(
    '/feeds/advisories.rss',
    {
      config: rateLimit,
      schema: {
        tags: ['advisories'],
        summary: 'Published advisories as RSS 2.0',
        description:
          'The latest 50 published advisories; `?lang=en` for English. ETag and Last-Modified; rate limited per IP.',
        querystring: feedQuerySchema,
      },
    },
    async (request, reply) => sendFeed(request, reply, 'rss', request.query.lang ?? 'vi'),
  );

  app.get(
    '/api/v1/advisories',
    {
      config: rateLimit,
      schema: {
        tags: ['advisories'],
        summary: 'Published advisories',
        description: 'Newest first, 20 a page. Rate limited per IP.',
        querystring: publicListQuerySchema.omit({ lang: true }),
        response: {
          200: advisoryListSchema.extend({ advisories: publicAdvisorySchema.array() }),
          400: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (request) =>
      listPublishedAdvisories(db, {
        ...(request.query.kind ? { kind: request.query.kind } : {}),
        limit: PUBLIC_PAGE_SIZE,
        offset: (request.query.page - 1) * PUBLIC_PAGE_SIZE,
      }),
  );

  app.get(
    '/api/v1/advisories/:id',
    {
      config: rateLimit,
      schema: {
        tags: ['advisories'],
        summary: 'One published (or withdrawn) advisory',
        params: advisoryParamsSchema,
        response: { 200: publicAdvisorySchema, 404: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request) => getPublicAdvisory(db, request.params.id),
  );

  // -------------------------------------------------------------------------------------------------
  // Workbench

  const permission = { permission: 'advisories:publish' as const };

  app.get(
    '/workbench/advisories',
    { config: permission, schema: { hide: true, querystring: workbenchQuerySchema } },
    async (request, reply) => {
      const status = request.query.status;
      const list = await listAdvisories(db, { ...(status ? { statuses: [status] } : {}), limit: 200 });
      return renderWorkbenchList(request, reply, {
        advisories: list.advisories,
        kinds: await listAdvisoryKinds(db),
        status,
      });
    },
  );

  app.get('/workbench/advisories/new', { config: permission, schema: { hide: true } }, async (request, reply) =>
    renderNewAdvisory(request, reply, { kinds: await listAdvisoryKinds(db) }),
  );

  app.post(
    '/workbench/advisories',
    { config: permission, attachValidation: true, schema: { hide: true, body: advisoryBodySchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      const refuse = async (form: FormState, status: number) =>
        renderNewAdvisory(request, reply, { kinds: await listAdvisoryKinds(db), form }, status);
      if (!input.ok) return refuse(input.form, 400);
      let id: string;
      try {
        const principal = requirePrincipal(request);
        id = (
          await createAdvisory(
            database,
            { context: actorContextOf(request), unitId: principal.unitId },
            inputOf(input.value),
          )
        ).id;
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return refuse(failed.form, failed.status);
      }
      return reply.redirect(`/workbench/advisories/${id}?done=created`, 303);
    },
  );

  const showAdvisory = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      done?: string | undefined;
      refused?: { form: 'edit' | 'publish' | 'withdraw'; state: FormState };
      status?: number;
    } = {},
  ) => {
    const advisory = await getAdvisory(db, id);
    return renderWorkbenchAdvisory(
      request,
      reply,
      {
        advisory,
        kinds: await listAdvisoryKinds(db),
        history: await listAuditEvents(db, { entityType: 'advisory', entityId: advisory.id }),
        done: extra.done,
        refused: extra.refused,
      },
      extra.status,
    );
  };

  app.get(
    '/workbench/advisories/:id',
    {
      config: permission,
      schema: {
        hide: true,
        params: advisoryParamsSchema,
        querystring: workbenchQuerySchema.pick({ lang: true, done: true }),
      },
    },
    async (request, reply) => showAdvisory(request, reply, request.params.id, { done: request.query.done }),
  );

  app.post(
    '/workbench/advisories/:id',
    {
      config: permission,
      attachValidation: true,
      schema: { hide: true, params: advisoryParamsSchema, body: advisoryBodySchema },
    },
    async (request, reply) => {
      const { id } = request.params;
      const input = formInputOf(request);
      if (!input.ok)
        return showAdvisory(request, reply, id, { refused: { form: 'edit', state: input.form }, status: 400 });
      try {
        await updateAdvisory(database, actorContextOf(request), id, inputOf(input.value));
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return showAdvisory(request, reply, id, {
          refused: { form: 'edit', state: failed.form },
          status: failed.status,
        });
      }
      return reply.redirect(`/workbench/advisories/${id}?done=updated`, 303);
    },
  );

  app.post(
    '/workbench/advisories/:id/publish',
    {
      config: permission,
      attachValidation: true,
      schema: { hide: true, params: advisoryParamsSchema, body: emptyFormSchema },
    },
    async (request, reply) => {
      const { id } = request.params;
      try {
        await publishAdvisory(database, actorContextOf(request), id);
      } catch (error) {
        const failed = formStateOfError(error, {});
        return showAdvisory(request, reply, id, {
          refused: { form: 'publish', state: failed.form },
          status: failed.status,
        });
      }
      return reply.redirect(`/workbench/advisories/${id}?done=published`, 303);
    },
  );

  app.post(
    '/workbench/advisories/:id/withdraw',
    {
      config: permission,
      attachValidation: true,
      schema: { hide: true, params: advisoryParamsSchema, body: withdrawBodySchema },
    },
    async (request, reply) => {
      const { id } = request.params;
      const input = formInputOf(request);
      if (!input.ok) {
        return showAdvisory(request, reply, id, { refused: { form: 'withdraw', state: input.form }, status: 400 });
      }
      try {
        await withdrawAdvisory(database, actorContextOf(request), id, input.value.reason);
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return showAdvisory(request, reply, id, {
          refused: { form: 'withdraw', state: failed.form },
          status: failed.status,
        });
      }
      return reply.redirect(`/workbench/advisories/${id}?done=withdrawn`, 303);
    },
  );
}

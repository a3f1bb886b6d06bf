import { z } from 'zod';
import type { Database } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { actorContextOf, can, requirePrincipal } from '../accounts/index.ts';
import {
  blockRequestInputSchema,
  dismissFinding,
  findingDetailSchema,
  findingSchema,
  getFinding,
  listFindings,
  requestBlockForFinding,
  warnFinding,
  warningInputSchema,
} from './monitor.findings.ts';
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
      config: { permission: 'advisories:publish' as const },
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
      if (!can(principal, 'monitor:act')) throw cannotAct();
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
      config: { permission: 'blocks:propose' as const },
      schema: {
        tags: TAGS,
        summary: 'Turn an open finding into a block request citing its evidence (409 when no longer open)',
        params: z.object({ id: z.string() }),
        body: blockRequestInputSchema,
        response: {
          201: z.object({ id: z.string(), status: z.literal('block_requested'), block_id: z.string() }),
          ...ACTION_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      if (!can(principal, 'monitor:act')) throw cannotAct();
      const { block_id } = await requestBlockForFinding(
        options.database,
        { context: actorContextOf(request), unitId: principal.unitId },
        request.params.id,
        request.body,
      );
      return reply.status(201).send({ id: request.params.id, status: 'block_requested' as const, block_id });
    },
  );
}

function cannotAct(): AppError {
  return new AppError('forbidden', {
    vi: 'Bạn không có quyền xử lý phát hiện của giám sát.',
    en: 'you may not act on the monitor’s findings',
  });
}

import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { exportAuditEvents, listAuditEvents } from '../../core/audit.ts';
import type { Db } from '../../core/db.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { auditListSchema, auditQuerySchema } from './accounts.schemas.ts';
import { actorNames } from './accounts.service.ts';
import { renderAuditPage } from './audit.pages.ts';

/** The audit trail for officers with `audit:read`: a page, JSON, and CSV of any record's events. */
export async function registerAuditRoutes(app: App, options: { db: Db }): Promise<void> {
  const { db } = options;

  const query = async (filter: { entity_type?: string; entity_id?: string; before?: number; limit: number }) => {
    const events = await listAuditEvents(
      db,
      { entityType: filter.entity_type || undefined, entityId: filter.entity_id || undefined },
      { limit: filter.limit + 1, beforeSeq: filter.before },
    );
    const more = events.length > filter.limit;
    const page = more ? events.slice(0, filter.limit) : events;
    return { events: page, next_before: more ? (page[page.length - 1]?.seq ?? null) : null };
  };

  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit events of a record',
        description:
          'Newest first, filtered by entity type and id (e.g. `platform` and its id); page back with `before=next_before`.',
        querystring: auditQuerySchema.omit({ lang: true }),
        response: { 200: auditListSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => query(request.query),
  );

  app.get(
    '/api/v1/audit.csv',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Audit events of a record as CSV',
        description: 'Oldest first, every matching event, with the hashes that chain them.',
        querystring: auditQuerySchema.pick({ entity_type: true, entity_id: true }),
        produces: ['text/csv'],
      },
    },
    async (request, reply) => {
      const filter = {
        entityType: request.query.entity_type || undefined,
        entityId: request.query.entity_id || undefined,
      };
      const name = ['audit', filter.entityType, filter.entityId]
        .filter(Boolean)
        .join('-')
        .replace(/[^\w.-]+/g, '_');
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .header('cache-control', 'no-store');
      // Streamed in batches: the trail of a busy record, or the whole trail, need not fit in memory.
      const stream = new PassThrough();
      void exportAuditEvents(db, filter, async (chunk) => {
        if (!stream.write(chunk)) await once(stream, 'drain');
      }).then(
        () => stream.end(),
        (error: unknown) => {
          request.log.error({ err: error }, 'audit export failed');
          stream.destroy(error as Error);
        },
      );
      return reply.send(stream);
    },
  );

  app.get(
    '/workbench/audit',
    { config: { permission: 'audit:read' }, schema: { hide: true, querystring: auditQuerySchema } },
    async (request, reply) => {
      const result = await query(request.query);
      return renderAuditPage(request, reply, {
        events: result.events,
        filter: { entity_type: request.query.entity_type, entity_id: request.query.entity_id },
        actorNames: await actorNames(
          db,
          result.events.map((event) => event.actor),
          'email',
        ),
        nextBefore: result.next_before,
        paged: request.query.before !== undefined,
      });
    },
  );
}

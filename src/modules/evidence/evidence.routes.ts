import type { Db } from '../../core/db.ts';
import type { App } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { actorContextOf, registerWorkbenchLink } from '../accounts/index.ts';
import { exportEvidence } from './evidence.package.ts';
import { renderEvidenceItem, renderEvidenceList } from './evidence.pages.ts';
import {
  emptyFormSchema,
  evidenceItemQuerySchema,
  evidencePageQuerySchema,
  evidenceParamsSchema,
} from './evidence.schemas.ts';
import { checkEvidenceFiles, listRecentEvidence, verifyEvidence, viewEvidence } from './evidence.service.ts';

export interface EvidenceRouteOptions {
  db: Db;
  /** The evidence store (EVIDENCE_DIR, or `evidence` in the data folder). */
  storeDir: string;
}

/** The officers' evidence pages: the latest captures, one item (a `viewed` custody event), its package. */
export async function registerEvidenceRoutes(app: App, options: EvidenceRouteOptions): Promise<void> {
  const { db, storeDir } = options;
  const permission = { permission: 'evidence:read' as const };

  registerWorkbenchLink({
    href: '/workbench/evidence',
    label: { vi: 'Chứng cứ trực tuyến', en: 'Online evidence' },
    permission: 'evidence:read',
  });

  app.get(
    '/workbench/evidence',
    { config: permission, schema: { hide: true, querystring: evidencePageQuerySchema } },
    async (request, reply) => renderEvidenceList(request, reply, await listRecentEvidence(db)),
  );

  app.get(
    '/workbench/evidence/:id',
    {
      config: permission,
      schema: { hide: true, params: evidenceParamsSchema, querystring: evidenceItemQuerySchema },
    },
    async (request, reply) => {
      const viewed = await viewEvidence(db, actorContextOf(request), request.params.id);
      // The files' state now, shown beside the hashes recorded at capture (not logged: the view is).
      const report = await checkEvidenceFiles(db, storeDir, viewed.item.id);
      return renderEvidenceItem(request, reply, { ...viewed, report, done: request.query.done });
    },
  );

  // "Verify again": the same checks as `evidence verify`, logged as a custody event with their outcome.
  app.post(
    '/workbench/evidence/:id/verify',
    { config: permission, schema: { hide: true, params: evidenceParamsSchema, body: emptyFormSchema } },
    async (request, reply) => {
      const report = await verifyEvidence(db, storeDir, actorContextOf(request), request.params.id);
      return reply.redirect(`/workbench/evidence/${report.id}?done=verified`, 303);
    },
  );

  app.get(
    '/workbench/evidence/:id/package.zip',
    { config: permission, schema: { hide: true, params: evidenceParamsSchema } },
    async (request, reply) => {
      const built = await exportEvidence(db, storeDir, actorContextOf(request), request.params.id, {
        destination: 'download',
      });
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', contentDisposition('attachment', built.filename))
        .header('cache-control', 'no-store')
        .send(built.zip);
    },
  );
}

import { z } from 'zod';
import type { Db } from '../../core/db.ts';
import type { App } from '../../core/http.ts';
import { registerWorkbenchLink } from '../accounts/index.ts';
import { renderProceduresPage } from './procedures.pages.ts';
import { listProcedures } from './procedures.service.ts';

/** The administrators' page of the table of procedures (read-only: rows change with `ecomgov procedures set`). */
export async function registerProceduresRoutes(app: App, options: { db: Db }): Promise<void> {
  registerWorkbenchLink({
    href: '/admin/procedures',
    label: { vi: 'Bảng thủ tục', en: 'Procedures' },
    permission: 'accounts:manage',
  });
  app.get(
    '/admin/procedures',
    {
      config: { permission: 'accounts:manage' },
      schema: { hide: true, querystring: z.object({ lang: z.string().optional() }) },
    },
    async (request, reply) => renderProceduresPage(request, reply, await listProcedures(options.db)),
  );
}

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db.ts';
import type { App } from '../../core/http.ts';
import type { Localized } from '../../core/i18n.ts';
import type { HeaderAccount } from '../../web/layout.ts';
import { renderProceduresPage } from './procedures.pages.ts';
import { listProcedures } from './procedures.service.ts';

/**
 * What the page needs of the accounts module, handed in by the composition root: accounts counts its clocks with
 * this module, so this module does not import accounts back.
 */
export interface ProceduresRoutesOptions {
  db: Db;
  headerAccountOf(request: FastifyRequest): HeaderAccount | null;
  registerWorkbenchLink(link: { href: string; label: Localized; permission: 'accounts:manage' }): void;
}

/** The administrators' page of the table of procedures (read-only: rows change with `ecomgov procedures set`). */
export async function registerProceduresRoutes(app: App, options: ProceduresRoutesOptions): Promise<void> {
  options.registerWorkbenchLink({
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
    async (request, reply) =>
      renderProceduresPage(request, reply, await listProcedures(options.db), options.headerAccountOf(request)),
  );
}

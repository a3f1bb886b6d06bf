import type { Database } from '../../core/db.ts';
import type { App } from '../../core/http.ts';
import { errorBodySchema } from '../../core/http.ts';
import { checkAnswerSchema, programmeSchema } from './promotions.schemas.ts';
import { checkPromotionProgramme } from './promotions.service.ts';

export interface PromotionsRoutesOptions {
  database: Database;
}

/** `POST /api/v1/promotions/check` and the workbench page (issue 14). */
export async function registerPromotionsRoutes(app: App, options: PromotionsRoutesOptions): Promise<void> {
  app.post(
    '/api/v1/promotions/check',
    {
      config: { permission: 'promotions:check' },
      schema: {
        tags: ['promotions'],
        summary: 'Check a promotion programme against the promotion rules in force on its first day',
        description:
          'Law on Commerce 2005 Art. 92 and 100, Decree 81/2018/NĐ-CP as amended by Decree 128/2024/NĐ-CP (from 01/12/2024). Each violation names its rule code, the provision cited and the goods concerned. Rules are data (`ecomgov promotions rules list`).',
        body: programmeSchema,
        response: { 200: checkAnswerSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => checkPromotionProgramme(options.database.db, request.body),
  );
}

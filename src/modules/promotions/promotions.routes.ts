import { spreadsheetCsv } from '../../core/csv.ts';
import { formatDateTime } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { echoValues, formInputOf, formStateOfError } from '../../web/forms.ts';
import { registerWorkbenchLink } from '../accounts/index.ts';
import { findOffendingOffers } from './price-history.ts';
import { PROMOTIONS_TEXT, renderPromotionsPage } from './promotions.pages.ts';
import { checkAnswerSchema, checkFormSchema, programmeSchema } from './promotions.schemas.ts';
import { checkPromotionProgramme, listPromotionRules } from './promotions.service.ts';

export interface PromotionsRoutesOptions {
  database: Database;
}

/** A programme pasted in the form: JSON first, then the programme's own checks (each issue under the one field). */
function parsePastedProgramme(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw new AppError(
      'invalid_input',
      { vi: `JSON không hợp lệ: ${reason}`, en: `not valid JSON: ${reason}` },
      { field: 'programme' },
    );
  }
}

/** `POST /api/v1/promotions/check` and the workbench page (issue 14). */
export async function registerPromotionsRoutes(app: App, options: PromotionsRoutesOptions): Promise<void> {
  const { database } = options;
  const permission = { permission: 'promotions:check' as const };
  registerWorkbenchLink({
    href: '/workbench/promotions',
    label: PROMOTIONS_TEXT.title,
    permission: 'promotions:check',
  });

  app.post(
    '/api/v1/promotions/check',
    {
      config: permission,
      schema: {
        tags: ['promotions'],
        summary: 'Check a promotion programme against the promotion rules in force on its first day',
        description:
          'Law on Commerce 2005 Art. 92 and 100, Decree 81/2018/NĐ-CP as amended by Decree 128/2024/NĐ-CP (from 01/12/2024). Each violation names its rule code, the provision cited and the goods concerned. Rules are data (`ecomgov promotions rules list`).',
        body: programmeSchema,
        response: { 200: checkAnswerSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => checkPromotionProgramme(database.db, request.body),
  );

  const page = async () => ({
    offers: await findOffendingOffers(database),
    rules: await listPromotionRules(database.db),
  });

  app.get('/workbench/promotions', { config: permission, schema: { hide: true } }, async (request, reply) =>
    renderPromotionsPage(request, reply, await page()),
  );

  app.post(
    '/workbench/promotions/check',
    { config: permission, attachValidation: true, schema: { hide: true, body: checkFormSchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return renderPromotionsPage(request, reply, { ...(await page()), form: input.form, status: 400 });
      const values = echoValues(request.body);
      try {
        const answer = await checkPromotionProgramme(database.db, parsePastedProgramme(input.value.programme));
        return renderPromotionsPage(request, reply, { ...(await page()), answer, form: { values, issues: [] } });
      } catch (error) {
        const failed = formStateOfError(error, values);
        // The programme's own fields are inside the JSON: every issue is shown under the one field, its path first.
        const issues = failed.form.issues.map((issue) => ({
          field: 'programme',
          message:
            issue.field && issue.field !== 'programme'
              ? { vi: `${issue.field}: ${issue.message.vi}`, en: `${issue.field}: ${issue.message.en}` }
              : issue.message,
        }));
        return renderPromotionsPage(request, reply, {
          ...(await page()),
          form: { values, issues },
          status: failed.status,
        });
      }
    },
  );

  app.get(
    '/workbench/promotions/offers.csv',
    { config: permission, schema: { hide: true } },
    async (_request, reply) => {
      const offers = await findOffendingOffers(database, 5000);
      const rows = [
        [
          'seen_at',
          'domain',
          'url',
          'product_key',
          'product_name',
          'price_vnd',
          'before_price_vnd',
          'rules',
          'findings',
          'evidence_id',
        ],
        ...offers.map(({ observation, violations }) => [
          formatDateTime(new Date(observation.observed_at)),
          observation.domain,
          observation.url,
          observation.product_key,
          observation.product_name,
          observation.price_vnd,
          observation.list_price_vnd,
          violations.map((violation) => violation.rule).join(' '),
          violations.map((violation) => violation.message.vi).join(' | '),
          observation.evidence_id,
        ]),
      ];
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', contentDisposition('attachment', 'khuyen-mai-vi-pham.csv'))
        .send(spreadsheetCsv(rows));
    },
  );
}

import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { App } from '../../core/http.ts';
import { errorBodySchema } from '../../core/http.ts';
import type { AdvisoryLookup } from '../advisories/index.ts';
import type { CheckIndex } from './check.index.ts';
import { renderCheckForm, renderCheckResult } from './check.pages.ts';
import { checkAnswerSchema, checkQuerySchema } from './check.schemas.ts';
import { type CheckAnswer, checkRegistration } from './check.service.ts';

export interface CheckRouteOptions {
  index: CheckIndex;
  /** Requests per minute per client IP on the public check (API and page); 0 = no limit. */
  rateLimitPerMinute: number;
  /** The published advisories by platform, which every answer about a platform lists. */
  advisories?: AdvisoryLookup | undefined;
}

/** Compile-time proof that `checkRegistration` returns exactly what `checkAnswerSchema` describes, no more, no less. */
type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const answerTypeIsTheSchemas: SameType<CheckAnswer, z.output<typeof checkAnswerSchema>> = true;
void answerTypeIsTheSchemas;

function serializeJson(data: unknown): string {
  return JSON.stringify(data);
}

export async function registerCheckRoutes(app: App, options: CheckRouteOptions): Promise<void> {
  const rateLimit: { rateLimit: false | { max: number; timeWindow: number } } = {
    rateLimit: options.rateLimitPerMinute > 0 ? { max: options.rateLimitPerMinute, timeWindow: 60_000 } : false,
  };

  app.get(
    '/api/v1/check',
    {
      config: rateLimit,
      // The zod schemas document the answer (OpenAPI); the answer is not validated again on the way out, since its
      // type is the schema's (answerTypeIsTheSchemas) and re-parsing it cost as much as the look-up.
      serializerCompiler: () => serializeJson,
      schema: {
        tags: ['check'],
        summary: 'Is this site or app registered?',
        description:
          'Verdict for a URL, host, Google Play or App Store link, or platform name, with look-alike detection. Rate limited per IP.',
        querystring: checkQuerySchema,
        response: { 200: checkAnswerSchema, 400: errorBodySchema, 429: errorBodySchema },
      },
    },
    // Synchronous: the answer comes from memory, so no promise to wait for.
    (request) => checkRegistration(options.index, request.query.input, new Date(), options.advisories),
  );

  app.get('/', { schema: { hide: true } }, async (request, reply) => renderCheckForm(request, reply));

  app.get(
    '/check',
    {
      config: rateLimit,
      schema: { hide: true, querystring: z.object({ input: z.string().optional(), lang: z.string().optional() }) },
    },
    async (request, reply) => {
      const input = request.query.input ?? '';
      try {
        return renderCheckResult(
          request,
          reply,
          checkRegistration(options.index, input, new Date(), options.advisories),
          options.advisories,
        );
      } catch (error) {
        if (error instanceof AppError && error.code === 'invalid_input') {
          return renderCheckForm(request, reply, { input, error: error.text });
        }
        throw error;
      }
    },
  );
}

import fastifyRateLimit from '@fastify/rate-limit';
import { z } from 'zod';
import type { Environment } from './core/config.ts';
import type { Database } from './core/db.ts';
import { AppError } from './core/errors.ts';
import { type App, createHttpServer } from './core/http.ts';
import { registerCheckRoutes, startCheckIndex } from './modules/check/index.ts';
import { registerRegistryRoutes } from './modules/registry/index.ts';
import { registerWebShell, renderHtmlError } from './web/web.ts';

export interface BuiltApp {
  app: App;
  /** Stops following the register; the caller closes the app and then the database. */
  stop(): Promise<void>;
}

/** The composition root of the web app and API: every module's routes on one Fastify instance. */
export async function buildApp(
  database: Database,
  env: Pick<Environment, 'LOG_LEVEL' | 'CHECK_RATE_LIMIT'>,
): Promise<BuiltApp> {
  const app = await createHttpServer({ logLevel: env.LOG_LEVEL, renderHtmlError });
  await registerWebShell(app);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(
        'rate_limited',
        `rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
      ),
  });

  app.get(
    '/api/v1/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  const checkIndex = await startCheckIndex(database);
  await registerCheckRoutes(app, { index: checkIndex.index, rateLimitPerMinute: env.CHECK_RATE_LIMIT });
  await registerRegistryRoutes(app, { db: database.db });

  return { app, stop: checkIndex.stop };
}

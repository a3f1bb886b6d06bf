import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Environment } from './core/config.ts';
import type { Database } from './core/db.ts';
import { AppError } from './core/errors.ts';
import { html, type SafeHtml } from './core/html.ts';
import { type App, createHttpServer } from './core/http.ts';
import { createMailer } from './core/mail.ts';
import { headerAccountOf, registerAccounts, registerWorkbenchLink } from './modules/accounts/index.ts';
import { registerAdvisoryRoutes, startAdvisoryIndex } from './modules/advisories/index.ts';
import {
  type ApplicationsOptions,
  createApplicationsContext,
  createRecordPageExtras,
  DEFAULT_PORTAL_URL,
  registerApplicationsRoutes,
} from './modules/applications/index.ts';
import { createBlockRecordExtras, registerBlockingRoutes } from './modules/blocking/index.ts';
import { loadOrCreateSigningKey, registerBlocklistRoutes, startBlocklistFollower } from './modules/blocklist/index.ts';
import { registerCasesRoutes } from './modules/cases/index.ts';
import {
  registerCheckRoutes,
  registerHashPrefixRoutes,
  startCheckIndex,
  startHashPrefixFollower,
} from './modules/check/index.ts';
import { registerComplaintsRoutes } from './modules/complaints/index.ts';
import { registerDeclarationsPages, registerDeclarationsRoutes } from './modules/declarations/index.ts';
import { registerDirectiveRoutes } from './modules/directives/index.ts';
import { registerEvidenceRoutes } from './modules/evidence/index.ts';
import { registerMonitorPages, registerMonitorRoutes } from './modules/monitor/index.ts';
import { registerProceduresRoutes } from './modules/procedures/index.ts';
import { registerPromotionsRoutes } from './modules/promotions/index.ts';
import { type Platform, registerRegistryRoutes } from './modules/registry/index.ts';
import { registerTransparencyRoutes } from './modules/transparency/index.ts';
import { registerWebShell, renderHtmlError } from './web/web.ts';

export interface BuiltApp {
  app: App;
  /** Stops following the register; the caller closes the app and then the database. */
  stop(): Promise<void>;
}

type RecordPageExtras = (request: FastifyRequest, platform: Platform) => Promise<SafeHtml | undefined>;

/** The parts several modules add to the public record page, in order. */
function combineRecordPageExtras(parts: readonly RecordPageExtras[]): RecordPageExtras {
  return async (request, platform) => {
    const pieces = (await Promise.all(parts.map((part) => part(request, platform)))).filter(
      (piece): piece is SafeHtml => piece !== undefined,
    );
    return pieces.length > 0 ? html`${pieces}` : undefined;
  };
}

/** The composition root of the web app and API: every module's routes on one Fastify instance. */
export async function buildApp(
  database: Database,
  env: Pick<Environment, 'LOG_LEVEL' | 'CHECK_RATE_LIMIT'> &
    Partial<
      Pick<
        Environment,
        | 'PORTAL_URL'
        | 'SMTP_URL'
        | 'MAIL_FROM'
        | 'SEARCH_RATE_LIMIT'
        | 'HASH_PREFIX_RATE_LIMIT'
        | 'ADVISORIES_RATE_LIMIT'
        | 'BLOCKS_RATE_LIMIT'
        | 'APPEALS_RATE_LIMIT'
        | 'COMPLAINT_RATE_LIMIT'
        | 'DECISIONS_RATE_LIMIT'
        | 'LOG_FORMAT'
        | 'TRUST_PROXY'
        | 'REQUIRE_TOTP'
        | 'BLOCKLIST_ZONE'
        | 'BLOCKLIST_LANDING_HOST'
        | 'FEED_SIGNING_KEY_DIR'
        | 'FEED_RATE_LIMIT'
        | 'EVIDENCE_DIR'
      >
    >,
  /** Overrides for tests: the mailer, the domain checks' resolve mappings, the clock. */
  overrides: { applications?: ApplicationsOptions } = {},
): Promise<BuiltApp> {
  const app = await createHttpServer({
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    trustProxy: env.TRUST_PROXY,
    portalUrl: env.PORTAL_URL,
    renderHtmlError,
  });
  await registerWebShell(app);
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', {
        vi: `Quá ${context.max} yêu cầu mỗi phút; hãy thử lại sau ${Math.ceil(context.ttl / 1000)} giây.`,
        en: `rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s`,
      }),
  });
  // One mailer for every module: whoever sends the outbox after a commit sends every message due in it.
  const mailSettings = { SMTP_URL: env.SMTP_URL, MAIL_FROM: env.MAIL_FROM, ...overrides.applications };
  const mailer = mailSettings.mailer ?? createMailer(mailSettings, app.log);
  if (!mailSettings.mailer) app.addHook('onClose', async () => mailer.close());
  // Authentication, CSRF and permissions: before every other module's routes, so its gate covers them.
  await registerAccounts(app, {
    db: database.db,
    portalUrl: env.PORTAL_URL,
    requireTotp: env.REQUIRE_TOTP,
    mail: { mailer, portalUrl: (env.PORTAL_URL ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''), log: app.log },
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
  const advisoryIndex = await startAdvisoryIndex(database);
  await registerDeclarationsRoutes(app, { database, index: checkIndex.index });
  await registerDeclarationsPages(app, { database });
  await registerCheckRoutes(app, {
    index: checkIndex.index,
    rateLimitPerMinute: env.CHECK_RATE_LIMIT,
    advisories: advisoryIndex.index,
  });
  const applications = createApplicationsContext(database, {
    PORTAL_URL: env.PORTAL_URL,
    SMTP_URL: env.SMTP_URL,
    MAIL_FROM: env.MAIL_FROM,
    mailer,
    log: app.log,
    ...overrides.applications,
  });
  await registerRegistryRoutes(app, {
    db: database.db,
    recordPageExtras: combineRecordPageExtras([
      createRecordPageExtras(applications),
      createBlockRecordExtras(database.db),
    ]),
    searchRateLimitPerMinute: env.SEARCH_RATE_LIMIT,
  });
  await registerApplicationsRoutes(app, applications);
  await registerDirectiveRoutes(app, { database, portalUrl: env.PORTAL_URL });
  await registerProceduresRoutes(app, { db: database.db, headerAccountOf, registerWorkbenchLink });
  await registerPromotionsRoutes(app, { database });

  const blocklist = await startBlocklistFollower(database, (error) =>
    app.log.error({ err: error }, 'blocklist: following the register failed; the next full comparison retries'),
  );
  // `serve` passes the data folder (or FEED_SIGNING_KEY_DIR); an app built without one (tests) gets a key of its own,
  // in a temporary folder removed when it stops.
  const ownKeyDir = env.FEED_SIGNING_KEY_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-feed-key-'));
  await registerBlocklistRoutes(app, {
    database,
    settings: { zone: env.BLOCKLIST_ZONE ?? 'rpz.ecomgov.invalid', landingHost: env.BLOCKLIST_LANDING_HOST ?? null },
    signer: loadOrCreateSigningKey(env.FEED_SIGNING_KEY_DIR ?? (ownKeyDir as string)),
    rateLimitPerMinute: env.FEED_RATE_LIMIT ?? 60,
  });

  await registerAdvisoryRoutes(app, {
    database,
    portalUrl: (env.PORTAL_URL ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''),
    rateLimitPerMinute: env.ADVISORIES_RATE_LIMIT,
  });

  const hashPrefixes = await startHashPrefixFollower(database, (error) =>
    app.log.error({ err: error }, 'hash prefixes: following the register failed; the next full comparison retries'),
  );
  await registerHashPrefixRoutes(app, { database, rateLimitPerMinute: env.HASH_PREFIX_RATE_LIMIT ?? 60 });

  await registerBlockingRoutes(app, {
    database,
    rateLimitPerMinute: env.BLOCKS_RATE_LIMIT,
    appealsPerHour: env.APPEALS_RATE_LIMIT,
    landingHost: env.BLOCKLIST_LANDING_HOST,
    portalUrl: env.PORTAL_URL,
  });
  // `serve` passes EVIDENCE_DIR or the data folder's `evidence`; an app built without one (tests) reads an empty store
  // of its own, removed when it stops.
  const ownEvidenceDir = env.EVIDENCE_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-evidence-'));
  await registerEvidenceRoutes(app, { db: database.db, storeDir: env.EVIDENCE_DIR ?? (ownEvidenceDir as string) });
  await registerTransparencyRoutes(app, {
    database,
    portalUrl: (env.PORTAL_URL ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''),
    rateLimitPerMinute: env.DECISIONS_RATE_LIMIT ?? 60,
  });
  await registerCasesRoutes(app, { database, evidenceDir: env.EVIDENCE_DIR ?? (ownEvidenceDir as string) });
  await registerComplaintsRoutes(app, { database, complaintsPerHour: env.COMPLAINT_RATE_LIMIT ?? 20 });
  await registerMonitorRoutes(app, { database });
  await registerMonitorPages(app, { database });

  return {
    app,
    stop: async () => {
      await hashPrefixes.stop();
      await blocklist.stop();
      await advisoryIndex.stop();
      await checkIndex.stop();
      if (ownKeyDir) fs.rmSync(ownKeyDir, { recursive: true, force: true });
      if (ownEvidenceDir) fs.rmSync(ownEvidenceDir, { recursive: true, force: true });
    },
  };
}

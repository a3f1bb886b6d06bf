import { buildApp } from '../../src/app.ts';
import type { Environment } from '../../src/core/config.ts';
import type { Database } from '../../src/core/db.ts';
import type { App } from '../../src/core/http.ts';
import { loadDemoRegistry } from '../../src/modules/registry/index.ts';
import { createTestDatabase } from './database.ts';

export interface TestApp {
  app: App;
  database: Database;
  close(): Promise<void>;
}

/** The whole web app in process on a fresh test database (PGlite or the server), demo data loaded. */
export async function startTestApp(
  options: {
    rateLimitPerMinute?: number;
    searchRateLimitPerMinute?: number;
    demo?: boolean;
    /** Settings of the environment: the portal's address, trusted proxies, SMTP_URL (a test server's), REQUIRE_TOTP. */
    env?: Partial<
      Pick<
        Environment,
        | 'PORTAL_URL'
        | 'TRUST_PROXY'
        | 'SMTP_URL'
        | 'REQUIRE_TOTP'
        | 'FEED_RATE_LIMIT'
        | 'HASH_PREFIX_RATE_LIMIT'
        | 'ADVISORIES_RATE_LIMIT'
        | 'BLOCKS_RATE_LIMIT'
        | 'APPEALS_RATE_LIMIT'
        | 'COMPLAINT_RATE_LIMIT'
        | 'DECISIONS_RATE_LIMIT'
        | 'BLOCKLIST_LANDING_HOST'
        | 'EVIDENCE_DIR'
      >
    >;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  if (options.demo !== false) await loadDemoRegistry(database);
  const built = await buildApp(database, {
    LOG_LEVEL: 'silent',
    CHECK_RATE_LIMIT: options.rateLimitPerMinute ?? 0,
    SEARCH_RATE_LIMIT: options.searchRateLimitPerMinute ?? 0,
    FEED_RATE_LIMIT: 0,
    DECISIONS_RATE_LIMIT: 0,
    ...options.env,
  });
  await built.app.ready();
  return {
    app: built.app,
    database,
    async close() {
      await built.app.close();
      await built.stop();
      await database.close();
    },
  };
}

/** Retries `probe` until it stops throwing (the index follows the register asynchronously). */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

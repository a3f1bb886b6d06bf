import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.ts';
import type { Database } from '../../src/core/db.ts';
import type { App } from '../../src/core/http.ts';
import { createTestDatabase } from './database.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp.ts';

/**
 * A stand-in for businesses' web sites: one local HTTP server on 127.0.0.1 that answers for every test
 * domain (by Host header): the verification token a test publishes, and a shop page showing a badge.
 */
export interface TestSites {
  port: number;
  /** Token file contents by domain (`/.well-known/ecomgov-verification.txt`). */
  tokens: Map<string, string>;
  /** HTML of `/` by domain. */
  pages: Map<string, string>;
  close(): Promise<void>;
}

export async function startTestSites(): Promise<TestSites> {
  const tokens = new Map<string, string>();
  const pages = new Map<string, string>();
  const server = http.createServer((request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    if (request.url === '/.well-known/ecomgov-verification.txt' && tokens.has(host)) {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end(`${tokens.get(host)}\n`);
      return;
    }
    if (request.url === '/' && pages.has(host)) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(pages.get(host));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tokens,
    pages,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface ApplicationsTestEnv {
  app: App;
  database: Database;
  smtp: TestSmtpServer;
  sites: TestSites;
  /** DNS TXT records by domain, for the domain checks. */
  txt: Map<string, string[][]>;
  /** The module's clock: tests move it (filing dates, deadlines). */
  clock: { now: Date | undefined };
  portalUrl: string;
  close(): Promise<void>;
}

/**
 * The web app with the applications module pointed at local stand-ins: mail to a local SMTP server, the
 * domains of `siteDomains` mapped (curl-style resolve) to the local site server over http, DNS TXT from
 * `txt`, and no other name resolved (no query leaves the machine).
 */
export async function startApplicationsTestApp(
  siteDomains: readonly string[],
  options: { demo?: boolean; portalUrl?: string } = {},
): Promise<ApplicationsTestEnv> {
  const database = await createTestDatabase();
  const smtp = await startSmtpServer();
  const sites = await startTestSites();
  const txt = new Map<string, string[][]>();
  const clock: { now: Date | undefined } = { now: undefined };
  const portalUrl = options.portalUrl ?? 'http://portal.test';
  if (options.demo) {
    const { loadDemoRegistry } = await import('../../src/modules/registry/index.ts');
    await loadDemoRegistry(database);
  }
  const built = await buildApp(
    database,
    { LOG_LEVEL: 'silent', CHECK_RATE_LIMIT: 0, PORTAL_URL: portalUrl },
    {
      applications: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Cổng TMĐT <no-reply@portal.test>',
        now: () => clock.now ?? new Date(),
        domainCheck: {
          scheme: 'http',
          port: sites.port,
          resolve: siteDomains.map((domain) => `${domain}:${sites.port}:127.0.0.1`),
          allowPrivate: ['127.0.0.1'],
          lookup: async (hostname) => {
            throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          },
          resolveTxt: async (domain) => {
            const records = txt.get(domain);
            if (!records) throw Object.assign(new Error(`queryTxt ENOTFOUND ${domain}`), { code: 'ENOTFOUND' });
            return records;
          },
          timeoutMs: 3_000,
        },
      },
    },
  );
  await built.app.ready();
  return {
    app: built.app,
    database,
    smtp,
    sites,
    txt,
    clock,
    portalUrl,
    async close() {
      await built.app.close();
      await built.stop();
      await database.close();
      await smtp.close();
      await sites.close();
    },
  };
}

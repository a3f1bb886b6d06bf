import fs from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, loadPlaywright } from '../../core/chromium.ts';
import { type SafeFetchHop, type SafeFetchOptions, safeFetch } from '../../core/safe-fetch.ts';

/**
 * A full-page screenshot of a captured page in headless Chromium (playwright-core on Debian's `chromium`) that
 * cannot reach anything the SSRF guard did not approve:
 *
 * - the page's own document is served from the capture (the same bytes the WARC holds), not fetched again;
 * - every other request of the page (images, styles, scripts) is intercepted and fetched through `safeFetch` with
 *   the capture's options, so each address is checked as the capture's were (redirects included), and the hop is
 *   added to the WARC; requests beyond a limit, and anything not http(s) GET, are aborted; web sockets are closed and
 *   service workers blocked;
 * - as a second wall, Chromium's resolver maps the page's host to the address the guard checked and every other
 *   name to "not found" (`--host-resolver-rules`), so a request that escaped the interception would still not reach
 *   an unchecked address by name.
 *
 * Chromium is optional: without it (or without playwright-core) `screenshotAvailable` says so and captures go on
 * without a screenshot.
 */

// A captured page must not reach the network through WebRTC either: every request goes through the SSRF guard.
const CHROMIUM_ARGS = [
  ...CHROMIUM_FLAGS,
  '--force-webrtc-ip-handling-policy',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Requests of a page fetched for its screenshot, at most; the rest are aborted. */
const MAX_SUBRESOURCES = 100;
const SUBRESOURCE_MAX_BYTES = 5 * 1024 * 1024;
const SUBRESOURCE_TIMEOUT_MS = 5_000;

export interface ScreenshotRequest {
  /** The capture's final hop: its URL is opened, its answer served to the page. */
  page: SafeFetchHop;
  /** The page's content decoded (the hop keeps the bytes as transferred, compressed when they were). */
  content: Buffer;
  /** The capture's options (resolve, allowPrivate, …): the page's other requests are checked with them. */
  fetchOptions: SafeFetchOptions;
  timeoutMs?: number;
  viewport?: { width: number; height: number };
}

export interface Screenshot {
  png: Buffer;
  /** The page's other requests, as fetched through the guard. */
  hops: SafeFetchHop[];
}

/** Why no screenshot can be taken here, or undefined when one can. */
export async function screenshotUnavailable(): Promise<string | undefined> {
  if (!fs.existsSync(CHROMIUM_PATH)) return `no Chromium at ${CHROMIUM_PATH} (CHROMIUM_PATH)`;
  if (!(await loadPlaywright())) return 'playwright-core is not installed';
  return undefined;
}

/** Chromium's request URLs carry no fragment; the captured URL may. */
function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'transfer-encoding' || name === 'content-length') continue;
    flat[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return flat;
}

/** The hop's response headers for the decoded content served in its place (no encoding, no transferred length). */
function headersOfHop(hop: SafeFetchHop): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {};
  for (const [name, value] of hop.response.rawHeaders) {
    const key = name.toLowerCase();
    if (key === 'content-encoding' || key === 'content-length' || key === 'transfer-encoding') continue;
    const previous = headers[key];
    headers[key] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return headers;
}

export async function takeScreenshot(request: ScreenshotRequest): Promise<Screenshot> {
  const playwright = await loadPlaywright();
  if (!playwright) throw new Error('playwright-core is not installed');
  const pageUrl = new URL(request.page.url);
  const address = isIP(request.page.ip) === 6 ? `[${request.page.ip}]` : request.page.ip;
  const timeoutMs = request.timeoutMs ?? 30_000;
  const browser = await playwright.chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${pageUrl.hostname} ${address}, MAP * ~NOTFOUND`],
    timeout: timeoutMs,
  });
  const hops: SafeFetchHop[] = [];
  try {
    const context = await browser.newContext({
      viewport: request.viewport ?? { width: 1280, height: 900 },
      serviceWorkers: 'block',
      acceptDownloads: false,
    });
    await context.routeWebSocket(/.*/, (socket) => socket.close());
    let servedPage = false;
    let fetched = 0;
    await context.route('**/*', async (route) => {
      const intercepted = route.request();
      const url = intercepted.url();
      if (
        !servedPage &&
        withoutFragment(url) === withoutFragment(request.page.url) &&
        intercepted.isNavigationRequest()
      ) {
        servedPage = true;
        await route.fulfill({
          status: request.page.response.status,
          headers: flatHeaders(headersOfHop(request.page)),
          body: request.content,
        });
        return;
      }
      const scheme = new URL(url).protocol;
      if (
        intercepted.method() !== 'GET' ||
        (scheme !== 'http:' && scheme !== 'https:') ||
        fetched >= MAX_SUBRESOURCES
      ) {
        await route.abort('blockedbyclient');
        return;
      }
      fetched += 1;
      try {
        const result = await safeFetch(url, {
          ...request.fetchOptions,
          maxBytes: SUBRESOURCE_MAX_BYTES,
          truncate: true,
          timeoutMs: SUBRESOURCE_TIMEOUT_MS,
        });
        hops.push(...result.hops);
        await route.fulfill({ status: result.status, headers: flatHeaders(result.headers), body: result.body });
      } catch {
        await route.abort('blockedbyclient');
      }
    });
    const page = await context.newPage();
    await page.goto(request.page.url, { waitUntil: 'load', timeout: timeoutMs });
    if (!servedPage) throw new Error('the browser did not ask for the captured page');
    const png = await page.screenshot({ fullPage: true, type: 'png', timeout: timeoutMs });
    await context.close();
    return { png, hops };
  } finally {
    await browser.close();
  }
}

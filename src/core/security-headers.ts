import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * The security headers of every response, set by helmet as a request arrives, so error pages, 404s and 429s
 * get them too. A route that sets one of them itself wins: helmet writes the raw response's headers, Fastify
 * passes its reply headers to `writeHead`, which gives those precedence (the attachment download keeps
 * `default-src 'none'; sandbox`, the badge its own policy).
 *
 * helmet itself, built once, rather than the @fastify/helmet plugin: the plugin builds helmet again on every
 * request (CSP directives parsed each time, through two hooks, one async). Server CPU time per request of
 * GET /api/v1/health here (2 shared cores, 40,000 requests): no headers 52–86 µs, helmet built once 66–101 µs,
 * @fastify/helmet 146–197 µs, about half the throughput of the bare route.
 */
export function addSecurityHeaders(app: FastifyInstance, portalUrl: string | undefined): void {
  const setHeaders = helmet(securityHeaderOptions(portalUrl));
  // A callback hook: no promise on every request.
  app.addHook('onRequest', (request, reply, done) => setHeaders(request.raw, reply.raw, () => done()));
}

/**
 * - Content-Security-Policy: the pages have no inline script or style and load only /assets/site.css,
 *   so everything comes from this origin; no plugins, no <base>, forms post only here, no framing.
 * - Referrer-Policy `same-origin`, stricter than the browsers' default strict-origin-when-cross-origin:
 *   a site an officer opens from the workbench (a case, a monitored shop) learns nothing of where the
 *   visit came from, not even that it was the regulator's portal; our own pages still see the full
 *   referrer, and a form post still carries its Origin.
 * - Cross-Origin-Resource-Policy `same-origin` (helmet's default): the badge, which other sites embed,
 *   sets `cross-origin` itself.
 * - Strict-Transport-Security and upgrade-insecure-requests only when PORTAL_URL is https: on a plain-HTTP
 *   lab or a laptop they would send browsers to an https:// that does not answer.
 */
function securityHeaderOptions(portalUrl: string | undefined): HelmetOptions {
  const https = portalUrl?.startsWith('https:') === true;
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: pageDirectives(https),
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 365 * 24 * 3600, includeSubDomains: true } : false,
  };
}

function pageDirectives(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/**
 * The Swagger UI's <style> element for its logo (swagger-ui 5's bundle inserts it; Chromium reports its hash
 * when it is refused): allowed by that hash alone, not by 'unsafe-inline'. A new swagger-ui may change it:
 * test/e2e/security-headers.e2e.ts then reports the violation.
 */
const SWAGGER_UI_LOGO_STYLE = '.logo_small_svg__cls-2{fill:#fff}.logo_small_svg__cls-3{fill:#85ea2d}';

/**
 * The policy of the Swagger UI at /api/docs (@fastify/swagger-ui sets it on its own routes): the pages'
 * policy, plus its style sheet's icons (data: SVG images) and its logo's style. Its scripts are files, no
 * inline script.
 */
export function swaggerUiPolicy(portalUrl: string | undefined): Record<string, string[]> {
  const logoHash = createHash('sha256').update(SWAGGER_UI_LOGO_STYLE).digest('base64');
  return {
    ...pageDirectives(portalUrl?.startsWith('https:') === true),
    'style-src': ["'self'", `'sha256-${logoHash}'`],
    'img-src': ["'self'", 'data:'],
  };
}

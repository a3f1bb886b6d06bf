import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_REQUIRE_TOTP, type TotpRequirement } from '../../core/config.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { App } from '../../core/http.ts';
import { isLocale, type Locale, type Localized } from '../../core/i18n.ts';
import { type HeaderAccount, localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { type NewSession, resolveSession } from './auth.service.ts';
import { equalSecrets, generateSecret } from './passwords.ts';
import { awaitsOrganisationVerification, can, isPermission, type Permission, type Principal } from './permissions.ts';
import { resolveApiToken } from './tokens.service.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the route needs (all of them, when a list: an action that is one module's on another's records); the
     * accounts plugin refuses everyone else (401 or sign-in page, then 403 naming the first missing), before the body
     * is read.
     */
    permission?: Permission | readonly Permission[];
    /**
     * Open to a session that must still turn on two-step verification (REQUIRE_TOTP): the account page, the
     * enrolment, the password, signing out, `/api/v1/me`. Every other route sends it to the account page (403 on the
     * API).
     */
    duringTotpEnrolment?: boolean;
  }
}

/**
 * Who is asking, and the one gate every route passes: authentication (a session cookie or
 * `Authorization: Bearer`), CSRF protection of every state-changing request made with a cookie, and
 * the permission a route names in `config.permission`, checked against the matrix in permissions.ts.
 */

export const SESSION_COOKIE = 'ecomgov_session';
/** The double-submit token of forms posted before signing in (sign-in, sign-up, public forms). */
export const CSRF_COOKIE = 'ecomgov_csrf';
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Paths where every route must name a permission: forgetting one must not open a page to everyone. */
const PROTECTED_PREFIXES = ['/workbench', '/admin', '/api/v1/admin'];
const SECRET_PATTERN = /^[\w-]{43}$/;

interface RequestAuth {
  principal?: Principal;
  via?: 'session' | 'token';
  session?: { tokenHash: string; csrfToken: string };
  anonymousCsrf?: AnonymousCsrf;
}

/**
 * The double-submit token of an anonymous request: the cookie's, or else one made (and set as the cookie) only when
 * a page renders a form (csrfField); most anonymous requests (the check, the API) never need one. Plain data, no
 * closure: it is made on every anonymous request.
 */
interface AnonymousCsrf {
  /** The token came from the visitor's cookie (it can be checked), rather than being made for this request. */
  fromCookie: boolean;
  /** Undefined until a form needs it. */
  token: string | undefined;
  reply: FastifyReply;
  /** Decides, once the cookie is issued, whether it is Secure. */
  portalUrl: string | undefined;
}

/**
 * Where a request's authentication is kept: a request decoration, not a WeakMap keyed by request. A WeakMap written
 * on every request made each young-generation collection walk its entries and keep them to the next full one: under
 * load, 15 ms pauses every 70 ms and half the server's throughput (measured on /api/v1/health; 0.6 ms without).
 */
const AUTH = Symbol('ecomgov.accounts.auth');

declare module 'fastify' {
  interface FastifyRequest {
    [AUTH]: RequestAuth | null;
  }
}

function authOf(request: FastifyRequest): RequestAuth | undefined {
  return request[AUTH] ?? undefined;
}

export interface ProtectedRoute {
  method: string;
  url: string;
  /** Every permission the route needs. */
  permissions: Permission[];
  /** Open to a session that must still turn on two-step verification. */
  duringTotpEnrolment: boolean;
}

const protectedRoutesByApp = new WeakMap<object, ProtectedRoute[]>();

export interface AccountsGateOptions {
  db: Db;
  /** The portal's public URL; when it is https, cookies are Secure even behind a TLS-terminating proxy. */
  portalUrl?: string | undefined;
  /** Who must use two-step verification (REQUIRE_TOTP); default administrators and heads of units. */
  requireTotp?: readonly TotpRequirement[] | undefined;
}

/** Where a business whose organisation is not verified yet is sent from the pages it cannot open yet. */
export const ORGANISATION_CLAIM_PATH = '/business/organisation';

/** Where a session that must turn on two-step verification is sent. */
export const TOTP_ENROLMENT_PATH = '/account#totp';

const TEXT = {
  bearerFormat: {
    vi: 'Tiêu đề Authorization phải có dạng "Bearer <mã truy cập API>"',
    en: 'the Authorization header must be "Bearer <API token>"',
  },
  tokenExpired: { vi: 'Mã truy cập API đã hết hạn', en: 'the API token has expired' },
  tokenRevoked: { vi: 'Mã truy cập API đã bị thu hồi', en: 'the API token was revoked' },
  tokenUnknown: { vi: 'Mã truy cập API không tồn tại', en: 'unknown API token' },
  signInFirst: { vi: 'Hãy đăng nhập trước', en: 'sign in first' },
  organisationNotVerified: {
    vi: 'Tổ chức của tài khoản chưa được xác minh: hãy nộp Giấy chứng nhận đăng ký doanh nghiệp tại /business/organisation và chờ cán bộ xác minh',
    en: 'the organisation of this account is not verified yet: file its enterprise registration certificate at /business/organisation and wait for an officer to verify it',
  },
  enrolTotpFirst: {
    vi: 'Tài khoản của bạn phải bật xác thực hai bước trước khi làm việc khác: hãy bật tại trang Tài khoản (/account#totp)',
    en: 'your account must turn on two-step verification before it can do anything else: set it up on the account page (/account#totp)',
  },
} satisfies Record<string, Localized>;

export interface CookieJar {
  setSessionCookie(request: FastifyRequest, reply: FastifyReply, session: NewSession): void;
  clearSessionCookie(reply: FastifyReply): void;
}

/** Secure cookies when this request came over TLS, or the portal's public URL is https (TLS ends at a proxy). */
function isSecureRequest(request: FastifyRequest, portalUrl: string | undefined): boolean {
  return request.protocol === 'https' || portalUrl?.startsWith('https:') === true;
}

export function createCookieJar(portalUrl: string | undefined): CookieJar {
  const secure = (request: FastifyRequest) => isSecureRequest(request, portalUrl);
  return {
    setSessionCookie(request, reply, session) {
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: secure(request),
        expires: session.expiresAt,
      });
    },
    clearSessionCookie(reply) {
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  };
}

/** Adds the hooks to the root instance; call before any module registers a route. */
export function registerAccountsGate(app: App, options: AccountsGateOptions): CookieJar {
  const { db } = options;
  const requireTotp = options.requireTotp ?? DEFAULT_REQUIRE_TOTP;
  const jar = createCookieJar(options.portalUrl);
  const protectedRoutes: ProtectedRoute[] = [];
  protectedRoutesByApp.set(app, protectedRoutes);
  app.decorateRequest(AUTH, null);

  app.addHook('onRoute', (route) => {
    const permission = route.config?.permission;
    const url = route.url ?? route.path;
    const permissions: unknown[] = permission === undefined ? [] : [permission].flat();
    for (const named of permissions) {
      if (!isPermission(named)) {
        throw new Error(`route ${url} names an unknown permission "${String(named)}" (see accounts/permissions.ts)`);
      }
    }
    if (
      permissions.length === 0 &&
      PROTECTED_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))
    ) {
      throw new Error(`route ${url} must name a permission in config.permission (see accounts/permissions.ts)`);
    }
    if (permissions.length === 0) return;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        protectedRoutes.push({
          method,
          url,
          permissions: permissions as Permission[],
          duringTotpEnrolment: route.config?.duringTotpEnrolment === true,
        });
      }
    }
  });

  /** Resolves who is asking; returns a promise only when that needs the database (a token or a session). */
  function authenticate(request: FastifyRequest, reply: FastifyReply, state: RequestAuth): Promise<void> | undefined {
    if (request.url.startsWith('/assets/')) return undefined;
    const authorization = request.headers.authorization;
    if (authorization !== undefined) return authenticateBearer(state, authorization);
    const sessionToken = request.cookies[SESSION_COOKIE];
    if (sessionToken) return authenticateSession(request, reply, state, sessionToken);
    state.anonymousCsrf = anonymousCsrfOf(request, reply);
    return undefined;
  }

  async function authenticateBearer(state: RequestAuth, authorization: string): Promise<void> {
    const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new AppError('unauthorized', TEXT.bearerFormat);
    const resolved = await resolveApiToken(db, match[1]);
    if (!resolved.ok) {
      throw new AppError(
        'unauthorized',
        resolved.reason === 'expired'
          ? TEXT.tokenExpired
          : resolved.reason === 'revoked'
            ? TEXT.tokenRevoked
            : TEXT.tokenUnknown,
      );
    }
    state.principal = resolved.principal;
    state.via = 'token';
  }

  async function authenticateSession(
    request: FastifyRequest,
    reply: FastifyReply,
    state: RequestAuth,
    sessionToken: string,
  ): Promise<void> {
    const session = await resolveSession(db, sessionToken, requireTotp);
    if (session) {
      state.principal = session.principal;
      state.via = 'session';
      state.session = { tokenHash: session.tokenHash, csrfToken: session.csrfToken };
      return;
    }
    jar.clearSessionCookie(reply);
    state.anonymousCsrf = anonymousCsrfOf(request, reply);
  }

  function anonymousCsrfOf(request: FastifyRequest, reply: FastifyReply): AnonymousCsrf {
    const fromCookie = request.cookies[CSRF_COOKIE];
    const valid = fromCookie !== undefined && fromCookie !== '' && SECRET_PATTERN.test(fromCookie);
    return { fromCookie: valid, token: valid ? fromCookie : undefined, reply, portalUrl: options.portalUrl };
  }

  /**
   * A session of an account that must use two-step verification and has not turned it on can only turn it on:
   * every other page sends it to the account page, every other API call is refused. Partner tokens are not
   * sessions. Returns false when it answered the request itself (the redirect).
   */
  function checkTotpEnrolment(request: FastifyRequest, reply: FastifyReply, state: RequestAuth): boolean {
    const principal = state.principal;
    if (state.via !== 'session' || !principal || !mustEnrolTotp(principal)) return true;
    if (request.routeOptions.config?.duringTotpEnrolment === true) return true;
    if (request.url.startsWith('/api/')) throw new AppError('forbidden', TEXT.enrolTotpFirst);
    // A language asked for in the link is kept: the redirect comes before the language cookie is set.
    const lang = (request.query as { lang?: unknown } | undefined)?.lang;
    reply.redirect(isLocale(lang) ? `/account?lang=${lang}#totp` : TOTP_ENROLMENT_PATH, 303);
    return false;
  }

  /**
   * The route's permission, checked as soon as the requester is known: before the body is read, so that a caller
   * without the right makes the server read, buffer or parse nothing, and learns nothing from validation errors.
   * Returns false when it answered the request itself (the sign-in page).
   */
  function checkPermission(request: FastifyRequest, reply: FastifyReply, state: RequestAuth): boolean {
    const required = request.routeOptions.config?.permission;
    if (!required) return true;
    if (!state.principal) {
      if (request.url.startsWith('/api/')) {
        throw new AppError('unauthorized', {
          vi: 'Hãy đăng nhập, hoặc gửi mã truy cập API dạng "Authorization: Bearer …"',
          en: 'sign in, or send an API token as "Authorization: Bearer …"',
        });
      }
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      reply.redirect(`/login${next}`, 303);
      return false;
    }
    const principal = state.principal;
    const permission = [required].flat().find((needed) => !can(principal, needed));
    if (permission !== undefined) {
      // The one place that holds back a business whose organisation is not verified (permissions.ts's grants).
      if (awaitsOrganisationVerification(state.principal, permission)) {
        if (request.url.startsWith('/api/')) throw new AppError('forbidden', TEXT.organisationNotVerified);
        reply.redirect(`${ORGANISATION_CLAIM_PATH}?notice=verify_first`, 303);
        return false;
      }
      throw new AppError('forbidden', {
        vi: `Việc này cần quyền ${permission}, tài khoản của bạn không có quyền đó`,
        en: `this needs the permission ${permission}, which your account does not have`,
      });
    }
    return true;
  }

  // Callback-style hooks, not async ones: an anonymous request is resolved without a promise or a microtask.
  // A callback hook that sends the reply itself does not call done.
  app.addHook('onRequest', (request, reply, done) => {
    const state: RequestAuth = {};
    request[AUTH] = state;
    const proceed = () => {
      try {
        if (checkTotpEnrolment(request, reply, state) && checkPermission(request, reply, state)) done();
      } catch (error) {
        done(error as Error);
      }
    };
    const pending = authenticate(request, reply, state);
    if (pending) pending.then(proceed, done);
    else proceed();
  });

  // CSRF in preValidation, not earlier: the token of a form is a field of its body, parsed by now (multipart forms
  // too, by the streaming parser within the route's limits), and not yet validated (zod strips unknown fields).
  app.addHook('preValidation', (request, _reply, done) => {
    if (!UNSAFE_METHODS.has(request.method)) return done();
    const state = authOf(request) ?? {};
    if (state.via === 'token') return done();
    const isApi = request.url.startsWith('/api/');
    const expected =
      state.via === 'session'
        ? state.session?.csrfToken
        : !isApi && state.anonymousCsrf?.fromCookie
          ? state.anonymousCsrf.token
          : undefined;
    // Anonymous API calls carry no cookie authority, so there is nothing to forge.
    const needed = state.via === 'session' || !isApi;
    if (needed && !(expected && equalSecrets(submittedCsrfToken(request), expected))) {
      throw new AppError(
        'forbidden',
        {
          vi: 'Biểu mẫu đã hết hạn hoặc không được gửi từ trang này (thiếu mã CSRF hoặc mã sai); hãy tải lại trang và thử lại',
          en: 'the form has expired or did not come from this site (CSRF token missing or wrong); reload the page and try again',
        },
        { field: CSRF_FIELD },
      );
    }
    done();
  });

  return jar;
}

function submittedCsrfToken(request: FastifyRequest): string {
  const header = request.headers[CSRF_HEADER];
  if (typeof header === 'string' && header) return header;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof value === 'string') return value;
  }
  return '';
}

/** Every route that names a permission, as registered (for the table-driven permission test). */
export function listProtectedRoutes(app: App): ProtectedRoute[] {
  return [...(protectedRoutesByApp.get(app) ?? [])];
}

/** Who made the request, or undefined for an anonymous one. */
export function getPrincipal(request: FastifyRequest): Principal | undefined {
  return authOf(request)?.principal;
}

/** Who made the request; 401 when nobody signed in. */
export function requirePrincipal(request: FastifyRequest): Principal {
  const principal = getPrincipal(request);
  if (!principal) throw new AppError('unauthorized', TEXT.signInFirst);
  return principal;
}

/** The current session's token hash (to mark "this device" in a list of sessions). */
export function sessionTokenHashOf(request: FastifyRequest): string | undefined {
  return authOf(request)?.session?.tokenHash;
}

/** The CSRF token a form of this request must post back in `_csrf` (or send as `x-csrf-token`). */
export function csrfTokenOf(request: FastifyRequest): string {
  const state = authOf(request);
  if (state?.session) return state.session.csrfToken;
  if (state?.anonymousCsrf) return anonymousCsrfToken(request, state.anonymousCsrf);
  return '';
}

function anonymousCsrfToken(request: FastifyRequest, csrf: AnonymousCsrf): string {
  if (csrf.token === undefined) {
    csrf.token = generateSecret();
    csrf.reply.setCookie(CSRF_COOKIE, csrf.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: isSecureRequest(request, csrf.portalUrl),
    });
  }
  return csrf.token;
}

/** The hidden input every HTML form that posts must include. */
export function csrfField(request: FastifyRequest): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${csrfTokenOf(request)}">`;
}

/** The actor of the writes a request makes: `user:<account id>`, `token:<token id>` or `anonymous`. */
export function actorContextOf(request: FastifyRequest): ActorContext {
  const principal = getPrincipal(request);
  const actor = !principal
    ? 'anonymous'
    : principal.kind === 'partner'
      ? `token:${principal.accountId}`
      : `user:${principal.accountId}`;
  return { actor, requestId: request.id, ip: request.ip };
}

interface WorkbenchLink {
  href: string;
  label: Localized;
  permission: Permission;
}

const workbenchLinks: WorkbenchLink[] = [];

/** Adds a link to the header of everyone who holds `permission` (modules call it once, at start). */
export function registerWorkbenchLink(link: WorkbenchLink): void {
  if (!workbenchLinks.some((existing) => existing.href === link.href)) workbenchLinks.push(link);
}

/**
 * Sends a page in the requester's language with the header of the requester's account: `main` gets the translator of
 * that language. The one way a module's page is sent (the applications module wraps it with its own page parts).
 */
export function sendLocalizedPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    title: Localized | string;
    path: string;
    main: (t: (text: Localized) => string, locale: Locale) => SafeHtml;
    status?: number | undefined;
    query?: Record<string, string> | undefined;
  },
): FastifyReply {
  const locale = localeOf(request);
  const t = translator(locale);
  return sendPage(
    reply,
    renderPage({
      locale,
      title: typeof options.title === 'string' ? options.title : t(options.title),
      path: options.path,
      ...(options.query ? { query: options.query } : {}),
      main: options.main(t, locale),
      account: headerAccountOf(request),
    }),
    options.status,
  );
}

/** What the page header shows of the requester: pass it as `account` to `renderPage`. */
export function headerAccountOf(request: FastifyRequest): HeaderAccount | null {
  const state = authOf(request);
  const principal = state?.principal;
  if (!principal || state?.via !== 'session' || !state.session) return null;
  return {
    name: principal.displayName,
    csrfToken: state.session.csrfToken,
    // Pages it could not open yet: a session that must turn on two-step verification is sent back.
    links: mustEnrolTotp(principal) ? [] : workbenchLinks.filter((link) => can(principal, link.permission)),
  };
}

/** The account must turn on two-step verification before it can do anything else. */
export function mustEnrolTotp(principal: Principal): boolean {
  return principal.needsTotp && !principal.hasTotp;
}

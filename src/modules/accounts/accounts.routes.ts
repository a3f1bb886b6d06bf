import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db.ts';
import { AppError, HTTP_STATUS_BY_CODE, isAppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { listUnits, type Unit } from '../units/index.ts';
import type { AdminPageState, FormError } from './accounts.pages.ts';
import {
  renderAccountPage,
  renderAdminAccountsPage,
  renderLoginPage,
  renderSignupPage,
  renderTotpLoginPage,
} from './accounts.pages.ts';
import {
  actorContextOf,
  csrfTokenOf,
  getPrincipal,
  registerAccountsGate,
  registerWorkbenchLink,
  requirePrincipal,
  SESSION_COOKIE,
  sessionTokenHashOf,
} from './accounts.plugin.ts';
import {
  idParamsSchema,
  loginBodySchema,
  loginQuerySchema,
  officerBodySchema,
  passwordBodySchema,
  principalSchema,
  signupBodySchema,
  tokenBodySchema,
  totpCodeBodySchema,
  totpLoginBodySchema,
} from './accounts.schemas.ts';
import {
  canUseTotp,
  changePassword,
  confirmTotpEnrolment,
  createOfficer,
  disableTotp,
  findPendingTotpEnrolment,
  getAccount,
  listAccounts,
  setAccountActive,
  signUpBusiness,
  startTotpEnrolment,
} from './accounts.service.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import { completeTotpLogin, type LoginResult, listSessions, logIn, logOut, logOutEverywhere } from './auth.service.ts';
import { generatePassword } from './passwords.ts';
import { can, PERMISSIONS } from './permissions.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.service.ts';

export interface AccountsOptions {
  db: Db;
  /** PORTAL_URL: when https, cookies are Secure. */
  portalUrl?: string | undefined;
}

/** Sign-in attempts per minute per address, before the database's lockout even counts them. */
const AUTH_RATE_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

/** Only a path on this site: never `//evil.example` or `/\evil.example`. */
export function safeNextPath(next: string | undefined): string | undefined {
  if (!next?.startsWith('/') || next.startsWith('//')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  return /[\u0000-\u001f\\]/.test(next) ? undefined : next;
}

function formErrorOf(error: unknown): (FormError & { status: number }) | undefined {
  if (isAppError(error) && (error.code === 'invalid_input' || error.code === 'conflict')) {
    return { field: error.field, message: error.message, status: HTTP_STATUS_BY_CODE[error.code] };
  }
  return undefined;
}

async function ministryUnits(db: Db): Promise<Unit[]> {
  return (await listUnits(db, { ministryOnly: true })).filter((unit) => unit.member_ids.length === 0);
}

/**
 * The gate (authentication, CSRF, permissions) and the accounts pages: sign-in with its second step,
 * sign-out, sign-up for businesses, the account page, the administration of accounts and API tokens,
 * and the audit trail. Register before every other module's routes: the gate's hooks and the
 * collection of protected routes apply to routes registered after it.
 */
export async function registerAccounts(app: App, options: AccountsOptions): Promise<void> {
  const { db } = options;
  const jar = registerAccountsGate(app, options);
  registerWorkbenchLink({
    href: '/workbench/audit',
    label: { vi: 'Nhật ký', en: 'Audit trail' },
    permission: 'audit:read',
  });
  registerWorkbenchLink({
    href: '/admin/accounts',
    label: { vi: 'Quản trị', en: 'Administration' },
    permission: 'accounts:manage',
  });

  const finishLogin = async (
    request: FastifyRequest,
    reply: FastifyReply,
    result: LoginResult,
    next: string | undefined,
    email: string,
  ) => {
    if (result.step === 'signed_in') {
      // Signing in on top of a session (as someone else, say) ends that session rather than orphaning it.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous && getPrincipal(request)) await logOut(db, actorContextOf(request), previous);
      jar.setSessionCookie(request, reply, result.session);
      return reply.redirect(safeNextPath(next) ?? '/account', 303);
    }
    if (result.step === 'totp') return renderTotpLoginPage(request, reply, { challenge: result.challenge, next });
    const status = result.reason === 'locked' ? 429 : 401;
    return renderLoginPage(
      request,
      reply,
      { next, email, error: result.reason, lockedUntil: result.lockedUntil },
      status,
    );
  };

  app.get('/login', { schema: { hide: true, querystring: loginQuerySchema } }, async (request, reply) => {
    const principal = getPrincipal(request);
    return renderLoginPage(request, reply, {
      next: safeNextPath(request.query.next),
      notice: request.query.notice,
      signedInAs: principal && principal.kind !== 'partner' ? principal.displayName : undefined,
    });
  });

  app.post(
    '/login',
    { config: AUTH_RATE_LIMIT, schema: { hide: true, body: loginBodySchema } },
    async (request, reply) => {
      const { email, password, next } = request.body;
      const result = await logIn(db, actorContextOf(request), {
        email,
        password,
        userAgent: request.headers['user-agent'],
      });
      return finishLogin(request, reply, result, next, email);
    },
  );

  app.post(
    '/login/totp',
    { config: AUTH_RATE_LIMIT, schema: { hide: true, body: totpLoginBodySchema } },
    async (request, reply) => {
      const { challenge, code, next } = request.body;
      const result = await completeTotpLogin(db, actorContextOf(request), {
        challenge,
        code,
        userAgent: request.headers['user-agent'],
      });
      if (result.step === 'refused' && result.reason === 'wrong_credentials') {
        return renderTotpLoginPage(request, reply, { challenge, next, wrongCode: true }, 401);
      }
      return finishLogin(request, reply, result, next, '');
    },
  );

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && getPrincipal(request)) await logOut(db, actorContextOf(request), token);
    jar.clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  app.get('/signup', { schema: { hide: true } }, async (request, reply) => renderSignupPage(request, reply, {}));

  app.post(
    '/signup',
    { config: AUTH_RATE_LIMIT, schema: { hide: true, body: signupBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const context = actorContextOf(request);
      try {
        await signUpBusiness(db, context, {
          organisationName: body.organisation_name,
          taxCode: body.tax_code,
          email: body.email,
          password: body.password,
        });
      } catch (error) {
        const formError = formErrorOf(error);
        if (!formError) throw error;
        const { password: _, ...values } = body;
        return renderSignupPage(request, reply, { values, error: formError }, formError.status);
      }
      const result = await logIn(db, context, {
        email: body.email,
        password: body.password,
        userAgent: request.headers['user-agent'],
      });
      return finishLogin(request, reply, result, '/account?welcome=1', body.email);
    },
  );

  const showAccountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { error?: FormError; welcome?: boolean } = {},
    status = 200,
  ) => {
    const principal = requirePrincipal(request);
    const account = await getAccount(db, principal.accountId);
    return renderAccountPage(
      request,
      reply,
      {
        account,
        units: account.kind === 'officer' ? await ministryUnits(db) : [],
        sessions: await listSessions(db, account.id, sessionTokenHashOf(request)),
        canUseTotp: canUseTotp(account),
        pendingTotp: canUseTotp(account) ? await findPendingTotpEnrolment(db, account.id) : undefined,
        ...extra,
      },
      status,
    );
  };

  app.get(
    '/account',
    {
      config: { permission: 'account:self' },
      schema: { hide: true, querystring: z.object({ welcome: z.string().optional(), lang: z.string().optional() }) },
    },
    async (request, reply) => showAccountPage(request, reply, { welcome: request.query.welcome === '1' }),
  );

  app.post(
    '/account/password',
    { config: { permission: 'account:self' }, schema: { hide: true, body: passwordBodySchema } },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      try {
        await changePassword(db, actorContextOf(request), principal.accountId, {
          currentPassword: request.body.current_password,
          newPassword: request.body.new_password,
        });
      } catch (error) {
        const formError = formErrorOf(error);
        if (!formError) throw error;
        return showAccountPage(request, reply, { error: formError }, 400);
      }
      jar.clearSessionCookie(reply);
      return reply.redirect('/login?notice=password_changed', 303);
    },
  );

  app.post(
    '/account/totp/start',
    { config: { permission: 'account:self' }, schema: { hide: true } },
    async (request, reply) => {
      await startTotpEnrolment(db, actorContextOf(request), requirePrincipal(request).accountId);
      return reply.redirect('/account#totp', 303);
    },
  );

  for (const [path, act] of [
    ['/account/totp/confirm', confirmTotpEnrolment],
    ['/account/totp/disable', disableTotp],
  ] as const) {
    app.post(
      path,
      { config: { permission: 'account:self' }, schema: { hide: true, body: totpCodeBodySchema } },
      async (request, reply) => {
        try {
          await act(db, actorContextOf(request), requirePrincipal(request).accountId, request.body.code);
        } catch (error) {
          const formError = formErrorOf(error);
          if (!formError) throw error;
          return showAccountPage(request, reply, { error: formError }, 400);
        }
        return reply.redirect('/account#totp', 303);
      },
    );
  }

  app.post(
    '/account/logout-everywhere',
    { config: { permission: 'account:self' }, schema: { hide: true } },
    async (request, reply) => {
      await logOutEverywhere(db, actorContextOf(request), requirePrincipal(request).accountId);
      jar.clearSessionCookie(reply);
      return reply.redirect('/login?notice=signed_out_everywhere', 303);
    },
  );

  const showAdminPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<AdminPageState> = {},
    status = 200,
  ) => {
    const principal = requirePrincipal(request);
    return renderAdminAccountsPage(
      request,
      reply,
      {
        accounts: await listAccounts(db),
        tokens: can(principal, 'tokens:manage') ? await listApiTokens(db) : undefined,
        units: await ministryUnits(db),
        selfId: principal.accountId,
        ...extra,
      },
      status,
    );
  };

  app.get(
    '/admin/accounts',
    { config: { permission: 'accounts:manage' }, schema: { hide: true } },
    async (request, reply) => showAdminPage(request, reply),
  );

  app.post(
    '/admin/accounts/officers',
    { config: { permission: 'accounts:manage' }, schema: { hide: true, body: officerBodySchema } },
    async (request, reply) => {
      const body = request.body;
      const password = generatePassword();
      try {
        const account = await createOfficer(db, actorContextOf(request), {
          email: body.email,
          displayName: body.display_name || undefined,
          unitId: body.unit_id,
          role: body.role,
          password,
        });
        return await showAdminPage(request, reply, { createdOfficer: { email: account.email, password } });
      } catch (error) {
        const formError = formErrorOf(error);
        if (!formError) throw error;
        return showAdminPage(request, reply, { officerForm: { values: body, error: formError } }, formError.status);
      }
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/admin/accounts/:id/${action}`,
      { config: { permission: 'accounts:manage' }, schema: { hide: true, params: idParamsSchema } },
      async (request, reply) => {
        if (request.params.id === requirePrincipal(request).accountId) {
          throw new AppError('conflict', 'you cannot disable or enable your own account');
        }
        await setAccountActive(db, actorContextOf(request), request.params.id, action === 'enable');
        return reply.redirect('/admin/accounts#accounts', 303);
      },
    );
  }

  app.post(
    '/admin/tokens',
    { config: { permission: 'tokens:manage' }, schema: { hide: true, body: tokenBodySchema } },
    async (request, reply) => {
      const body = request.body;
      try {
        const created = await createApiToken(db, actorContextOf(request), {
          name: body.name,
          scopes: body.scope,
          expires: body.expires,
        });
        return await showAdminPage(request, reply, {
          createdToken: { name: created.apiToken.name, token: created.token },
        });
      } catch (error) {
        const formError = formErrorOf(error);
        if (!formError) throw error;
        return showAdminPage(
          request,
          reply,
          { tokenForm: { values: { name: body.name, expires: body.expires, scope: body.scope }, error: formError } },
          400,
        );
      }
    },
  );

  app.post(
    '/admin/tokens/:id/revoke',
    { config: { permission: 'tokens:manage' }, schema: { hide: true, params: idParamsSchema } },
    async (request, reply) => {
      await revokeApiToken(db, actorContextOf(request), request.params.id);
      return reply.redirect('/admin/accounts#tokens', 303);
    },
  );

  app.get(
    '/api/v1/me',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Who am I',
        description:
          'The principal of the session cookie or API token, with the permissions it holds; a session also gets the CSRF token its state-changing requests must send as `x-csrf-token`.',
        response: {
          200: principalSchema.extend({ csrf_token: z.string().optional() }),
          401: errorBodySchema,
        },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      const csrf = principal.kind === 'partner' ? undefined : csrfTokenOf(request);
      return {
        account_id: principal.accountId,
        kind: principal.kind,
        unit_id: principal.unitId,
        role: principal.role,
        organisation_id: principal.organisationId,
        scopes: principal.scopes,
        display_name: principal.displayName,
        email: principal.email,
        permissions: PERMISSIONS.filter((permission) => can(principal, permission)),
        ...(csrf ? { csrf_token: csrf } : {}),
      };
    },
  );

  await registerAuditRoutes(app, { db });
}

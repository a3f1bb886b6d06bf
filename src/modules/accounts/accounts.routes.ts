import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DEFAULT_REQUIRE_TOTP, type TotpRequirement } from '../../core/config.ts';
import type { Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { fill } from '../../core/i18n.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import { listUnits, type Unit } from '../units/index.ts';
import type { AccountForm, AccountPageState, AdminPageState } from './accounts.pages.ts';
import {
  loginRefusalText,
  renderAccountPage,
  renderAdminAccountsPage,
  renderConfirmPage,
  renderLoginPage,
  renderSignupPage,
  renderSignupSentPage,
  renderTotpLoginPage,
} from './accounts.pages.ts';
import {
  actorContextOf,
  csrfTokenOf,
  getPrincipal,
  mustEnrolTotp,
  registerAccountsGate,
  registerWorkbenchLink,
  requirePrincipal,
  SESSION_COOKIE,
  sessionTokenHashOf,
  TOTP_ENROLMENT_PATH,
} from './accounts.plugin.ts';
import {
  accountQuerySchema,
  adminQuerySchema,
  confirmBodySchema,
  confirmQuerySchema,
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
  totpStartBodySchema,
} from './accounts.schemas.ts';
import {
  canUseTotp,
  changePassword,
  confirmTotpEnrolment,
  createOfficer,
  disableTotp,
  getAccount,
  isTotpRequired,
  listAccounts,
  setAccountActive,
  startTotpEnrolment,
} from './accounts.service.ts';
import { registerAuditRoutes } from './audit.routes.ts';
import { completeTotpLogin, type LoginResult, listSessions, logIn, logOut, logOutEverywhere } from './auth.service.ts';
import { registerOrganisationRoutes } from './organisations.routes.ts';
import { generatePassword } from './passwords.ts';
import { can, PERMISSIONS } from './permissions.ts';
import {
  confirmAccountEmail,
  getEmailToConfirm,
  type SignUpMail,
  sendNewConfirmationLink,
  signUpBusiness,
} from './signup.service.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './tokens.service.ts';

export interface AccountsOptions {
  db: Db;
  /** PORTAL_URL: when https, cookies are Secure. */
  portalUrl?: string | undefined;
  /** REQUIRE_TOTP: who must use two-step verification (default administrators and heads of units). */
  requireTotp?: readonly TotpRequirement[] | undefined;
  /** The e-mails of sign-up: the mailer, and the portal's public address for their links. */
  mail: SignUpMail;
}

/** Sign-in attempts per minute per address, before the database's lockout even counts them. */
const AUTH_RATE_LIMIT = { rateLimit: { max: 30, timeWindow: 60_000 } };

/**
 * The forms that check the current password (password change, turning two-step verification on or off) share one
 * budget of attempts per account and address, counted after the permission and CSRF checks. Per address too, so that
 * someone holding a stolen session cannot use up the owner's attempts to change the password.
 */
const SAFEGUARD_LIMIT = { max: 10, windowMinutes: 15 } as const;

/** Only a path on this site: never `//evil.example` or `/\evil.example`. */
export function safeNextPath(next: string | undefined): string | undefined {
  if (!next?.startsWith('/') || next.startsWith('//')) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  return /[\u0000-\u001f\\]/.test(next) ? undefined : next;
}

async function ministryUnits(db: Db): Promise<Unit[]> {
  return (await listUnits(db, { ministryOnly: true, currentOnly: true })).filter(
    (unit) => unit.member_ids.length === 0,
  );
}

/** The text a form had in a field, as sent (a form shown again keeps it). */
function typedValue(form: FormState, name: string): string | undefined {
  const value = form.values[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The gate (authentication, CSRF, permissions, enrolment in two-step verification) and the accounts pages: sign-in
 * with its second step, sign-out, sign-up of businesses with the confirmation of their address, the account page,
 * the administration of accounts and API tokens, and the audit trail. Register before every other module's routes:
 * the gate's hooks and the collection of protected routes apply to routes registered after it.
 */
export async function registerAccounts(app: App, options: AccountsOptions): Promise<void> {
  const { db, mail } = options;
  const requireTotp = options.requireTotp ?? DEFAULT_REQUIRE_TOTP;
  const jar = registerAccountsGate(app, { db, portalUrl: options.portalUrl, requireTotp });
  registerWorkbenchLink({
    href: '/workbench/audit',
    label: { vi: 'Nhật ký thao tác', en: 'Audit trail' },
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
      const mustEnrol = isTotpRequired(result.account, requireTotp) && !result.account.totp_enabled;
      return reply.redirect(mustEnrol ? TOTP_ENROLMENT_PATH : (safeNextPath(next) ?? '/account'), 303);
    }
    if (result.step === 'totp') return renderTotpLoginPage(request, reply, { challenge: result.challenge, next });
    if (result.step === 'unconfirmed') {
      await sendNewConfirmationLink(db, actorContextOf(request), result.accountId, mail);
    }
    const message =
      result.step === 'unconfirmed'
        ? loginRefusalText('unconfirmed', { email: result.email })
        : loginRefusalText(result.reason, { lockedUntil: result.lockedUntil });
    const status = result.step === 'unconfirmed' ? 403 : result.reason === 'locked' ? 429 : 401;
    return renderLoginPage(request, reply, { next, form: { values: { email }, issues: [{ message }] } }, status);
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
    { config: AUTH_RATE_LIMIT, attachValidation: true, schema: { hide: true, body: loginBodySchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) {
        const next = safeNextPath(typedValue(input.form, 'next'));
        return renderLoginPage(request, reply, { next, form: input.form }, 400);
      }
      const { email, password, next } = input.value;
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
    { config: AUTH_RATE_LIMIT, attachValidation: true, schema: { hide: true, body: totpLoginBodySchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) {
        const challenge = typedValue(input.form, 'challenge') ?? '';
        const next = safeNextPath(typedValue(input.form, 'next'));
        return renderTotpLoginPage(request, reply, { challenge, next, form: input.form }, 400);
      }
      const { challenge, code, next } = input.value;
      const result = await completeTotpLogin(db, actorContextOf(request), {
        challenge,
        code,
        userAgent: request.headers['user-agent'],
      });
      if (result.step === 'refused' && result.reason === 'wrong_credentials') {
        const form = { values: {}, issues: [{ field: 'code', message: loginRefusalText('wrong_code') }] };
        return renderTotpLoginPage(request, reply, { challenge, next, form }, 401);
      }
      return finishLogin(request, reply, result, next, '');
    },
  );

  app.post('/logout', { config: { duringTotpEnrolment: true }, schema: { hide: true } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token && getPrincipal(request)) await logOut(db, actorContextOf(request), token);
    jar.clearSessionCookie(reply);
    return reply.redirect('/', 303);
  });

  app.get('/signup', { schema: { hide: true } }, async (request, reply) =>
    renderSignupPage(request, reply, { values: {}, issues: [] }),
  );

  // The same answer whether or not the address has an account: what differs is the e-mail its owner receives.
  app.post(
    '/signup',
    { config: AUTH_RATE_LIMIT, attachValidation: true, schema: { hide: true, body: signupBodySchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return renderSignupPage(request, reply, input.form, 400);
      const body = input.value;
      try {
        await signUpBusiness(
          db,
          actorContextOf(request),
          {
            organisationName: body.organisation_name,
            taxCode: body.tax_code,
            email: body.email,
            password: body.password,
          },
          mail,
        );
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return renderSignupPage(request, reply, failed.form, failed.status);
      }
      return renderSignupSentPage(request, reply, body.email);
    },
  );

  app.get('/signup/confirm', { schema: { hide: true, querystring: confirmQuerySchema } }, async (request, reply) => {
    const { token } = request.query;
    try {
      return renderConfirmPage(request, reply, { token, email: await getEmailToConfirm(db, token) });
    } catch (error) {
      const failed = formStateOfError(error, {});
      return renderConfirmPage(request, reply, { token: '', email: undefined, form: failed.form }, failed.status);
    }
  });

  app.post(
    '/signup/confirm',
    { config: AUTH_RATE_LIMIT, schema: { hide: true, body: confirmBodySchema } },
    async (request, reply) => {
      try {
        await confirmAccountEmail(db, actorContextOf(request), request.body.token);
      } catch (error) {
        const failed = formStateOfError(error, {});
        return renderConfirmPage(request, reply, { token: '', email: undefined, form: failed.form }, failed.status);
      }
      return reply.redirect('/login?notice=email_confirmed', 303);
    },
  );

  const showAccountPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: Partial<Pick<AccountPageState, 'forms' | 'totpSetup' | 'done'>> = {},
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
        mustEnrolTotp: mustEnrolTotp(principal),
        ...extra,
      },
      status,
    );
  };

  /** Runs one form of the account page; its problems are shown beside its fields, on the page again. */
  const runAccountForm = async <Body>(
    request: FastifyRequest & { validationError?: Error | undefined; body: Body },
    reply: FastifyReply,
    form: AccountForm,
    act: (body: Body) => Promise<unknown>,
  ): Promise<unknown> => {
    const input = formInputOf(request);
    if (!input.ok) return showAccountPage(request, reply, { forms: { [form]: input.form } }, 400);
    try {
      return await act(input.value);
    } catch (error) {
      const failed = formStateOfError(error, echoValues(request.body));
      return showAccountPage(request, reply, { forms: { [form]: failed.form } }, failed.status);
    }
  };

  const ACCOUNT_ROUTE = { permission: 'account:self', duringTotpEnrolment: true } as const;
  // One limiter (one store) for the four routes: a route's own `config.rateLimit` would count each route apart.
  const safeguardLimit = app.rateLimit({
    max: SAFEGUARD_LIMIT.max,
    timeWindow: SAFEGUARD_LIMIT.windowMinutes * 60_000,
    keyGenerator: (request) => `safeguards|${getPrincipal(request)?.accountId ?? '-'}|${request.ip}`,
    errorResponseBuilder: () =>
      new AppError(
        'rate_limited',
        fill(
          {
            vi: 'Bạn đã thử quá nhiều lần. Hãy thử lại sau {minutes} phút.',
            en: 'Too many attempts. Try again in {minutes} minutes.',
          },
          { minutes: SAFEGUARD_LIMIT.windowMinutes },
        ),
      ),
  });

  app.get(
    '/account',
    { config: ACCOUNT_ROUTE, schema: { hide: true, querystring: accountQuerySchema } },
    async (request, reply) => showAccountPage(request, reply, { done: request.query.done }),
  );

  app.post(
    '/account/password',
    {
      config: ACCOUNT_ROUTE,
      preHandler: safeguardLimit,
      attachValidation: true,
      schema: { hide: true, body: passwordBodySchema },
    },
    async (request, reply) =>
      runAccountForm(request, reply, 'password', async (body) => {
        await changePassword(db, actorContextOf(request), requirePrincipal(request).accountId, {
          currentPassword: body.current_password,
          newPassword: body.new_password,
        });
        jar.clearSessionCookie(reply);
        return reply.redirect('/login?notice=password_changed', 303);
      }),
  );

  // The new secret is shown in this answer only (not after a redirect): a later page never shows it again.
  app.post(
    '/account/totp/start',
    {
      config: ACCOUNT_ROUTE,
      preHandler: safeguardLimit,
      attachValidation: true,
      schema: { hide: true, body: totpStartBodySchema },
    },
    async (request, reply) =>
      runAccountForm(request, reply, 'totpStart', async (body) => {
        const accountId = requirePrincipal(request).accountId;
        const totpSetup = await startTotpEnrolment(db, actorContextOf(request), accountId, body.current_password);
        return showAccountPage(request, reply, { totpSetup });
      }),
  );

  for (const [path, form, act, done] of [
    ['/account/totp/confirm', 'totpConfirm', confirmTotpEnrolment, 'totp_enabled'],
    ['/account/totp/disable', 'totpDisable', disableTotp, 'totp_disabled'],
  ] as const) {
    app.post(
      path,
      {
        config: ACCOUNT_ROUTE,
        preHandler: safeguardLimit,
        attachValidation: true,
        schema: { hide: true, body: totpCodeBodySchema },
      },
      async (request, reply) =>
        runAccountForm(request, reply, form, async (body) => {
          await act(db, actorContextOf(request), requirePrincipal(request).accountId, {
            code: body.code,
            currentPassword: body.current_password,
          });
          return reply.redirect(`/account?done=${done}#totp`, 303);
        }),
    );
  }

  app.post('/account/logout-everywhere', { config: ACCOUNT_ROUTE, schema: { hide: true } }, async (request, reply) => {
    await logOutEverywhere(db, actorContextOf(request), requirePrincipal(request).accountId);
    jar.clearSessionCookie(reply);
    return reply.redirect('/login?notice=signed_out_everywhere', 303);
  });

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
    { config: { permission: 'accounts:manage' }, schema: { hide: true, querystring: adminQuerySchema } },
    async (request, reply) => showAdminPage(request, reply, { done: request.query.done }),
  );

  // The first password is shown in this answer, once.
  app.post(
    '/admin/accounts/officers',
    {
      config: { permission: 'accounts:manage' },
      attachValidation: true,
      schema: { hide: true, body: officerBodySchema },
    },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return showAdminPage(request, reply, { officerForm: input.form }, 400);
      const body = input.value;
      const password = generatePassword();
      try {
        const account = await createOfficer(db, actorContextOf(request), {
          email: body.email,
          displayName: body.display_name,
          unitId: body.unit,
          role: body.role,
          password,
        });
        return await showAdminPage(request, reply, { createdOfficer: { email: account.email, password } });
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return showAdminPage(request, reply, { officerForm: failed.form }, failed.status);
      }
    },
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/admin/accounts/:id/${action}`,
      { config: { permission: 'accounts:manage' }, schema: { hide: true, params: idParamsSchema } },
      async (request, reply) => {
        if (request.params.id === requirePrincipal(request).accountId) {
          throw new AppError('conflict', {
            vi: 'Bạn không thể tự khóa hoặc mở khóa tài khoản của chính mình.',
            en: 'You cannot disable or enable your own account.',
          });
        }
        await setAccountActive(db, actorContextOf(request), request.params.id, action === 'enable');
        return reply.redirect(`/admin/accounts?done=account_${action}d#accounts`, 303);
      },
    );
  }

  // The token is shown in this answer, once.
  app.post(
    '/admin/tokens',
    { config: { permission: 'tokens:manage' }, attachValidation: true, schema: { hide: true, body: tokenBodySchema } },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return showAdminPage(request, reply, { tokenForm: input.form }, 400);
      const body = input.value;
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
        const failed = formStateOfError(error, echoValues(request.body));
        return showAdminPage(request, reply, { tokenForm: failed.form }, failed.status);
      }
    },
  );

  app.post(
    '/admin/tokens/:id/revoke',
    { config: { permission: 'tokens:manage' }, schema: { hide: true, params: idParamsSchema } },
    async (request, reply) => {
      await revokeApiToken(db, actorContextOf(request), request.params.id);
      return reply.redirect('/admin/accounts?done=token_revoked#tokens', 303);
    },
  );

  app.get(
    '/api/v1/me',
    {
      config: { duringTotpEnrolment: true },
      schema: {
        tags: ['accounts'],
        summary: 'Who am I',
        description:
          'The principal of the session cookie or API token, with the permissions it holds; a session also gets the CSRF token its state-changing requests must send as `x-csrf-token`. `must_enrol_totp` says the session can do nothing but turn on two-step verification yet.',
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
        organisation_verified: principal.organisationVerified,
        scopes: principal.scopes,
        display_name: principal.displayName,
        email: principal.email,
        permissions: PERMISSIONS.filter((permission) => can(principal, permission)),
        totp_enabled: principal.hasTotp,
        must_enrol_totp: mustEnrolTotp(principal),
        ...(csrf ? { csrf_token: csrf } : {}),
      };
    },
  );

  await registerAuditRoutes(app, { db });
  await registerOrganisationRoutes(app, { db });
}

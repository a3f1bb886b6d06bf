import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, HTTP_STATUS_BY_CODE, isAppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import type { Localized } from '../../core/i18n.ts';
import {
  actorContextOf,
  can,
  findAccount,
  findOrganisationOfBusiness,
  getPrincipal,
  registerWorkbenchLink,
  requirePrincipal,
} from '../accounts/index.ts';
import { getPlatform, getStatusHistory } from '../registry/index.ts';
import { parseApplicationForm } from './applications.input.ts';
import {
  formValuesOf,
  renderApplicationForm,
  renderBusinessApplication,
  renderBusinessApplicationList,
} from './applications.pages.ts';
import {
  applicationFormSchema,
  applicationListSchema,
  applicationSchema,
  badgeVerdictSchema,
  badgeVerifyQuerySchema,
  decisionBodySchema,
  idParamsSchema,
  queueQuerySchema,
  registrationActionBodySchema,
} from './applications.schemas.ts';
import {
  type Applicant,
  type Application,
  type ApplicationsContext,
  approveApplication,
  changeRegistrationStatus,
  checkApplicationDomains,
  fileApplication,
  fileRenewal,
  getApplication,
  getApplicationOfOrganisation,
  listApplicationEvents,
  listApplicationsOfOrganisation,
  listApplicationsOfPlatform,
  listRegistrationActions,
  listReviewQueue,
  nowOf,
  type RegistrationAction,
  rejectApplication,
  renewalBlocker,
  requestSupplement,
  resubmitApplication,
} from './applications.service.ts';
import { findBadgeRecord, verifyBadge } from './badge.service.ts';
import { refererHost, renderBadgeSvg } from './badge.ts';
import { type LocalizedError, localizedMessageOf } from './localized-error.ts';
import { renderReviewQueue, renderWorkbenchApplication, renderWorkbenchPlatform } from './workbench.pages.ts';

/** Counted per account, after the permission check (so a refused request is not counted). */
const DOMAIN_CHECK_RATE_LIMIT = {
  max: 10,
  timeWindow: 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `domain-check:${getPrincipal(request)?.accountId ?? request.ip}`,
};

const pageQuery = z.object({ lang: z.string().optional(), done: z.string().max(40).optional() });

/** The applicant behind a business's request: its account and its organisation. */
async function applicantOf(context: ApplicationsContext, request: FastifyRequest): Promise<Applicant> {
  const principal = requirePrincipal(request);
  const organisation = principal.organisationId
    ? await findOrganisationOfBusiness(context.database.db, principal.organisationId)
    : undefined;
  if (!organisation) throw new AppError('forbidden', 'only a business account files applications');
  return {
    accountId: principal.accountId,
    organisationId: organisation.id,
    organisationTaxCode: organisation.tax_code,
  };
}

/** Names of the accounts behind `user:<id>` actors, for the officers' pages. */
async function actorNamesOf(
  context: ApplicationsContext,
  actors: Iterable<string | null>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const actor of new Set(actors)) {
    const id = actor?.startsWith('user:') ? actor.slice(5) : undefined;
    if (!actor || !id || !/^[0-9a-f-]{36}$/i.test(id)) continue;
    const account = await findAccount(context.database.db, id);
    if (!account) continue;
    const organisation = account.organisation?.name;
    names.set(
      actor,
      organisation && organisation !== account.display_name
        ? `${account.display_name} (${organisation})`
        : account.display_name,
    );
  }
  return names;
}

/** Errors a form shows beside itself (the rest become error pages). */
function isFormError(error: unknown): error is AppError {
  return isAppError(error) && (error.code === 'invalid_input' || error.code === 'conflict');
}

function formIssuesOf(error: AppError) {
  return 'formIssues' in error ? (error as LocalizedError).formIssues : [];
}

export async function registerApplicationsRoutes(app: App, context: ApplicationsContext): Promise<void> {
  const db = context.database.db;
  registerWorkbenchLink({
    href: '/business/applications',
    label: { vi: 'Hồ sơ của doanh nghiệp', en: 'Your applications' },
    permission: 'applications:file',
  });
  registerWorkbenchLink({
    href: '/workbench/applications',
    label: { vi: 'Xét duyệt hồ sơ', en: 'Review applications' },
    permission: 'applications:review',
  });

  // -------------------------------------------------------------------------------------------------
  // Badge (public)

  app.get(
    '/badge/:file',
    {
      schema: { hide: true, params: z.object({ file: z.string().max(120) }) },
    },
    async (request, reply) => {
      const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})\.svg$/.exec(request.params.file);
      if (!match?.[1]) throw new AppError('not_found', `no badge ${request.params.file}`);
      const registrationNo = match[1].toUpperCase();
      const platform = await findBadgeRecord(db, { registrationNo });
      const svg = renderBadgeSvg(platform, {
        registrationNo,
        shownOnHost: refererHost(request.headers.referer, [new URL(context.portalUrl).host, request.headers.host]),
        portalHost: new URL(context.portalUrl).host,
      });
      // Other sites show the badge: not the same-origin resource policy of every other response.
      return reply
        .status(platform ? 200 : 404)
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'public, max-age=60')
        .header('vary', 'Referer')
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(svg);
    },
  );

  app.get(
    '/api/v1/badge/verify',
    {
      schema: {
        tags: ['badge'],
        summary: 'Is a badge genuine on this domain?',
        description:
          'A badge is genuine when the record it links to (registration number, or the old portal record for its badges) covers the domain showing it — the domain itself or a parent domain — and its status is current (notified or registered, not expired). Read from the register at each call: a revocation counts from its commit.',
        querystring: badgeVerifyQuerySchema,
        response: { 200: badgeVerdictSchema, 400: errorBodySchema },
      },
    },
    async (request, reply) => {
      const verdict = await verifyBadge(db, {
        registrationNo: request.query.registration_no,
        legacyId: request.query.legacy_id,
        domain: request.query.domain,
      });
      reply.header('cache-control', 'no-store');
      return verdict;
    },
  );

  // -------------------------------------------------------------------------------------------------
  // JSON API

  app.get(
    '/api/v1/applications',
    {
      config: { permission: 'applications:review' },
      schema: {
        tags: ['applications'],
        summary: 'The review queue',
        description: 'Applications by status; waiting ones first, the nearest review deadline first.',
        querystring: queueQuerySchema,
        response: { 200: applicationListSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => listReviewQueue(context, request.query),
  );

  app.get(
    '/api/v1/applications/:id',
    {
      config: { permission: 'applications:review' },
      schema: {
        tags: ['applications'],
        summary: 'One application',
        params: idParamsSchema,
        response: { 200: applicationSchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema },
      },
    },
    async (request) => getApplication(context, request.params.id),
  );

  app.post(
    '/api/v1/applications',
    {
      config: { permission: 'applications:file' },
      schema: {
        tags: ['applications'],
        summary: 'File a notification or an application for registration',
        description:
          'kind `sales` is a notification (direct sales platform); the other kinds apply for registration. Send the CSRF token as `x-csrf-token` when signed in with the session cookie.',
        body: applicationFormSchema,
        response: {
          201: applicationSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const application = await fileApplication(
        context,
        applicant,
        parseApplicationForm(request.body),
        actorContextOf(request),
      );
      return reply.status(201).send(application);
    },
  );

  // -------------------------------------------------------------------------------------------------
  // Business pages

  app.get(
    '/business/applications',
    { config: { permission: 'applications:file' }, schema: { hide: true, querystring: pageQuery } },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      return renderBusinessApplicationList(
        request,
        reply,
        await listApplicationsOfOrganisation(context, applicant.organisationId),
      );
    },
  );

  app.get(
    '/business/applications/new',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, querystring: pageQuery.extend({ kind: z.string().max(40).optional() }) },
    },
    async (request, reply) => {
      const principal = requirePrincipal(request);
      const organisation = principal.organisationId
        ? await findOrganisationOfBusiness(db, principal.organisationId)
        : undefined;
      return renderApplicationForm(request, reply, {
        mode: 'new',
        action: '/business/applications',
        values: {
          kind: request.query.kind ?? 'sales',
          org_name: organisation?.name ?? '',
          tax_code: organisation?.tax_code ?? '',
          country: 'VN',
          contact_email: principal.email ?? '',
        },
        issues: [],
      });
    },
  );

  app.post(
    '/business/applications',
    { config: { permission: 'applications:file' }, schema: { hide: true, body: applicationFormSchema } },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      try {
        const application = await fileApplication(
          context,
          applicant,
          parseApplicationForm(request.body),
          actorContextOf(request),
        );
        return reply.redirect(`/business/applications/${application.id}?done=filed`, 303);
      } catch (error) {
        if (!isFormError(error)) throw error;
        return renderApplicationForm(
          request,
          reply,
          {
            mode: 'new',
            action: '/business/applications',
            values: request.body,
            issues: formIssuesOf(error),
            ...formLevelError(error),
          },
          HTTP_STATUS_BY_CODE[error.code],
        );
      }
    },
  );

  const showBusinessApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    application: Application,
    extra: { done?: string | undefined; error?: Localized; status?: number } = {},
  ) => {
    const applicant = await applicantOf(context, request);
    const platform = application.platform_id ? await getPlatform(db, application.platform_id) : undefined;
    return renderBusinessApplication(
      request,
      reply,
      {
        application,
        events: await listApplicationEvents(context, application.id),
        platform,
        portalUrl: context.portalUrl,
        renewable:
          application.status === 'approved' &&
          platform !== undefined &&
          !renewalBlocker(platform, applicant, nowOf(context)),
        done: extra.done,
        error: extra.error,
      },
      extra.status,
    );
  };

  app.get(
    '/business/applications/:id',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
      return showBusinessApplication(request, reply, application, { done: request.query.done });
    },
  );

  app.post(
    '/business/applications/:id/check-domains',
    {
      // Each check makes the server fetch up to 20 sites: a business may ask a few times a minute.
      config: { permission: 'applications:file', rateLimit: DOMAIN_CHECK_RATE_LIMIT },
      schema: { hide: true, params: idParamsSchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      try {
        await checkApplicationDomains(context, request.params.id, actorContextOf(request), {
          organisationId: applicant.organisationId,
        });
      } catch (error) {
        if (!isFormError(error)) throw error;
        const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
        return showBusinessApplication(request, reply, application, { error: localizedMessageOf(error), status: 409 });
      }
      return reply.redirect(`/business/applications/${request.params.id}?done=checked#domain-control`, 303);
    },
  );

  app.get(
    '/business/applications/:id/resubmit',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
      if (application.status !== 'supplement_requested') {
        return reply.redirect(`/business/applications/${application.id}`, 303);
      }
      return renderApplicationForm(request, reply, {
        mode: 'resubmit',
        action: `/business/applications/${application.id}/resubmit`,
        values: formValuesOf(application),
        issues: [],
        application,
      });
    },
  );

  app.post(
    '/business/applications/:id/resubmit',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, body: applicationFormSchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      try {
        await resubmitApplication(
          context,
          applicant,
          request.params.id,
          parseApplicationForm(request.body),
          actorContextOf(request),
        );
        return reply.redirect(`/business/applications/${request.params.id}?done=resubmitted`, 303);
      } catch (error) {
        if (!isFormError(error)) throw error;
        const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
        return renderApplicationForm(
          request,
          reply,
          {
            mode: 'resubmit',
            action: `/business/applications/${application.id}/resubmit`,
            values: request.body,
            issues: formIssuesOf(error),
            ...formLevelError(error),
            application,
          },
          HTTP_STATUS_BY_CODE[error.code],
        );
      }
    },
  );

  const renewalForm = async (request: FastifyRequest, platformId: string) => {
    const applicant = await applicantOf(context, request);
    const platform = await getPlatform(db, platformId);
    const blocker = renewalBlocker(platform, applicant, nowOf(context));
    if (blocker?.reason === 'not_owner') throw new AppError('not_found', `no platform with id ${platformId}`);
    const last = (await listApplicationsOfPlatform(context, platformId)).find(
      (application) =>
        application.status === 'approved' && application.applicant_organisation_id === applicant.organisationId,
    );
    return { applicant, platform, blocker, last };
  };

  app.get(
    '/business/platforms/:id/renew',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => {
      const { platform, blocker, last } = await renewalForm(request, request.params.id);
      return renderApplicationForm(request, reply, {
        mode: 'renew',
        action: `/business/platforms/${platform.id}/renew`,
        values: last
          ? formValuesOf(last)
          : {
              kind: platform.kind,
              site_name: platform.name,
              org_name: platform.organisation?.name ?? '',
              tax_code: platform.organisation?.tax_code ?? '',
              country: platform.organisation?.country ?? 'VN',
              primary_domain: platform.domains[0] ?? '',
              other_domains: platform.domains.slice(1).join('\n'),
              android_apps: platform.android_apps.join('\n'),
              ios_apps: platform.ios_apps.join('\n'),
            },
        issues: [],
        platform,
        ...(blocker ? { error: blocker.message, blocked: true } : {}),
      });
    },
  );

  app.post(
    '/business/platforms/:id/renew',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, body: applicationFormSchema },
    },
    async (request, reply) => {
      const { applicant, platform } = await renewalForm(request, request.params.id);
      try {
        const application = await fileRenewal(
          context,
          applicant,
          platform.id,
          parseApplicationForm(request.body),
          actorContextOf(request),
        );
        return reply.redirect(`/business/applications/${application.id}?done=filed`, 303);
      } catch (error) {
        if (!isFormError(error)) throw error;
        return renderApplicationForm(
          request,
          reply,
          {
            mode: 'renew',
            action: `/business/platforms/${platform.id}/renew`,
            values: request.body,
            issues: formIssuesOf(error),
            ...formLevelError(error),
            platform,
          },
          HTTP_STATUS_BY_CODE[error.code],
        );
      }
    },
  );

  // -------------------------------------------------------------------------------------------------
  // Workbench pages

  app.get(
    '/workbench/applications',
    {
      config: { permission: 'applications:review' },
      schema: { hide: true, querystring: queueQuerySchema.extend({ lang: z.string().optional() }) },
    },
    async (request, reply) =>
      renderReviewQueue(request, reply, await listReviewQueue(context, request.query), request.query),
  );

  const showWorkbenchApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      done?: string | undefined;
      error?: AppError;
      values?: { note?: string; missing?: string; reasons?: string };
    } = {},
  ) => {
    const application = await getApplication(context, id);
    const events = await listApplicationEvents(context, id);
    return renderWorkbenchApplication(
      request,
      reply,
      {
        application,
        events,
        names: await actorNamesOf(context, [...events.map((event) => event.actor), application.decided_by]),
        done: extra.done,
        ...(extra.error ? { error: localizedMessageOf(extra.error), errorField: extra.error.field } : {}),
        values: extra.values,
      },
      extra.error ? HTTP_STATUS_BY_CODE[extra.error.code] : 200,
    );
  };

  app.get(
    '/workbench/applications/:id',
    {
      config: { permission: 'applications:review' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => showWorkbenchApplication(request, reply, request.params.id, { done: request.query.done }),
  );

  const decisionRoute = (
    path: string,
    done: string,
    act: (id: string, body: z.infer<typeof decisionBodySchema>, request: FastifyRequest) => Promise<unknown>,
  ) =>
    app.post(
      `/workbench/applications/:id/${path}`,
      {
        config: { permission: 'applications:review' },
        schema: { hide: true, params: idParamsSchema, body: decisionBodySchema },
      },
      async (request, reply) => {
        try {
          await act(request.params.id, request.body, request);
        } catch (error) {
          if (!isFormError(error)) throw error;
          return showWorkbenchApplication(request, reply, request.params.id, { error, values: request.body });
        }
        return reply.redirect(`/workbench/applications/${request.params.id}?done=${done}`, 303);
      },
    );

  decisionRoute('approve', 'approved', (id, body, request) =>
    approveApplication(context, id, body.note ?? '', actorContextOf(request)),
  );
  decisionRoute('reject', 'rejected', (id, body, request) =>
    rejectApplication(context, id, body.reasons ?? '', actorContextOf(request)),
  );
  decisionRoute('request-supplement', 'supplement', (id, body, request) =>
    requestSupplement(context, id, body.missing ?? '', actorContextOf(request)),
  );
  decisionRoute('check-domains', 'checked', (id, _body, request) =>
    checkApplicationDomains(context, id, actorContextOf(request)),
  );

  const showWorkbenchPlatform = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: {
      done?: string | undefined;
      error?: AppError;
      values?: { action?: string; reason?: string; legal_basis?: string };
    } = {},
  ) => {
    const platform = await getPlatform(db, id);
    const history = await getStatusHistory(db, platform.id);
    const actions = await listRegistrationActions(context, platform.id);
    return renderWorkbenchPlatform(
      request,
      reply,
      {
        platform,
        history,
        actions,
        names: await actorNamesOf(context, [
          ...history.map((change) => change.changed_by),
          ...actions.map((action) => action.actor),
        ]),
        applications: await listApplicationsOfPlatform(context, platform.id),
        canAct: can(getPrincipal(request), 'registrations:suspend'),
        done: extra.done,
        ...(extra.error ? { error: localizedMessageOf(extra.error) } : {}),
        values: extra.values,
      },
      extra.error ? HTTP_STATUS_BY_CODE[extra.error.code] : 200,
    );
  };

  app.get(
    '/workbench/platforms/:id',
    {
      config: { permission: 'platforms:read' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => showWorkbenchPlatform(request, reply, request.params.id, { done: request.query.done }),
  );

  for (const action of ['suspend', 'revoke', 'reinstate'] as const satisfies readonly RegistrationAction[]) {
    app.post(
      `/workbench/platforms/:id/${action}`,
      {
        config: { permission: 'registrations:suspend' },
        schema: { hide: true, params: idParamsSchema, body: registrationActionBodySchema },
      },
      async (request, reply) => {
        try {
          await changeRegistrationStatus(
            context,
            request.params.id,
            action,
            { reason: request.body.reason, legalBasis: request.body.legal_basis },
            actorContextOf(request),
          );
        } catch (error) {
          if (!isFormError(error)) throw error;
          return showWorkbenchPlatform(request, reply, request.params.id, {
            error,
            values: { action, reason: request.body.reason, legal_basis: request.body.legal_basis },
          });
        }
        return reply.redirect(`/workbench/platforms/${request.params.id}?done=${action}`, 303);
      },
    );
  }
}

function formLevelError(error: AppError): { error?: Localized; errorField?: string } {
  if (formIssuesOf(error).length > 0) return {};
  return { error: localizedMessageOf(error), errorField: error.field };
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { looksLikePersonalIdNumber } from '../../core/personal-id.ts';
import { type FormState, formInputOf } from '../../web/forms.ts';
import {
  actorContextOf,
  actorNames,
  findOrganisationOfBusiness,
  getPrincipal,
  registerWorkbenchLink,
  requirePrincipal,
} from '../accounts/index.ts';
import { getPlatform, type Platform } from '../registry/index.ts';
import { registerAnnualReportRoutes } from './annual-reports.routes.ts';
import { applicantOf, submitForm } from './applications.http.ts';
import {
  type FilingPage,
  filingOfApplication,
  formValuesOf,
  renderApplicationForm,
  renderBusinessApplication,
  renderBusinessApplicationList,
} from './applications.pages.ts';
import {
  type ApplicationInput,
  applicationFormSchema,
  applicationListSchema,
  applicationSchema,
  approveBodySchema,
  badgeVerdictSchema,
  badgeVerifyQuerySchema,
  changeFormSchema,
  idParamsSchema,
  legalGroundListSchema,
  queueQuerySchema,
  rejectBodySchema,
  supplementBodySchema,
} from './applications.schemas.ts';
import {
  type Application,
  type ApplicationsContext,
  getApplication,
  getApplicationOfOrganisation,
  listApplicationEvents,
  listApplicationsOfOrganisation,
  listApplicationsOfPlatform,
  listReviewQueue,
  nowOf,
} from './applications.service.ts';
import { findBadgeRecord, verifyBadge } from './badge.service.ts';
import { refererHost, renderBadgeSvg } from './badge.ts';
import { registerDecisionRoutes } from './decisions.routes.ts';
import {
  checkApplicationDomains,
  fileApplication,
  fileChange,
  fileReregistration,
  filingPeriods,
  platformFilingBlocker,
  resubmitApplication,
} from './filing.service.ts';
import { listForeignPlatformGrounds, listRefusalGrounds } from './legal-grounds.ts';
import { approveApplication, rejectApplication, requestSupplement } from './review.service.ts';
import { renderReviewQueue, renderWorkbenchApplication } from './workbench.pages.ts';

/** Counted per account, after the permission check (so a refused request is not counted). */
const DOMAIN_CHECK_RATE_LIMIT = {
  max: 10,
  timeWindow: 60_000,
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `domain-check:${getPrincipal(request)?.accountId ?? request.ip}`,
};

const pageQuery = z.object({ lang: z.string().optional(), done: z.string().max(40).optional() });

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
      if (!match?.[1]) {
        throw new AppError('not_found', {
          vi: `Không có biểu tượng ${request.params.file}`,
          en: `no badge ${request.params.file}`,
        });
      }
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
    '/api/v1/applications/foreign-grounds',
    {
      schema: {
        tags: ['applications'],
        summary: 'The grounds that make a foreign platform subject to the rules',
        description:
          'Decree 52/2013/NĐ-CP Art. 67a cl. 1 (added by Decree 85/2021/NĐ-CP): the codes a cross-border filing gives in `foreign_grounds`, each with its provision, source and how far it was checked.',
        response: { 200: legalGroundListSchema },
      },
    },
    async () => ({ grounds: await listForeignPlatformGrounds(db, nowOf(context)) }),
  );

  app.get(
    '/api/v1/applications/refusal-grounds',
    {
      schema: {
        tags: ['applications'],
        summary: 'The legal grounds a refusal of an application cites',
        description: 'Each with its provision, source and how far it was checked.',
        response: { 200: legalGroundListSchema },
      },
    },
    async () => ({ grounds: await listRefusalGrounds(db, nowOf(context)) }),
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
      const application = await fileApplication(context, applicant, request.body, actorContextOf(request));
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

  /** The filing form, with the grounds that make a foreign platform subject to the rules as the table holds them. */
  const showFilingForm = async (request: FastifyRequest, reply: FastifyReply, page: FilingPage, status?: number) =>
    renderApplicationForm(
      request,
      reply,
      { ...page, foreignGrounds: await listForeignPlatformGrounds(db, nowOf(context)) },
      status,
    );

  /**
   * The filing form's post (new, resubmission, change, re-registration): the form again with its problems, or the
   * service's answer
   * and a redirect to the application.
   */
  const fileFromForm = async <Filing extends ApplicationInput>(
    request: FastifyRequest,
    reply: FastifyReply,
    page: Omit<FilingPage, 'form' | 'periods'>,
    input: ReturnType<typeof formInputOf<Filing>>,
    file: (filing: Filing) => Promise<string>,
  ) => {
    let location = '';
    const refused = await submitForm(
      input,
      async (filing) => {
        location = await file(filing);
      },
      formValuesOf,
    );
    if (refused) {
      const periods = await filingPeriods(context);
      return showFilingForm(request, reply, { ...page, periods, form: refused.form }, refused.status);
    }
    return reply.redirect(location, 303);
  };

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
      return showFilingForm(request, reply, {
        mode: 'new',
        periods: await filingPeriods(context),
        action: '/business/applications',
        form: {
          values: {
            kind: request.query.kind ?? 'sales',
            applicant_kind: looksLikePersonalIdNumber(organisation?.tax_code) ? 'individual' : 'organisation',
            org_name: organisation?.name ?? '',
            tax_code: organisation?.tax_code ?? '',
            country: 'VN',
            contact_email: principal.email ?? '',
          },
          issues: [],
        },
      });
    },
  );

  app.post(
    '/business/applications',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, body: applicationFormSchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const page = { mode: 'new', action: '/business/applications' } as const;
      return fileFromForm(request, reply, page, formInputOf(request), async (filing) => {
        const application = await fileApplication(context, applicant, filing, actorContextOf(request));
        return `/business/applications/${application.id}?done=filed`;
      });
    },
  );

  const showBusinessApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    application: Application,
    extra: { done?: string | undefined; checkForm?: FormState; status?: number } = {},
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
        changeable:
          application.status === 'approved' &&
          platform !== undefined &&
          !platformFilingBlocker('change', platform, applicant),
        reregistrable:
          application.status === 'approved' &&
          platform !== undefined &&
          !platformFilingBlocker('reregistration', platform, applicant),
        done: extra.done,
        checkForm: extra.checkForm,
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
      const refused = await submitForm({ ok: true, value: request.params.id }, (id) =>
        checkApplicationDomains(context, id, actorContextOf(request), { organisationId: applicant.organisationId }),
      );
      if (refused) {
        const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
        return showBusinessApplication(request, reply, application, {
          checkForm: refused.form,
          status: refused.status,
        });
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
      return showFilingForm(request, reply, {
        mode: 'resubmit',
        periods: await filingPeriods(context),
        action: `/business/applications/${application.id}/resubmit`,
        form: { values: formValuesOf(filingOfApplication(application)), issues: [] },
        application,
      });
    },
  );

  app.post(
    '/business/applications/:id/resubmit',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: applicationFormSchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const application = await getApplicationOfOrganisation(context, applicant.organisationId, request.params.id);
      const page = {
        mode: 'resubmit',
        action: `/business/applications/${application.id}/resubmit`,
        application,
      } as const;
      return fileFromForm(request, reply, page, formInputOf(request), async (filing) => {
        await resubmitApplication(context, applicant, application.id, filing, actorContextOf(request));
        return `/business/applications/${application.id}?done=resubmitted`;
      });
    },
  );

  /** The platform of a change or re-registration form, with the applicant's last approved filing for it. */
  const platformForm = async (request: FastifyRequest, type: 'change' | 'reregistration', platformId: string) => {
    const applicant = await applicantOf(context, request);
    const platform = await getPlatform(db, platformId);
    const blocker = platformFilingBlocker(type, platform, applicant);
    if (blocker?.reason === 'not_owner') {
      throw new AppError('not_found', { vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    }
    const last = (await listApplicationsOfPlatform(context, platformId)).find(
      (application) =>
        application.status === 'approved' && application.applicant_organisation_id === applicant.organisationId,
    );
    return { applicant, platform, blocker, last };
  };

  const platformFormValues = (platform: Platform, last: Application | undefined) =>
    last
      ? formValuesOf(filingOfApplication(last))
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
        };

  for (const [type, mode, path] of [
    ['change', 'change', 'change'],
    ['reregistration', 'reregister', 'reregister'],
  ] as const) {
    app.get(
      `/business/platforms/:id/${path}`,
      {
        config: { permission: 'applications:file' },
        schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
      },
      async (request, reply) => {
        const { platform, blocker, last } = await platformForm(request, type, request.params.id);
        return showFilingForm(request, reply, {
          mode,
          periods: await filingPeriods(context),
          action: `/business/platforms/${platform.id}/${path}`,
          form: { values: platformFormValues(platform, last), issues: [] },
          platform,
          blocked: blocker?.message,
        });
      },
    );
  }

  app.post(
    '/business/platforms/:id/change',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: changeFormSchema },
    },
    async (request, reply) => {
      const { applicant, platform } = await platformForm(request, 'change', request.params.id);
      const page = {
        mode: 'change',
        action: `/business/platforms/${platform.id}/change`,
        platform,
      } as const;
      return fileFromForm(request, reply, page, formInputOf(request), async (filing) => {
        const application = await fileChange(
          context,
          applicant,
          platform.id,
          { ...filing, informationChangedOn: filing.information_changed_on },
          actorContextOf(request),
        );
        return `/business/applications/${application.id}?done=filed`;
      });
    },
  );

  app.post(
    '/business/platforms/:id/reregister',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: applicationFormSchema },
    },
    async (request, reply) => {
      const { applicant, platform } = await platformForm(request, 'reregistration', request.params.id);
      const page = {
        mode: 'reregister',
        action: `/business/platforms/${platform.id}/reregister`,
        platform,
      } as const;
      return fileFromForm(request, reply, page, formInputOf(request), async (filing) => {
        const application = await fileReregistration(context, applicant, platform.id, filing, actorContextOf(request));
        return `/business/applications/${application.id}?done=filed`;
      });
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
      renderReviewQueue(
        request,
        reply,
        await listReviewQueue(context, request.query),
        request.query,
        await filingPeriods(context),
      ),
  );

  const showWorkbenchApplication = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; form?: FormState; status?: number } = {},
  ) => {
    const application = await getApplication(context, id);
    const events = await listApplicationEvents(context, id);
    return renderWorkbenchApplication(
      request,
      reply,
      {
        application,
        events,
        refusalGrounds: await listRefusalGrounds(db, nowOf(context)),
        names: await actorNames(context.database.db, [...events.map((event) => event.actor), application.decided_by]),
        done: extra.done,
        form: extra.form,
      },
      extra.status,
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

  /** An officer's decision form: the page again with the form's problems, or a redirect to the decided application. */
  const decide = async <Value>(
    request: FastifyRequest & { params: { id: string } },
    reply: FastifyReply,
    done: string,
    input: ReturnType<typeof formInputOf<Value>>,
    act: (value: Value) => Promise<unknown>,
  ) => {
    const refused = await submitForm(input, act);
    if (refused) return showWorkbenchApplication(request, reply, request.params.id, refused);
    return reply.redirect(`/workbench/applications/${request.params.id}?done=${done}`, 303);
  };
  const decision = { permission: 'applications:review' } as const;

  app.post(
    '/workbench/applications/:id/approve',
    {
      config: decision,
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: approveBodySchema },
    },
    async (request, reply) =>
      decide(request, reply, 'approved', formInputOf(request), (body) =>
        approveApplication(context, request.params.id, body.note ?? '', actorContextOf(request)),
      ),
  );
  app.post(
    '/workbench/applications/:id/reject',
    {
      config: decision,
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: rejectBodySchema },
    },
    async (request, reply) =>
      decide(request, reply, 'rejected', formInputOf(request), (body) =>
        rejectApplication(
          context,
          request.params.id,
          { ground: body.refusal_ground, reasons: body.reasons },
          actorContextOf(request),
        ),
      ),
  );
  app.post(
    '/workbench/applications/:id/request-supplement',
    {
      config: decision,
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: supplementBodySchema },
    },
    async (request, reply) =>
      decide(request, reply, 'supplement', formInputOf(request), (body) =>
        requestSupplement(context, request.params.id, body.missing, actorContextOf(request)),
      ),
  );
  app.post(
    '/workbench/applications/:id/check-domains',
    { config: decision, schema: { hide: true, params: idParamsSchema } },
    async (request, reply) =>
      decide(request, reply, 'checked', { ok: true, value: request.params.id }, (id) =>
        checkApplicationDomains(context, id, actorContextOf(request)),
      ),
  );

  await registerDecisionRoutes(app, context);
  await registerAnnualReportRoutes(app, context);
}

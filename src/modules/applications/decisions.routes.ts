/**
 * Routes of decisions on registrations: a platform's record in the workbench with the Agency's decisions and the
 * units' proposals, the Agency's list of requests, the business's termination request, and their API.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { notFound } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { type FormState, formInputOf } from '../../web/forms.ts';
import {
  actorContextOf,
  actorNames,
  can,
  getPrincipal,
  registerWorkbenchLink,
  requirePrincipal,
} from '../accounts/index.ts';
import { getPlatform, getStatusHistory } from '../registry/index.ts';
import { applicantOf, submitForm } from './applications.http.ts';
import { idParamsSchema, legalGroundListSchema, registrationActionBodySchema } from './applications.schemas.ts';
import {
  type ApplicationsContext,
  listApplicationsOfPlatform,
  listRegistrationActions,
  nowOf,
} from './applications.service.ts';
import {
  type PlatformForm,
  renderGroundsPage,
  renderRequestQueue,
  renderTerminationForm,
  renderWorkbenchPlatform,
} from './decisions.pages.ts';
import {
  acceptBodySchema,
  cancelBodySchema,
  decisionBodySchema,
  declineBodySchema,
  proposalBodySchema,
  registrationRequestListSchema,
  registrationRequestSchema,
  requestQuerySchema,
  terminationBodySchema,
} from './decisions.schemas.ts';
import { GROUND_KINDS, listAllGrounds, listGroundsInForce } from './legal-grounds.ts';
import {
  acceptRegistrationRequest,
  changeRegistrationStatus,
  declineRegistrationRequest,
  getRegistrationRequest,
  isOwner,
  listRegistrationRequests,
  proposeDecision,
  requestTermination,
} from './registration.service.ts';

const pageQuery = z.object({ lang: z.string().optional(), done: z.string().max(40).optional() });

export async function registerDecisionRoutes(app: App, context: ApplicationsContext): Promise<void> {
  const db = context.database.db;
  registerWorkbenchLink({
    href: '/workbench/registration-requests',
    label: { vi: 'Đề nghị chấm dứt, đề xuất hủy bỏ', en: 'Terminations and proposals' },
    permission: 'registrations:confirm',
  });
  registerWorkbenchLink({
    href: '/admin/grounds',
    label: { vi: 'Căn cứ pháp lý', en: 'Legal grounds' },
    permission: 'accounts:manage',
  });
  app.get(
    '/admin/grounds',
    { config: { permission: 'accounts:manage' }, schema: { hide: true, querystring: pageQuery } },
    async (request, reply) =>
      renderGroundsPage(
        request,
        reply,
        await Promise.all(GROUND_KINDS.map(async (kind) => ({ kind, grounds: await listAllGrounds(db, kind) }))),
      ),
  );

  const officerOf = (request: FastifyRequest) => ({ mayDecide: can(getPrincipal(request), 'registrations:decide') });

  const showWorkbenchPlatform = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; refused?: { form: PlatformForm; state: FormState }; status?: number } = {},
  ) => {
    const platform = await getPlatform(db, id);
    const history = await getStatusHistory(db, platform.id);
    const actions = await listRegistrationActions(context, platform.id);
    const requests = await listRegistrationRequests(db, { platformId: platform.id });
    const principal = getPrincipal(request);
    return renderWorkbenchPlatform(
      request,
      reply,
      {
        platform,
        history,
        actions,
        requests,
        grounds: await listGroundsInForce(db, 'cancellation', nowOf(context)),
        allGrounds: await listAllGrounds(db, 'cancellation'),
        names: await actorNames(db, [
          ...history.map((change) => change.changed_by),
          ...actions.map((action) => action.actor),
          ...requests.flatMap((item) => [item.requested_by, item.decided_by ?? '']),
        ]),
        applications: await listApplicationsOfPlatform(context, platform.id),
        may: {
          decide: can(principal, 'registrations:decide'),
          confirm: can(principal, 'registrations:confirm'),
          propose: can(principal, 'registrations:propose'),
        },
        done: extra.done,
        refused: extra.refused,
      },
      extra.status,
    );
  };

  /** Shows the platform's page again with the refused form, or goes back to it with `done`. */
  const onPlatform = async <Value>(
    request: FastifyRequest,
    reply: FastifyReply,
    platformId: string,
    form: PlatformForm,
    done: string,
    input: ReturnType<typeof formInputOf<Value>>,
    act: (value: Value) => Promise<unknown>,
  ) => {
    const refused = await submitForm(input, act);
    if (refused) {
      return showWorkbenchPlatform(request, reply, platformId, {
        refused: { form, state: refused.form },
        status: refused.status,
      });
    }
    return reply.redirect(`/workbench/platforms/${platformId}?done=${done}`, 303);
  };

  app.get(
    '/workbench/platforms/:id',
    {
      config: { permission: 'platforms:read' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => showWorkbenchPlatform(request, reply, request.params.id, { done: request.query.done }),
  );

  for (const action of ['suspend', 'reinstate'] as const) {
    app.post(
      `/workbench/platforms/:id/${action}`,
      {
        config: { permission: 'registrations:decide' },
        attachValidation: true,
        schema: { hide: true, params: idParamsSchema, body: registrationActionBodySchema },
      },
      async (request, reply) =>
        onPlatform(request, reply, request.params.id, action, action, formInputOf(request), (body) =>
          changeRegistrationStatus(
            context,
            request.params.id,
            action,
            { reason: body.reason, legalBasis: body.legal_basis },
            actorContextOf(request),
          ),
        ),
    );
  }

  app.post(
    '/workbench/platforms/:id/cancel',
    {
      config: { permission: 'registrations:decide' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: cancelBodySchema },
    },
    async (request, reply) =>
      onPlatform(request, reply, request.params.id, 'cancel', 'cancel', formInputOf(request), (body) =>
        changeRegistrationStatus(
          context,
          request.params.id,
          'cancel',
          { reason: body.reason, grounds: body.grounds },
          actorContextOf(request),
        ),
      ),
  );

  const propose = (request: FastifyRequest, platformId: string, body: z.output<typeof proposalBodySchema>) =>
    proposeDecision(
      context,
      { unitId: requirePrincipal(request).unitId ?? '' },
      platformId,
      body.kind,
      { note: body.note, evidence: body.evidence, grounds: body.grounds },
      actorContextOf(request),
    );

  app.post(
    '/workbench/platforms/:id/proposals',
    {
      config: { permission: 'registrations:propose' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: proposalBodySchema },
    },
    async (request, reply) =>
      onPlatform(request, reply, request.params.id, 'propose', 'proposed', formInputOf(request), (body) =>
        propose(request, request.params.id, body),
      ),
  );

  app.get(
    '/workbench/registration-requests',
    {
      config: { permission: 'registrations:confirm' },
      schema: { hide: true, querystring: requestQuerySchema },
    },
    async (request, reply) => {
      const requests = await listRegistrationRequests(db, { status: request.query.status });
      return renderRequestQueue(request, reply, {
        requests,
        grounds: await listAllGrounds(db, 'cancellation'),
        names: await actorNames(
          db,
          requests.map((item) => item.requested_by),
        ),
        done: request.query.done,
      });
    },
  );

  for (const decision of ['accept', 'decline'] as const) {
    app.post(
      `/workbench/registration-requests/:id/${decision}`,
      {
        config: { permission: 'registrations:confirm' },
        attachValidation: true,
        schema: {
          hide: true,
          params: idParamsSchema,
          body: decision === 'accept' ? acceptBodySchema : declineBodySchema,
        },
      },
      async (request, reply) => {
        const item = await getRegistrationRequest(db, request.params.id);
        const input = formInputOf<{ reason?: string | undefined; legal_basis?: string | undefined }>(request);
        return onPlatform(
          request,
          reply,
          item.platform_id,
          `${decision}-${item.id}`,
          decision === 'accept' ? 'accepted' : 'declined',
          input,
          (body) =>
            decision === 'accept'
              ? acceptRegistrationRequest(
                  context,
                  item.id,
                  { reason: body.reason, legalBasis: body.legal_basis },
                  officerOf(request),
                  actorContextOf(request),
                )
              : declineRegistrationRequest(
                  context,
                  item.id,
                  body.reason ?? '',
                  officerOf(request),
                  actorContextOf(request),
                ),
        );
      },
    );
  }

  // -------------------------------------------------------------------------------------------------
  // The business asks to terminate

  /** The platform, if the business's organisation owns it; to any other business it does not exist. */
  const ownPlatform = async (request: FastifyRequest, platformId: string) => {
    const applicant = await applicantOf(context, request);
    const platform = await getPlatform(db, platformId);
    if (!isOwner(platform, applicant.organisationTaxCode)) {
      throw notFound({ vi: 'Không có nền tảng này', en: `no platform with id ${platformId}` });
    }
    return platform;
  };

  const showTermination = async (
    request: FastifyRequest,
    reply: FastifyReply,
    platformId: string,
    extra: { done?: string | undefined; form?: FormState; status?: number } = {},
  ) => {
    const platform = await ownPlatform(request, platformId);
    const requests = (await listRegistrationRequests(db, { platformId })).filter((item) => item.kind === 'termination');
    return renderTerminationForm(
      request,
      reply,
      { platform, requests, form: extra.form, done: extra.done },
      extra.status,
    );
  };

  app.get(
    '/business/platforms/:id/terminate',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: idParamsSchema, querystring: pageQuery },
    },
    async (request, reply) => showTermination(request, reply, request.params.id, { done: request.query.done }),
  );

  app.post(
    '/business/platforms/:id/terminate',
    {
      config: { permission: 'applications:file' },
      attachValidation: true,
      schema: { hide: true, params: idParamsSchema, body: terminationBodySchema },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const refused = await submitForm(formInputOf<z.output<typeof terminationBodySchema>>(request), (body) =>
        requestTermination(context, applicant, request.params.id, body.note, actorContextOf(request)),
      );
      if (refused) {
        return showTermination(request, reply, request.params.id, { form: refused.form, status: refused.status });
      }
      return reply.redirect(`/business/platforms/${request.params.id}/terminate?done=requested`, 303);
    },
  );

  // -------------------------------------------------------------------------------------------------
  // API

  app.get(
    '/api/v1/cancellation-grounds',
    {
      config: { permission: 'platforms:read' },
      schema: {
        tags: ['registrations'],
        summary: 'Grounds for cancelling a notification or registration',
        description:
          'The grounds of Circular 47/2014/TT-BCT Art. 18 in force today, each with its provision, effective dates and whether its wording was verified against the official text.',
        response: { 200: legalGroundListSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async () => ({ grounds: await listGroundsInForce(db, 'cancellation', nowOf(context)) }),
  );

  app.post(
    '/api/v1/platforms/:id/termination-requests',
    {
      config: { permission: 'applications:file' },
      schema: {
        tags: ['registrations'],
        summary: 'Ask to terminate the notification or registration of one’s own platform',
        description: 'The E-Commerce Agency confirms; the register then shows the platform as `terminated`.',
        params: idParamsSchema,
        body: terminationBodySchema,
        response: {
          201: registrationRequestSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const applicant = await applicantOf(context, request);
      const created = await requestTermination(
        context,
        applicant,
        request.params.id,
        request.body.note,
        actorContextOf(request),
      );
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/platforms/:id/proposals',
    {
      config: { permission: 'registrations:propose' },
      schema: {
        tags: ['registrations'],
        summary: 'Propose that the E-Commerce Agency cancel or suspend a registration',
        description:
          'Inspection and market-surveillance units propose; the Agency decides. A proposal to cancel names at least one ground.',
        params: idParamsSchema,
        body: proposalBodySchema,
        response: {
          201: registrationRequestSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await propose(request, request.params.id, request.body)),
  );

  app.get(
    '/api/v1/registration-requests',
    {
      config: { permission: 'registrations:confirm' },
      schema: {
        tags: ['registrations'],
        summary: 'Termination requests and proposals',
        querystring: requestQuerySchema,
        response: { 200: registrationRequestListSchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => ({ requests: await listRegistrationRequests(db, { status: request.query.status }) }),
  );

  app.post(
    '/api/v1/registration-requests/:id/decision',
    {
      config: { permission: 'registrations:confirm' },
      schema: {
        tags: ['registrations'],
        summary: 'Accept or decline a termination request or a proposal',
        description:
          'Terminations: officers and heads of the E-Commerce Agency. Proposals to cancel or suspend: its heads (registrations:decide). Declining needs a reason; accepting a suspension a legal basis.',
        params: idParamsSchema,
        body: decisionBodySchema,
        response: {
          200: registrationRequestSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) =>
      request.body.decision === 'accept'
        ? acceptRegistrationRequest(
            context,
            request.params.id,
            { reason: request.body.reason, legalBasis: request.body.legal_basis },
            officerOf(request),
            actorContextOf(request),
          )
        : declineRegistrationRequest(
            context,
            request.params.id,
            request.body.reason ?? '',
            officerOf(request),
            actorContextOf(request),
          ),
  );
}

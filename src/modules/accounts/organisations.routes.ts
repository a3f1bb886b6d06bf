import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import type { UploadedFile } from '../../web/multipart.ts';
import { actorContextOf, registerWorkbenchLink, requirePrincipal } from './accounts.plugin.ts';
import { actorNames } from './accounts.service.ts';
import { renderBusinessClaimPage, renderClaimPage, renderClaimQueue } from './organisations.pages.ts';
import {
  claimListSchema,
  claimParamsSchema,
  claimQuerySchema,
  claimSchema,
  decisionBodySchema,
  ercFormSchema,
} from './organisations.schemas.ts';
import {
  accountVerificationWorkingDays,
  type ClaimDecision,
  decideClaim,
  fileOrganisationClaim,
  getClaim,
  getClaimDocument,
  getQueuedClaim,
  listClaimHistory,
  listClaimQueue,
  MAX_ERC_FILE_BYTES,
} from './organisations.service.ts';

/**
 * Claims to organisations (issue 9): the business files its enterprise registration certificate at
 * /business/organisation; officers of the E-Commerce Agency verify, reject or ask for more at /workbench/organisations
 * (and through the API).
 */

const businessQuery = z.object({
  lang: z.string().optional(),
  notice: z.enum(['verify_first']).optional(),
  done: z.enum(['filed']).optional(),
});

function organisationOf(request: FastifyRequest): string {
  const organisationId = requirePrincipal(request).organisationId;
  if (!organisationId) {
    throw new AppError('forbidden', {
      vi: 'Chỉ tài khoản doanh nghiệp mới có tổ chức để xác minh',
      en: 'only a business account has an organisation to verify',
    });
  }
  return organisationId;
}

export async function registerOrganisationRoutes(app: App, options: { db: Db }): Promise<void> {
  const { db } = options;
  registerWorkbenchLink({
    href: '/business/organisation',
    label: { vi: 'Xác minh tổ chức', en: 'Your organisation' },
    permission: 'organisations:claim',
  });
  registerWorkbenchLink({
    href: '/workbench/organisations',
    label: { vi: 'Xác minh tổ chức', en: 'Organisation claims' },
    permission: 'organisations:verify',
  });

  // -------------------------------------------------------------------------------------------------
  // The business

  app.get(
    '/business/organisation',
    { config: { permission: 'organisations:claim' }, schema: { hide: true, querystring: businessQuery } },
    async (request, reply) =>
      renderBusinessClaimPage(request, reply, {
        claim: await getClaim(db, organisationOf(request)),
        verificationDays: await accountVerificationWorkingDays(db),
        notice: request.query.notice,
        done: request.query.done,
      }),
  );

  // The certificate is streamed within these limits: one file of at most 5 MB (its type is checked by its content).
  app.post(
    '/business/organisation',
    {
      config: { permission: 'organisations:claim', multipart: { maxFiles: 1, maxFileBytes: MAX_ERC_FILE_BYTES } },
      attachValidation: true,
      schema: { hide: true, body: ercFormSchema },
    },
    async (request, reply) => {
      const organisationId = organisationOf(request);
      const input = formInputOf(request);
      const refuse = async (form: FormState, status: number) =>
        renderBusinessClaimPage(
          request,
          reply,
          {
            claim: await getClaim(db, organisationId),
            verificationDays: await accountVerificationWorkingDays(db),
            form,
          },
          status,
        );
      if (!input.ok) return refuse(input.form, 400);
      const value = input.value;
      const file = (value.erc_file as UploadedFile[])[0];
      try {
        await fileOrganisationClaim(db, actorContextOf(request), organisationId, {
          ercNumber: value.erc_number,
          ercIssuedOn: value.erc_issued_on,
          ercIssuer: value.erc_issuer,
          representativeName: value.representative_name,
          representativeTitle: value.representative_title,
          file: file ? { filename: file.filename, content: file.content } : undefined,
        });
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return refuse(failed.form, failed.status);
      }
      return reply.redirect('/business/organisation?done=filed', 303);
    },
  );

  // -------------------------------------------------------------------------------------------------
  // The officers' pages

  app.get(
    '/workbench/organisations',
    { config: { permission: 'organisations:verify' }, schema: { hide: true, querystring: claimQuerySchema } },
    async (request, reply) =>
      renderClaimQueue(request, reply, {
        claims: await listClaimQueue(db, { status: request.query.status }),
        status: request.query.status,
        verificationDays: await accountVerificationWorkingDays(db),
      }),
  );

  const showClaim = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: { done?: string | undefined; refused?: { decision: ClaimDecision; form: FormState }; status?: number } = {},
  ) => {
    const claim = await getQueuedClaim(db, id);
    const history = await listClaimHistory(db, id);
    return renderClaimPage(
      request,
      reply,
      {
        claim,
        verificationDays: await accountVerificationWorkingDays(db),
        history,
        actorNames: await actorNames(db, [claim.decided_by, ...history.map((event) => event.actor)], 'email'),
        done: extra.done,
        refused: extra.refused,
      },
      extra.status,
    );
  };

  app.get(
    '/workbench/organisations/:id',
    {
      config: { permission: 'organisations:verify' },
      schema: { hide: true, params: claimParamsSchema, querystring: claimQuerySchema.pick({ lang: true, done: true }) },
    },
    async (request, reply) => showClaim(request, reply, request.params.id, { done: request.query.done }),
  );

  app.get(
    '/workbench/organisations/:id/document',
    { config: { permission: 'organisations:verify' }, schema: { hide: true, params: claimParamsSchema } },
    async (request, reply) => {
      const file = await getClaimDocument(db, request.params.id);
      return reply
        .type(file.content_type)
        .header('content-disposition', contentDisposition('attachment', file.filename))
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, no-store')
        .send(file.content);
    },
  );

  app.post(
    '/workbench/organisations/:id/decision',
    {
      config: { permission: 'organisations:verify' },
      attachValidation: true,
      schema: { hide: true, params: claimParamsSchema, body: decisionBodySchema },
    },
    async (request, reply) => {
      const { id } = request.params;
      const input = formInputOf(request);
      const typed = (request.body as { decision?: unknown } | undefined)?.decision;
      const decision: ClaimDecision =
        typed === 'verify' || typed === 'reject' || typed === 'request_supplement' ? typed : 'reject';
      if (!input.ok) return showClaim(request, reply, id, { refused: { decision, form: input.form }, status: 400 });
      try {
        await decideClaim(db, actorContextOf(request), id, input.value);
      } catch (error) {
        const failed = formStateOfError(error, echoValues(request.body));
        return showClaim(request, reply, id, { refused: { decision, form: failed.form }, status: failed.status });
      }
      return reply.redirect(`/workbench/organisations/${id}?done=${input.value.decision}`, 303);
    },
  );

  // -------------------------------------------------------------------------------------------------
  // API

  app.get(
    '/api/v1/organisations/claims',
    {
      config: { permission: 'organisations:verify' },
      schema: {
        tags: ['accounts'],
        summary: 'Claims to organisations',
        description:
          'Business accounts asking to be verified as their organisation’s owner, from the certificate they filed; `open` (default) lists those awaiting a decision or a supplement, the nearest due day (3 working days, Circular 47/2014/TT-BCT) first, each with the other claims of its tax code.',
        querystring: claimQuerySchema.pick({ status: true }),
        response: { 200: claimListSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => ({ claims: await listClaimQueue(db, { status: request.query.status }) }),
  );

  app.post(
    '/api/v1/organisations/claims/:id/decision',
    {
      config: { permission: 'organisations:verify' },
      schema: {
        tags: ['accounts'],
        summary: 'Verify, reject or ask a supplement of a claim',
        description:
          'Only a submitted claim is decided. Verifying it makes its account the one owner of the tax code and supersedes the other open claims of the tax code; a second verification of the same tax code answers 409. Send the CSRF token as `x-csrf-token` when signed in with the session cookie.',
        params: claimParamsSchema,
        body: decisionBodySchema,
        response: {
          200: claimSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
          404: errorBodySchema,
          409: errorBodySchema,
        },
      },
    },
    async (request) => decideClaim(db, actorContextOf(request), request.params.id, request.body),
  );
}

/** Routes of complaints: the public form and API (rate limited per client address), the public list, the workbench. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { spreadsheetCsv } from '../../core/csv.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import type { App } from '../../core/http.ts';
import { errorBodySchema } from '../../core/http.ts';
import { contentDisposition } from '../../web/downloads.ts';
import { echoValues, type FormState, formInputOf, formStateOfError } from '../../web/forms.ts';
import type { UploadedFile } from '../../web/multipart.ts';
import {
  actorContextOf,
  can,
  findOrganisationOfBusiness,
  getPrincipal,
  registerWorkbenchLink,
  requirePrincipal,
} from '../accounts/index.ts';
import { unitWithDuty } from '../units/index.ts';
import {
  renderBusinessExplanations,
  renderComplainedList,
  renderComplaintForm,
  renderComplaintReceived,
  renderWorkbenchComplaints,
} from './complaints.pages.ts';
import {
  complaintAnswerSchema,
  complaintBodySchema,
  complaintFormSchema,
  judgeBodySchema,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  newComplaintQuerySchema,
  PAYMENT_METHODS,
  replyBodySchema,
  routeBodySchema,
  targetIdParamsSchema,
  workbenchQuerySchema,
} from './complaints.schemas.ts';
import {
  complaintRuleInForce,
  complaintStats,
  judgeExplanation,
  listComplainedAbout,
  listExplanationRequestsOf,
  listTargets,
  recordExplanationReply,
  replyAsBusiness,
  routeComplaintTarget,
  submitComplaint,
} from './complaints.service.ts';

export interface ComplaintRouteOptions {
  database: Database;
  /** Complaints per hour per client address (form and API together count separately); 0 = no limit. */
  complaintsPerHour: number;
  /** A form sent sooner than this after it was shown is a bot's (ms). */
  minFillMs?: number | undefined;
}

const MIN_FILL_MS = 3_000;

export async function registerComplaintsRoutes(app: App, options: ComplaintRouteOptions): Promise<void> {
  const { database } = options;
  const db = database.db;
  const perHour = options.complaintsPerHour;
  const limit = { rateLimit: perHour > 0 ? { max: perHour, timeWindow: 3_600_000 } : (false as const) };
  const minFillMs = options.minFillMs ?? MIN_FILL_MS;

  registerWorkbenchLink({
    href: '/workbench/complaints',
    label: { vi: 'Phản ánh của người tiêu dùng', en: 'Consumer complaints' },
    permission: 'complaints:read',
  });

  app.get('/complaints/new', { schema: { hide: true, querystring: newComplaintQuerySchema } }, async (request, reply) =>
    renderComplaintForm(request, reply, { target: request.query.target }),
  );

  const refuse = (request: FastifyRequest, reply: FastifyReply, refused: { form: FormState; status: number }) =>
    renderComplaintForm(request, reply, { form: refused.form }, refused.status);

  app.post(
    '/complaints',
    {
      config: { ...limit, multipart: { maxFiles: MAX_ATTACHMENTS, maxFileBytes: MAX_ATTACHMENT_BYTES } },
      attachValidation: true,
      schema: { hide: true, body: complaintFormSchema },
    },
    async (request, reply) => {
      const input = formInputOf(request);
      if (!input.ok) return refuse(request, reply, { form: input.form, status: 400 });
      const form = input.value;
      // A bot filled the hidden field: it is told all went well, and nothing is kept.
      if (form.website) return reply.redirect('/complaints/received', 303);
      const shownAt = Number(form.shown_at);
      if (!Number.isFinite(shownAt) || Date.now() - shownAt < minFillMs) {
        return refuse(request, reply, {
          form: {
            values: echoValues(request.body),
            issues: [
              {
                field: 'what_happened',
                message: {
                  vi: 'Biểu mẫu được gửi quá nhanh. Hãy kiểm tra lại nội dung rồi gửi lại.',
                  en: 'The form was sent too quickly. Check what you wrote and send it again.',
                },
              },
            ],
          },
          status: 400,
        });
      }
      try {
        await submitComplaint(
          database,
          actorContextOf(request),
          {
            target: form.target,
            what_happened: form.what_happened,
            ...(form.amount_vnd !== undefined ? { amount_vnd: form.amount_vnd } : {}),
            ...(form.payment_method ? { payment_method: form.payment_method } : {}),
            ...(form.occurred_on ? { occurred_on: form.occurred_on } : {}),
            reporter: {
              ...(form.name ? { name: form.name } : {}),
              ...(form.email ? { email: form.email } : {}),
              ...(form.phone ? { phone: form.phone } : {}),
            },
          },
          'form',
          form.attachments.map((file) => ({ filename: file.filename, content: file.content })),
        );
      } catch (error) {
        return refuse(request, reply, formStateOfError(error, echoValues(request.body)));
      }
      return reply.redirect('/complaints/received', 303);
    },
  );

  app.get('/complaints/received', { schema: { hide: true } }, async (request, reply) =>
    renderComplaintReceived(request, reply, unitWithDuty('consumer_protection').id),
  );

  // Files sent with a multipart complaint, kept aside while its JSON part is validated as the body.
  const filesOf = new WeakMap<FastifyRequest, UploadedFile[]>();
  app.post(
    '/api/v1/complaints',
    {
      config: { ...limit, multipart: { maxFiles: MAX_ATTACHMENTS, maxFileBytes: MAX_ATTACHMENT_BYTES } },
      // multipart/form-data: the part `complaint` is the JSON body, `attachments` the files; it then goes through the
      // same validation as a JSON body.
      preValidation: async (request) => {
        if (!String(request.headers['content-type'] ?? '').startsWith('multipart/form-data')) return;
        const { complaint, files } = complaintOfMultipart(request.body as Record<string, unknown>);
        // Validated next, as a JSON body would be.
        request.body = complaint as typeof request.body;
        filesOf.set(request, files);
      },
      schema: {
        tags: ['complaints'],
        summary: 'File a consumer complaint (DESIGN.md "Complaint")',
        description: `Public; no account. Rate limited per client address (COMPLAINT_RATE_LIMIT per hour). The same complaint (same reporter, target and facts) is merged into the first. With attachments: multipart/form-data, the complaint as JSON in the part \`complaint\` and up to ${MAX_ATTACHMENTS} files (PDF, JPEG or PNG, judged by their content; ${MAX_ATTACHMENT_BYTES / 2 ** 20} MB each) in \`attachments\`.`,
        body: complaintBodySchema,
        response: { 201: complaintAnswerSchema, 400: errorBodySchema, 413: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request, reply) => {
      const files = filesOf.get(request) ?? [];
      const result = await submitComplaint(
        database,
        actorContextOf(request),
        request.body,
        'api',
        files.map((file) => ({ filename: file.filename, content: file.content })),
        (index) => `attachments[${index}]`,
      );
      return reply.code(201).send(result);
    },
  );

  app.get('/complained', { schema: { hide: true } }, async (request, reply) =>
    renderComplainedList(request, reply, {
      targets: await listComplainedAbout(db),
      rule: await complaintRuleInForce(db),
    }),
  );

  app.get(
    '/workbench/complaints',
    { config: { permission: 'complaints:read' }, schema: { hide: true, querystring: workbenchQuerySchema } },
    async (request, reply) => {
      if (request.query.format === 'stats-csv') {
        const stats = await complaintStats(db);
        const channels = ['form', 'api', 'import'];
        const methods = [...PAYMENT_METHODS, 'unknown'];
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', contentDisposition('attachment', `complaint-stats-${todayInVietnam()}.csv`))
          .send(
            spreadsheetCsv([
              [
                'target',
                'complaints',
                'amount_vnd',
                ...channels.map((c) => `channel_${c}`),
                ...methods.map((m) => `payment_${m}`),
              ],
              ...stats.map((item) => [
                item.target,
                item.complaints,
                item.amount_vnd,
                ...channels.map((c) => item.by_channel[c] ?? 0),
                ...methods.map((m) => item.by_payment_method[m] ?? 0),
              ]),
            ]),
          );
      }
      const targets = await listTargets(db);
      if (request.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', contentDisposition('attachment', `complaints-${todayInVietnam()}.csv`))
          .send(
            spreadsheetCsv([
              [
                'target',
                'kind',
                'complaints',
                'reporters',
                'duplicates',
                'amount_vnd',
                'state',
                'explanation_due_on',
                'listed_on',
                'unit',
              ],
              ...targets.map((target) => [
                target.target,
                target.kind,
                target.complaints,
                target.reporters,
                target.duplicates,
                target.amount_vnd,
                target.state,
                target.explanation_due_on,
                target.listed_on,
                target.unit_id,
              ]),
            ]),
          );
      }
      return renderWorkbenchComplaints(request, reply, {
        targets,
        rule: await complaintRuleInForce(db),
        mayJudge: can(getPrincipal(request), 'complaints:judge'),
        done: request.query.done,
      });
    },
  );

  const step = <Body>(name: string, run: (request: FastifyRequest, id: string, body: Body) => Promise<unknown>) =>
    app.post(
      `/workbench/complaints/:id/${name}`,
      {
        config: { permission: 'complaints:judge' },
        schema: {
          hide: true,
          params: targetIdParamsSchema,
          body: name === 'judge' ? judgeBodySchema : name === 'route' ? routeBodySchema : replyBodySchema,
        },
      },
      async (request, reply) => {
        await run(request, request.params.id, request.body as Body);
        return reply.redirect(`/workbench/complaints?done=${name}`, 303);
      },
    );
  step<{ reply: string }>('reply', (request, id, body) =>
    recordExplanationReply(database, actorContextOf(request), id, body.reply),
  );
  step<{ adequate: 'yes' | 'no' }>('judge', (request, id, body) =>
    judgeExplanation(database, actorContextOf(request), id, body.adequate === 'yes'),
  );
  step<{ unit: string; note?: string }>('route', (request, id, body) =>
    routeComplaintTarget(database, actorContextOf(request), id, body),
  );

  // -------------------------------------------------------------------------------------------------
  // The business answers the request for explanation in its account.

  registerWorkbenchLink({
    href: '/business/complaints',
    label: { vi: 'Yêu cầu giải trình về phản ánh', en: 'Requests to explain complaints' },
    permission: 'applications:file',
  });

  const taxCodeOf = async (request: FastifyRequest): Promise<string> => {
    const principal = requirePrincipal(request);
    const organisation = principal.organisationId
      ? await findOrganisationOfBusiness(db, principal.organisationId)
      : undefined;
    if (!organisation?.tax_code) {
      throw new AppError('forbidden', {
        vi: 'Chỉ tài khoản doanh nghiệp mới gửi giải trình',
        en: 'only a business account answers a request for explanation',
      });
    }
    return organisation.tax_code;
  };

  app.get(
    '/business/complaints',
    { config: { permission: 'applications:file' }, schema: { hide: true, querystring: workbenchQuerySchema } },
    async (request, reply) =>
      renderBusinessExplanations(request, reply, {
        targets: await listExplanationRequestsOf(db, await taxCodeOf(request)),
        done: request.query.done,
      }),
  );

  app.post(
    '/business/complaints/:id/reply',
    {
      config: { permission: 'applications:file' },
      schema: { hide: true, params: targetIdParamsSchema, body: replyBodySchema },
    },
    async (request, reply) => {
      await replyAsBusiness(
        database,
        actorContextOf(request),
        await taxCodeOf(request),
        request.params.id,
        request.body.reply,
      );
      return reply.redirect('/business/complaints?done=replied', 303);
    },
  );
}

/** The complaint (the JSON part `complaint`) and its files (`attachments`) of a multipart API request, checked. */
function complaintOfMultipart(body: Record<string, unknown>): { complaint: unknown; files: UploadedFile[] } {
  const raw = body.attachments;
  const files = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) as UploadedFile[];
  if (files.some((file) => typeof file !== 'object' || !Buffer.isBuffer(file.content))) {
    throw invalidInput({ vi: 'attachments phải là tệp', en: 'attachments must be files' }, 'attachments');
  }
  if (files.length > MAX_ATTACHMENTS) {
    throw invalidInput(
      { vi: `Tối đa ${MAX_ATTACHMENTS} tệp đính kèm.`, en: `at most ${MAX_ATTACHMENTS} attachments` },
      'attachments',
    );
  }
  const tooBig = files.findIndex((file) => file.truncated || file.content.length > MAX_ATTACHMENT_BYTES);
  if (tooBig >= 0) {
    const limit = `${MAX_ATTACHMENT_BYTES / 2 ** 20} MB`;
    throw invalidInput(
      {
        vi: `Tệp “${files[tooBig]?.filename}” lớn hơn ${limit}.`,
        en: `the file “${files[tooBig]?.filename}” is larger than ${limit}`,
      },
      `attachments[${tooBig}]`,
    );
  }
  if (typeof body.complaint !== 'string') {
    throw invalidInput(
      {
        vi: 'Thiếu phần “complaint”: nội dung phản ánh dạng JSON',
        en: 'the part “complaint” is missing: the complaint as JSON',
      },
      'complaint',
    );
  }
  try {
    return { complaint: JSON.parse(body.complaint), files };
  } catch {
    throw invalidInput({ vi: 'Phần “complaint” không phải JSON', en: 'the part “complaint” is not JSON' }, 'complaint');
  }
}

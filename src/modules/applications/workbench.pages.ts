/**
 * The officers' pages: the review queue by deadline and an application with its actions (a platform's record with
 * its decisions is in `decisions.pages.ts`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { csrfField } from '../accounts/index.ts';
import { APPLICATION_TYPE_LABELS, labelOf } from './applications.labels.ts';
import type { Application, ApplicationEvent, QueueQuery } from './applications.service.ts';
import {
  type ActorNames,
  actorName,
  applicationStatusTag,
  applicationSummary,
  COMMON,
  deadlineLine,
  deadlineTag,
  domainCheckNotice,
  domainControlSection,
  historyTable,
  pageContext,
  sendAppPage,
  type T,
  when,
} from './applications.view.ts';
import type { FilingPeriods } from './filing.service.ts';

const TEXT = {
  queueTitle: { vi: 'Hồ sơ chờ xem xét', en: 'Applications to review' },
  queueLead: {
    vi: 'Thời hạn xem xét kể từ ngày tiếp nhận (không tính thứ Bảy, Chủ nhật, ngày lễ, Tết), giờ Việt Nam, theo bảng thủ tục: thông báo {notification}, đăng ký {registration}, thay đổi thông tin {change}, đăng ký lại {reregistration} ngày làm việc.',
    en: 'Review period from receipt (Saturdays, Sundays and public holidays excluded), Vietnam time, from the table of procedures: notification {notification}, registration {registration}, change of information {change}, re-registration {reregistration} working days.',
  },
  tabSubmitted: { vi: 'Chờ xem xét', en: 'Awaiting review' },
  tabSupplement: { vi: 'Chờ bổ sung', en: 'Awaiting supplements' },
  tabApproved: { vi: 'Đã xác nhận', en: 'Approved' },
  tabRejected: { vi: 'Đã từ chối', en: 'Rejected' },
  tabAll: { vi: 'Tất cả', en: 'All' },
  total: { vi: '{n} hồ sơ', en: '{n} applications' },
  empty: { vi: 'Không có hồ sơ nào.', en: 'No applications.' },
  domainsProved: { vi: '{a}/{b} đã chứng minh', en: '{a}/{b} proved' },
  detailBack: { vi: '← Hồ sơ chờ xem xét', en: '← Applications to review' },
  actions: { vi: 'Xử lý hồ sơ', en: 'Decide' },
  approve: { vi: 'Xác nhận hồ sơ', en: 'Approve' },
  approveHint: {
    vi: 'Cấp số đăng ký và đưa vào danh sách với tình trạng “đã thông báo” hoặc “đã đăng ký”.',
    en: 'Issues the registration number and enters the platform into the register as notified or registered.',
  },
  approveBlocked: {
    vi: 'Chưa thể xác nhận: doanh nghiệp chưa chứng minh quyền quản lý mọi tên miền.',
    en: 'Cannot approve yet: control of every domain is not proved.',
  },
  approveNote: { vi: 'Ghi chú (không bắt buộc)', en: 'Note (optional)' },
  supplement: { vi: 'Yêu cầu bổ sung', en: 'Request supplements' },
  supplementHint: {
    vi: 'Nêu rõ nội dung còn thiếu; thời hạn xem xét được tính lại khi doanh nghiệp nộp lại.',
    en: 'Say what is missing; the review period starts again when the business resubmits.',
  },
  missing: { vi: 'Nội dung cần bổ sung', en: 'What is missing' },
  reject: { vi: 'Từ chối', en: 'Reject' },
  reasons: { vi: 'Lý do từ chối', en: 'Reasons' },
  decided: { vi: 'Đã xử lý', en: 'Decided' },
  decidedBy: { vi: 'Người xử lý', en: 'Decided by' },
  platformRecord: { vi: 'Hồ sơ nền tảng', en: 'Platform record' },
} satisfies Record<string, Localized>;

const DONE: Record<string, Localized> = {
  approved: { vi: 'Đã xác nhận hồ sơ và cấp số đăng ký.', en: 'Approved; the registration number is issued.' },
  rejected: { vi: 'Đã từ chối hồ sơ.', en: 'Application rejected.' },
  supplement: { vi: 'Đã gửi yêu cầu bổ sung.', en: 'Supplements requested.' },
};

// ---------------------------------------------------------------------------------------------------
// The queue

export function renderReviewQueue(
  request: FastifyRequest,
  reply: FastifyReply,
  result: { total: number; applications: Application[] },
  query: QueueQuery,
  periods: FilingPeriods,
) {
  const context = pageContext(request);
  const { t } = context;
  const tabs: Array<[QueueQuery['status'], Localized]> = [
    ['submitted', TEXT.tabSubmitted],
    ['supplement_requested', TEXT.tabSupplement],
    ['approved', TEXT.tabApproved],
    ['rejected', TEXT.tabRejected],
    ['all', TEXT.tabAll],
  ];
  const pageLink = (offset: number) =>
    `/workbench/applications?${new URLSearchParams({ status: query.status, offset: String(offset) })}`;
  const main = html`<h1>${t(TEXT.queueTitle)}</h1>
<p class="lead">${t(fill(TEXT.queueLead, { ...periods }))}</p>
<nav class="tabs" aria-label="${t(COMMON.status)}">
  ${tabs.map(
    ([status, label]) =>
      html`<a href="/workbench/applications?status=${status}"${status === query.status ? html` aria-current="page"` : ''}>${t(label)}</a>`,
  )}
</nav>
<p>${t(fill(TEXT.total, { n: result.total }))}</p>
${
  result.applications.length === 0
    ? html`<p>${t(TEXT.empty)}</p>`
    : html`<table class="responsive-table queue">
  <thead><tr><th scope="col">${t(COMMON.deadline)}</th><th scope="col">${t(COMMON.reference)}</th><th scope="col">${t(COMMON.siteName)}</th><th scope="col">${t(COMMON.type)}</th><th scope="col">${t(COMMON.organisation)}</th><th scope="col">${t(COMMON.domains)}</th><th scope="col">${t(COMMON.status)}</th></tr></thead>
  <tbody>${result.applications.map((application) => {
    const proved = application.domains.filter((domain) => domain.verified).length;
    return html`<tr data-reference="${application.reference}" data-deadline="${application.deadline_status ?? ''}">
    <td data-label="${t(COMMON.deadline)}">${application.status === 'submitted' ? html`${formatCalendarDate(application.due_on)}<br>${deadlineTag(t, application)}` : '—'}</td>
    <td data-label="${t(COMMON.reference)}"><a href="/workbench/applications/${application.id}">${application.reference}</a></td>
    <td data-label="${t(COMMON.siteName)}">${application.site_name}</td>
    <td data-label="${t(COMMON.type)}">${t(labelOf(APPLICATION_TYPE_LABELS, application.type))}</td>
    <td data-label="${t(COMMON.organisation)}">${application.org_name}</td>
    <td data-label="${t(COMMON.domains)}">${application.domains[0]?.domain ?? ''}<br><span class="hint-inline">${t(fill(TEXT.domainsProved, { a: proved, b: application.domains.length }))}</span></td>
    <td data-label="${t(COMMON.status)}">${applicationStatusTag(t, application.status)}</td>
  </tr>`;
  })}</tbody>
</table>`
}
<nav class="pagination" aria-label="pagination">
  ${query.offset > 0 ? html`<a href="${pageLink(Math.max(0, query.offset - query.limit))}">←</a>` : ''}
  ${query.offset + query.limit < result.total ? html`<a href="${pageLink(query.offset + query.limit)}">→</a>` : ''}
</nav>`;
  return sendAppPage(reply, context, {
    title: t(TEXT.queueTitle),
    path: '/workbench/applications',
    query: { status: query.status },
    main,
  });
}

// ---------------------------------------------------------------------------------------------------
// One application

export interface WorkbenchApplicationState {
  application: Application;
  events: ApplicationEvent[];
  done?: string | undefined;
  /**
   * A decision form refused, what was typed in it and why. The decision forms' fields have names of their own
   * (note, missing, reasons), so one state serves the page; `domains` is the approval's problem of unproved domains.
   */
  form?: FormState | undefined;
  names?: ActorNames;
}

/** The decision forms' fields have ids of their own on the page ("field-note"), apart from the header's. */
const DECISION_IDS = { idPrefix: 'field-' };

const DECISION_LABELS: Readonly<Record<string, Localized>> = {
  note: TEXT.approveNote,
  missing: TEXT.missing,
  reasons: TEXT.reasons,
};

function decisionForms(request: FastifyRequest, t: T, state: WorkbenchApplicationState): SafeHtml | string {
  const application = state.application;
  const base = `/workbench/applications/${application.id}`;
  if (application.status !== 'submitted' && application.status !== 'supplement_requested') {
    return html`<h2>${t(TEXT.decided)}</h2>
<dl class="summary-list">
  <dt>${t(COMMON.status)}</dt><dd>${applicationStatusTag(t, application.status)}</dd>
  ${application.registration_no ? html`<dt>${t(COMMON.registrationNo)}</dt><dd>${application.registration_no}</dd>` : ''}
  <dt>${t(COMMON.note)}</dt><dd class="preserve-lines">${application.decision_reason ?? '—'}</dd>
  <dt>${t(TEXT.decidedBy)}</dt><dd>${actorName(state.names, application.decided_by)} · ${when(application.decided_at)}</dd>
</dl>
${application.platform_id ? html`<p><a href="/workbench/platforms/${application.platform_id}">${t(TEXT.platformRecord)}</a></p>` : ''}`;
  }
  const form = formView(t, state.form ?? EMPTY_FORM, DECISION_IDS);
  const allProved = application.domains.every((domain) => domain.verified);
  const unproved = form.messagesOf('domains');
  return html`<h2>${t(TEXT.actions)}</h2>
<div class="decision-grid">
${
  application.status === 'submitted'
    ? html`<form method="post" action="${base}/approve" class="decision" novalidate>
  ${csrfField(request)}
  <h3>${t(TEXT.approve)}</h3>
  <p class="hint">${t(TEXT.approveHint)}</p>
  ${
    unproved.length > 0
      ? html`<p class="field-error" id="field-domains">${unproved.join(' · ')}</p>`
      : allProved
        ? ''
        : html`<p class="field-error">${t(TEXT.approveBlocked)}</p>`
  }
  ${form.text({ name: 'note', label: TEXT.approveNote, rows: 3, maxlength: 4000 })}
  <button type="submit"${allProved ? '' : html` disabled aria-disabled="true"`}>${t(TEXT.approve)}</button>
</form>
<form method="post" action="${base}/request-supplement" class="decision" novalidate>
  ${csrfField(request)}
  <h3>${t(TEXT.supplement)}</h3>
  ${form.text({ name: 'missing', label: TEXT.missing, hint: TEXT.supplementHint, rows: 3, maxlength: 4000, required: true })}
  <button type="submit" class="button-secondary">${t(TEXT.supplement)}</button>
</form>`
    : ''
}
<form method="post" action="${base}/reject" class="decision" novalidate>
  ${csrfField(request)}
  <h3>${t(TEXT.reject)}</h3>
  ${form.text({ name: 'reasons', label: TEXT.reasons, rows: 3, maxlength: 4000, required: true })}
  <button type="submit" class="button-warning">${t(TEXT.reject)}</button>
</form>
</div>`;
}

export function renderWorkbenchApplication(
  request: FastifyRequest,
  reply: FastifyReply,
  state: WorkbenchApplicationState,
  status = 200,
) {
  const context = pageContext(request);
  const { t } = context;
  const application = state.application;
  const main = html`<p><a href="/workbench/applications">${t(TEXT.detailBack)}</a></p>
<h1>${application.site_name}</h1>
<p>${application.reference} · ${t(labelOf(APPLICATION_TYPE_LABELS, application.type))} · ${applicationStatusTag(t, application.status)}
${application.status === 'submitted' ? html` · ${t(COMMON.deadline)}: ${deadlineLine(t, application)}` : ''}</p>
${state.done === 'checked' ? domainCheckNotice(t, application) : successNotice(t, state.done ? DONE[state.done] : undefined)}
${formView(t, state.form ?? EMPTY_FORM, DECISION_IDS).summary(DECISION_LABELS)}
${
  application.status === 'supplement_requested'
    ? html`<div class="verdict verdict-warn"><h2>${t(TEXT.tabSupplement)}</h2><p class="preserve-lines">${application.supplement_request ?? ''}</p></div>`
    : ''
}
${domainControlSection(context, application, {
  action: `/workbench/applications/${application.id}/check-domains`,
  csrf: csrfField(request),
  showToken: false,
  heading: COMMON.domainControlOfficer,
})}
${decisionForms(request, t, state)}
<h2>${t(COMMON.content)}</h2>
${applicationSummary(t, application)}
${historyTable(t, state.events, { showActor: true, names: state.names })}`;
  return sendAppPage(reply, context, {
    title: `${application.reference} – ${application.site_name}`,
    path: `/workbench/applications/${application.id}`,
    main,
    status,
  });
}

/**
 * Pages of decisions on registrations: a platform's record with the Agency's decisions (suspension, cancellation on
 * its grounds, reinstatement), the units' proposal form and the open requests to accept or decline; the Agency's
 * list of requests; and the business's request to terminate its notification or registration.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { deadlineTag, tag } from '../../web/tags.ts';
import { csrfField } from '../accounts/index.ts';
import { SOURCE_STATUS_LABELS, sourceStatusTag } from '../procedures/index.ts';
import { kindLabel, type Platform, type StatusChange, statusLabel, statusTone } from '../registry/index.ts';
import { unitLabel } from '../units/index.ts';
import { ACTION_LABELS, APPLICATION_TYPE_LABELS, LAW_TYPE_LABELS, labelOf } from './applications.labels.ts';
import type { Application, RegistrationActionRecord } from './applications.service.ts';
import {
  type ActorNames,
  actorName,
  applicationStatusTag,
  COMMON,
  list,
  pageContext,
  sendAppPage,
  type T,
  when,
} from './applications.view.ts';
import { GROUND_KIND_LABELS, type GroundKind, type LegalGround } from './legal-grounds.ts';
import { ALLOWED_FROM, type RegistrationRequest } from './registration.service.ts';

const TEXT = {
  dueOn: { vi: 'Hạn xử lý', en: 'Due' },
  detailBack: { vi: '← Hồ sơ chờ xem xét', en: '← Applications to review' },
  backToApplications: { vi: '← Hồ sơ của doanh nghiệp', en: '← Your applications' },
  platformRecord: { vi: 'Hồ sơ nền tảng', en: 'Platform record' },
  publicRecord: { vi: 'Trang công khai', en: 'Public page' },
  validity: { vi: 'Hiệu lực', en: 'Validity' },
  statusHistory: { vi: 'Lịch sử tình trạng', en: 'Status history' },
  change: { vi: 'Thay đổi', en: 'Change' },
  reason: { vi: 'Lý do', en: 'Reason' },
  note: { vi: 'Ghi chú', en: 'Note' },
  legalBasis: { vi: 'Căn cứ pháp lý', en: 'Legal basis' },
  legalBasisHint: {
    vi: 'Văn bản và điều khoản, ví dụ: Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP), Điều …',
    en: 'Instrument and article, e.g. Decree 52/2013/ND-CP as amended by Decree 85/2021/ND-CP, Art. …',
  },
  grounds: { vi: 'Căn cứ hủy bỏ', en: 'Grounds of cancellation' },
  groundsHint: {
    vi: 'Chọn một hoặc nhiều căn cứ theo Điều 18 Thông tư 47/2014/TT-BCT. Căn cứ chưa được đối chiếu với văn bản chính thức có ghi “chưa kiểm chứng”.',
    en: 'Choose one or more grounds of Circular 47/2014/TT-BCT Art. 18. Grounds not yet checked against the official text say “unverified”.',
  },
  suspend: { vi: 'Đình chỉ hoạt động', en: 'Suspend' },
  cancel: { vi: 'Hủy bỏ thông báo, đăng ký', en: 'Cancel the registration' },
  reinstate: { vi: 'Khôi phục', en: 'Reinstate' },
  cancelHint: {
    vi: 'Hủy bỏ có hiệu lực ngay: biểu tượng và kết quả kiểm tra thay đổi khi lưu.',
    en: 'Cancellation takes effect at once: the badge and the check change when saved.',
  },
  decisions: { vi: 'Đình chỉ hoạt động, hủy bỏ, khôi phục', en: 'Suspensions, cancellations, reinstatements' },
  action: { vi: 'Hành động', en: 'Action' },
  applications: { vi: 'Hồ sơ liên quan', en: 'Applications' },
  noPermission: {
    vi: 'Chỉ lãnh đạo Cục Thương mại điện tử và Kinh tế số quyết định đình chỉ hoạt động, hủy bỏ, khôi phục; đơn vị kiểm tra, quản lý thị trường gửi đề xuất.',
    en: 'Only heads of the E-Commerce and Digital Economy Agency suspend, cancel or reinstate; inspection and market-surveillance units propose.',
  },
  propose: { vi: 'Đề xuất Cục Thương mại điện tử và Kinh tế số', en: 'Propose to the E-Commerce Agency' },
  proposeHint: {
    vi: 'Đơn vị kiểm tra, quản lý thị trường đề xuất; Cục Thương mại điện tử và Kinh tế số xem xét, quyết định.',
    en: 'Inspection and market-surveillance units propose; the E-Commerce Agency decides.',
  },
  proposalKind: { vi: 'Nội dung đề xuất', en: 'Proposal' },
  evidence: { vi: 'Chứng cứ (biên bản, quyết định xử phạt…)', en: 'Evidence (records, sanction decisions…)' },
  sendProposal: { vi: 'Gửi đề xuất', en: 'Send the proposal' },
  requests: { vi: 'Đề nghị, đề xuất chờ xử lý', en: 'Requests and proposals awaiting a decision' },
  requestsTitle: { vi: 'Đề nghị chấm dứt và đề xuất hủy bỏ, đình chỉ', en: 'Termination requests and proposals' },
  requestsLead: {
    vi: 'Doanh nghiệp đề nghị chấm dứt; đơn vị kiểm tra, quản lý thị trường đề xuất hủy bỏ, đình chỉ hoạt động. Cục Thương mại điện tử và Kinh tế số chấp thuận hoặc từ chối có lý do.',
    en: 'Businesses ask to terminate; inspection and market-surveillance units propose cancellations and suspensions. The E-Commerce Agency accepts, or declines with a reason.',
  },
  noRequests: { vi: 'Không có đề nghị nào.', en: 'No requests.' },
  kind: { vi: 'Loại', en: 'Kind' },
  requestedBy: { vi: 'Người gửi', en: 'From' },
  accept: { vi: 'Chấp thuận', en: 'Accept' },
  acceptNote: { vi: 'Ý kiến (không bắt buộc)', en: 'Comment (optional)' },
  decline: { vi: 'Từ chối', en: 'Decline' },
  declineReason: { vi: 'Lý do từ chối', en: 'Why it is declined' },
  open: { vi: 'Xem và xử lý', en: 'Open' },
  decision: { vi: 'Kết quả', en: 'Decision' },
  terminateTitle: {
    vi: 'Đề nghị chấm dứt thông báo, đăng ký',
    en: 'Ask to terminate the notification or registration',
  },
  terminateLead: {
    vi: 'Khi ngừng hoạt động website/ứng dụng, doanh nghiệp đề nghị chấm dứt; Cục Thương mại điện tử và Kinh tế số xác nhận, sau đó danh sách ghi “Đã chấm dứt hoạt động”.',
    en: 'When the site or app stops operating, the business asks to terminate; the E-Commerce Agency confirms, and the register then shows it as terminated.',
  },
  terminateNote: { vi: 'Lý do chấm dứt', en: 'Why it ends' },
  terminateSend: { vi: 'Gửi đề nghị chấm dứt', en: 'Send the request' },
  terminateBlocked: {
    vi: 'Không thể đề nghị chấm dứt đăng ký đang ở tình trạng này.',
    en: 'A registration in this status cannot be terminated.',
  },
  yourRequests: { vi: 'Đề nghị đã gửi', en: 'Requests sent' },
} satisfies Record<string, Localized>;

const KIND_LABELS: Record<RegistrationRequest['kind'], Localized> = {
  termination: { vi: 'Đề nghị chấm dứt (doanh nghiệp)', en: 'Termination (the owner’s request)' },
  cancellation: { vi: 'Đề xuất hủy bỏ', en: 'Proposal to cancel' },
  suspension: { vi: 'Đề xuất đình chỉ hoạt động', en: 'Proposal to suspend' },
};

const REQUEST_STATUS_LABELS: Record<RegistrationRequest['status'], Localized> = {
  pending: { vi: 'Chờ xử lý', en: 'Pending' },
  accepted: { vi: 'Đã chấp thuận', en: 'Accepted' },
  declined: { vi: 'Đã từ chối', en: 'Declined' },
};

const DONE: Record<string, Localized> = {
  suspend: { vi: 'Đã đình chỉ hoạt động.', en: 'Suspended.' },
  cancel: { vi: 'Đã hủy bỏ thông báo, đăng ký.', en: 'Registration cancelled.' },
  reinstate: { vi: 'Đã khôi phục.', en: 'Reinstated.' },
  proposed: { vi: 'Đã gửi đề xuất.', en: 'Proposal sent.' },
  accepted: { vi: 'Đã chấp thuận.', en: 'Accepted.' },
  declined: { vi: 'Đã từ chối.', en: 'Declined.' },
  requested: { vi: 'Đã gửi đề nghị chấm dứt.', en: 'Termination requested.' },
};

function groundChoices(grounds: readonly LegalGround[]) {
  const flag = (ground: LegalGround, locale: 'vi' | 'en') =>
    ground.source_status === 'verified' ? '' : `; ${SOURCE_STATUS_LABELS[ground.source_status][locale].toLowerCase()}`;
  return grounds.map((ground) => ({
    value: ground.code,
    label: {
      vi: `${ground.label.vi} (${ground.provision}${flag(ground, 'vi')})`,
      en: `${ground.label.en} (${ground.provision}${flag(ground, 'en')})`,
    },
  }));
}

function groundNames(t: T, codes: readonly string[], grounds: readonly LegalGround[]): string {
  const byCode = new Map(grounds.map((ground) => [ground.code, ground]));
  return codes
    .map((code) => {
      const ground = byCode.get(code);
      return ground ? t(ground.label) : code;
    })
    .join('; ');
}

// ---------------------------------------------------------------------------------------------------
// A platform's record

export type PlatformForm = 'suspend' | 'cancel' | 'reinstate' | 'propose' | `accept-${string}` | `decline-${string}`;

export interface WorkbenchPlatformState {
  platform: Platform;
  history: StatusChange[];
  actions: RegistrationActionRecord[];
  applications: Application[];
  requests: RegistrationRequest[];
  /** Grounds in force today (to choose), and every ground (to name those of past decisions). */
  grounds: LegalGround[];
  allGrounds: LegalGround[];
  may: { decide: boolean; confirm: boolean; propose: boolean };
  names?: ActorNames;
  done?: string | undefined;
  /** A form refused: which one, what was typed and why. */
  refused?: { form: PlatformForm; state: FormState } | undefined;
}

const FIELD_LABELS: Readonly<Record<string, Localized>> = {
  reason: TEXT.reason,
  legal_basis: TEXT.legalBasis,
  grounds: TEXT.grounds,
  note: TEXT.note,
  evidence: TEXT.evidence,
  kind: TEXT.proposalKind,
};

/** The forms share their field names: each one's ids start with its name ("cancel-grounds"). */
function viewOf(t: T, state: WorkbenchPlatformState, form: PlatformForm) {
  return formView(t, state.refused?.form === form ? state.refused.state : EMPTY_FORM, { idPrefix: `${form}-` });
}

function decisionForm(
  request: FastifyRequest,
  t: T,
  state: WorkbenchPlatformState,
  action: 'suspend' | 'cancel' | 'reinstate',
) {
  if (!ALLOWED_FROM[action].has(state.platform.status)) return '';
  const form = viewOf(t, state, action);
  return html`<form method="post" action="/workbench/platforms/${state.platform.id}/${action}" class="decision" novalidate>
  ${csrfField(request)}
  <h3>${t(TEXT[action])}</h3>
  ${
    action === 'cancel'
      ? html`<p class="hint">${t(TEXT.cancelHint)}</p>
  ${form.choices({ name: 'grounds', label: TEXT.grounds, hint: TEXT.groundsHint, multiple: true, required: true, choices: groundChoices(state.grounds) })}
  ${form.text({ name: 'reason', label: TEXT.note, rows: 3, maxlength: 4000, required: true })}`
      : html`${form.text({ name: 'reason', label: TEXT.reason, rows: 3, maxlength: 4000, required: true })}
  ${form.text({ name: 'legal_basis', label: TEXT.legalBasis, hint: TEXT.legalBasisHint, maxlength: 500, required: true })}`
  }
  <button type="submit"${action === 'reinstate' ? '' : html` class="button-warning"`}>${t(TEXT[action])}</button>
</form>`;
}

function proposalForm(request: FastifyRequest, t: T, state: WorkbenchPlatformState) {
  if (!ALLOWED_FROM.cancel.has(state.platform.status)) return '';
  const form = viewOf(t, state, 'propose');
  return html`<form method="post" action="/workbench/platforms/${state.platform.id}/proposals" class="decision" novalidate>
  ${csrfField(request)}
  <h3>${t(TEXT.propose)}</h3>
  <p class="hint">${t(TEXT.proposeHint)}</p>
  ${form.choices({
    name: 'kind',
    label: TEXT.proposalKind,
    required: true,
    initial: 'cancellation',
    choices: [
      { value: 'cancellation', label: KIND_LABELS.cancellation },
      { value: 'suspension', label: KIND_LABELS.suspension },
    ],
  })}
  ${form.choices({ name: 'grounds', label: TEXT.grounds, hint: TEXT.groundsHint, multiple: true, choices: groundChoices(state.grounds) })}
  ${form.text({ name: 'note', label: TEXT.note, rows: 3, maxlength: 4000, required: true })}
  ${form.text({ name: 'evidence', label: TEXT.evidence, rows: 3, maxlength: 4000 })}
  <button type="submit">${t(TEXT.sendProposal)}</button>
</form>`;
}

function requestDecisionForms(request: FastifyRequest, t: T, state: WorkbenchPlatformState, open: RegistrationRequest) {
  const mayDecide = open.kind === 'termination' ? state.may.confirm : state.may.decide;
  if (!mayDecide) return '';
  const accept = viewOf(t, state, `accept-${open.id}`);
  const decline = viewOf(t, state, `decline-${open.id}`);
  return html`<div class="decision-grid">
<form method="post" action="/workbench/registration-requests/${open.id}/accept" class="decision" novalidate>
  ${csrfField(request)}
  ${accept.text({ name: 'reason', label: TEXT.acceptNote, rows: 2, maxlength: 4000 })}
  ${open.kind === 'suspension' ? accept.text({ name: 'legal_basis', label: TEXT.legalBasis, hint: TEXT.legalBasisHint, maxlength: 500, required: true }) : ''}
  <button type="submit"${open.kind === 'termination' ? '' : html` class="button-warning"`}>${t(TEXT.accept)}</button>
</form>
<form method="post" action="/workbench/registration-requests/${open.id}/decline" class="decision" novalidate>
  ${csrfField(request)}
  ${decline.text({ name: 'reason', label: TEXT.declineReason, rows: 2, maxlength: 4000, required: true })}
  <button type="submit">${t(TEXT.decline)}</button>
</form>
</div>`;
}

/** The Agency's due day of a termination request and, while it waits, where the clock stands. */
function dueOf(t: T, item: RegistrationRequest): SafeHtml | string {
  if (!item.due_on) return '—';
  return html`${formatCalendarDate(item.due_on)}${item.deadline_status ? html` ${deadlineTag(t, item.deadline_status)}` : ''}`;
}

function requestSummary(
  t: T,
  names: ActorNames | undefined,
  grounds: readonly LegalGround[],
  item: RegistrationRequest,
) {
  return html`<dl class="summary-list">
  <dt>${t(TEXT.kind)}</dt><dd>${t(KIND_LABELS[item.kind])} · ${t(REQUEST_STATUS_LABELS[item.status])}</dd>
  <dt>${t(TEXT.requestedBy)}</dt><dd>${actorName(names, item.requested_by)}${item.requester_unit ? ` (${t(unitLabel(item.requester_unit))})` : ''} · ${when(item.created_at)}</dd>
  ${item.grounds.length ? html`<dt>${t(TEXT.grounds)}</dt><dd>${groundNames(t, item.grounds, grounds)}</dd>` : ''}
  ${item.due_on ? html`<dt>${t(TEXT.dueOn)}</dt><dd>${dueOf(t, item)}</dd>` : ''}
  <dt>${t(TEXT.note)}</dt><dd class="preserve-lines">${item.note}</dd>
  ${item.evidence ? html`<dt>${t(TEXT.evidence)}</dt><dd class="preserve-lines">${item.evidence}</dd>` : ''}
  ${item.decided_at ? html`<dt>${t(TEXT.decision)}</dt><dd>${actorName(names, item.decided_by)} · ${when(item.decided_at)}${item.decision_reason ? html` — <span class="preserve-lines">${item.decision_reason}</span>` : ''}</dd>` : ''}
</dl>`;
}

export function renderWorkbenchPlatform(
  request: FastifyRequest,
  reply: FastifyReply,
  state: WorkbenchPlatformState,
  status = 200,
) {
  const context = pageContext(request);
  const { t } = context;
  const platform = state.platform;
  const open = state.requests.filter((item) => item.status === 'pending');
  const refusedSummary = state.refused ? viewOf(t, state, state.refused.form).summary(FIELD_LABELS) : '';
  const main = html`<p><a href="/workbench/applications">${t(TEXT.detailBack)}</a></p>
<h1>${platform.name}</h1>
<p>${tag(t, statusLabel(platform.status), statusTone(platform.status), platform.status)}
${platform.registration_no ? html` · <a href="/r/${encodeURIComponent(platform.registration_no)}">${t(TEXT.publicRecord)}</a>` : ''}</p>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
${refusedSummary}
<dl class="summary-list">
  <dt>${t(COMMON.registrationNo)}</dt><dd>${platform.registration_no ?? '—'}</dd>
  <dt>${t(COMMON.lawType)}</dt><dd>${t(LAW_TYPE_LABELS[platform.law_type])}</dd>
  <dt>${t(COMMON.kind)}</dt><dd>${t(kindLabel(platform.kind))}</dd>
  <dt>${t(COMMON.organisation)}</dt><dd>${platform.organisation?.name ?? '—'}${platform.organisation?.tax_code ? ` (${platform.organisation.tax_code})` : ''}</dd>
  <dt>${t(TEXT.validity)}</dt><dd>${platform.valid_from ? formatCalendarDate(platform.valid_from) : '—'} → ${platform.valid_until ? formatCalendarDate(platform.valid_until) : '—'}</dd>
  <dt>${t(COMMON.domains)}</dt><dd>${list(platform.domains)}</dd>
  <dt>${t(COMMON.androidApps)}</dt><dd>${list(platform.android_apps)}</dd>
  <dt>${t(COMMON.iosApps)}</dt><dd>${list(platform.ios_apps)}</dd>
</dl>
${
  open.length
    ? html`<h2 id="requests">${t(TEXT.requests)}</h2>
${open.map((item) => html`<section class="request">${requestSummary(t, state.names, state.allGrounds, item)}${requestDecisionForms(request, t, state, item)}</section>`)}`
    : ''
}
<h2>${t(TEXT.decisions)}</h2>
${
  state.may.decide
    ? html`<div class="decision-grid">${decisionForm(request, t, state, 'suspend')}${decisionForm(request, t, state, 'cancel')}${decisionForm(request, t, state, 'reinstate')}</div>`
    : state.may.propose
      ? proposalForm(request, t, state)
      : html`<p class="hint">${t(TEXT.noPermission)}</p>`
}
${
  state.actions.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(COMMON.date)}</th><th scope="col">${t(TEXT.action)}</th><th scope="col">${t(TEXT.reason)}</th><th scope="col">${t(TEXT.legalBasis)}</th><th scope="col">${t(COMMON.by)}</th></tr></thead>
  <tbody>${state.actions.map(
    (action) => html`<tr>
    <td data-label="${t(COMMON.date)}">${when(action.occurred_at)}</td>
    <td data-label="${t(TEXT.action)}">${t(labelOf(ACTION_LABELS, action.action))}</td>
    <td data-label="${t(TEXT.reason)}" class="preserve-lines">${action.reason}${action.grounds.length ? html`<br>${t(TEXT.grounds)}: ${groundNames(t, action.grounds, state.allGrounds)}` : ''}</td>
    <td data-label="${t(TEXT.legalBasis)}">${action.legal_basis}</td>
    <td data-label="${t(COMMON.by)}">${actorName(state.names, action.actor)}</td>
  </tr>`,
  )}</tbody>
</table>`
    : ''
}
<h2>${t(TEXT.statusHistory)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(COMMON.date)}</th><th scope="col">${t(TEXT.change)}</th><th scope="col">${t(TEXT.reason)}</th><th scope="col">${t(COMMON.by)}</th></tr></thead>
  <tbody>${state.history.map(
    (change) => html`<tr>
    <td data-label="${t(COMMON.date)}">${when(change.changed_at)}</td>
    <td data-label="${t(TEXT.change)}">${change.from_status ? html`${t(statusLabel(change.from_status))} → ` : ''}${t(statusLabel(change.to_status))}</td>
    <td data-label="${t(TEXT.reason)}">${change.reason ?? '—'}</td>
    <td data-label="${t(COMMON.by)}">${actorName(state.names, change.changed_by)}</td>
  </tr>`,
  )}</tbody>
</table>
${
  state.applications.length
    ? html`<h2>${t(TEXT.applications)}</h2>
<ul>${state.applications.map(
        (application) =>
          html`<li><a href="/workbench/applications/${application.id}">${application.reference}</a> · ${t(labelOf(APPLICATION_TYPE_LABELS, application.type))} · ${applicationStatusTag(t, application.status)}</li>`,
      )}</ul>`
    : ''
}`;
  return sendAppPage(reply, context, {
    title: `${platform.name} – ${t(TEXT.platformRecord)}`,
    path: `/workbench/platforms/${platform.id}`,
    main,
    status,
  });
}

// ---------------------------------------------------------------------------------------------------
// The Agency's list of requests

export function renderRequestQueue(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    requests: RegistrationRequest[];
    grounds: LegalGround[];
    names?: ActorNames;
    done?: string | undefined;
  },
) {
  const context = pageContext(request);
  const { t } = context;
  const main = html`<h1>${t(TEXT.requestsTitle)}</h1>
<p class="lead">${t(TEXT.requestsLead)}</p>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
${
  state.requests.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(COMMON.date)}</th><th scope="col">${t(TEXT.kind)}</th><th scope="col">${t(COMMON.siteName)}</th><th scope="col">${t(TEXT.requestedBy)}</th><th scope="col">${t(TEXT.grounds)}</th><th scope="col">${t(TEXT.dueOn)}</th><th scope="col"></th></tr></thead>
  <tbody>${state.requests.map(
    (item) => html`<tr>
    <td data-label="${t(COMMON.date)}">${when(item.created_at)}</td>
    <td data-label="${t(TEXT.kind)}">${t(KIND_LABELS[item.kind])}</td>
    <td data-label="${t(COMMON.siteName)}">${item.platform_name}${item.registration_no ? ` (${item.registration_no})` : ''} ${tag(t, statusLabel(item.platform_status), statusTone(item.platform_status), item.platform_status)}</td>
    <td data-label="${t(TEXT.requestedBy)}">${actorName(state.names, item.requested_by)}${item.requester_unit ? ` (${t(unitLabel(item.requester_unit))})` : ''}</td>
    <td data-label="${t(TEXT.grounds)}">${item.grounds.length ? groundNames(t, item.grounds, state.grounds) : '—'}</td>
    <td data-label="${t(TEXT.dueOn)}">${dueOf(t, item)}</td>
    <td><a href="/workbench/platforms/${item.platform_id}#requests">${t(TEXT.open)}</a></td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(TEXT.noRequests)}</p>`
}`;
  return sendAppPage(reply, context, { title: t(TEXT.requestsTitle), path: '/workbench/registration-requests', main });
}

// ---------------------------------------------------------------------------------------------------
// The business's request to terminate

/** The link from an approved application's page to the request to terminate its platform, while it may be asked. */
export function terminationLink(t: T, application: Application, platform: Platform | undefined): SafeHtml | string {
  if (application.status !== 'approved' || !platform || !ALLOWED_FROM.terminate.has(platform.status)) return '';
  return html`<p><a class="button button-secondary" href="/business/platforms/${platform.id}/terminate">${t(TEXT.terminateTitle)}</a></p>`;
}

export function renderTerminationForm(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    platform: Platform;
    requests: RegistrationRequest[];
    form?: FormState | undefined;
    done?: string | undefined;
  },
  status = 200,
) {
  const context = pageContext(request);
  const { t } = context;
  const { platform } = state;
  const form = formView(t, state.form ?? EMPTY_FORM);
  const pending = state.requests.some((item) => item.status === 'pending');
  const allowed = ALLOWED_FROM.terminate.has(platform.status);
  const main = html`<p><a href="/business/applications">${t(TEXT.backToApplications)}</a></p>
<h1>${t(TEXT.terminateTitle)}</h1>
<p class="lead">${t(TEXT.terminateLead)}</p>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
<dl class="summary-list">
  <dt>${t(COMMON.siteName)}</dt><dd>${platform.name}</dd>
  <dt>${t(COMMON.registrationNo)}</dt><dd>${platform.registration_no ?? '—'}</dd>
  <dt>${t(COMMON.status)}</dt><dd>${tag(t, statusLabel(platform.status), statusTone(platform.status), platform.status)}</dd>
  <dt>${t(COMMON.domains)}</dt><dd>${list(platform.domains)}</dd>
</dl>
${
  !allowed
    ? html`<p class="hint">${t(TEXT.terminateBlocked)}</p>`
    : pending
      ? ''
      : html`${form.summary({ note: TEXT.terminateNote })}
<form method="post" action="/business/platforms/${platform.id}/terminate" novalidate>
  ${csrfField(request)}
  ${form.text({ name: 'note', label: TEXT.terminateNote, rows: 4, maxlength: 4000, required: true })}
  <button type="submit" class="button-warning">${t(TEXT.terminateSend)}</button>
</form>`
}
${
  state.requests.length
    ? html`<h2>${t(TEXT.yourRequests)}</h2>
${state.requests.map(
  (item) => html`<dl class="summary-list">
  <dt>${t(COMMON.date)}</dt><dd>${when(item.created_at)} · ${t(REQUEST_STATUS_LABELS[item.status])}</dd>
  <dt>${t(TEXT.terminateNote)}</dt><dd class="preserve-lines">${item.note}</dd>
  ${item.decision_reason ? html`<dt>${t(TEXT.decision)}</dt><dd class="preserve-lines">${item.decision_reason}</dd>` : ''}
</dl>`,
)}`
    : ''
}`;
  return sendAppPage(reply, context, {
    title: `${t(TEXT.terminateTitle)} – ${platform.name}`,
    path: `/business/platforms/${platform.id}/terminate`,
    main,
    status,
  });
}

// ---------------------------------------------------------------------------------------------------
// The administrators' page of the legal grounds

const GROUNDS_TEXT = {
  title: { vi: 'Căn cứ pháp lý của các quyết định', en: 'Legal grounds of decisions' },
  lead: {
    vi: 'Các căn cứ mà quyết định hủy bỏ, từ chối hồ sơ và xác định nền tảng nước ngoài viện dẫn: điều khoản, thời gian hiệu lực, nguồn đã đọc và mức độ kiểm chứng. Căn cứ chưa kiểm chứng hoặc có nguồn khác nhau cần được đối chiếu với văn bản gốc. Quản trị viên sửa, thêm hoặc chấm dứt hiệu lực một căn cứ bằng lệnh “ecomgov grounds set MÃ --kind LOẠI …” (được ghi nhật ký thao tác).',
    en: 'The grounds that cancellations, refusals and the rules for foreign platforms cite: provision, period in force, the source read and how far it was verified. Grounds that are unverified or whose sources disagree should be checked against the official text. An administrator corrects, adds or closes a ground with “ecomgov grounds set CODE --kind KIND …” (recorded in the audit trail).',
  },
  ground: { vi: 'Căn cứ', en: 'Ground' },
  provision: { vi: 'Điều khoản', en: 'Provision' },
  source: { vi: 'Nguồn', en: 'Source' },
  inForce: { vi: 'Hiệu lực', en: 'In force' },
  note: { vi: 'Ghi chú', en: 'Note' },
  none: { vi: 'Chưa có căn cứ nào.', en: 'No grounds yet.' },
} satisfies Record<string, Localized>;

/** Every ground of every kind, whatever its dates, read-only (rows change with `ecomgov grounds set`). */
export function renderGroundsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  kinds: ReadonlyArray<{ kind: GroundKind; grounds: LegalGround[] }>,
) {
  const context = pageContext(request);
  const { t } = context;
  const main = html`<h1>${t(GROUNDS_TEXT.title)}</h1>
<p class="lead">${t(GROUNDS_TEXT.lead)}</p>
${kinds.map(
  ({ kind, grounds }) => html`<section data-kind="${kind}">
<h2>${t(GROUND_KIND_LABELS[kind])}</h2>
${
  grounds.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(GROUNDS_TEXT.ground)}</th><th scope="col">${t(GROUNDS_TEXT.provision)}</th><th scope="col">${t(GROUNDS_TEXT.source)}</th></tr></thead>
  <tbody>${grounds.map(
    (ground) => html`<tr data-ground="${ground.code}">
    <td data-label="${t(GROUNDS_TEXT.ground)}"><strong>${t(ground.label)}</strong><br><code>${ground.code}</code></td>
    <td data-label="${t(GROUNDS_TEXT.provision)}">${ground.provision}<br>${t(GROUNDS_TEXT.inForce)}: ${formatCalendarDate(ground.effective_from)} – ${ground.effective_to ? formatCalendarDate(ground.effective_to) : '…'}</td>
    <td data-label="${t(GROUNDS_TEXT.source)}">${sourceStatusTag(t, ground.source_status)}
      ${ground.source_url.split(/\s*;\s*/).map((url) => (/^https?:\/\//.test(url) ? html`<br><a href="${url}" rel="noopener noreferrer">${url.replace(/^https?:\/\//, '').slice(0, 60)}</a>` : html`<br>${url}`))}
      ${ground.note ? html`<details><summary>${t(GROUNDS_TEXT.note)}</summary><p>${ground.note}</p></details>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(GROUNDS_TEXT.none)}</p>`
}
</section>`,
)}`;
  return sendAppPage(reply, context, { title: t(GROUNDS_TEXT.title), path: '/admin/grounds', main });
}

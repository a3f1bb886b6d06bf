import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent } from '../../core/audit.ts';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { formatBytes } from '../../web/multipart.ts';
import { deadlineTag, tag } from '../../web/tags.ts';
import { page } from './accounts.pages.ts';
import { csrfField } from './accounts.plugin.ts';
import type { ClaimStatus } from './accounts.table.ts';
import {
  CLAIM_STATUS_LABELS,
  type ClaimDecision,
  ERC_FILE_FIELD,
  MAX_ERC_FILE_BYTES,
  type OrganisationClaim,
  type QueuedClaim,
} from './organisations.service.ts';

/** The business's page of its claim to an organisation, and the officers' queue and decision page (issue 9). */

/** The officer's period as the table of procedures states it (the row the deadline is counted with). */
function verificationPeriod(state: { verificationDays: number }) {
  return { days: state.verificationDays };
}

type T = (text: Localized) => string;

const TEXT = {
  businessTitle: { vi: 'Xác minh tổ chức', en: 'Organisation verification' },
  businessLead: {
    vi: 'Trước khi nộp hồ sơ hay nhận biểu tượng cho tổ chức, tài khoản phải được xác minh là của tổ chức: nộp Giấy chứng nhận đăng ký doanh nghiệp; cán bộ Cục Thương mại điện tử và Kinh tế số xác minh trong {days} ngày làm việc (Thông tư 47/2014/TT-BCT).',
    en: 'Before it files applications or receives a badge for the organisation, the account must be verified as the organisation’s: file its enterprise registration certificate; an officer of the E-Commerce and Digital Economy Agency verifies it within {days} working days (Circular 47/2014/TT-BCT).',
  },
  verifyFirst: {
    vi: 'Trang bạn mở chỉ dành cho tài khoản đã được xác minh là của tổ chức. Hãy nộp Giấy chứng nhận đăng ký doanh nghiệp dưới đây.',
    en: 'The page you opened is for accounts verified as their organisation’s. File the enterprise registration certificate below.',
  },
  filed: {
    vi: 'Đã nộp hồ sơ xác minh. Cán bộ sẽ xử lý trước ngày {due}.',
    en: 'Filed. An officer will decide by {due}.',
  },
  organisation: { vi: 'Tổ chức, doanh nghiệp', en: 'Organisation' },
  taxCode: { vi: 'Mã số doanh nghiệp', en: 'Tax code' },
  status: { vi: 'Trạng thái', en: 'Status' },
  dueOn: { vi: 'Hạn xác minh', en: 'Decision due' },
  ercSection: { vi: 'Giấy chứng nhận đăng ký doanh nghiệp', en: 'Enterprise registration certificate' },
  ercNumber: { vi: 'Số Giấy chứng nhận (mã số doanh nghiệp)', en: 'Certificate number (enterprise code)' },
  ercIssuedOn: { vi: 'Ngày cấp', en: 'Date of issue' },
  ercIssuer: { vi: 'Cơ quan cấp', en: 'Issuing office' },
  ercIssuerHint: {
    vi: 'Ví dụ: Phòng Đăng ký kinh doanh – Sở Kế hoạch và Đầu tư TP. Hà Nội',
    en: 'For example: Business Registration Office – Hanoi Department of Planning and Investment',
  },
  ercFile: { vi: 'Tệp Giấy chứng nhận', en: 'Certificate file' },
  ercFileHint: {
    vi: 'PDF, JPEG hoặc PNG, tối đa {size}.',
    en: 'PDF, JPEG or PNG, at most {size}.',
  },
  representative: { vi: 'Người đại diện theo pháp luật', en: 'Legal representative' },
  representativeName: { vi: 'Họ và tên', en: 'Full name' },
  representativeTitle: { vi: 'Chức danh', en: 'Title' },
  representativeTitleHint: { vi: 'Ví dụ: Giám đốc, Tổng Giám đốc', en: 'For example: Director, General Director' },
  file: { vi: 'Nộp hồ sơ xác minh', en: 'File for verification' },
  refile: { vi: 'Nộp lại hồ sơ xác minh', en: 'File again' },
  rejectedBox: { vi: 'Hồ sơ bị từ chối', en: 'Claim rejected' },
  supplementBox: { vi: 'Cán bộ yêu cầu bổ sung', en: 'The officer asks for more' },
  verifiedBox: {
    vi: 'Tài khoản đã được xác minh là của tổ chức: bạn có thể nộp hồ sơ thông báo, đăng ký.',
    en: 'The account is verified as the organisation’s: you can file notifications and applications.',
  },
  toApplications: { vi: 'Đến hồ sơ của doanh nghiệp', en: 'Go to your applications' },
  submittedBox: {
    vi: 'Hồ sơ đang chờ cán bộ xác minh.',
    en: 'The claim is waiting for an officer.',
  },
  supersededBox: {
    vi: 'Một tài khoản khác đã được xác minh là chủ sở hữu của mã số doanh nghiệp này. Nếu bạn cho rằng có nhầm lẫn, hãy liên hệ Cục Thương mại điện tử và Kinh tế số.',
    en: 'Another account was verified as the owner of this tax code. If you think this is a mistake, contact the E-Commerce and Digital Economy Agency.',
  },
  queueTitle: { vi: 'Xác minh tổ chức', en: 'Organisation claims' },
  queueLead: {
    vi: 'Tài khoản doanh nghiệp xin xác minh là của tổ chức. Thời hạn: {days} ngày làm việc kể từ khi nộp (Thông tư 47/2014/TT-BCT), giờ Việt Nam. Mỗi mã số doanh nghiệp chỉ có một chủ sở hữu được xác minh.',
    en: 'Business accounts asking to be verified as their organisation’s. Period: {days} working days from filing (Circular 47/2014/TT-BCT), Vietnam time. One verified owner per tax code.',
  },
  tabOpen: { vi: 'Đang xử lý', en: 'Open' },
  tabAll: { vi: 'Đã xác minh', en: 'Verified' },
  empty: { vi: 'Không có hồ sơ nào.', en: 'No claims.' },
  account: { vi: 'Tài khoản', en: 'Account' },
  competing: { vi: 'Tài khoản khác cùng mã số', en: 'Other claims of the tax code' },
  none: { vi: 'Không có', en: 'None' },
  back: { vi: '← Xác minh tổ chức', en: '← Organisation claims' },
  download: { vi: 'Tải tệp Giấy chứng nhận', en: 'Download the certificate' },
  decide: { vi: 'Xử lý hồ sơ', en: 'Decide' },
  verify: { vi: 'Xác minh', en: 'Verify' },
  verifyHint: {
    vi: 'Tài khoản trở thành chủ sở hữu duy nhất của mã số doanh nghiệp; các tài khoản khác cùng mã số chuyển sang “đã có chủ sở hữu khác”.',
    en: 'The account becomes the one owner of the tax code; other claims of the tax code are superseded.',
  },
  reject: { vi: 'Từ chối', en: 'Reject' },
  reasons: { vi: 'Lý do từ chối', en: 'Reasons' },
  supplement: { vi: 'Yêu cầu bổ sung', en: 'Request a supplement' },
  missing: { vi: 'Nội dung cần bổ sung', en: 'What is missing' },
  supplementHint: {
    vi: 'Thời hạn {days} ngày làm việc được tính lại khi doanh nghiệp nộp lại.',
    en: 'The {days} working days start again when the business files again.',
  },
  decision: { vi: 'Kết quả', en: 'Decision' },
  decidedAt: { vi: 'Thời điểm xử lý', en: 'Decided' },
  history: { vi: 'Lịch sử', en: 'History' },
  time: { vi: 'Thời điểm', en: 'Time' },
  action: { vi: 'Thao tác', en: 'Action' },
  actor: { vi: 'Người thực hiện', en: 'Actor' },
} satisfies Record<string, Localized>;

const STATUS_TONES: Record<ClaimStatus, 'ok' | 'warn' | 'bad'> = {
  unverified: 'warn',
  submitted: 'warn',
  verified: 'ok',
  rejected: 'bad',
  supplement_requested: 'warn',
  superseded: 'bad',
};

const DONE: Record<string, Localized> = {
  verify: { vi: 'Đã xác minh tổ chức.', en: 'Organisation verified.' },
  reject: { vi: 'Đã từ chối hồ sơ.', en: 'Claim rejected.' },
  request_supplement: { vi: 'Đã gửi yêu cầu bổ sung.', en: 'Supplement requested.' },
};

const ERC_LABELS: Readonly<Record<string, Localized>> = {
  erc_number: TEXT.ercNumber,
  erc_issued_on: TEXT.ercIssuedOn,
  erc_issuer: TEXT.ercIssuer,
  representative_name: TEXT.representativeName,
  representative_title: TEXT.representativeTitle,
  [ERC_FILE_FIELD]: TEXT.ercFile,
};

/** The steps of a claim as its history lists them; an action without a label shows its code. */
const HISTORY_LABELS: Record<string, Localized> = {
  'organisation.created': { vi: 'Tạo tổ chức khi đăng ký tài khoản', en: 'Organisation made at sign-up' },
  'organisation.claim_submitted': { vi: 'Nộp hồ sơ xác minh', en: 'Certificate filed' },
  'organisation.claim_resubmitted': { vi: 'Nộp lại hồ sơ xác minh', en: 'Certificate filed again' },
  'organisation.claim_verified': { vi: 'Đã xác minh', en: 'Verified' },
  'organisation.claim_rejected': { vi: 'Từ chối', en: 'Rejected' },
  'organisation.claim_supplement_requested': { vi: 'Yêu cầu bổ sung', en: 'Supplement requested' },
  'organisation.claim_superseded': {
    vi: 'Không còn hiệu lực (tài khoản khác đã được xác minh)',
    en: 'Superseded (another account was verified)',
  },
};

export function claimStatusTag(t: T, status: ClaimStatus): SafeHtml {
  return tag(t, CLAIM_STATUS_LABELS[status], STATUS_TONES[status], status);
}

function deadline(t: T, claim: OrganisationClaim): SafeHtml | string {
  if (!claim.due_on || !claim.deadline_status) return '—';
  return html`${formatCalendarDate(claim.due_on)} ${deadlineTag(t, claim.deadline_status)}`;
}

function when(iso: string | null): string {
  return iso ? formatDateTime(new Date(iso)) : '—';
}

function ercSummary(t: T, claim: OrganisationClaim, documentHref?: string): SafeHtml {
  return html`<dl class="summary-list">
  <dt>${t(TEXT.organisation)}</dt><dd>${claim.name}</dd>
  <dt>${t(TEXT.taxCode)}</dt><dd>${claim.tax_code}</dd>
  <dt>${t(TEXT.status)}</dt><dd>${claimStatusTag(t, claim.status)}</dd>
  ${claim.status === 'submitted' ? html`<dt>${t(TEXT.dueOn)}</dt><dd>${deadline(t, claim)}</dd>` : ''}
  ${
    claim.erc_number
      ? html`<dt>${t(TEXT.ercNumber)}</dt><dd>${claim.erc_number}</dd>
  <dt>${t(TEXT.ercIssuedOn)}</dt><dd>${claim.erc_issued_on ? formatCalendarDate(claim.erc_issued_on) : '—'}</dd>
  <dt>${t(TEXT.ercIssuer)}</dt><dd>${claim.erc_issuer ?? '—'}</dd>
  <dt>${t(TEXT.representative)}</dt><dd>${claim.representative_name ?? '—'}${claim.representative_title ? `, ${claim.representative_title}` : ''}</dd>`
      : ''
  }
  ${
    claim.document
      ? html`<dt>${t(TEXT.ercFile)}</dt><dd>${
          documentHref
            ? html`<a href="${documentHref}" download>${t(TEXT.download)}</a> (${claim.document.filename}, ${formatBytes(claim.document.byte_size)})`
            : html`${claim.document.filename} (${formatBytes(claim.document.byte_size)})`
        }<br><span class="hint">SHA-256 <code class="break-anywhere">${claim.document.sha256}</code></span></dd>`
      : ''
  }
</dl>`;
}

// ---------------------------------------------------------------------------------------------------
// The business

export interface BusinessClaimState {
  claim: OrganisationClaim;
  /** The officer's period in working days, from the table of procedures. */
  verificationDays: number;
  notice?: string | undefined;
  done?: string | undefined;
  form?: FormState | undefined;
}

function statusBox(t: T, claim: OrganisationClaim): SafeHtml | string {
  switch (claim.status) {
    case 'verified':
      return html`<div class="verdict verdict-ok" data-claim="verified"><p>${t(TEXT.verifiedBox)}</p><p><a href="/business/applications">${t(TEXT.toApplications)}</a></p></div>`;
    case 'rejected':
      return html`<div class="verdict verdict-bad" data-claim="rejected"><h2>${t(TEXT.rejectedBox)}</h2><p class="preserve-lines">${claim.decision_reason ?? ''}</p></div>`;
    case 'supplement_requested':
      return html`<div class="verdict verdict-warn" data-claim="supplement_requested"><h2>${t(TEXT.supplementBox)}</h2><p class="preserve-lines">${claim.decision_reason ?? ''}</p></div>`;
    case 'submitted':
      return html`<div class="notice" role="status" data-claim="submitted"><p>${t(TEXT.submittedBox)}</p></div>`;
    case 'superseded':
      return html`<div class="verdict verdict-bad" data-claim="superseded"><p>${t(TEXT.supersededBox)}</p></div>`;
    default:
      return '';
  }
}

function ercForm(request: FastifyRequest, t: T, state: BusinessClaimState): SafeHtml {
  const claim = state.claim;
  const form = formView(t, state.form ?? EMPTY_FORM);
  const initial = (value: string | null) => value ?? undefined;
  return html`${form.summary(ERC_LABELS)}
<form method="post" action="/business/organisation" enctype="multipart/form-data" novalidate>
  ${csrfField(request)}
  <fieldset class="form-section"><legend>${t(TEXT.ercSection)}</legend>
  ${form.text({ name: 'erc_number', label: TEXT.ercNumber, required: true, maxlength: 50, initial: initial(claim.erc_number) ?? claim.tax_code })}
  ${form.day({ name: 'erc_issued_on', label: TEXT.ercIssuedOn, required: true, initial: initial(claim.erc_issued_on) })}
  ${form.text({ name: 'erc_issuer', label: TEXT.ercIssuer, hint: TEXT.ercIssuerHint, required: true, maxlength: 300, initial: initial(claim.erc_issuer) })}
  ${form.file({ name: ERC_FILE_FIELD, label: TEXT.ercFile, hint: fill(TEXT.ercFileHint, { size: formatBytes(MAX_ERC_FILE_BYTES) }), required: true, accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png' })}
  </fieldset>
  <fieldset class="form-section"><legend>${t(TEXT.representative)}</legend>
  ${form.text({ name: 'representative_name', label: TEXT.representativeName, required: true, maxlength: 200, autocomplete: 'name', initial: initial(claim.representative_name) })}
  ${form.text({ name: 'representative_title', label: TEXT.representativeTitle, hint: TEXT.representativeTitleHint, required: true, maxlength: 200, initial: initial(claim.representative_title) })}
  </fieldset>
  <button type="submit">${t(claim.status === 'unverified' ? TEXT.file : TEXT.refile)}</button>
</form>`;
}

export function renderBusinessClaimPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: BusinessClaimState,
  status = 200,
) {
  const claim = state.claim;
  const filable =
    claim.status === 'unverified' || claim.status === 'rejected' || claim.status === 'supplement_requested';
  return page(
    request,
    reply,
    TEXT.businessTitle,
    '/business/organisation',
    (t) => html`<h1>${t(TEXT.businessTitle)}</h1>
<p class="lead">${t(fill(TEXT.businessLead, verificationPeriod(state)))}</p>
${state.notice === 'verify_first' && claim.status !== 'verified' ? html`<div class="notice" role="status" data-notice="verify_first"><p>${t(TEXT.verifyFirst)}</p></div>` : ''}
${state.done === 'filed' && claim.due_on ? successNotice(t, fill(TEXT.filed, { due: formatCalendarDate(claim.due_on) })) : ''}
${statusBox(t, claim)}
${ercSummary(t, claim)}
${filable ? ercForm(request, t, state) : ''}`,
    status,
  );
}

// ---------------------------------------------------------------------------------------------------
// The officers

function competingList(t: T, claims: readonly OrganisationClaim[]): SafeHtml | string {
  if (claims.length === 0) return t(TEXT.none);
  return html`<ul class="plain-list">${claims.map(
    (claim) =>
      html`<li data-competing="${claim.id}">${claim.status === 'submitted' ? html`<a href="/workbench/organisations/${claim.id}">${claim.account_email ?? claim.name}</a>` : (claim.account_email ?? claim.name)} ${claimStatusTag(t, claim.status)}</li>`,
  )}</ul>`;
}

export function renderClaimQueue(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { claims: QueuedClaim[]; status: string; verificationDays: number },
) {
  return page(
    request,
    reply,
    TEXT.queueTitle,
    '/workbench/organisations',
    (t) => html`<h1>${t(TEXT.queueTitle)}</h1>
<p class="lead">${t(fill(TEXT.queueLead, verificationPeriod(state)))}</p>
<nav class="tabs" aria-label="${t(TEXT.status)}">
  <a href="/workbench/organisations"${state.status === 'open' ? html` aria-current="page"` : ''}>${t(TEXT.tabOpen)}</a>
  <a href="/workbench/organisations?status=verified"${state.status === 'verified' ? html` aria-current="page"` : ''}>${t(TEXT.tabAll)}</a>
</nav>
${
  state.claims.length === 0
    ? html`<p>${t(TEXT.empty)}</p>`
    : html`<table class="responsive-table queue">
  <thead><tr><th scope="col">${t(TEXT.dueOn)}</th><th scope="col">${t(TEXT.organisation)}</th><th scope="col">${t(TEXT.taxCode)}</th><th scope="col">${t(TEXT.account)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.competing)}</th></tr></thead>
  <tbody>${state.claims.map(
    (claim) => html`<tr data-claim="${claim.id}" data-deadline="${claim.deadline_status ?? ''}">
    <td data-label="${t(TEXT.dueOn)}">${deadline(t, claim)}</td>
    <td data-label="${t(TEXT.organisation)}"><a href="/workbench/organisations/${claim.id}">${claim.name}</a></td>
    <td data-label="${t(TEXT.taxCode)}">${claim.tax_code}</td>
    <td data-label="${t(TEXT.account)}" class="break-anywhere">${claim.account_email ?? '—'}</td>
    <td data-label="${t(TEXT.status)}">${claimStatusTag(t, claim.status)}</td>
    <td data-label="${t(TEXT.competing)}">${competingList(t, claim.competing)}</td>
  </tr>`,
  )}</tbody>
</table>`
}`,
  );
}

export interface ClaimPageState {
  claim: QueuedClaim;
  /** The officer's period in working days, from the table of procedures. */
  verificationDays: number;
  history: AuditEvent[];
  actorNames: Map<string, string>;
  done?: string | undefined;
  /** A decision form refused: which one, what was typed and why. */
  refused?: { decision: ClaimDecision; form: FormState } | undefined;
}

function decisionForm(
  request: FastifyRequest,
  t: T,
  state: ClaimPageState,
  decision: ClaimDecision,
  spec: { title: Localized; hint?: Localized; field?: Localized; buttonClass?: string },
): SafeHtml {
  const form = formView(t, state.refused?.decision === decision ? state.refused.form : EMPTY_FORM, {
    idPrefix: `${decision}-`,
  });
  return html`<form method="post" action="/workbench/organisations/${state.claim.id}/decision" class="decision" novalidate>
  ${csrfField(request)}
  <input type="hidden" name="decision" value="${decision}">
  <h3>${t(spec.title)}</h3>
  ${spec.hint && !spec.field ? html`<p class="hint">${t(spec.hint)}</p>` : ''}
  ${spec.field ? form.text({ name: 'reason', label: spec.field, hint: spec.hint, rows: 3, maxlength: 4000, required: true }) : form.messagesOf('reason').length ? html`<p class="field-error">${form.messagesOf('reason').join(' · ')}</p>` : ''}
  <button type="submit"${spec.buttonClass ? html` class="${spec.buttonClass}"` : ''}>${t(spec.title)}</button>
</form>`;
}

export function renderClaimPage(request: FastifyRequest, reply: FastifyReply, state: ClaimPageState, status = 200) {
  const claim = state.claim;
  return page(
    request,
    reply,
    TEXT.queueTitle,
    `/workbench/organisations/${claim.id}`,
    (t) => {
      const refusedForm = state.refused
        ? formView(t, state.refused.form, { idPrefix: `${state.refused.decision}-` })
        : undefined;
      return html`<p><a href="/workbench/organisations">${t(TEXT.back)}</a></p>
<h1>${claim.name}</h1>
<p>${claim.tax_code} · ${claimStatusTag(t, claim.status)} · <span class="break-anywhere">${claim.account_email ?? ''}</span></p>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
${refusedForm ? refusedForm.summary({ reason: TEXT.reasons }) : ''}
${ercSummary(t, claim, claim.document ? `/workbench/organisations/${claim.id}/document` : undefined)}
<h2>${t(TEXT.competing)}</h2>
${competingList(t, claim.competing)}
${
  claim.status === 'submitted'
    ? html`<h2>${t(TEXT.decide)}</h2>
<div class="decision-grid">
${decisionForm(request, t, state, 'verify', { title: TEXT.verify, hint: TEXT.verifyHint })}
${decisionForm(request, t, state, 'request_supplement', { title: TEXT.supplement, field: TEXT.missing, hint: fill(TEXT.supplementHint, verificationPeriod(state)), buttonClass: 'button-secondary' })}
${decisionForm(request, t, state, 'reject', { title: TEXT.reject, field: TEXT.reasons, buttonClass: 'button-warning' })}
</div>`
    : claim.decided_at
      ? html`<h2>${t(TEXT.decision)}</h2>
<dl class="summary-list">
  <dt>${t(TEXT.status)}</dt><dd>${claimStatusTag(t, claim.status)}</dd>
  <dt>${t(TEXT.decidedAt)}</dt><dd>${when(claim.decided_at)} · ${state.actorNames.get(claim.decided_by ?? '') ?? claim.decided_by ?? ''}</dd>
  ${claim.decision_reason ? html`<dt>${t(TEXT.reasons)}</dt><dd class="preserve-lines">${claim.decision_reason}</dd>` : ''}
</dl>`
      : ''
}
<h2>${t(TEXT.history)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.time)}</th><th scope="col">${t(TEXT.action)}</th><th scope="col">${t(TEXT.actor)}</th></tr></thead>
  <tbody>${state.history.map(
    (event) => html`<tr>
    <td data-label="${t(TEXT.time)}">${formatDateTime(new Date(event.occurred_at))}</td>
    <td data-label="${t(TEXT.action)}">${HISTORY_LABELS[event.action] ? t(HISTORY_LABELS[event.action] as Localized) : html`<code>${event.action}</code>`}</td>
    <td data-label="${t(TEXT.actor)}" class="break-anywhere">${state.actorNames.get(event.actor) ?? event.actor}</td>
  </tr>`,
  )}</tbody>
</table>`;
    },
    status,
  );
}

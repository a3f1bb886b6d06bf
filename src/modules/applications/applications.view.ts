/**
 * Pieces the business pages and the workbench pages share: the page frame, tags, the application's content, its
 * domains and its history. Forms are drawn by `web/forms.ts`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Locale, type Localized } from '../../core/i18n.ts';
import { successNotice } from '../../web/forms.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { deadlineTag as sharedDeadlineTag, tag } from '../../web/tags.ts';
import { headerAccountOf } from '../accounts/index.ts';
import { SOURCE_STATUS_LABELS } from '../procedures/index.ts';
import { kindLabel } from '../registry/index.ts';
import {
  APPLICANT_KIND_LABELS,
  APPLICATION_STATUS_LABELS,
  APPLICATION_STATUS_TONES,
  APPLICATION_TYPE_LABELS,
  EVENT_LABELS,
  LAW_TYPE_LABELS,
  labelOf,
  REPRESENTATIVE_LABELS,
} from './applications.labels.ts';
import type { Application, ApplicationEvent } from './applications.service.ts';
import { describeDomainCheckFailures, VERIFICATION_PATH } from './domain-control.ts';
import type { LegalGround } from './legal-grounds.ts';

export type T = (text: Localized) => string;

export interface PageContext {
  request: FastifyRequest;
  locale: Locale;
  t: T;
}

export function pageContext(request: FastifyRequest): PageContext {
  const locale = localeOf(request);
  return { request, locale, t: translator(locale) };
}

export function sendAppPage(
  reply: FastifyReply,
  context: PageContext,
  options: { title: string; path: string; main: SafeHtml; status?: number; query?: Record<string, string> },
) {
  return sendPage(
    reply,
    renderPage({
      locale: context.locale,
      title: options.title,
      path: options.path,
      query: options.query,
      main: options.main,
      account: headerAccountOf(context.request),
    }),
    options.status ?? 200,
  );
}

export const COMMON = {
  reference: { vi: 'Mã hồ sơ', en: 'Reference' },
  siteName: { vi: 'Tên website/ứng dụng', en: 'Site or app name' },
  type: { vi: 'Loại hồ sơ', en: 'Type of application' },
  kind: { vi: 'Loại hình (Nghị định 52/2013)', en: 'Kind (Decree 52/2013)' },
  lawType: { vi: 'Loại nền tảng (Luật 122/2025/QH15)', en: 'Platform type (Law 122/2025/QH15)' },
  status: { vi: 'Tình trạng', en: 'Status' },
  organisation: { vi: 'Tổ chức, doanh nghiệp', en: 'Organisation' },
  taxCode: { vi: 'Mã số doanh nghiệp', en: 'Enterprise tax code' },
  country: { vi: 'Quốc gia', en: 'Country' },
  address: { vi: 'Địa chỉ trụ sở', en: 'Head-office address' },
  responsible: { vi: 'Người chịu trách nhiệm', en: 'Responsible person' },
  phone: { vi: 'Điện thoại', en: 'Phone' },
  email: { vi: 'Email liên hệ', en: 'Contact e-mail' },
  domains: { vi: 'Tên miền', en: 'Domains' },
  androidApps: { vi: 'Ứng dụng Android', en: 'Android apps' },
  iosApps: { vi: 'Ứng dụng iOS', en: 'iOS apps' },
  goods: { vi: 'Hàng hóa, dịch vụ', en: 'Goods and services' },
  representative: { vi: 'Đại diện tại Việt Nam', en: 'Representative in Vietnam' },
  applicantKind: { vi: 'Người nộp', en: 'Who files' },
  foreignGrounds: { vi: 'Căn cứ thuộc diện điều chỉnh', en: 'Why the rules apply to the platform' },
  refusalGround: { vi: 'Căn cứ từ chối', en: 'Ground of the refusal' },
  provedAt: { vi: 'lúc {when}', en: 'at {when}' },
  received: { vi: 'Ngày tiếp nhận', en: 'Received' },
  deadline: { vi: 'Hạn xem xét', en: 'Review deadline' },
  registrationNo: { vi: 'Số đăng ký', en: 'Registration no.' },
  history: { vi: 'Lịch sử hồ sơ', en: 'History of the application' },
  date: { vi: 'Thời gian', en: 'Time' },
  step: { vi: 'Bước', en: 'Step' },
  note: { vi: 'Ghi chú', en: 'Note' },
  by: { vi: 'Người thực hiện', en: 'By' },
  none: { vi: '—', en: '—' },
  primary: { vi: 'chính', en: 'primary' },
  verifiedHttp: { vi: 'Đã xác minh (tệp trên website)', en: 'Proved (file on the site)' },
  verifiedDns: { vi: 'Đã xác minh (bản ghi DNS)', en: 'Proved (DNS record)' },
  notVerified: { vi: 'Chưa xác minh', en: 'Not proved yet' },
  lastCheck: { vi: 'Lần kiểm tra gần nhất', en: 'Last check' },
  domainControl: { vi: 'Chứng minh quyền quản lý tên miền', en: 'Prove control of your domains' },
  domainControlOfficer: { vi: 'Quyền quản lý tên miền', en: 'Domain control' },
  content: { vi: 'Nội dung hồ sơ', en: 'The application' },
  token: { vi: 'Mã xác minh', en: 'Verification token' },
  checkNow: { vi: 'Kiểm tra ngay', en: 'Check now' },
  checkedAll: {
    vi: 'Đã kiểm tra: mọi tên miền đã được chứng minh.',
    en: 'Checked: control of every domain is proved.',
  },
  checkedSome: {
    vi: 'Đã kiểm tra, nhưng chưa chứng minh được quyền quản lý mọi tên miền: lý do ở bảng dưới.',
    en: 'Checked, but control of some domains is not proved yet: the table below says why.',
  },
  domainHowTo: {
    vi: 'Làm một trong hai cách dưới đây cho mỗi tên miền, rồi bấm “Kiểm tra ngay”:',
    en: 'Do one of the two for each domain, then press “Check now”:',
  },
  domainHowFile: {
    vi: 'Đặt tệp văn bản chứa mã xác minh tại',
    en: 'Publish a text file holding the token at',
  },
  domainHowDns: { vi: 'Hoặc thêm bản ghi DNS TXT trên tên miền:', en: 'Or add a DNS TXT record on the domain:' },
} satisfies Record<string, Localized>;

export function applicationStatusTag(t: T, status: string): SafeHtml {
  return tag(t, labelOf(APPLICATION_STATUS_LABELS, status), APPLICATION_STATUS_TONES[status] ?? 'warn', status);
}

export function deadlineTag(t: T, application: Application): SafeHtml | string {
  if (!application.deadline_status) return '';
  return sharedDeadlineTag(t, application.deadline_status);
}

export function when(iso: string | null): string {
  return iso ? formatDateTime(new Date(iso)) : '—';
}

export function list(values: readonly string[]): SafeHtml | string {
  return values.length ? html`<ul class="plain-list">${values.map((value) => html`<li>${value}</li>`)}</ul>` : '—';
}

/** Everything the applicant declared, as a summary list. */
const CHANGE_TEXT = {
  changedOn: { vi: 'Ngày thay đổi thông tin', en: 'Day the information changed' },
  reportDue: { vi: 'Hạn thông báo thay đổi', en: 'Change to be reported by' },
  late: { vi: 'Thông báo quá hạn', en: 'Reported late' },
} satisfies Record<string, Localized>;

export function applicationSummary(t: T, application: Application): SafeHtml {
  const representative = application.vn_representative;
  return html`<dl class="summary-list">
  <dt>${t(COMMON.reference)}</dt><dd>${application.reference}</dd>
  <dt>${t(COMMON.type)}</dt><dd>${t(labelOf(APPLICATION_TYPE_LABELS, application.type))}</dd>
  <dt>${t(COMMON.lawType)}</dt><dd>${t(LAW_TYPE_LABELS[application.law_type])}</dd>
  <dt>${t(COMMON.kind)}</dt><dd>${t(kindLabel(application.kind))}</dd>
  <dt>${t(COMMON.siteName)}</dt><dd>${application.site_name}</dd>
  <dt>${t(COMMON.domains)}</dt><dd>${list(application.domains.map((d) => d.domain))}</dd>
  <dt>${t(COMMON.androidApps)}</dt><dd>${list(application.android_apps)}</dd>
  <dt>${t(COMMON.iosApps)}</dt><dd>${list(application.ios_apps)}</dd>
  <dt>${t(COMMON.goods)}</dt><dd>${list(application.goods_categories)}</dd>
  <dt>${t(COMMON.applicantKind)}</dt><dd>${t(labelOf(APPLICANT_KIND_LABELS, application.applicant_kind))}</dd>
  <dt>${t(COMMON.organisation)}</dt><dd>${application.org_name}</dd>
  <dt>${t(COMMON.taxCode)}</dt><dd>${application.tax_code ?? '—'}</dd>
  <dt>${t(COMMON.country)}</dt><dd>${application.country}</dd>
  <dt>${t(COMMON.address)}</dt><dd>${application.head_office_address}</dd>
  <dt>${t(COMMON.responsible)}</dt><dd>${application.responsible_person}</dd>
  <dt>${t(COMMON.phone)}</dt><dd>${application.responsible_phone}</dd>
  <dt>${t(COMMON.email)}</dt><dd>${application.contact_email}</dd>
  ${
    representative
      ? html`<dt>${t(COMMON.representative)}</dt><dd>${t(labelOf(REPRESENTATIVE_LABELS, representative.kind))}: ${representative.name}${
          representative.tax_code ? ` (${representative.tax_code})` : ''
        }, ${representative.address}</dd>`
      : ''
  }
  ${
    application.information_changed_on
      ? html`<dt>${t(CHANGE_TEXT.changedOn)}</dt><dd>${formatCalendarDate(application.information_changed_on)}</dd>
  <dt>${t(CHANGE_TEXT.reportDue)}</dt><dd>${application.change_report_due_on ? formatCalendarDate(application.change_report_due_on) : '—'}${
    application.reported_late ? html` ${tag(t, CHANGE_TEXT.late, 'warn', 'late')}` : ''
  }</dd>`
      : ''
  }${
    application.cross_border
      ? html`<dt>${t(COMMON.foreignGrounds)}</dt><dd data-field="foreign_grounds">${groundList(t, application.foreign_grounds)}</dd>`
      : ''
  }
  <dt>${t(COMMON.received)}</dt><dd>${when(application.received_at)}</dd>
</dl>`;
}

/** Legal grounds with their provisions and how far each was checked (the law as data). */
export function groundList(t: T, grounds: readonly LegalGround[]): SafeHtml | string {
  if (grounds.length === 0) return '—';
  return html`<ul class="plain-list">${grounds.map(
    (ground) =>
      html`<li data-ground="${ground.code}">${t(ground.label)} <span class="hint-inline">(${ground.provision}; ${t(SOURCE_STATUS_LABELS[ground.source_status])})</span></li>`,
  )}</ul>`;
}

/**
 * The domains with their proof state, the token and how to publish it, and the "check now" form. Why a check
 * failed is shown as what the check met to officers, as its category to the applicant, whose view of the
 * application has no detail (see `applicantView`).
 */
export function domainControlSection(
  context: PageContext,
  application: Application,
  options: { action: string | undefined; csrf: SafeHtml; showToken: boolean; heading?: Localized },
): SafeHtml {
  const { t } = context;
  const open = application.status === 'submitted' || application.status === 'supplement_requested';
  const checkOutcome = (domain: Application['domains'][number]) =>
    domain.last_check_detail ?? t(describeDomainCheckFailures(domain.last_check_failures));
  const state = (domain: Application['domains'][number]) =>
    domain.verified
      ? html`${tag(t, domain.verified_by === 'dns' ? COMMON.verifiedDns : COMMON.verifiedHttp, 'ok', 'verified')} <span class="hint-inline">${t(
          fill(COMMON.provedAt, { when: when(domain.verified_at) }),
        )}</span>`
      : tag(t, COMMON.notVerified, 'warn', 'unverified');
  return html`<section aria-labelledby="domain-control">
<h2 id="domain-control">${t(options.heading ?? (open ? COMMON.domainControl : COMMON.domainControlOfficer))}</h2>
${
  options.showToken && open
    ? html`<p>${t(COMMON.domainHowTo)}</p>
<ol>
  <li>${t(COMMON.domainHowFile)} <code>https://&lt;${t({ vi: 'tên miền', en: 'domain' })}&gt;${VERIFICATION_PATH}</code>:
    <code class="secret" id="verification-token">${application.verification_token}</code></li>
  <li>${t(COMMON.domainHowDns)} <code class="secret">ecomgov-verification=${application.verification_token}</code></li>
</ol>`
    : ''
}
<table class="responsive-table domain-table">
  <thead><tr><th scope="col">${t(COMMON.domains)}</th><th scope="col">${t(COMMON.status)}</th><th scope="col">${t(COMMON.lastCheck)}</th></tr></thead>
  <tbody>${application.domains.map(
    (domain) => html`<tr data-domain="${domain.domain}">
    <td data-label="${t(COMMON.domains)}">${domain.domain}${domain.primary ? html` <span class="hint-inline">(${t(COMMON.primary)})</span>` : ''}</td>
    <td data-label="${t(COMMON.status)}">${state(domain)}</td>
    <td data-label="${t(COMMON.lastCheck)}">${domain.last_checked_at ? html`${when(domain.last_checked_at)}${domain.verified ? '' : html`<br><span class="hint-inline">${checkOutcome(domain)}</span>`}` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>
${
  open && options.action && application.domains.some((domain) => !domain.verified)
    ? html`<form method="post" action="${options.action}">${options.csrf}<button type="submit">${t(COMMON.checkNow)}</button></form>`
    : ''
}
</section>`;
}

/**
 * The notice after "check now" (`?done=checked`): a success only when every domain is proved now; otherwise it
 * says where to read why.
 */
export function domainCheckNotice(t: T, application: Application): SafeHtml | string {
  if (application.domains.every((domain) => domain.verified)) return successNotice(t, COMMON.checkedAll);
  return html`<div class="notice notice-warn" role="status"><p>${t(COMMON.checkedSome)}</p></div>`;
}

/** Display names of actors (`user:<id>` → the account's name); unknown actors are shown as they are. */
export type ActorNames = ReadonlyMap<string, string>;

export function actorName(names: ActorNames | undefined, actor: string | null): string {
  if (!actor) return '—';
  return names?.get(actor) ?? actor;
}

export function historyTable(
  t: T,
  events: readonly ApplicationEvent[],
  options: { showActor: boolean; names?: ActorNames },
): SafeHtml {
  return html`<h2>${t(COMMON.history)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(COMMON.date)}</th><th scope="col">${t(COMMON.step)}</th><th scope="col">${t(COMMON.note)}</th>${
    options.showActor ? html`<th scope="col">${t(COMMON.by)}</th>` : ''
  }</tr></thead>
  <tbody>${events.map(
    (event) => html`<tr>
    <td data-label="${t(COMMON.date)}">${when(event.occurred_at)}</td>
    <td data-label="${t(COMMON.step)}">${t(labelOf(EVENT_LABELS, event.action))}</td>
    <td data-label="${t(COMMON.note)}" class="preserve-lines">${event.note ?? '—'}</td>
    ${options.showActor ? html`<td data-label="${t(COMMON.by)}">${actorName(options.names, event.actor)}</td>` : ''}
  </tr>`,
  )}</tbody>
</table>`;
}

export function deadlineLine(t: T, application: Application): SafeHtml {
  return html`${formatCalendarDate(application.due_on)} ${deadlineTag(t, application)}`;
}

/**
 * The business's pages: its applications, the filing form (also for resubmission and renewal), an
 * application's status with what is asked, the domain proof and, once approved, the badge snippet.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { csrfField } from '../accounts/index.ts';
import { kindLabel, type Platform, type PlatformKind, statusLabel, statusTone } from '../registry/index.ts';
import type { ApplicationForm, FormIssue } from './applications.input.ts';
import { APPLICATION_TYPE_LABELS, KIND_CHOICES, LAW_TYPE_LABELS, labelOf } from './applications.labels.ts';
import type { Application, ApplicationEvent } from './applications.service.ts';
import {
  applicationStatusTag,
  applicationSummary,
  COMMON,
  deadlineLine,
  domainControlSection,
  doneNotice,
  errorBox,
  historyTable,
  type PageContext,
  pageContext,
  sendAppPage,
  type T,
} from './applications.view.ts';
import { badgeSnippet } from './badge.ts';

const TEXT = {
  listTitle: { vi: 'Hồ sơ thông báo, đăng ký', en: 'Notifications and registrations' },
  listLead: {
    vi: 'Thông báo website, ứng dụng bán hàng hoặc đăng ký sàn, nền tảng thương mại điện tử với Bộ Công Thương; theo dõi hồ sơ và lấy mã nhúng biểu tượng.',
    en: 'Notify a sales website or app, or register an e-commerce platform, with the Ministry of Industry and Trade; follow your applications and get the badge code.',
  },
  newNotification: { vi: 'Thông báo website/ứng dụng bán hàng', en: 'Notify a sales site or app' },
  newRegistration: { vi: 'Đăng ký sàn, nền tảng', en: 'Register a platform' },
  noApplications: { vi: 'Chưa có hồ sơ nào.', en: 'No applications yet.' },
  open: { vi: 'Xem', en: 'Open' },
  formTitleNew: { vi: 'Nộp hồ sơ thông báo, đăng ký', en: 'File a notification or registration' },
  formTitleResubmit: { vi: 'Sửa và nộp lại hồ sơ {reference}', en: 'Amend and resubmit {reference}' },
  formTitleRenew: { vi: 'Gia hạn đăng ký {number}', en: 'Renew registration {number}' },
  formLead: {
    vi: 'Hồ sơ được xem xét trong 3 ngày làm việc. Trước khi được xác nhận, doanh nghiệp phải chứng minh quyền quản lý mọi tên miền khai báo.',
    en: 'Applications are reviewed within 3 working days. Before approval you prove control of every domain you declare.',
  },
  asked: { vi: 'Nội dung cần bổ sung', en: 'What you are asked to supplement' },
  platformSection: { vi: 'Nền tảng', en: 'The platform' },
  kindLabel: { vi: 'Loại hình nền tảng', en: 'Platform type' },
  kindHint: {
    vi: 'Theo Luật Thương mại điện tử số 122/2025/QH15: website bán hàng của chính doanh nghiệp là nền tảng kinh doanh trực tiếp (thông báo); các loại khác phải đăng ký.',
    en: 'Under Law No. 122/2025/QH15 on E-commerce: a business’s own sales site is a direct sales platform (notified); the other types are registered.',
  },
  siteNameHint: { vi: 'Tên hiển thị cho người tiêu dùng.', en: 'The name consumers see.' },
  primaryDomain: { vi: 'Tên miền chính', en: 'Primary domain' },
  primaryDomainHint: {
    vi: 'Ví dụ: shop.vn (không cần https:// hay www.)',
    en: 'For example shop.vn (no https:// or www. needed)',
  },
  otherDomains: { vi: 'Tên miền khác trỏ tới website', en: 'Other domains pointing to the site' },
  listHint: { vi: 'Mỗi dòng một mục; có thể để trống.', en: 'One per line; may be left empty.' },
  androidHint: {
    vi: 'Mã gói (vn.shop.app) hoặc đường dẫn Google Play; mỗi dòng một mục, có thể để trống.',
    en: 'Package id (vn.shop.app) or Google Play link; one per line, may be left empty.',
  },
  iosHint: {
    vi: 'Mã số App Store hoặc đường dẫn; mỗi dòng một mục, có thể để trống.',
    en: 'App Store id or link; one per line, may be left empty.',
  },
  goodsHint: { vi: 'Mỗi dòng một nhóm hàng hóa, dịch vụ.', en: 'One category of goods or services per line.' },
  organisationSection: { vi: 'Tổ chức, doanh nghiệp', en: 'The organisation' },
  taxCodeHint: {
    vi: 'Mã số doanh nghiệp của tài khoản này. Tổ chức ở nước ngoài có thể để trống.',
    en: 'Your account’s enterprise code. An organisation abroad may leave it empty.',
  },
  countryHint: {
    vi: 'Mã ISO hai chữ cái: VN, SG, CN… Khác VN nghĩa là nền tảng nước ngoài (xuyên biên giới).',
    en: 'Two-letter ISO code: VN, SG, CN… Anything but VN makes it a foreign (cross-border) platform.',
  },
  contactSection: { vi: 'Người chịu trách nhiệm', en: 'Responsible person' },
  emailHint: {
    vi: 'Thông báo về hồ sơ được gửi tới địa chỉ này.',
    en: 'Notices about the application go to this address.',
  },
  foreignSection: { vi: 'Nền tảng nước ngoài', en: 'Foreign platforms' },
  foreignHint: {
    vi: 'Bắt buộc khi tổ chức ở nước ngoài: pháp nhân hoặc người đại diện theo ủy quyền tại Việt Nam (Luật 122/2025/QH15).',
    en: 'Required when the organisation is abroad: its legal entity or authorised representative in Vietnam (Law 122/2025/QH15).',
  },
  representativeKind: { vi: 'Hình thức hiện diện tại Việt Nam', en: 'Presence in Vietnam' },
  representativeName: { vi: 'Tên pháp nhân hoặc người đại diện', en: 'Name of the legal entity or representative' },
  representativeTaxCode: { vi: 'Mã số doanh nghiệp tại Việt Nam', en: 'Vietnamese enterprise code' },
  representativeAddress: { vi: 'Địa chỉ tại Việt Nam', en: 'Address in Vietnam' },
  notApplicable: { vi: 'Không áp dụng', en: 'Not applicable' },
  submit: { vi: 'Nộp hồ sơ', en: 'File the application' },
  resubmit: { vi: 'Nộp lại hồ sơ', en: 'Resubmit' },
  statusSubmitted: {
    vi: 'Hồ sơ đang được xem xét. Hạn xem xét:',
    en: 'Your application is under review. Review deadline:',
  },
  statusSupplement: {
    vi: 'Cán bộ yêu cầu bổ sung hồ sơ. Thời hạn xem xét được tính lại khi bạn nộp lại.',
    en: 'The officer asks for supplements. The review period starts again when you resubmit.',
  },
  amend: { vi: 'Sửa và nộp lại', en: 'Amend and resubmit' },
  statusApproved: { vi: 'Hồ sơ đã được xác nhận.', en: 'Your application is approved.' },
  nowStatus: { vi: 'Tình trạng hiện nay', en: 'Status now' },
  statusRejected: { vi: 'Hồ sơ không được xác nhận. Lý do:', en: 'Your application was rejected. Reasons:' },
  validUntil: { vi: 'Hiệu lực đến', en: 'Valid until' },
  noEnd: { vi: 'Không thời hạn', en: 'No end date' },
  record: { vi: 'Trang hồ sơ công khai', en: 'Public record' },
  badgeTitle: { vi: 'Biểu tượng trên website', en: 'The badge for your site' },
  badgeLead: {
    vi: 'Chép đoạn mã dưới đây vào chân trang website. Biểu tượng dẫn tới hồ sơ công khai; nó chỉ hợp lệ trên các tên miền của hồ sơ này và phản ánh tình trạng hiện tại.',
    en: 'Paste the code below into your site’s footer. The badge links to your public record; it is valid only on this record’s domains and shows its current status.',
  },
  snippet: { vi: 'Mã nhúng', en: 'Code to embed' },
  renew: { vi: 'Gia hạn đăng ký', en: 'Renew the registration' },
  content: { vi: 'Nội dung hồ sơ', en: 'What you declared' },
  back: { vi: '← Danh sách hồ sơ', en: '← Your applications' },
} satisfies Record<string, Localized>;

const DONE: Record<string, Localized> = {
  filed: {
    vi: 'Đã nộp hồ sơ. Email xác nhận đã được gửi. Bước tiếp theo: chứng minh quyền quản lý tên miền.',
    en: 'Application filed. A confirmation e-mail is on its way. Next: prove control of your domains.',
  },
  resubmitted: { vi: 'Đã nộp lại hồ sơ.', en: 'Application resubmitted.' },
  checked: { vi: 'Đã kiểm tra tên miền.', en: 'Domains checked.' },
};

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}

// ---------------------------------------------------------------------------------------------------
// The list

export function renderBusinessApplicationList(
  request: FastifyRequest,
  reply: FastifyReply,
  applications: Application[],
) {
  const context = pageContext(request);
  const { t } = context;
  const main = html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(TEXT.listLead)}</p>
<p class="button-row">
  <a class="button" href="/business/applications/new?kind=sales">${t(TEXT.newNotification)}</a>
  <a class="button button-secondary" href="/business/applications/new?kind=marketplace">${t(TEXT.newRegistration)}</a>
</p>
${
  applications.length === 0
    ? html`<p>${t(TEXT.noApplications)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(COMMON.reference)}</th><th scope="col">${t(COMMON.siteName)}</th><th scope="col">${t(COMMON.type)}</th><th scope="col">${t(COMMON.status)}</th><th scope="col">${t(COMMON.registrationNo)}</th></tr></thead>
  <tbody>${applications.map(
    (application) => html`<tr>
    <td data-label="${t(COMMON.reference)}"><a href="/business/applications/${application.id}">${application.reference}</a></td>
    <td data-label="${t(COMMON.siteName)}">${application.site_name}<br><span class="hint-inline">${application.domains[0]?.domain ?? ''}</span></td>
    <td data-label="${t(COMMON.type)}">${t(labelOf(APPLICATION_TYPE_LABELS, application.type))}</td>
    <td data-label="${t(COMMON.status)}">${applicationStatusTag(t, application.status)}</td>
    <td data-label="${t(COMMON.registrationNo)}">${application.registration_no ?? '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
  return sendAppPage(reply, context, { title: t(TEXT.listTitle), path: '/business/applications', main });
}

// ---------------------------------------------------------------------------------------------------
// The form

export interface FormState {
  mode: 'new' | 'resubmit' | 'renew';
  action: string;
  values: ApplicationForm;
  issues: readonly FormIssue[];
  /** An error that is not about one field (a conflict with the register, say). */
  error?: Localized | undefined;
  errorField?: string | undefined;
  application?: Application;
  platform?: Platform;
  /** The form cannot be sent now (a renewal before its window): only the reason is shown. */
  blocked?: boolean;
}

interface FieldSpec {
  name: keyof ApplicationForm;
  label: Localized;
  hint?: Localized;
  type?: 'text' | 'email' | 'tel';
  textarea?: boolean;
  required?: boolean;
  autocomplete?: string;
  maxlength?: number;
}

function formField(t: T, spec: FieldSpec, state: FormState): SafeHtml {
  const messages = state.issues.filter((issue) => issue.field === spec.name).map((issue) => t(issue.message));
  if (state.errorField === spec.name && state.error) messages.push(t(state.error));
  const invalid = messages.length > 0;
  const hintId = spec.hint ? `${spec.name}-hint` : undefined;
  const describedBy = [hintId, invalid ? `${spec.name}-error` : undefined].filter(Boolean).join(' ');
  const value = state.values[spec.name] ?? '';
  const common = html` id="${spec.name}" name="${spec.name}"${spec.required ? html` required` : ''}${
    invalid ? html` class="input-error" aria-invalid="true"` : ''
  }${describedBy ? html` aria-describedby="${describedBy}"` : ''}${spec.autocomplete ? html` autocomplete="${spec.autocomplete}"` : ''}`;
  return html`<div class="form-group">
  <label for="${spec.name}">${t(spec.label)}</label>
  ${spec.hint ? html`<p class="hint" id="${hintId}">${t(spec.hint)}</p>` : ''}
  ${invalid ? html`<p class="field-error" id="${spec.name}-error">${messages.join(' · ')}</p>` : ''}
  ${
    spec.textarea
      ? html`<textarea${common} rows="3">${value}</textarea>`
      : html`<input type="${spec.type ?? 'text'}"${common} value="${value}" maxlength="${spec.maxlength ?? 300}">`
  }
</div>`;
}

function kindSelect(t: T, state: FormState): SafeHtml {
  const selected = state.values.kind ?? 'sales';
  const invalid = state.issues.some((issue) => issue.field === 'kind');
  const offered =
    state.mode === 'renew' ? KIND_CHOICES.filter((choice) => choice.lawType !== 'direct_sales') : KIND_CHOICES;
  return html`<div class="form-group">
  <label for="kind">${t(TEXT.kindLabel)}</label>
  <p class="hint" id="kind-hint">${t(TEXT.kindHint)}</p>
  <select id="kind" name="kind" aria-describedby="kind-hint"${invalid ? html` class="input-error" aria-invalid="true"` : ''}>
  ${offered.map(
    (choice) =>
      html`<optgroup label="${t(LAW_TYPE_LABELS[choice.lawType])}">${choice.kinds.map(
        (kind: PlatformKind) =>
          html`<option value="${kind}"${kind === selected ? html` selected` : ''}>${t(kindLabel(kind))}</option>`,
      )}</optgroup>`,
  )}
  </select>
</div>`;
}

function representativeKindRadios(t: T, state: FormState): SafeHtml {
  const selected = state.values.vn_representative_kind ?? '';
  const messages = state.issues
    .filter((issue) => issue.field === 'vn_representative_kind')
    .map((issue) => t(issue.message));
  const option = (value: string, label: Localized) =>
    html`<label><input type="radio" name="vn_representative_kind" value="${value}"${selected === value ? html` checked` : ''}> ${t(label)}</label>`;
  return html`<fieldset class="form-group checkboxes" id="vn_representative_kind">
  <legend>${t(TEXT.representativeKind)}</legend>
  ${messages.length ? html`<p class="field-error">${messages.join(' · ')}</p>` : ''}
  ${option('', TEXT.notApplicable)}
  ${option('legal_entity', { vi: 'Pháp nhân tại Việt Nam', en: 'Legal entity in Vietnam' })}
  ${option('authorised_representative', { vi: 'Đại diện theo ủy quyền tại Việt Nam', en: 'Authorised representative in Vietnam' })}
</fieldset>`;
}

export function renderApplicationForm(request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200) {
  const context = pageContext(request);
  const { t } = context;
  const title =
    state.mode === 'resubmit'
      ? fill(t(TEXT.formTitleResubmit), { reference: state.application?.reference ?? '' })
      : state.mode === 'renew'
        ? fill(t(TEXT.formTitleRenew), { number: state.platform?.registration_no ?? '' })
        : t(TEXT.formTitleNew);
  const field = (spec: FieldSpec) => formField(t, spec, state);
  const summaryMessages = [...state.issues.map((issue) => issue.message), ...(state.error ? [state.error] : [])];
  const summaryFields = [...state.issues.map((issue) => issue.field), ...(state.error ? [state.errorField] : [])];
  const main = html`<p><a href="/business/applications">${t(TEXT.back)}</a></p>
<h1>${title}</h1>
<p class="lead">${t(TEXT.formLead)}</p>
${errorBox(t, summaryMessages, summaryFields)}
${
  state.mode === 'resubmit' && state.application?.supplement_request
    ? html`<div class="verdict verdict-warn"><h2>${t(TEXT.asked)}</h2><p class="preserve-lines">${state.application.supplement_request}</p></div>`
    : ''
}
${
  state.blocked
    ? ''
    : html`<form method="post" action="${state.action}" novalidate>
${csrfField(request)}
<fieldset class="form-section"><legend>${t(TEXT.platformSection)}</legend>
${kindSelect(t, state)}
${field({ name: 'site_name', label: COMMON.siteName, hint: TEXT.siteNameHint, required: true })}
${field({ name: 'primary_domain', label: TEXT.primaryDomain, hint: TEXT.primaryDomainHint, required: true })}
${field({ name: 'other_domains', label: TEXT.otherDomains, hint: TEXT.listHint, textarea: true })}
${field({ name: 'android_apps', label: COMMON.androidApps, hint: TEXT.androidHint, textarea: true })}
${field({ name: 'ios_apps', label: COMMON.iosApps, hint: TEXT.iosHint, textarea: true })}
${field({ name: 'goods_categories', label: COMMON.goods, hint: TEXT.goodsHint, textarea: true, required: true })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.organisationSection)}</legend>
${field({ name: 'org_name', label: COMMON.organisation, required: true, autocomplete: 'organization' })}
${field({ name: 'tax_code', label: COMMON.taxCode, hint: TEXT.taxCodeHint, maxlength: 20 })}
${field({ name: 'country', label: COMMON.country, hint: TEXT.countryHint, maxlength: 2, autocomplete: 'country' })}
${field({ name: 'head_office_address', label: COMMON.address, required: true, autocomplete: 'street-address' })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.contactSection)}</legend>
${field({ name: 'responsible_person', label: COMMON.responsible, required: true, autocomplete: 'name' })}
${field({ name: 'responsible_phone', label: COMMON.phone, type: 'tel', required: true, autocomplete: 'tel', maxlength: 30 })}
${field({ name: 'contact_email', label: COMMON.email, hint: TEXT.emailHint, type: 'email', required: true, autocomplete: 'email' })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.foreignSection)}</legend>
<p class="hint">${t(TEXT.foreignHint)}</p>
${representativeKindRadios(t, state)}
${field({ name: 'vn_representative_name', label: TEXT.representativeName })}
${field({ name: 'vn_representative_tax_code', label: TEXT.representativeTaxCode, maxlength: 20 })}
${field({ name: 'vn_representative_address', label: TEXT.representativeAddress })}
</fieldset>
<button type="submit">${t(state.mode === 'resubmit' ? TEXT.resubmit : TEXT.submit)}</button>
</form>`
}`;
  return sendAppPage(reply, context, {
    title,
    path: state.mode === 'new' ? '/business/applications/new' : new URL(state.action, 'http://local').pathname,
    query: state.mode === 'new' && state.values.kind ? { kind: state.values.kind } : undefined,
    main,
    status,
  });
}

// ---------------------------------------------------------------------------------------------------
// One application

export interface BusinessApplicationState {
  application: Application;
  events: ApplicationEvent[];
  platform?: Platform | undefined;
  portalUrl: string;
  /** Renewal may be filed now (the registration is within its renewal window). */
  renewable: boolean;
  done?: string | undefined;
  error?: Localized | undefined;
}

function statusBox(context: PageContext, state: BusinessApplicationState): SafeHtml {
  const { t } = context;
  const application = state.application;
  switch (application.status) {
    case 'submitted':
      return html`<div class="verdict verdict-warn" data-status="submitted"><h2>${t(TEXT.statusSubmitted)} ${deadlineLine(t, application)}</h2></div>`;
    case 'supplement_requested':
      return html`<div class="verdict verdict-warn" data-status="supplement_requested">
  <h2>${t(TEXT.asked)}</h2>
  <p class="preserve-lines">${application.supplement_request ?? ''}</p>
  <p>${t(TEXT.statusSupplement)}</p>
  <p><a class="button" href="/business/applications/${application.id}/resubmit">${t(TEXT.amend)}</a></p>
</div>`;
    case 'approved': {
      const validUntil = state.platform?.valid_until;
      const tone = state.platform ? statusTone(state.platform.status) : 'ok';
      return html`<div class="verdict verdict-${tone}" data-status="approved">
  <h2>${t(TEXT.statusApproved)}${
    tone === 'ok' || !state.platform ? '' : html` ${t(TEXT.nowStatus)}: ${t(statusLabel(state.platform.status))}`
  }</h2>
  <dl class="summary-list">
    <dt>${t(COMMON.registrationNo)}</dt><dd><strong id="registration-no">${application.registration_no ?? ''}</strong></dd>
    <dt>${t(COMMON.status)}</dt><dd>${state.platform ? t(statusLabel(state.platform.status)) : ''}</dd>
    <dt>${t(TEXT.validUntil)}</dt><dd>${validUntil ? formatCalendarDate(validUntil) : t(TEXT.noEnd)}</dd>
  </dl>
  <p><a href="/r/${encodeURIComponent(application.registration_no ?? '')}">${t(TEXT.record)}</a></p>
</div>`;
    }
    case 'rejected':
      return html`<div class="verdict verdict-bad" data-status="rejected"><h2>${t(TEXT.statusRejected)}</h2><p class="preserve-lines">${application.decision_reason ?? ''}</p></div>`;
  }
}

function badgeSection(context: PageContext, state: BusinessApplicationState): SafeHtml | string {
  const { t } = context;
  const number = state.application.registration_no;
  // A suspended or revoked registration has no badge to embed (the image would say so anyway).
  if (state.application.status !== 'approved' || !number) return '';
  if (state.platform && statusTone(state.platform.status) === 'bad') return '';
  const snippet = badgeSnippet(state.portalUrl, number, state.platform?.status ?? 'notified');
  return html`<section aria-labelledby="badge">
<h2 id="badge">${t(TEXT.badgeTitle)}</h2>
<p>${t(TEXT.badgeLead)}</p>
<p><img src="/badge/${encodeURIComponent(number)}.svg" alt="${t(TEXT.badgeTitle)}" width="300" height="76"></p>
<label for="badge-snippet">${t(TEXT.snippet)}</label>
<textarea id="badge-snippet" class="snippet" rows="4" readonly>${snippet}</textarea>
${
  state.renewable && state.platform
    ? html`<p><a class="button button-secondary" href="/business/platforms/${state.platform.id}/renew">${t(TEXT.renew)}</a></p>`
    : ''
}
</section>`;
}

export function renderBusinessApplication(
  request: FastifyRequest,
  reply: FastifyReply,
  state: BusinessApplicationState,
  status = 200,
) {
  const context = pageContext(request);
  const { t } = context;
  const application = state.application;
  const main = html`<p><a href="/business/applications">${t(TEXT.back)}</a></p>
<h1>${application.site_name}</h1>
<p>${application.reference} · ${t(labelOf(APPLICATION_TYPE_LABELS, application.type))} · ${applicationStatusTag(t, application.status)}</p>
${doneNotice(t, DONE, state.done)}
${state.error ? errorBox(t, [state.error]) : ''}
${statusBox(context, state)}
${badgeSection(context, state)}
${domainControlSection(context, application, {
  action: `/business/applications/${application.id}/check-domains`,
  csrf: csrfField(request),
  showToken: true,
})}
<h2>${t(TEXT.content)}</h2>
${applicationSummary(t, application)}
${historyTable(t, state.events, { showActor: false })}`;
  return sendAppPage(reply, context, {
    title: `${application.reference} – ${application.site_name}`,
    path: `/business/applications/${application.id}`,
    main,
    status,
  });
}

/** The form values of an application (to resubmit or renew it). */
export function formValuesOf(application: Application): ApplicationForm {
  const representative = application.vn_representative;
  return {
    kind: application.kind,
    site_name: application.site_name,
    org_name: application.org_name,
    tax_code: application.tax_code ?? '',
    country: application.country,
    head_office_address: application.head_office_address,
    responsible_person: application.responsible_person,
    responsible_phone: application.responsible_phone,
    contact_email: application.contact_email,
    primary_domain: application.domains[0]?.domain ?? '',
    other_domains: application.domains
      .slice(1)
      .map((domain) => domain.domain)
      .join('\n'),
    android_apps: application.android_apps.join('\n'),
    ios_apps: application.ios_apps.join('\n'),
    goods_categories: application.goods_categories.join('\n'),
    vn_representative_kind: representative?.kind ?? '',
    vn_representative_name: representative?.name ?? '',
    vn_representative_tax_code: representative?.tax_code ?? '',
    vn_representative_address: representative?.address ?? '',
  };
}

/**
 * The business's pages: its applications, the filing form (also for resubmission, change and re-registration), an
 * application's status with what is asked, the domain proof and, once approved, the badge snippet.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill as fillText, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, type FormValues, formView, successNotice } from '../../web/forms.ts';
import { csrfField } from '../accounts/index.ts';
import { kindLabel, type Platform, type PlatformKind, statusLabel, statusTone } from '../registry/index.ts';
import { annualReportsLink } from './annual-reports.pages.ts';
import { owesAnnualReports } from './annual-reports.ts';
import {
  APPLICATION_TYPE_LABELS,
  KIND_CHOICES,
  LAW_TYPE_LABELS,
  labelOf,
  REPRESENTATIVE_LABELS,
} from './applications.labels.ts';
import { type ApplicationInput, REPRESENTATIVE_KINDS_FOR_SCHEMA } from './applications.schemas.ts';
import type { Application, ApplicationEvent } from './applications.service.ts';
import {
  applicationStatusTag,
  applicationSummary,
  COMMON,
  deadlineLine,
  domainCheckNotice,
  domainControlSection,
  historyTable,
  type PageContext,
  pageContext,
  sendAppPage,
} from './applications.view.ts';
import { badgeSnippet } from './badge.ts';
import { terminationLink } from './decisions.pages.ts';
import type { FilingPeriods } from './filing.service.ts';
import type { LegalGround } from './legal-grounds.ts';

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
  formTitleChange: { vi: 'Thông báo thay đổi thông tin {number}', en: 'Report a change of information {number}' },
  formTitleReregister: { vi: 'Đăng ký lại {number}', en: 'Re-register {number}' },
  formLead: {
    vi: 'Hồ sơ thông báo được xem xét trong {notification} ngày làm việc, hồ sơ đăng ký trong {registration} ngày làm việc. Sau khi nộp, hãy chứng minh quyền quản lý các tên miền khai báo: cán bộ dùng kết quả này làm căn cứ xem xét.',
    en: 'A notification is reviewed within {notification} working days, a registration within {registration}. After filing, prove control of the domains you declare: the officer reviews it as evidence.',
  },
  changeLead: {
    vi: 'Doanh nghiệp thông báo thay đổi trong {changeReport} ngày làm việc kể từ khi có sự thay đổi; thông báo sau thời hạn này vẫn được tiếp nhận và ghi nhận là quá hạn. Bộ Công Thương xác nhận thay đổi trong {change} ngày làm việc. Số đăng ký được giữ nguyên.',
    en: 'Report a change within {changeReport} working days of it; a later report is received all the same and marked late. The Ministry confirms the change within {change} working days. The registration number stays the same.',
  },
  reregisterLead: {
    vi: 'Đăng ký lại nền tảng đã bị hủy bỏ đăng ký. Hồ sơ được xem xét trong {reregistration} ngày làm việc.',
    en: 'Register again a platform whose registration was cancelled. The application is reviewed within {reregistration} working days.',
  },
  changedOn: { vi: 'Ngày thay đổi thông tin', en: 'Day the information changed' },
  asked: { vi: 'Nội dung cần bổ sung', en: 'What you are asked to supplement' },
  platformSection: { vi: 'Nền tảng', en: 'The platform' },
  kindLabel: { vi: 'Loại hình nền tảng', en: 'Platform type' },
  kindHint: {
    vi: 'Loại hình theo Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP): website bán hàng thực hiện thủ tục thông báo (Điều 53), website cung cấp dịch vụ thương mại điện tử thực hiện thủ tục đăng ký (Điều 55). Tên nhóm là loại nền tảng của Luật Thương mại điện tử số 122/2025/QH15 mà hệ thống đối chiếu, để tham khảo.',
    en: 'Kinds as Decree 52/2013 (amended by Decree 85/2021) names them: a sales site is notified (Art. 53), an e-commerce service site is registered (Art. 55). The group names are the platform types of Law No. 122/2025/QH15 on E-commerce this register maps them to, for reference.',
  },
  applicantKind: { vi: 'Người nộp', en: 'Who files' },
  applicantKindHint: {
    vi: 'Cá nhân chỉ được thông báo website, ứng dụng bán hàng, với số định danh cá nhân 12 chữ số (dùng thay mã số thuế cá nhân từ 01/07/2025).',
    en: 'An individual may only notify a sales site or app, with the 12-digit personal identification number (the personal tax code since 1 July 2025).',
  },
  applicantOrganisation: { vi: 'Thương nhân, tổ chức', en: 'A trader or organisation' },
  applicantIndividual: { vi: 'Cá nhân', en: 'An individual' },
  foreignGrounds: { vi: 'Căn cứ thuộc diện điều chỉnh', en: 'Why the rules apply to the platform' },
  foreignGroundsHint: {
    vi: 'Bắt buộc với nền tảng nước ngoài: chọn mọi căn cứ đúng với nền tảng (Nghị định 52/2013/NĐ-CP, Điều 67a khoản 1, bổ sung bởi Nghị định 85/2021/NĐ-CP).',
    en: 'Required for a foreign platform: tick every ground that applies (Decree 52/2013, Art. 67a cl. 1, added by Decree 85/2021).',
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
    vi: 'Mã số doanh nghiệp của tài khoản này (cá nhân: số định danh cá nhân 12 chữ số, không công khai đầy đủ). Tổ chức ở nước ngoài có thể để trống.',
    en: 'Your account’s enterprise code (an individual: the 12-digit personal identification number, never published in full). An organisation abroad may leave it empty.',
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
    vi: 'Bắt buộc khi tổ chức ở nước ngoài: đại diện tại Việt Nam là pháp nhân, văn phòng đại diện hoặc pháp nhân được chỉ định, với mã số thuế Việt Nam (Nghị định 52/2013/NĐ-CP, Điều 67a, bổ sung bởi Nghị định 85/2021/NĐ-CP).',
    en: 'Required when the organisation is abroad: its representative in Vietnam is a legal entity, a representative office or an appointed legal person, with its Vietnamese tax code (Decree 52/2013, Art. 67a, added by Decree 85/2021).',
  },
  representativeKind: { vi: 'Đại diện tại Việt Nam', en: 'Representative in Vietnam' },
  representativeName: {
    vi: 'Tên văn phòng đại diện hoặc pháp nhân',
    en: 'Name of the representative office or legal person',
  },
  representativeTaxCode: { vi: 'Mã số thuế tại Việt Nam', en: 'Vietnamese tax code' },
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
  validUntil: { vi: 'Hiệu lực đến (theo dữ liệu nhập)', en: 'Valid until (as imported)' },
  record: { vi: 'Trang hồ sơ công khai', en: 'Public record' },
  badgeTitle: { vi: 'Biểu tượng trên website', en: 'The badge for your site' },
  badgeLead: {
    vi: 'Chép đoạn mã dưới đây vào chân trang website. Biểu tượng dẫn tới hồ sơ công khai; nó chỉ hợp lệ trên các tên miền của hồ sơ này và phản ánh tình trạng hiện tại.',
    en: 'Paste the code below into your site’s footer. The badge links to your public record; it is valid only on this record’s domains and shows its current status.',
  },
  snippet: { vi: 'Mã nhúng', en: 'Code to embed' },
  change: { vi: 'Thông báo thay đổi thông tin', en: 'Report a change of information' },
  reregister: { vi: 'Đăng ký lại', en: 'Re-register' },
  content: { vi: 'Nội dung hồ sơ', en: 'What you declared' },
  back: { vi: '← Danh sách hồ sơ', en: '← Your applications' },
} satisfies Record<string, Localized>;

const DONE: Record<string, Localized> = {
  filed: {
    vi: 'Đã nộp hồ sơ. Email xác nhận đã được gửi. Bước tiếp theo: chứng minh quyền quản lý tên miền.',
    en: 'Application filed. A confirmation e-mail is on its way. Next: prove control of your domains.',
  },
  resubmitted: { vi: 'Đã nộp lại hồ sơ.', en: 'Application resubmitted.' },
};

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

/**
 * The filing form's page: a new filing, an amendment after a request for supplements, a change of information, or a
 * re-registration.
 */
export interface FilingPage {
  mode: 'new' | 'resubmit' | 'change' | 'reregister';
  /** The periods stated, from the table of procedures. */
  periods: FilingPeriods;
  action: string;
  /** What is filled in, and the problems to show. */
  form: FormState;
  application?: Application;
  platform?: Platform;
  /** The form cannot be sent now (the platform's status does not allow it): only the reason is shown. */
  blocked?: Localized | undefined;
  /** The grounds that make a foreign platform subject to the rules, as the table holds them today. */
  foreignGrounds?: readonly LegalGround[];
}

const REPRESENTATIVE_CHOICES = [
  { value: '', label: TEXT.notApplicable },
  ...REPRESENTATIVE_KINDS_FOR_SCHEMA.map((kind) => ({ value: kind, label: REPRESENTATIVE_LABELS[kind] as Localized })),
];

const APPLICANT_CHOICES = [
  { value: 'organisation', label: TEXT.applicantOrganisation },
  { value: 'individual', label: TEXT.applicantIndividual },
];

/**
 * The fields' names in the summary of problems, where a message stands away from its field. The tax codes' messages
 * name the code themselves.
 */
const FILING_LABELS: Readonly<Record<string, Localized>> = {
  information_changed_on: TEXT.changedOn,
  kind: TEXT.kindLabel,
  applicant_kind: TEXT.applicantKind,
  site_name: COMMON.siteName,
  primary_domain: TEXT.primaryDomain,
  other_domains: TEXT.otherDomains,
  android_apps: COMMON.androidApps,
  ios_apps: COMMON.iosApps,
  goods_categories: COMMON.goods,
  org_name: COMMON.organisation,
  country: COMMON.country,
  head_office_address: COMMON.address,
  responsible_person: COMMON.responsible,
  responsible_phone: COMMON.phone,
  contact_email: COMMON.email,
  vn_representative_kind: TEXT.representativeKind,
  vn_representative_name: TEXT.representativeName,
  vn_representative_address: TEXT.representativeAddress,
  foreign_grounds: TEXT.foreignGrounds,
};

/** The filing form's fields from top to bottom: the summary of problems follows them. */
const FORM_ORDER: ReadonlyMap<string, number> = new Map(
  [
    'information_changed_on',
    'kind',
    'site_name',
    'primary_domain',
    'other_domains',
    'android_apps',
    'ios_apps',
    'goods_categories',
    'applicant_kind',
    'org_name',
    'tax_code',
    'country',
    'head_office_address',
    'responsible_person',
    'responsible_phone',
    'contact_email',
    'vn_representative_kind',
    'vn_representative_name',
    'vn_representative_tax_code',
    'vn_representative_address',
    'foreign_grounds',
  ].map((field, position) => [field, position]),
);

function byFormOrder(a: { field?: string | undefined }, b: { field?: string | undefined }): number {
  return (FORM_ORDER.get(a.field ?? '') ?? -1) - (FORM_ORDER.get(b.field ?? '') ?? -1);
}

export function renderApplicationForm(request: FastifyRequest, reply: FastifyReply, page: FilingPage, status = 200) {
  const context = pageContext(request);
  const { t } = context;
  const title =
    page.mode === 'resubmit'
      ? t(fillText(TEXT.formTitleResubmit, { reference: page.application?.reference ?? '' }))
      : page.mode === 'change'
        ? t(fillText(TEXT.formTitleChange, { number: page.platform?.registration_no ?? '' }))
        : page.mode === 'reregister'
          ? t(fillText(TEXT.formTitleReregister, { number: page.platform?.registration_no ?? '' }))
          : t(TEXT.formTitleNew);
  const periods = { ...page.periods };
  const lead =
    page.mode === 'change' ? TEXT.changeLead : page.mode === 'reregister' ? TEXT.reregisterLead : TEXT.formLead;
  const form = formView(t, page.form);
  // The summary follows the form from top to bottom (the schema lists problems in the API's order of fields).
  const summary = formView(t, { ...page.form, issues: [...page.form.issues].sort(byFormOrder) });
  // A change keeps the platform a sales site or a platform; a re-registration is of a platform.
  const sales = page.mode === 'change' && page.platform?.kind === 'sales';
  const kinds =
    page.mode === 'reregister' || (page.mode === 'change' && !sales)
      ? KIND_CHOICES.filter((choice) => choice.lawType !== 'direct_sales')
      : page.mode === 'change'
        ? KIND_CHOICES.filter((choice) => choice.lawType === 'direct_sales')
        : KIND_CHOICES;
  const main = html`<p><a href="/business/applications">${t(TEXT.back)}</a></p>
<h1>${title}</h1>
<p class="lead">${t(fillText(lead, periods))}</p>
${page.blocked ? formView(t, { values: {}, issues: [{ message: page.blocked }] }).summary() : summary.summary(FILING_LABELS)}
${
  page.mode === 'resubmit' && page.application?.supplement_request
    ? html`<div class="verdict verdict-warn"><h2>${t(TEXT.asked)}</h2><p class="preserve-lines">${page.application.supplement_request}</p></div>`
    : ''
}
${
  page.blocked
    ? ''
    : html`<form method="post" action="${page.action}" novalidate>
${csrfField(request)}
<fieldset class="form-section"><legend>${t(TEXT.platformSection)}</legend>
${page.mode === 'change' ? form.day({ name: 'information_changed_on', label: TEXT.changedOn, required: true }) : ''}
${form.select({
  name: 'kind',
  label: TEXT.kindLabel,
  hint: TEXT.kindHint,
  initial: 'sales',
  choices: kinds.map((choice) => ({
    group: LAW_TYPE_LABELS[choice.lawType],
    choices: choice.kinds.map((kind: PlatformKind) => ({ value: kind, label: kindLabel(kind) })),
  })),
})}
${form.text({ name: 'site_name', label: COMMON.siteName, hint: TEXT.siteNameHint, required: true, maxlength: 300 })}
${form.text({ name: 'primary_domain', label: TEXT.primaryDomain, hint: TEXT.primaryDomainHint, required: true, maxlength: 300 })}
${form.text({ name: 'other_domains', label: TEXT.otherDomains, hint: TEXT.listHint, rows: 3 })}
${form.text({ name: 'android_apps', label: COMMON.androidApps, hint: TEXT.androidHint, rows: 3 })}
${form.text({ name: 'ios_apps', label: COMMON.iosApps, hint: TEXT.iosHint, rows: 3 })}
${form.text({ name: 'goods_categories', label: COMMON.goods, hint: TEXT.goodsHint, rows: 3, required: true })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.organisationSection)}</legend>
${form.choices({ name: 'applicant_kind', label: TEXT.applicantKind, hint: TEXT.applicantKindHint, initial: 'organisation', choices: APPLICANT_CHOICES })}
${form.text({ name: 'org_name', label: COMMON.organisation, required: true, autocomplete: 'organization', maxlength: 300 })}
${form.text({ name: 'tax_code', label: COMMON.taxCode, hint: TEXT.taxCodeHint, maxlength: 20 })}
${form.text({ name: 'country', label: COMMON.country, hint: TEXT.countryHint, maxlength: 2, autocomplete: 'country' })}
${form.text({ name: 'head_office_address', label: COMMON.address, required: true, autocomplete: 'street-address', maxlength: 300 })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.contactSection)}</legend>
${form.text({ name: 'responsible_person', label: COMMON.responsible, required: true, autocomplete: 'name', maxlength: 300 })}
${form.text({ name: 'responsible_phone', label: COMMON.phone, type: 'tel', required: true, autocomplete: 'tel', maxlength: 30 })}
${form.text({ name: 'contact_email', label: COMMON.email, hint: TEXT.emailHint, type: 'email', required: true, autocomplete: 'email', maxlength: 254 })}
</fieldset>
<fieldset class="form-section"><legend>${t(TEXT.foreignSection)}</legend>
<p class="hint">${t(TEXT.foreignHint)}</p>
${form.choices({ name: 'vn_representative_kind', label: TEXT.representativeKind, initial: '', choices: REPRESENTATIVE_CHOICES })}
${form.text({ name: 'vn_representative_name', label: TEXT.representativeName, maxlength: 300 })}
${form.text({ name: 'vn_representative_tax_code', label: TEXT.representativeTaxCode, maxlength: 20 })}
${form.text({ name: 'vn_representative_address', label: TEXT.representativeAddress, maxlength: 300 })}
${form.choices({
  name: 'foreign_grounds',
  label: TEXT.foreignGrounds,
  hint: TEXT.foreignGroundsHint,
  multiple: true,
  choices: (page.foreignGrounds ?? []).map((ground) => ({
    value: ground.code,
    label: { vi: `${ground.label.vi} (${ground.provision})`, en: `${ground.label.en} (${ground.provision})` },
  })),
})}
</fieldset>
<button type="submit">${t(page.mode === 'resubmit' ? TEXT.resubmit : TEXT.submit)}</button>
</form>`
}`;
  const kind = page.form.values.kind;
  return sendAppPage(reply, context, {
    title,
    path: page.mode === 'new' ? '/business/applications/new' : new URL(page.action, 'http://local').pathname,
    query: page.mode === 'new' && typeof kind === 'string' ? { kind } : undefined,
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
  /** A change of information may be filed for the platform (notified or registered, the applicant's). */
  changeable: boolean;
  /** The platform may be re-registered (its registration was cancelled). */
  reregistrable: boolean;
  done?: string | undefined;
  /** The "check now" form, refused (the application is decided meanwhile). */
  checkForm?: FormState | undefined;
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
    ${validUntil ? html`<dt>${t(TEXT.validUntil)}</dt><dd>${formatCalendarDate(validUntil)}</dd>` : ''}
  </dl>
  <p><a href="/r/${encodeURIComponent(application.registration_no ?? '')}">${t(TEXT.record)}</a></p>
  ${
    state.reregistrable && state.platform
      ? html`<p><a class="button" href="/business/platforms/${state.platform.id}/reregister">${t(TEXT.reregister)}</a></p>`
      : ''
  }
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
  state.changeable && state.platform
    ? html`<p><a class="button button-secondary" href="/business/platforms/${state.platform.id}/change">${t(TEXT.change)}</a></p>`
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
${state.done === 'checked' ? domainCheckNotice(t, application) : successNotice(t, state.done ? DONE[state.done] : undefined)}
${formView(t, state.checkForm ?? EMPTY_FORM).summary()}
${statusBox(context, state)}
${badgeSection(context, state)}
${terminationLink(t, application, state.platform)}
${application.status === 'approved' && state.platform && owesAnnualReports(state.platform) ? annualReportsLink(t, state.platform) : ''}
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

/** What an application says, as a filing (to amend it, or to start a change or re-registration from it). */
export function filingOfApplication(application: Application): ApplicationInput {
  const representative = application.vn_representative;
  return {
    kind: application.kind,
    applicantKind: application.applicant_kind,
    lawType: application.law_type,
    siteName: application.site_name,
    orgName: application.org_name,
    taxCode: application.tax_code,
    country: application.country,
    headOfficeAddress: application.head_office_address,
    responsiblePerson: application.responsible_person,
    responsiblePhone: application.responsible_phone,
    contactEmail: application.contact_email,
    domains: application.domains.map((domain) => domain.domain),
    androidApps: application.android_apps,
    iosApps: application.ios_apps,
    goodsCategories: application.goods_categories,
    crossBorder: application.cross_border,
    vnRepresentative: representative
      ? {
          // A filing from before issue 10 named a natural person: amending it asks for the legal entity again.
          kind: representative.kind === 'representative_office' ? 'representative_office' : 'legal_entity',
          name: representative.name,
          taxCode: representative.tax_code ?? '',
          address: representative.address,
        }
      : null,
    foreignGrounds: application.foreign_grounds.map((ground) => ground.code),
  };
}

/** The filing form filled in with a filing: an application to amend, a change or re-registration to start, or one the service refused. */
export function formValuesOf(filing: ApplicationInput): FormValues {
  const representative = filing.vnRepresentative;
  return {
    kind: filing.kind,
    applicant_kind: filing.applicantKind,
    site_name: filing.siteName,
    org_name: filing.orgName,
    tax_code: filing.taxCode ?? '',
    country: filing.country,
    head_office_address: filing.headOfficeAddress,
    responsible_person: filing.responsiblePerson,
    responsible_phone: filing.responsiblePhone,
    contact_email: filing.contactEmail,
    primary_domain: filing.domains[0] ?? '',
    other_domains: filing.domains.slice(1).join('\n'),
    android_apps: filing.androidApps.join('\n'),
    ios_apps: filing.iosApps.join('\n'),
    goods_categories: filing.goodsCategories.join('\n'),
    vn_representative_kind: representative?.kind ?? '',
    vn_representative_name: representative?.name ?? '',
    vn_representative_tax_code: representative?.taxCode ?? '',
    vn_representative_address: representative?.address ?? '',
    foreign_grounds: filing.foreignGrounds,
  };
}

/**
 * Pages of the periodic reports: the business's page for one of its registered platforms (the reports filed and the
 * form for a year), and the E-Commerce Agency's overview of a year (who reported on time, late, or not at all).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { spreadsheetCsv } from '../../core/csv.ts';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { type Tone, tag } from '../../web/tags.ts';
import { csrfField } from '../accounts/index.ts';
import { sourceStatusTag } from '../procedures/index.ts';
import { type Platform, statusLabel, statusTone } from '../registry/index.ts';
import {
  ANNUAL_REPORT_STATE_LABELS,
  ANNUAL_REPORT_STATES,
  type AnnualReport,
  type AnnualReportDeadline,
  type AnnualReportOverview,
  type AnnualReportState,
} from './annual-reports.ts';
import { COMMON, pageContext, sendAppPage, type T } from './applications.view.ts';
import type { LegalGround } from './legal-grounds.ts';

const TEXT = {
  title: { vi: 'Báo cáo định kỳ hằng năm', en: 'Annual report' },
  lead: {
    vi: 'Nền tảng cung cấp dịch vụ thương mại điện tử đã đăng ký báo cáo Bộ Công Thương số liệu thống kê của năm trước. Báo cáo đã nộp có thể sửa lại; thời điểm nộp lần đầu quyết định đúng hạn hay trễ hạn.',
    en: 'A registered e-commerce service platform reports the previous year’s figures to the Ministry. A report filed can be corrected; the time of the first filing decides whether it was on time.',
  },
  back: { vi: '← Hồ sơ của doanh nghiệp', en: '← Your applications' },
  year: { vi: 'Năm báo cáo', en: 'Year reported' },
  due: { vi: 'Hạn nộp', en: 'Due' },
  dueText: (deadline: AnnualReportDeadline): Localized => ({
    vi: `trước ngày ${formatCalendarDate(deadline.namedDay)} (hạn cuối được tính: ${formatCalendarDate(deadline.lastDay)})`,
    en: `before ${formatCalendarDate(deadline.namedDay)} (last day counted: ${formatCalendarDate(deadline.lastDay)})`,
  }),
  basis: { vi: 'Căn cứ', en: 'Basis' },
  note: { vi: 'Ghi chú', en: 'Note' },
  send: { vi: 'Nộp báo cáo', en: 'File the report' },
  amend: { vi: 'Sửa báo cáo', en: 'Correct the report' },
  filed: { vi: 'Báo cáo đã nộp', en: 'Reports filed' },
  noneFiled: { vi: 'Chưa nộp báo cáo nào.', en: 'No report filed yet.' },
  filedAt: { vi: 'Nộp lúc', en: 'Filed' },
  amendedAt: { vi: 'Sửa lúc', en: 'Corrected' },
  fieldsHint: {
    vi: 'Chỉ tiêu dưới đây (một phần hoặc toàn bộ) chưa được đối chiếu với mẫu báo cáo chính thức; quản trị viên cập nhật khi có văn bản.',
    en: 'Some or all of the figures below were not checked against the official form; an administrator updates them from the official text.',
  },
  notOwed: {
    vi: 'Nền tảng này không báo cáo năm này: chỉ nền tảng cung cấp dịch vụ thương mại điện tử đã được đăng ký trước khi năm kết thúc.',
    en: 'This platform files no report for this year: only a registered e-commerce service platform registered before the year ended does.',
  },
  overviewTitle: { vi: 'Báo cáo định kỳ của nền tảng đã đăng ký', en: 'Annual reports of registered platforms' },
  overviewLead: {
    vi: 'Mỗi nền tảng đang đăng ký (kể cả đang bị đình chỉ hoạt động) với báo cáo của năm đã chọn. Nền tảng đăng ký sau khi năm kết thúc không phải báo cáo năm đó.',
    en: 'Every platform registered today (suspended ones too) with its report of the chosen year. A platform registered after the year ended owes no report for it.',
  },
  show: { vi: 'Xem', en: 'Show' },
  state: { vi: 'Tình trạng báo cáo', en: 'Report' },
  allStates: { vi: 'Tất cả', en: 'All' },
  platform: { vi: 'Nền tảng', en: 'Platform' },
  organisation: { vi: 'Thương nhân, tổ chức', en: 'Owner' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  nothing: { vi: 'Không có nền tảng nào.', en: 'No platform.' },
  filedDone: { vi: 'Đã nộp báo cáo.', en: 'The report was filed.' },
} as const;

const STATE_TONES: Record<AnnualReportState, Tone> = {
  filed_on_time: 'ok',
  filed_late: 'warn',
  overdue: 'bad',
  due: 'warn',
};

function stateTag(t: T, state: AnnualReportState): SafeHtml {
  return tag(t, ANNUAL_REPORT_STATE_LABELS[state], STATE_TONES[state], state);
}

const numberFormat = new Intl.NumberFormat('vi-VN');

function basis(t: T, deadline: AnnualReportDeadline): SafeHtml {
  return html`<dt>${t(TEXT.basis)}</dt><dd>${deadline.provision} ${sourceStatusTag(t, deadline.source_status)}
  <details><summary>${t(TEXT.note)}</summary><p>${deadline.note}</p><p><a href="${deadline.source_url}" rel="noopener noreferrer">${deadline.source_url}</a></p></details></dd>`;
}

export interface BusinessAnnualReportsState {
  platform: Platform;
  owes: boolean;
  reports: AnnualReport[];
  /** The year the form is for, its deadline and fields. */
  year: number;
  deadline: AnnualReportDeadline;
  fields: LegalGround[];
  form?: FormState | undefined;
  done?: string | undefined;
}

export function renderBusinessAnnualReports(
  request: FastifyRequest,
  reply: FastifyReply,
  state: BusinessAnnualReportsState,
  status = 200,
) {
  const context = pageContext(request);
  const { t } = context;
  const { platform, deadline } = state;
  const filed = state.reports.find((report) => report.year === state.year);
  const initial = (code: string) => (filed ? String(filed.figures[code] ?? '') : undefined);
  const form = formView(t, state.form ?? EMPTY_FORM);
  const unverified = state.fields.find((field) => field.source_status !== 'verified');
  const action = `/business/platforms/${platform.id}/annual-reports`;
  const main = html`<p><a href="/business/applications">${t(TEXT.back)}</a></p>
<h1>${t(TEXT.title)} – ${platform.name}</h1>
<p class="lead">${t(TEXT.lead)}</p>
${successNotice(t, state.done === 'filed' ? TEXT.filedDone : undefined)}
<dl class="summary-list">
  <dt>${t(COMMON.registrationNo)}</dt><dd>${platform.registration_no ?? '—'}</dd>
  <dt>${t(COMMON.status)}</dt><dd>${tag(t, statusLabel(platform.status), statusTone(platform.status), platform.status)}</dd>
  <dt>${t(TEXT.year)}</dt><dd>${state.year}</dd>
  <dt>${t(TEXT.due)}</dt><dd>${t(TEXT.dueText(deadline))}</dd>
  ${basis(t, deadline)}
</dl>
${
  state.owes
    ? html`${form.summary({ year: TEXT.year, note: TEXT.note })}
<form method="post" action="${action}" novalidate>
  ${csrfField(request)}
  <input type="hidden" name="year" value="${state.year}">
  ${
    unverified
      ? html`<p class="hint">${sourceStatusTag(t, unverified.source_status)} ${t(TEXT.fieldsHint)}</p>
  <details><summary>${t(TEXT.note)}</summary><p>${unverified.note}</p></details>`
      : ''
  }
  ${state.fields.map(
    (field) =>
      html`${form.text({
        name: `figures.${field.code}`,
        label: field.label,
        inputmode: 'numeric',
        maxlength: 22,
        required: true,
        initial: initial(field.code),
      })}`,
  )}
  ${form.text({ name: 'note', label: TEXT.note, rows: 3, maxlength: 4000, initial: filed?.note })}
  <button type="submit">${t(filed ? TEXT.amend : TEXT.send)}</button>
</form>`
    : html`<p class="hint">${t(TEXT.notOwed)}</p>`
}
<h2>${t(TEXT.filed)}</h2>
${
  state.reports.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.year)}</th><th scope="col">${t(TEXT.filedAt)}</th><th scope="col">${t(TEXT.state)}</th></tr></thead>
  <tbody>${state.reports.map(
    (report) => html`<tr data-year="${report.year}">
    <td data-label="${t(TEXT.year)}"><a href="${action}?year=${report.year}">${report.year}</a></td>
    <td data-label="${t(TEXT.filedAt)}">${formatDateTime(report.filed_at)}${report.amended_at ? html`<br>${t(TEXT.amendedAt)}: ${formatDateTime(report.amended_at)}` : ''}</td>
    <td data-label="${t(TEXT.state)}">${stateTag(t, report.on_time ? 'filed_on_time' : 'filed_late')}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(TEXT.noneFiled)}</p>`
}`;
  return sendAppPage(reply, context, {
    title: `${t(TEXT.title)} – ${platform.name}`,
    path: action,
    main,
    status,
  });
}

/** The link from an approved registration's page to its periodic reports. */
export function annualReportsLink(t: T, platform: Platform): SafeHtml {
  return html`<p><a class="button button-secondary" href="/business/platforms/${platform.id}/annual-reports">${t(TEXT.title)}</a></p>`;
}

const CSV_COLUMNS = [
  'year',
  'registration_no',
  'platform',
  'organisation',
  'tax_code',
  'platform_status',
  'report_state',
  'filed_at',
  'amended_at',
] as const;

/** The overview as CSV (Vietnamese state labels, as the other exports): one row a platform, the figures after. */
export function annualReportsCsv(overview: AnnualReportOverview): string {
  const header = [...CSV_COLUMNS, ...overview.fields.map((field) => field.code)];
  return spreadsheetCsv([
    header,
    ...overview.rows.map(({ platform, report, state }) => [
      overview.year,
      platform.registration_no ?? '',
      platform.name,
      platform.organisation?.name ?? '',
      platform.organisation?.tax_code ?? '',
      statusLabel(platform.status).vi,
      ANNUAL_REPORT_STATE_LABELS[state].vi,
      report ? report.filed_at.toISOString() : '',
      report?.amended_at ? report.amended_at.toISOString() : '',
      ...overview.fields.map((field) => report?.figures[field.code] ?? ''),
    ]),
  ]);
}

export function renderAnnualReportsOverview(
  request: FastifyRequest,
  reply: FastifyReply,
  overview: AnnualReportOverview,
  query: { state?: AnnualReportState | undefined },
) {
  const context = pageContext(request);
  const { t } = context;
  const { deadline } = overview;
  const stateChoices = [
    { value: '', label: TEXT.allStates },
    ...ANNUAL_REPORT_STATES.map((state) => ({ value: state, label: ANNUAL_REPORT_STATE_LABELS[state] })),
  ];
  const csvHref = `/workbench/annual-reports?year=${overview.year}${query.state ? `&state=${query.state}` : ''}&format=csv`;
  const main = html`<h1>${t(TEXT.overviewTitle)}</h1>
<p class="lead">${t(TEXT.overviewLead)}</p>
<form method="get" action="/workbench/annual-reports" class="filters">
  <div class="form-group"><label for="year">${t(TEXT.year)}</label>
    <input type="text" id="year" name="year" value="${overview.year}" inputmode="numeric" maxlength="4"></div>
  <div class="form-group"><label for="state">${t(TEXT.state)}</label>
    <select id="state" name="state">${stateChoices.map(
      (choice) =>
        html`<option value="${choice.value}"${(query.state ?? '') === choice.value ? html` selected` : ''}>${t(choice.label)}</option>`,
    )}</select></div>
  <button type="submit" class="button-secondary">${t(TEXT.show)}</button>
</form>
<dl class="summary-list">
  <dt>${t(TEXT.due)}</dt><dd>${t(TEXT.dueText(deadline))}</dd>
  ${basis(t, deadline)}
  ${ANNUAL_REPORT_STATES.map(
    (state) =>
      html`<dt>${t(ANNUAL_REPORT_STATE_LABELS[state])}</dt><dd data-count="${state}">${numberFormat.format(overview.counts[state])}</dd>`,
  )}
</dl>
<p><a href="${csvHref}">${t(TEXT.csv)}</a></p>
${
  overview.rows.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.platform)}</th><th scope="col">${t(TEXT.organisation)}</th><th scope="col">${t(TEXT.state)}</th><th scope="col">${t(TEXT.filedAt)}</th></tr></thead>
  <tbody>${overview.rows.map(
    ({ platform, report, state }) => html`<tr data-platform="${platform.id}" data-state="${state}">
    <td data-label="${t(TEXT.platform)}"><a href="/workbench/platforms/${platform.id}">${platform.name}</a><br><code>${platform.registration_no ?? ''}</code> ${tag(t, statusLabel(platform.status), statusTone(platform.status), platform.status)}</td>
    <td data-label="${t(TEXT.organisation)}">${platform.organisation?.name ?? ''}</td>
    <td data-label="${t(TEXT.state)}">${stateTag(t, state)}</td>
    <td data-label="${t(TEXT.filedAt)}">${report ? formatDateTime(report.filed_at) : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(TEXT.nothing)}</p>`
}`;
  return sendAppPage(reply, context, { title: t(TEXT.overviewTitle), path: '/workbench/annual-reports', main });
}

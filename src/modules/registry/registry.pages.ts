import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDay } from '../../core/dates.ts';
import { displayHost } from '../../core/hosts.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { publicTaxCode } from '../../core/personal-id.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { tag } from '../../web/tags.ts';
import { kindLabel, statusLabel, statusTone } from './registry.labels.ts';
import type { PlatformSearchPage } from './registry.search.ts';
import type { Platform, StatusChange } from './registry.service.ts';

const TEXT = {
  listTitle: {
    vi: 'Danh sách website, ứng dụng, sàn thương mại điện tử',
    en: 'Register of e-commerce sites, apps and platforms',
  },
  search: { vi: 'Tìm theo tên, số đăng ký hoặc tên miền', en: 'Search by name, registration number or domain' },
  searchButton: { vi: 'Tìm', en: 'Search' },
  results: { vi: '{n} kết quả', en: '{n} results' },
  resultsOnPage: { vi: '{n} kết quả trên trang này', en: '{n} results on this page' },
  none: { vi: 'Không có kết quả.', en: 'No results.' },
  name: { vi: 'Tên', en: 'Name' },
  number: { vi: 'Số đăng ký', en: 'Registration no.' },
  status: { vi: 'Tình trạng', en: 'Status' },
  kind: { vi: 'Loại hình', en: 'Kind' },
  domains: { vi: 'Tên miền', en: 'Domains' },
  androidApps: { vi: 'Ứng dụng Android', en: 'Android apps' },
  iosApps: { vi: 'Ứng dụng iOS', en: 'iOS apps' },
  organisation: { vi: 'Tổ chức, doanh nghiệp', en: 'Organisation' },
  taxCode: { vi: 'Mã số doanh nghiệp', en: 'Enterprise tax code' },
  crossBorder: { vi: 'Xuyên biên giới', en: 'Cross-border' },
  validUntil: { vi: 'Hiệu lực đến', en: 'Valid until' },
  legacy: { vi: 'Mã hồ sơ trên cổng cũ', en: 'Record on the old portal' },
  history: { vi: 'Lịch sử tình trạng', en: 'Status history' },
  date: { vi: 'Ngày', en: 'Date' },
  change: { vi: 'Thay đổi', en: 'Change' },
  reason: { vi: 'Lý do', en: 'Reason' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  first: { vi: '← Trang đầu', en: '← First page' },
  next: { vi: 'Trang sau →', en: 'Next →' },
  recordTitle: { vi: 'Hồ sơ {number}', en: 'Record {number}' },
} satisfies Record<string, Localized>;

/** Reasons the system itself writes into the history, shown in the reader's language. */
const SYSTEM_REASONS: Record<string, Localized> = {
  'registry import': { vi: 'Cập nhật từ tệp danh sách', en: 'Updated from a register file' },
  'validity ended': { vi: 'Hết thời hạn hiệu lực', en: 'Validity period ended' },
};

function statusTag(t: (text: Localized) => string, status: string) {
  return tag(t, statusLabel(status), statusTone(status));
}

export function renderPlatformList(
  request: FastifyRequest,
  reply: FastifyReply,
  result: PlatformSearchPage,
  query: { q: string; limit: number; cursor?: string | undefined },
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const pageLink = (cursor?: string) =>
    `/platforms?${new URLSearchParams({ q: query.q, limit: String(query.limit), ...(cursor === undefined ? {} : { cursor }) })}`;
  const count = (n: number) => n.toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB');
  const main = html`<h1>${t(TEXT.listTitle)}</h1>
<form method="get" action="/platforms" role="search">
  <label for="q">${t(TEXT.search)}</label>
  <div class="form-row">
    <input type="search" id="q" name="q" value="${query.q}" maxlength="200">
    <button type="submit">${t(TEXT.searchButton)}</button>
  </div>
</form>
<p>${
    result.total === null
      ? t(TEXT.resultsOnPage).replace('{n}', count(result.platforms.length))
      : t(TEXT.results).replace('{n}', count(result.total))
  }</p>
${
  result.platforms.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.name)}</th><th scope="col">${t(TEXT.number)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.domains)}</th></tr></thead>
  <tbody>${result.platforms.map(
    (platform) => html`<tr>
    <td data-label="${t(TEXT.name)}">${platform.registration_no ? html`<a href="/r/${encodeURIComponent(platform.registration_no)}">${platform.name}</a>` : platform.name}</td>
    <td data-label="${t(TEXT.number)}">${platform.registration_no ?? '—'}</td>
    <td data-label="${t(TEXT.status)}">${statusTag(t, platform.status)}</td>
    <td data-label="${t(TEXT.domains)}">${platform.domains.map(displayHost).join(', ') || '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
}
<nav class="pagination" aria-label="pagination">
  ${query.cursor === undefined ? '' : html`<a href="${pageLink()}">${t(TEXT.first)}</a>`}
  ${result.next_cursor === null ? '' : html`<a href="${pageLink(result.next_cursor)}" rel="next">${t(TEXT.next)}</a>`}
</nav>`;
  return sendPage(
    reply,
    renderPage({
      locale,
      title: t(TEXT.listTitle),
      path: '/platforms',
      query: query.q ? { q: query.q } : undefined,
      main,
    }),
  );
}

export function renderPlatformRecord(
  request: FastifyRequest,
  reply: FastifyReply,
  platform: Platform,
  history: StatusChange[],
  extras?: SafeHtml,
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const list = (values: string[]) =>
    values.length ? html`<ul>${values.map((value) => html`<li>${value}</li>`)}</ul>` : '—';
  const main = html`<h1>${platform.name}</h1>
<p>${statusTag(t, platform.status)}</p>
<dl class="summary-list">
  <dt>${t(TEXT.number)}</dt><dd>${platform.registration_no ?? '—'}</dd>
  <dt>${t(TEXT.kind)}</dt><dd>${t(kindLabel(platform.kind))}</dd>
  <dt>${t(TEXT.organisation)}</dt><dd>${platform.organisation?.name ?? '—'}</dd>
  <dt>${t(TEXT.taxCode)}</dt><dd>${publicTaxCode(platform.organisation?.tax_code ?? null) ?? '—'}</dd>
  <dt>${t(TEXT.crossBorder)}</dt><dd>${t(platform.cross_border ? TEXT.yes : TEXT.no)}</dd>
  <dt>${t(TEXT.validUntil)}</dt><dd>${platform.valid_until ? formatCalendarDate(platform.valid_until) : '—'}</dd>
  <dt>${t(TEXT.domains)}</dt><dd>${list(platform.domains.map(displayHost))}</dd>
  <dt>${t(TEXT.androidApps)}</dt><dd>${list(platform.android_apps)}</dd>
  <dt>${t(TEXT.iosApps)}</dt><dd>${list(platform.ios_apps)}</dd>
  ${platform.legacy_id ? html`<dt>${t(TEXT.legacy)}</dt><dd>${platform.legacy_id}</dd>` : ''}
</dl>
${extras ?? ''}
<h2>${t(TEXT.history)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.date)}</th><th scope="col">${t(TEXT.change)}</th><th scope="col">${t(TEXT.reason)}</th></tr></thead>
  <tbody>${history.map(
    (change) => html`<tr>
    <td data-label="${t(TEXT.date)}">${formatDay(new Date(change.changed_at))}</td>
    <td data-label="${t(TEXT.change)}">${change.from_status ? html`${t(statusLabel(change.from_status))} → ` : ''}${t(statusLabel(change.to_status))}</td>
    <td data-label="${t(TEXT.reason)}">${change.reason ? (SYSTEM_REASONS[change.reason] ? t(SYSTEM_REASONS[change.reason]!) : change.reason) : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`;
  const title = t(TEXT.recordTitle).replace('{number}', platform.registration_no ?? platform.name);
  return sendPage(
    reply,
    renderPage({ locale, title, path: `/r/${encodeURIComponent(platform.registration_no ?? '')}`, main }),
  );
}

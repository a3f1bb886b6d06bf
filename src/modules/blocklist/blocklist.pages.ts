import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { tag } from '../../web/tags.ts';
import { headerAccountOf } from '../accounts/index.ts';
import type { PartnerCompliance } from './blocklist.service.ts';

const TEXT = {
  title: { vi: 'Danh sách chặn: tình hình cập nhật của nhà mạng', en: 'Blocklist: ISP compliance' },
  lead: {
    vi: 'Mỗi đối tác (nhà mạng, nhà cung cấp DNS) báo phiên bản danh sách chặn đã nạp. Phiên bản tăng mỗi lần danh sách thay đổi.',
    en: 'Each partner (ISP, DNS operator) reports the version of the blocklist it loaded. The version grows with every change of the list.',
  },
  current: { vi: 'Phiên bản hiện tại', en: 'Current version' },
  partner: { vi: 'Đối tác', en: 'Partner' },
  loaded: { vi: 'Phiên bản đã nạp', en: 'Version loaded' },
  when: { vi: 'Thời điểm báo', en: 'Reported at' },
  behind: { vi: 'Chậm', en: 'Behind' },
  upToDate: { vi: 'Đã cập nhật', en: 'Up to date' },
  never: { vi: 'Chưa báo lần nào', en: 'Never reported' },
  none: {
    vi: 'Chưa có đối tác nào có mã truy cập API với quyền blocklist:read.',
    en: 'No partner holds an API token with the blocklist:read scope yet.',
  },
  feeds: { vi: 'Các tệp danh sách', en: 'Feed files' },
  key: { vi: 'khóa công khai Ed25519 để kiểm tra chữ ký', en: 'Ed25519 public key to verify the signatures' },
} satisfies Record<string, Localized>;

function behindText(behind: number): Localized {
  return { vi: `${behind} phiên bản`, en: `${behind} version${behind === 1 ? '' : 's'}` };
}

export function renderCompliancePage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { serial: number; partners: PartnerCompliance[] },
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const main = html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
<p>${t(TEXT.current)}: <strong>${state.serial}</strong></p>
<p>${t(TEXT.feeds)}: <a href="/feeds/blocklist.rpz">RPZ</a> · <a href="/feeds/blocklist.hosts">hosts</a> · <a href="/feeds/blocklist.csv">CSV</a> · <a href="/feeds/blocklist.json">JSON</a> · <a href="/feeds/signing-key">${t(TEXT.key)}</a></p>
${
  state.partners.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.partner)}</th><th scope="col">${t(TEXT.loaded)}</th><th scope="col">${t(TEXT.when)}</th><th scope="col">${t(TEXT.behind)}</th></tr></thead>
  <tbody>${state.partners.map(
    (partner) => html`<tr>
    <td data-label="${t(TEXT.partner)}">${partner.name}</td>
    <td data-label="${t(TEXT.loaded)}">${partner.serial ?? '—'}</td>
    <td data-label="${t(TEXT.when)}">${partner.loadedAt ? html`<span class="nowrap">${formatDateTime(partner.loadedAt)}</span>` : '—'}</td>
    <td data-label="${t(TEXT.behind)}">${
      partner.behind === null
        ? tag(t, TEXT.never, 'bad', 'never')
        : partner.behind === 0
          ? tag(t, TEXT.upToDate, 'ok', 'current')
          : tag(t, behindText(partner.behind), 'warn', 'behind')
    }</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
  return sendPage(
    reply,
    renderPage({ locale, title: t(TEXT.title), path: '/workbench/blocklist', main, account: headerAccountOf(request) }),
  );
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { successNotice } from '../../web/forms.ts';
import { tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import type { CustodyEntry, EvidenceItem, VerificationReport } from './evidence.service.ts';
import type { CustodyEvent } from './evidence.table.ts';

/** The officers' pages of evidence: the latest captures, and one item with its hashes and custody log. */

type T = (text: Localized) => string;

const EVENT_LABELS: Record<CustodyEvent, Localized> = {
  captured: { vi: 'Thu thập', en: 'Captured' },
  viewed: { vi: 'Xem', en: 'Viewed' },
  exported: { vi: 'Xuất gói chứng cứ', en: 'Exported' },
  attached: { vi: 'Gắn vào hồ sơ', en: 'Attached' },
  verified: { vi: 'Kiểm tra tính toàn vẹn', en: 'Verified' },
};

const FILE_LABELS: Record<string, Localized> = {
  'capture.warc.gz': { vi: 'Bản lưu WARC', en: 'WARC capture' },
  'tls-chain.pem': { vi: 'Chuỗi chứng thư TLS', en: 'TLS certificate chain' },
  'screenshot.png': { vi: 'Ảnh chụp toàn trang', en: 'Full-page screenshot' },
  body: { vi: 'Nội dung trang (trong WARC)', en: 'Page body (in the WARC)' },
};

const TEXT = {
  listTitle: { vi: 'Chứng cứ trực tuyến', en: 'Online evidence' },
  listLead: {
    vi: 'Các trang web đã thu thập làm chứng cứ (WARC 1.1, SHA-256, chuỗi chứng thư TLS, ảnh chụp). Thu thập bằng lệnh "ecomgov evidence capture" hoặc khi quét giám sát.',
    en: 'Web pages captured as evidence (WARC 1.1, SHA-256, TLS chain, screenshot). Captured with "ecomgov evidence capture" or by monitoring scans.',
  },
  none: { vi: 'Chưa có chứng cứ nào.', en: 'No evidence yet.' },
  url: { vi: 'Địa chỉ yêu cầu', en: 'Requested URL' },
  finalUrl: { vi: 'Địa chỉ cuối cùng', en: 'Final URL' },
  status: { vi: 'Mã HTTP', en: 'HTTP status' },
  capturedAt: { vi: 'Thời điểm thu thập', en: 'Captured at' },
  ip: { vi: 'Địa chỉ IP đã kết nối', en: 'Connected IP address' },
  capturedBy: { vi: 'Người thu thập', en: 'Captured by' },
  body: { vi: 'Nội dung trang', en: 'Page body' },
  bytes: { vi: '{n} byte', en: '{n} bytes' },
  truncated: { vi: 'đã cắt ở giới hạn dung lượng', en: 'cut at the size limit' },
  caseRef: { vi: 'Vụ việc', en: 'Case' },
  findingRef: { vi: 'Phát hiện', en: 'Finding' },
  files: { vi: 'Tệp và mã băm SHA-256', en: 'Files and SHA-256 hashes' },
  file: { vi: 'Tệp', en: 'File' },
  recorded: { vi: 'SHA-256 khi thu thập', en: 'SHA-256 at capture' },
  now: { vi: 'Hiện tại', en: 'Now' },
  intact: { vi: 'Khớp', en: 'Matches' },
  altered: { vi: 'Không khớp', en: 'Differs' },
  missing: { vi: 'Thiếu tệp', en: 'Missing' },
  allIntact: { vi: 'Mọi tệp còn nguyên vẹn.', en: 'Every file is intact.' },
  notIntact: {
    vi: 'Có tệp bị thiếu hoặc đã bị thay đổi sau khi thu thập: không dùng làm chứng cứ khi chưa làm rõ.',
    en: 'A file is missing or was altered after the capture: do not rely on this item until that is explained.',
  },
  download: { vi: 'Tải gói chứng cứ (.zip)', en: 'Download the evidence package (.zip)' },
  downloadHint: {
    vi: 'Gói gồm bản lưu WARC, chuỗi chứng thư, ảnh chụp, nhật ký lưu giữ (CSV) và manifest.sha256 để kiểm tra bằng lệnh "sha256sum -c manifest.sha256". Việc tải xuống được ghi vào nhật ký lưu giữ.',
    en: 'It holds the WARC, the certificate chain, the screenshot, the custody log (CSV) and manifest.sha256, checked with "sha256sum -c manifest.sha256". The download is recorded in the custody log.',
  },
  custody: { vi: 'Nhật ký lưu giữ', en: 'Custody log' },
  event: { vi: 'Sự kiện', en: 'Event' },
  actor: { vi: 'Người thực hiện', en: 'By' },
  at: { vi: 'Thời điểm', en: 'When' },
  detail: { vi: 'Chi tiết', en: 'Detail' },
  verifyAgain: { vi: 'Kiểm tra lại tính toàn vẹn', en: 'Verify again' },
  verifyHint: {
    vi: 'Tính lại mã băm của mọi tệp và ghi kết quả vào nhật ký lưu giữ.',
    en: 'Recomputes every hash and records the outcome in the custody log.',
  },
  verified: { vi: 'Đã kiểm tra lại và ghi vào nhật ký lưu giữ.', en: 'Verified again; recorded in the custody log.' },
} as const;

function send(request: FastifyRequest, reply: FastifyReply, title: Localized, path: string, main: (t: T) => SafeHtml) {
  return sendLocalizedPage(request, reply, { title, path, main });
}

export function renderEvidenceList(request: FastifyRequest, reply: FastifyReply, items: readonly EvidenceItem[]) {
  return send(
    request,
    reply,
    TEXT.listTitle,
    '/workbench/evidence',
    (t) => html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(TEXT.listLead)}</p>
${
  items.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.capturedAt)}</th><th scope="col">${t(TEXT.finalUrl)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.capturedBy)}</th></tr></thead>
  <tbody>${items.map(
    (item) => html`<tr data-evidence="${item.id}">
    <td data-label="${t(TEXT.capturedAt)}"><a href="/workbench/evidence/${item.id}"><span class="nowrap">${formatDateTime(new Date(item.captured_at))}</span></a></td>
    <td data-label="${t(TEXT.finalUrl)}"><code>${item.final_url}</code></td>
    <td data-label="${t(TEXT.status)}">${item.http_status}</td>
    <td data-label="${t(TEXT.capturedBy)}">${item.captured_by}</td>
  </tr>`,
  )}</tbody>
</table>`
}`,
  );
}

/** An event's detail: each field on its own line (the JSON's keys and values, escaped). */
function detailOf(detail: unknown): SafeHtml | string {
  if (detail === null || detail === undefined) return '';
  if (typeof detail !== 'object' || Array.isArray(detail)) return html`<code>${JSON.stringify(detail)}</code>`;
  return html`<ul class="plain-list">${Object.entries(detail as Record<string, unknown>).map(
    ([key, value]) => html`<li>${key}: <code>${typeof value === 'string' ? value : JSON.stringify(value)}</code></li>`,
  )}</ul>`;
}

function checkTag(t: T, ok: boolean, missing: boolean): SafeHtml {
  if (ok) return tag(t, TEXT.intact, 'ok', 'ok');
  return missing ? tag(t, TEXT.missing, 'bad', 'missing') : tag(t, TEXT.altered, 'bad', 'altered');
}

export function renderEvidenceItem(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    item: EvidenceItem;
    custody: readonly CustodyEntry[];
    report: VerificationReport;
    done?: 'verified' | undefined;
  },
) {
  const { item, report } = state;
  return send(
    request,
    reply,
    { vi: `Chứng cứ ${item.id}`, en: `Evidence ${item.id}` },
    `/workbench/evidence/${item.id}`,
    (t) => html`<p><a href="/workbench/evidence">${t(TEXT.listTitle)}</a></p>
${successNotice(t, state.done === 'verified' ? TEXT.verified : undefined)}
<h1>${t({ vi: 'Chứng cứ', en: 'Evidence' })} <code>${item.id}</code></h1>
${
  report.ok
    ? html`<div class="notice" role="status" data-integrity="ok"><p>${t(TEXT.allIntact)}</p></div>`
    : html`<div class="notice notice-warn" role="alert" data-integrity="altered"><p>${t(TEXT.notIntact)}</p></div>`
}
<dl class="summary-list">
  <dt>${t(TEXT.url)}</dt><dd><code>${item.url}</code></dd>
  <dt>${t(TEXT.finalUrl)}</dt><dd><code>${item.final_url}</code></dd>
  <dt>${t(TEXT.status)}</dt><dd>${item.http_status}</dd>
  <dt>${t(TEXT.capturedAt)}</dt><dd>${formatDateTime(new Date(item.captured_at))} <small>(${item.captured_at})</small></dd>
  <dt>${t(TEXT.ip)}</dt><dd><code>${item.ip}</code></dd>
  <dt>${t(TEXT.capturedBy)}</dt><dd>${item.captured_by}</dd>
  <dt>${t(TEXT.body)}</dt><dd>${t(fill(TEXT.bytes, { n: item.body_bytes }))}${item.body_truncated ? html` (${t(TEXT.truncated)})` : ''}</dd>
  ${item.case_id ? html`<dt>${t(TEXT.caseRef)}</dt><dd><code>${item.case_id}</code></dd>` : ''}
  ${item.finding_id ? html`<dt>${t(TEXT.findingRef)}</dt><dd><code>${item.finding_id}</code></dd>` : ''}
</dl>
<h2>${t(TEXT.files)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.file)}</th><th scope="col">${t(TEXT.recorded)}</th><th scope="col">${t(TEXT.now)}</th></tr></thead>
  <tbody>${report.checks.map(
    (check) => html`<tr data-file="${check.name}">
    <td data-label="${t(TEXT.file)}">${t(FILE_LABELS[check.name] ?? { vi: check.name, en: check.name })}<br><small><code>${check.path}</code></small></td>
    <td data-label="${t(TEXT.recorded)}"><code>${check.expected}</code></td>
    <td data-label="${t(TEXT.now)}">${checkTag(t, check.ok, check.actual === null)}</td>
  </tr>`,
  )}</tbody>
</table>
<form method="post" action="/workbench/evidence/${item.id}/verify">
  ${csrfField(request)}
  <button type="submit" class="button-secondary">${t(TEXT.verifyAgain)}</button>
  <span class="hint">${t(TEXT.verifyHint)}</span>
</form>
<p><a class="button" href="/workbench/evidence/${item.id}/package.zip" download>${t(TEXT.download)}</a></p>
<p class="hint">${t(TEXT.downloadHint)}</p>
<h2>${t(TEXT.custody)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.at)}</th><th scope="col">${t(TEXT.event)}</th><th scope="col">${t(TEXT.actor)}</th><th scope="col">${t(TEXT.detail)}</th></tr></thead>
  <tbody>${state.custody.map(
    (entry) => html`<tr data-custody="${entry.event}">
    <td data-label="${t(TEXT.at)}"><span class="nowrap">${formatDateTime(new Date(entry.at))}</span></td>
    <td data-label="${t(TEXT.event)}"><span class="nowrap">${t(EVENT_LABELS[entry.event])}</span></td>
    <td data-label="${t(TEXT.actor)}"><code>${entry.actor}</code></td>
    <td data-label="${t(TEXT.detail)}">${detailOf(entry.detail)}</td>
  </tr>`,
  )}</tbody>
</table>`,
  );
}

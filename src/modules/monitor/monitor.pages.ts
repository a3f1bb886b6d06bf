/**
 * The monitor's workbench pages (issue 12): a form that queues scans, the findings queue (one per domain) with its
 * filters and CSV, and a finding's page with its scans, the signals of its latest scan with the text that triggered
 * each (all escaped: it is text a crawled site chose), its evidence, and the officer's actions.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { spreadsheetCsv } from '../../core/csv.ts';
import { formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import { kindLabel, PLATFORM_KINDS } from '../registry/index.ts';
import type { FindingView } from './monitor.findings.ts';
import type { ScanStatusView } from './monitor.queue.ts';
import { FINDING_STATUSES, type FindingStatus } from './monitor.table.ts';

type T = (text: Localized) => string;
export type FindingForm = 'dismiss' | 'warning' | 'block-request' | 'case';

const TEXT = {
  title: { vi: 'Giám sát trực tuyến', en: 'Online monitoring' },
  lead: {
    vi: 'Quét website để phát hiện bán hàng chưa thông báo, đăng ký nhắm tới người tiêu dùng Việt Nam và biểu tượng đăng ký giả; mỗi lần quét được lưu làm chứng cứ. Mỗi tên miền có một phát hiện, cập nhật khi quét lại.',
    en: 'Scan websites to find unregistered e-commerce aimed at Vietnam and fake registration badges; every scan is kept as evidence. Each domain has one finding, updated when scanned again.',
  },
  scanTitle: { vi: 'Quét website', en: 'Scan websites' },
  urls: { vi: 'Địa chỉ (mỗi dòng một địa chỉ, tối đa 100)', en: 'Addresses (one per line, at most 100)' },
  urlsHint: {
    vi: 'http:// hoặc https://. Việc quét chạy trong hàng đợi, kết quả có sau khoảng một phút.',
    en: 'http:// or https://. Scans run on the queue; results come within about a minute.',
  },
  queue: { vi: 'Đưa vào hàng đợi', en: 'Queue the scans' },
  findings: { vi: 'Phát hiện', en: 'Findings' },
  status: { vi: 'Trạng thái', en: 'Status' },
  classification: { vi: 'Phân loại', en: 'Classification' },
  all: { vi: 'Tất cả', en: 'All' },
  show: { vi: 'Xem', en: 'Show' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  domain: { vi: 'Tên miền', en: 'Domain' },
  lastSeen: { vi: 'Lần gần nhất', en: 'Last seen' },
  firstSeen: { vi: 'Lần đầu', en: 'First seen' },
  lastScan: { vi: 'Lần quét gần nhất', en: 'Latest scan' },
  none: { vi: 'Không có phát hiện nào.', en: 'No finding.' },
  back: { vi: '← Giám sát trực tuyến', en: '← Online monitoring' },
  scans: { vi: 'Các lần quét', en: 'Scans' },
  evidence: { vi: 'Chứng cứ', en: 'Evidence' },
  signals: { vi: 'Dấu hiệu ở lần quét gần nhất', en: 'Signals of the latest scan' },
  ecommerce: { vi: 'Bán hàng trực tuyến', en: 'Sells online' },
  targetsVietnam: { vi: 'Nhắm tới Việt Nam', en: 'Aimed at Vietnam' },
  badge: { vi: 'Biểu tượng đăng ký', en: 'Registration badge' },
  reasons: { vi: 'Lý do phân loại', en: 'Why' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  actions: { vi: 'Xử lý', en: 'Actions' },
  closed: { vi: 'Phát hiện đã được xử lý.', en: 'This finding was acted on.' },
  reason: { vi: 'Lý do', en: 'Reason' },
  dismiss: { vi: 'Bỏ qua phát hiện', en: 'Dismiss' },
  warningTitle: { vi: 'Soạn cảnh báo người tiêu dùng (bản nháp)', en: 'Draft a consumer warning' },
  severity: { vi: 'Mức độ', en: 'Severity' },
  titleVi: { vi: 'Tiêu đề (tiếng Việt)', en: 'Title (Vietnamese)' },
  titleEn: { vi: 'Tiêu đề (tiếng Anh)', en: 'Title (English)' },
  bodyVi: { vi: 'Nội dung (tiếng Việt)', en: 'Text (Vietnamese)' },
  bodyEn: { vi: 'Nội dung (tiếng Anh)', en: 'Text (English)' },
  warn: { vi: 'Tạo bản nháp cảnh báo', en: 'Create the draft warning' },
  blockTitle: { vi: 'Đề xuất chặn', en: 'Propose a block' },
  legalBasis: { vi: 'Căn cứ pháp lý', en: 'Legal basis' },
  propose: { vi: 'Gửi đề xuất chặn', en: 'Propose the block' },
  platformKind: { vi: 'Loại website (nếu chưa có trong danh sách)', en: 'Kind of site (if not in the register)' },
  platformKindHint: {
    vi: 'Tên miền chưa có trong danh sách được ghi vào danh sách với tình trạng “chưa thông báo, đăng ký” để có thể chặn.',
    en: 'A domain the register does not hold is recorded in it as “unregistered”, so that it can be blocked.',
  },
  crossBorder: { vi: 'Bán hàng xuyên biên giới', en: 'Cross-border seller' },
  crossBorderYes: { vi: 'Website bán hàng từ nước ngoài', en: 'The site sells from abroad' },
  caseTitle: { vi: 'Mở vụ việc kiểm tra', en: 'Open an inspection case' },
  openCase: { vi: 'Mở vụ việc', en: 'Open the case' },
} as const satisfies Record<string, Localized>;

const STATUS_LABELS: Record<FindingStatus, Localized> = {
  open: { vi: 'Đang mở', en: 'Open' },
  dismissed: { vi: 'Đã bỏ qua', en: 'Dismissed' },
  warned: { vi: 'Đã cảnh báo', en: 'Warned' },
  block_requested: { vi: 'Đã đề xuất chặn', en: 'Block requested' },
  case: { vi: 'Đã mở vụ việc', en: 'Case opened' },
};

const CLASSIFICATION_LABELS: Record<string, Localized> = {
  unregistered_ecommerce: { vi: 'Bán hàng chưa thông báo, đăng ký', en: 'Unregistered e-commerce' },
  fake_badge: { vi: 'Biểu tượng đăng ký giả', en: 'Fake badge' },
  compliant: { vi: 'Tuân thủ', en: 'Compliant' },
  not_ecommerce: { vi: 'Không bán hàng', en: 'Not e-commerce' },
  not_targeting_vietnam: { vi: 'Không nhắm tới Việt Nam', en: 'Not aimed at Vietnam' },
  unreachable: { vi: 'Không truy cập được', en: 'Unreachable' },
};

const DONE: Record<string, Localized> = {
  queued: { vi: 'Đã đưa vào hàng đợi quét.', en: 'The scans are queued.' },
  dismiss: { vi: 'Đã bỏ qua phát hiện.', en: 'The finding is dismissed.' },
  warning: { vi: 'Đã tạo bản nháp cảnh báo.', en: 'A draft warning was created.' },
  'block-request': { vi: 'Đã gửi đề xuất chặn.', en: 'The block is proposed.' },
  case: { vi: 'Đã mở vụ việc.', en: 'The case is open.' },
};

const classificationLabel = (code: string): Localized => CLASSIFICATION_LABELS[code] ?? { vi: code, en: code };

function statusTag(t: T, status: FindingStatus): SafeHtml {
  return tag(t, STATUS_LABELS[status], status === 'open' ? 'bad' : status === 'dismissed' ? 'ok' : 'warn', status);
}

/** The findings as CSV (labels in Vietnamese, as the other exports). */
export function findingsCsv(findings: readonly FindingView[]): string {
  return spreadsheetCsv([
    [
      'domain',
      'classification',
      'status',
      'first_seen_at',
      'last_seen_at',
      'latest_evidence_id',
      'last_scan_classification',
    ],
    ...findings.map((finding) => [
      finding.domain,
      classificationLabel(finding.classification).vi,
      STATUS_LABELS[finding.status].vi,
      finding.first_seen_at,
      finding.last_seen_at,
      finding.latest_evidence_id ?? '',
      classificationLabel(finding.last_scan_classification).vi,
    ]),
  ]);
}

export function renderMonitorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    findings: FindingView[];
    filters: { status?: string | undefined; classification?: string | undefined };
    mayScan: boolean;
    form?: FormState | undefined;
    done?: string | undefined;
  },
  status = 200,
) {
  const query = new URLSearchParams(
    Object.entries(state.filters).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
  return sendLocalizedPage(request, reply, {
    title: TEXT.title,
    path: '/workbench/monitor',
    status,
    main: (t) => {
      const form = formView(t, state.form ?? EMPTY_FORM);
      return html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
${
  state.mayScan
    ? html`<h2>${t(TEXT.scanTitle)}</h2>
${form.summary({ urls: TEXT.urls })}
<form method="post" action="/workbench/monitor/scans" novalidate>
  ${csrfField(request)}
  ${form.text({ name: 'urls', label: TEXT.urls, hint: TEXT.urlsHint, rows: 4, required: true, maxlength: 210_000 })}
  <button type="submit">${t(TEXT.queue)}</button>
</form>`
    : ''
}
<h2>${t(TEXT.findings)}</h2>
<form method="get" action="/workbench/monitor" class="filters">
  <div class="form-group"><label for="status">${t(TEXT.status)}</label>
    <select id="status" name="status"><option value="">${t(TEXT.all)}</option>${FINDING_STATUSES.map(
      (value) =>
        html`<option value="${value}"${state.filters.status === value ? html` selected` : ''}>${t(STATUS_LABELS[value])}</option>`,
    )}</select></div>
  <div class="form-group"><label for="classification">${t(TEXT.classification)}</label>
    <select id="classification" name="classification"><option value="">${t(TEXT.all)}</option>${[
      'unregistered_ecommerce',
      'fake_badge',
    ].map(
      (value) =>
        html`<option value="${value}"${state.filters.classification === value ? html` selected` : ''}>${t(classificationLabel(value))}</option>`,
    )}</select></div>
  <button type="submit" class="button-secondary">${t(TEXT.show)}</button>
</form>
<p><a href="/workbench/monitor?${query.toString()}${query.size ? '&' : ''}format=csv">${t(TEXT.csv)}</a></p>
${
  state.findings.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.domain)}</th><th scope="col">${t(TEXT.classification)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.lastSeen)}</th></tr></thead>
  <tbody>${state.findings.map(
    (finding) => html`<tr data-finding="${finding.id}" data-status="${finding.status}">
    <td data-label="${t(TEXT.domain)}"><a href="/workbench/monitor/findings/${finding.id}">${finding.domain}</a></td>
    <td data-label="${t(TEXT.classification)}">${t(classificationLabel(finding.classification))}</td>
    <td data-label="${t(TEXT.status)}">${statusTag(t, finding.status)}</td>
    <td data-label="${t(TEXT.lastSeen)}">${formatDateTime(new Date(finding.last_seen_at))}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(TEXT.none)}</p>`
}`;
    },
  });
}

function evidenceList(items: readonly string[]): SafeHtml | string {
  return items.length ? html`<ul class="plain-list">${items.map((item) => html`<li><q>${item}</q></li>`)}</ul>` : '';
}

export function renderFindingPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    finding: FindingView;
    scans: Array<{
      id: string;
      url: string;
      status: string;
      classification: string | null;
      evidence_id: string | null;
      requested_at: string;
    }>;
    latest: ScanStatusView | undefined;
    may: { act: boolean; warn: boolean; block: boolean; openCase: boolean };
    refused?: { form: FindingForm; state: FormState } | undefined;
    done?: string | undefined;
  },
  status = 200,
) {
  const { finding } = state;
  const answer = state.latest?.answer ?? null;
  const formState = (name: FindingForm) => (state.refused?.form === name ? state.refused.state : EMPTY_FORM);
  const base = `/workbench/monitor/findings/${finding.id}`;
  return sendLocalizedPage(request, reply, {
    title: finding.domain,
    path: base,
    status,
    main: (t) => {
      const dismiss = formView(t, formState('dismiss'), { idPrefix: 'dismiss-' });
      const warning = formView(t, formState('warning'), { idPrefix: 'warning-' });
      const block = formView(t, formState('block-request'), { idPrefix: 'block-' });
      const open = finding.status === 'open';
      return html`<p><a href="/workbench/monitor">${t(TEXT.back)}</a></p>
<h1>${finding.domain}</h1>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
<dl class="summary-list">
  <dt>${t(TEXT.classification)}</dt><dd>${t(classificationLabel(finding.classification))}</dd>
  <dt>${t(TEXT.status)}</dt><dd>${statusTag(t, finding.status)}${finding.status_reason ? html` · ${finding.status_reason}` : ''}</dd>
  <dt>${t(TEXT.firstSeen)}</dt><dd>${formatDateTime(new Date(finding.first_seen_at))}</dd>
  <dt>${t(TEXT.lastSeen)}</dt><dd>${formatDateTime(new Date(finding.last_seen_at))}</dd>
  <dt>${t(TEXT.lastScan)}</dt><dd>${t(classificationLabel(finding.last_scan_classification))} · ${formatDateTime(new Date(finding.last_scanned_at))}</dd>
  ${finding.latest_evidence_id ? html`<dt>${t(TEXT.evidence)}</dt><dd><a href="/workbench/evidence/${finding.latest_evidence_id}"><code>${finding.latest_evidence_id}</code></a></dd>` : ''}
</dl>
${
  answer
    ? html`<h2>${t(TEXT.signals)}</h2>
<dl class="summary-list">
  <dt>${t(TEXT.ecommerce)}</dt><dd>${t(answer.signals.ecommerce.value ? TEXT.yes : TEXT.no)}${evidenceList(answer.signals.ecommerce.evidence)}</dd>
  <dt>${t(TEXT.targetsVietnam)}</dt><dd>${t(answer.signals.targets_vietnam.value ? TEXT.yes : TEXT.no)}${evidenceList(answer.signals.targets_vietnam.evidence)}</dd>
  <dt>${t(TEXT.badge)}</dt><dd>${t(answer.signals.badge.present ? TEXT.yes : TEXT.no)}${answer.signals.badge.link ? html`<br><code>${answer.signals.badge.link}</code>` : ''}${answer.signals.badge.reason ? html`<br>${answer.signals.badge.reason}` : ''}</dd>
  <dt>${t(TEXT.reasons)}</dt><dd>${
    answer.reasons.length
      ? html`<ul class="plain-list">${answer.reasons.map((reason) => html`<li>${t({ vi: reason.vi, en: reason.en })}</li>`)}</ul>`
      : '—'
  }</dd>
</dl>`
    : ''
}
<h2>${t(TEXT.scans)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">URL</th><th scope="col">${t(TEXT.classification)}</th><th scope="col">${t(TEXT.evidence)}</th></tr></thead>
  <tbody>${state.scans.map(
    (scan) => html`<tr data-scan="${scan.id}">
    <td data-label="URL"><code>${scan.url}</code><br>${formatDateTime(new Date(scan.requested_at))}</td>
    <td data-label="${t(TEXT.classification)}">${scan.classification ? t(classificationLabel(scan.classification)) : scan.status}</td>
    <td data-label="${t(TEXT.evidence)}">${scan.evidence_id ? html`<a href="/workbench/evidence/${scan.evidence_id}">${scan.evidence_id.slice(0, 8)}…</a>` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>
<h2>${t(TEXT.actions)}</h2>
${
  !open
    ? html`<p>${t(TEXT.closed)}</p>`
    : html`${
        state.may.openCase
          ? html`<form method="post" action="${base}/case" class="inline-form">${csrfField(request)}<button type="submit">${t(TEXT.caseTitle)}</button></form>`
          : ''
      }
${
  state.may.block
    ? html`<h3>${t(TEXT.blockTitle)}</h3>
${block.summary({ reason: TEXT.reason, legal_basis: TEXT.legalBasis })}
<form method="post" action="${base}/block-request" novalidate>
  ${csrfField(request)}
  ${block.text({ name: 'reason', label: TEXT.reason, rows: 3, required: true, maxlength: 4000 })}
  ${block.text({ name: 'legal_basis', label: TEXT.legalBasis, required: true, maxlength: 1000 })}
  ${block.select({
    name: 'platform_kind',
    label: TEXT.platformKind,
    hint: TEXT.platformKindHint,
    initial: 'sales',
    choices: PLATFORM_KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) })),
  })}
  ${block.choices({
    name: 'cross_border',
    label: TEXT.crossBorder,
    multiple: true,
    choices: [{ value: 'on', label: TEXT.crossBorderYes }],
  })}
  <button type="submit" class="button-warning">${t(TEXT.propose)}</button>
</form>`
    : ''
}
${
  state.may.warn
    ? html`<h3>${t(TEXT.warningTitle)}</h3>
${warning.summary({ severity: TEXT.severity, title_vi: TEXT.titleVi, title_en: TEXT.titleEn, body_vi: TEXT.bodyVi, body_en: TEXT.bodyEn })}
<form method="post" action="${base}/warning" novalidate>
  ${csrfField(request)}
  ${warning.select({
    name: 'severity',
    label: TEXT.severity,
    initial: 'warning',
    choices: [
      { value: 'info', label: { vi: 'Thông tin', en: 'Information' } },
      { value: 'warning', label: { vi: 'Cảnh báo', en: 'Warning' } },
      { value: 'danger', label: { vi: 'Nguy hiểm', en: 'Danger' } },
    ],
  })}
  ${warning.text({ name: 'title_vi', label: TEXT.titleVi, required: true, maxlength: 300 })}
  ${warning.text({ name: 'title_en', label: TEXT.titleEn, required: true, maxlength: 300 })}
  ${warning.text({ name: 'body_vi', label: TEXT.bodyVi, rows: 4, required: true, maxlength: 20_000 })}
  ${warning.text({ name: 'body_en', label: TEXT.bodyEn, rows: 4, required: true, maxlength: 20_000 })}
  <button type="submit" class="button-secondary">${t(TEXT.warn)}</button>
</form>`
    : ''
}
${
  state.may.act
    ? html`<h3>${t(TEXT.dismiss)}</h3>
${dismiss.summary({ reason: TEXT.reason })}
<form method="post" action="${base}/dismiss" novalidate>
  ${csrfField(request)}
  ${dismiss.text({ name: 'reason', label: TEXT.reason, rows: 2, required: true, maxlength: 2000 })}
  <button type="submit" class="button-secondary">${t(TEXT.dismiss)}</button>
</form>`
    : ''
}`
}`;
    },
  });
}

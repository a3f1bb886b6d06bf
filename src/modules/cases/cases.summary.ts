/**
 * The summary of a case as one self-contained HTML document (no script, no outside resource, its style inline): the
 * file a case's bundle carries, and what headless Chromium prints to the bundle's PDF. Vietnamese first, English
 * beside it; days as dd/mm/yyyy, instants in Vietnam time.
 */
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml, trustedHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { unitLabel } from '../units/index.ts';
import { LINK_KIND_LABELS } from './cases.pages.ts';
import type { Case, SanctionRule } from './cases.service.ts';

export interface SummaryEvidence {
  id: string;
  url: string;
  captured_at: string;
  warc_sha256: string;
}

export interface CaseSummaryInput {
  item: Case;
  sanctionRules: readonly SanctionRule[];
  evidence: ReadonlyMap<string, SummaryEvidence>;
  exportedAt: Date;
  exportedBy: string;
}

const L = {
  title: { vi: 'Tóm tắt hồ sơ vụ việc kiểm tra', en: 'Inspection case summary' },
  reference: { vi: 'Số vụ việc', en: 'Reference' },
  name: { vi: 'Tên vụ việc', en: 'Title' },
  summary: { vi: 'Tóm tắt', en: 'Summary' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  status: { vi: 'Tình trạng', en: 'Status' },
  open: { vi: 'Đang xử lý', en: 'Open' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
  createdAt: { vi: 'Mở ngày', en: 'Opened' },
  createdBy: { vi: 'Người mở', en: 'Opened by' },
  closedAt: { vi: 'Đóng ngày', en: 'Closed' },
  steps: { vi: 'Các bước', en: 'Steps' },
  step: { vi: 'Bước', en: 'Step' },
  started: { vi: 'Bắt đầu', en: 'Started' },
  due: { vi: 'Hạn', en: 'Due' },
  completed: { vi: 'Hoàn thành', en: 'Completed' },
  document: { vi: 'Số văn bản', en: 'Document' },
  note: { vi: 'Ghi chú', en: 'Note' },
  extended: { vi: 'đã gia hạn', en: 'extended' },
  overdue: { vi: 'quá hạn', en: 'overdue' },
  links: { vi: 'Liên kết', en: 'Linked records' },
  kind: { vi: 'Loại', en: 'Kind' },
  ref: { vi: 'Mã', en: 'Reference' },
  addedAt: { vi: 'Ngày liên kết', en: 'Linked on' },
  evidence: { vi: 'Chứng cứ', en: 'Evidence' },
  url: { vi: 'Địa chỉ', en: 'URL' },
  capturedAt: { vi: 'Thu thập lúc', en: 'Captured' },
  warc: { vi: 'SHA-256 của WARC', en: 'SHA-256 of the WARC' },
  evidenceFile: { vi: 'Gói chứng cứ', en: 'Evidence package' },
  sanctions: { vi: 'Quyết định xử phạt', en: 'Sanction decisions' },
  decisionNo: { vi: 'Số quyết định', en: 'Decision no.' },
  decisionDate: { vi: 'Ngày quyết định', en: 'Decision date' },
  violation: { vi: 'Hành vi vi phạm', en: 'Violation' },
  offender: { vi: 'Đối tượng', en: 'Offender' },
  individual: { vi: 'cá nhân', en: 'individual' },
  organisation: { vi: 'tổ chức', en: 'organisation' },
  amount: { vi: 'Mức phạt', en: 'Fine' },
  publicId: { vi: 'Mã công khai', en: 'Public id' },
  facts: { vi: 'Nội dung vi phạm', en: 'Facts' },
  decisions: { vi: 'Quyết định đã công khai', en: 'Published decisions' },
  none: { vi: 'Không có.', en: 'None.' },
  exported: { vi: 'Xuất lúc', en: 'Exported' },
  exportedBy: { vi: 'Người xuất', en: 'Exported by' },
  check: {
    vi: 'Tệp SHA256SUMS trong gói liệt kê SHA-256 của mọi tệp; kiểm tra bằng lệnh: sha256sum -c SHA256SUMS',
    en: 'SHA256SUMS in the bundle lists the SHA-256 of every file; check it with: sha256sum -c SHA256SUMS',
  },
};

/** A label in both languages: Vietnamese, then English in a lighter type. */
function both(label: Localized): SafeHtml {
  return html`${label.vi}<span class="en"> / ${label.en}</span>`;
}

const day = (value: string | null) => (value ? formatCalendarDate(value) : '—');
const instant = (value: string | null) => (value ? formatDateTime(new Date(value)) : '—');
const vnd = (amount: number) => `${new Intl.NumberFormat('vi-VN').format(amount)}\u00a0₫`;

// Fonts with every Vietnamese letter on Debian (DejaVu, Liberation); no web font: printing fetches nothing. A constant
// of this file, inserted as is (escaping would turn the font names' quotes into entities the style sheet cannot read).
const STYLE = `
body { font-family: "DejaVu Sans", "Liberation Sans", "Noto Sans", Arial, sans-serif; font-size: 10.5pt; color: #111; margin: 0; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; border-bottom: 1px solid #999; }
.en { color: #555; font-weight: normal; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3pt 12pt; margin: 8pt 0; }
dt { font-weight: bold; }
dd { margin: 0; white-space: pre-wrap; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; word-break: break-all; }
.pre { white-space: pre-wrap; }
footer { margin-top: 18pt; font-size: 9pt; color: #444; }
`;

export function renderCaseSummary(input: CaseSummaryInput): string {
  const { item } = input;
  const rules = new Map(input.sanctionRules.map((rule) => [rule.code, rule]));
  const evidenceLinks = item.links.filter((link) => link.kind === 'evidence');
  const otherLinks = item.links.filter((link) => link.kind !== 'evidence');
  const decisions = [
    ...item.links.filter((link) => link.kind === 'decision').map((link) => link.ref),
    ...item.sanctions.flatMap((sanction) => (sanction.public_id ? [sanction.public_id] : [])),
  ];
  const unit = item.unit_id ? unitLabel(item.unit_id) : null;
  const page = html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>${item.reference} – ${item.title}</title>
<style>${trustedHtml(STYLE)}</style>
</head>
<body>
<h1>${both(L.title)}</h1>
<p><strong>${item.reference}</strong> – ${item.title}</p>
<dl>
  <dt>${both(L.reference)}</dt><dd>${item.reference}</dd>
  <dt>${both(L.name)}</dt><dd>${item.title}</dd>
  ${item.summary ? html`<dt>${both(L.summary)}</dt><dd>${item.summary}</dd>` : ''}
  ${unit ? html`<dt>${both(L.unit)}</dt><dd>${unit.vi}<span class="en"> / ${unit.en}</span></dd>` : ''}
  <dt>${both(L.status)}</dt><dd>${both(item.status === 'open' ? L.open : L.closed)}</dd>
  <dt>${both(L.createdAt)}</dt><dd>${instant(item.created_at)}</dd>
  <dt>${both(L.createdBy)}</dt><dd>${item.created_by}</dd>
  ${item.closed_at ? html`<dt>${both(L.closedAt)}</dt><dd>${instant(item.closed_at)}</dd>` : ''}
</dl>

<h2>${both(L.steps)}</h2>
<table>
  <thead><tr><th>${both(L.step)}</th><th>${both(L.started)}</th><th>${both(L.due)}</th><th>${both(L.completed)}</th><th>${both(L.document)}</th><th>${both(L.note)}</th></tr></thead>
  <tbody>${item.steps.map(
    (step) => html`<tr data-step="${step.step}">
    <td>${both(step.label)}</td>
    <td>${day(step.started_on)}</td>
    <td>${day(step.due_on)}${step.extended ? html` (${both(L.extended)})` : ''}${step.deadline === 'overdue' ? html` <strong>${both(L.overdue)}</strong>` : ''}</td>
    <td>${day(step.completed_on)}</td>
    <td>${step.document_no ?? ''}</td>
    <td class="pre">${step.note}</td>
  </tr>`,
  )}</tbody>
</table>

<h2>${both(L.links)}</h2>
${
  otherLinks.length > 0
    ? html`<table>
  <thead><tr><th>${both(L.kind)}</th><th>${both(L.ref)}</th><th>${both(L.note)}</th><th>${both(L.addedAt)}</th></tr></thead>
  <tbody>${otherLinks.map(
    (link) => html`<tr data-link="${link.kind}">
    <td>${both(LINK_KIND_LABELS[link.kind])}</td>
    <td>${link.label ? html`${link.label}<br>` : ''}<code>${link.ref}</code></td>
    <td class="pre">${link.note}</td>
    <td>${instant(link.added_at)}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${both(L.none)}</p>`
}

<h2>${both(L.evidence)}</h2>
${
  evidenceLinks.length > 0
    ? html`<table>
  <thead><tr><th>${both(L.url)}</th><th>${both(L.capturedAt)}</th><th>${both(L.warc)}</th><th>${both(L.evidenceFile)}</th></tr></thead>
  <tbody>${evidenceLinks.map((link) => {
    const described = input.evidence.get(link.ref);
    return html`<tr data-evidence="${link.ref}">
    <td>${described?.url ?? ''}<br><code>${link.ref}</code></td>
    <td>${described ? instant(described.captured_at) : '—'}</td>
    <td><code>${described?.warc_sha256 ?? ''}</code></td>
    <td><code>evidence/${link.ref}.zip</code></td>
  </tr>`;
  })}</tbody>
</table>`
    : html`<p>${both(L.none)}</p>`
}

<h2>${both(L.sanctions)}</h2>
${
  item.sanctions.length > 0
    ? html`<table>
  <thead><tr><th>${both(L.decisionNo)}</th><th>${both(L.decisionDate)}</th><th>${both(L.violation)}</th><th>${both(L.offender)}</th><th>${both(L.amount)}</th><th>${both(L.publicId)}</th></tr></thead>
  <tbody>${item.sanctions.map((sanction) => {
    const rule = rules.get(sanction.rule_code);
    return html`<tr data-sanction="${sanction.id}">
    <td>${sanction.decision_no}</td>
    <td>${day(sanction.decision_date)}</td>
    <td>${rule ? html`${both(rule.violation)}<br>${rule.provision}` : sanction.rule_code}</td>
    <td>${sanction.offender_name} (${both(sanction.offender_kind === 'organisation' ? L.organisation : L.individual)})</td>
    <td>${vnd(sanction.amount_vnd)}</td>
    <td>${sanction.public_id ?? '—'}</td>
  </tr>
  <tr><td colspan="6"><strong>${both(L.facts)}:</strong> <span class="pre">${sanction.facts}</span></td></tr>`;
  })}</tbody>
</table>`
    : html`<p>${both(L.none)}</p>`
}

<h2>${both(L.decisions)}</h2>
${decisions.length > 0 ? html`<ul>${decisions.map((id) => html`<li><code>${id}</code></li>`)}</ul>` : html`<p>${both(L.none)}</p>`}

<footer>
  <p>${both(L.exported)}: ${formatDateTime(input.exportedAt)} · ${both(L.exportedBy)}: ${input.exportedBy}</p>
  <p>${L.check.vi}<br><span class="en">${L.check.en}</span></p>
</footer>
</body>
</html>
`;
  return page.toString();
}

/** The public pages of the register of decisions: the list (newest first) and each decision's permalink. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { tag } from '../../web/tags.ts';
import { sendLocalizedPage } from '../accounts/index.ts';
import { unitLabel } from '../units/index.ts';
import {
  DECISION_KIND_LABELS,
  DECISION_KINDS,
  type DecisionKind,
  type PublishedDecision,
} from './transparency.service.ts';

type T = (text: Localized) => string;

const TEXT = {
  listTitle: { vi: 'Công khai quyết định', en: 'Published decisions' },
  listLead: {
    vi: 'Mọi cảnh báo người tiêu dùng, quyết định chặn và quyết định xử phạt về thương mại điện tử đều có mã công khai và trang riêng: căn cứ pháp lý, sự việc, đối tượng, việc phát hiện hay quyết định có tự động hay không. Dữ liệu mỗi ngày tải được dưới dạng CSV và JSON.',
    en: 'Every warning to consumers, blocking decision and sanction decision on e-commerce has a public id and a page of its own: legal ground, facts, targets, and whether detection or decision was automated. Each day’s data can be downloaded as CSV and JSON.',
  },
  kind: { vi: 'Loại', en: 'Kind' },
  all: { vi: 'Tất cả', en: 'All' },
  show: { vi: 'Xem', en: 'Show' },
  more: { vi: 'Các quyết định trước →', en: 'Earlier decisions →' },
  none: { vi: 'Chưa có quyết định nào được công khai.', en: 'No decision published yet.' },
  dumps: { vi: 'Dữ liệu theo ngày', en: 'Daily data' },
  dumpsLead: {
    vi: 'Các quyết định được công khai hoặc chấm dứt trong một ngày (giờ Việt Nam), với tình trạng hiện tại:',
    en: 'The decisions published or ended on a day (Vietnam time), with their current state:',
  },
  publicId: { vi: 'Mã công khai', en: 'Public id' },
  decisionNo: { vi: 'Số quyết định', en: 'Decision number' },
  decidedOn: { vi: 'Ngày quyết định', en: 'Decided on' },
  effective: { vi: 'Hiệu lực', en: 'In effect' },
  issuer: { vi: 'Đơn vị ban hành', en: 'Issued by' },
  legalGround: { vi: 'Căn cứ pháp lý', en: 'Legal ground' },
  facts: { vi: 'Sự việc', en: 'Facts' },
  targets: { vi: 'Đối tượng', en: 'Targets' },
  detection: { vi: 'Phát hiện', en: 'Detection' },
  decision: { vi: 'Quyết định', en: 'Decision' },
  automated: { vi: 'Tự động (rà quét của hệ thống)', en: 'Automated (the system’s scan)' },
  manual: { vi: 'Do cán bộ hoặc qua phản ánh', en: 'By an officer or a complaint' },
  byOfficer: { vi: 'Do cán bộ có thẩm quyền quyết định', en: 'Taken by a competent officer' },
  byMachine: { vi: 'Tự động', en: 'Automated' },
  publishedAt: { vi: 'Công khai lúc', en: 'Published' },
  state: { vi: 'Tình trạng', en: 'State' },
  inForce: { vi: 'Đang có hiệu lực', en: 'In force' },
  ended: { vi: 'Đã chấm dứt', en: 'Ended' },
  sample: {
    vi: 'Dữ liệu mẫu (minh họa), không phải quyết định thật.',
    en: 'Sample data (illustration), not a real decision.',
  },
  source: { vi: 'Hồ sơ gốc', en: 'Record' },
  back: { vi: '← Công khai quyết định', en: '← Published decisions' },
  noDomains: { vi: '(không có tên miền)', en: '(no domain)' },
} as const;

function stateTag(t: T, decision: PublishedDecision): SafeHtml {
  return decision.status === 'in_force' ? tag(t, TEXT.inForce, 'bad', 'in_force') : tag(t, TEXT.ended, 'ok', 'ended');
}

/** Where the deciding module shows the record the decision came from, for the kinds that have a public page. */
function sourceLink(decision: PublishedDecision): string | undefined {
  if (decision.source_type === 'block_request') return `/blocks/${decision.source_id}`;
  if (decision.source_type === 'advisory') return `/advisories/${decision.source_id}`;
  return undefined;
}

function targetsList(t: T, decision: PublishedDecision): SafeHtml {
  return html`<ul class="plain-list">${decision.targets.map(
    (target) =>
      html`<li><strong>${target.name}</strong>${target.registration_no ? html` (<code>${target.registration_no}</code>)` : ''}<br>${
        target.domains.length
          ? target.domains.map((domain, index) => html`${index ? ', ' : ''}<code>${domain}</code>`)
          : t(TEXT.noDomains)
      }${target.apps.length ? html`<br>${target.apps.map((app, index) => html`${index ? ', ' : ''}<code>${app}</code>`)}` : ''}</li>`,
  )}</ul>`;
}

export function renderDecisionList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { decisions: PublishedDecision[]; next: number | null; kind: DecisionKind | undefined; days: string[] },
) {
  const kindQuery = state.kind ? `kind=${state.kind}&` : '';
  return sendLocalizedPage(request, reply, {
    title: TEXT.listTitle,
    path: '/decisions',
    main: (t) => html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(TEXT.listLead)}</p>
<form method="get" action="/decisions" class="filters">
  <div class="form-group"><label for="kind">${t(TEXT.kind)}</label>
    <select id="kind" name="kind"><option value="">${t(TEXT.all)}</option>${DECISION_KINDS.map(
      (kind) =>
        html`<option value="${kind}"${state.kind === kind ? html` selected` : ''}>${t(DECISION_KIND_LABELS[kind])}</option>`,
    )}</select></div>
  <button type="submit" class="button-secondary">${t(TEXT.show)}</button>
</form>
${
  state.decisions.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.publicId)}</th><th scope="col">${t(TEXT.kind)}</th><th scope="col">${t(TEXT.targets)}</th><th scope="col">${t(TEXT.state)}</th></tr></thead>
  <tbody>${state.decisions.map(
    (decision) => html`<tr data-decision="${decision.public_id}">
    <td data-label="${t(TEXT.publicId)}"><a href="${decision.permalink}">${decision.public_id}</a><br>${formatCalendarDate(decision.decided_on)}</td>
    <td data-label="${t(TEXT.kind)}">${t(DECISION_KIND_LABELS[decision.kind])}${decision.decision_no ? html`<br><code>${decision.decision_no}</code>` : ''}${decision.sample ? html`<br>${tag(t, { vi: 'Mẫu', en: 'Sample' }, 'warn', 'sample')}` : ''}</td>
    <td data-label="${t(TEXT.targets)}">${decision.targets.map((target) => target.name).join(', ')}</td>
    <td data-label="${t(TEXT.state)}">${stateTag(t, decision)}</td>
  </tr>`,
  )}</tbody>
</table>
${state.next !== null ? html`<p><a href="/decisions?${kindQuery}before=${state.next}">${t(TEXT.more)}</a></p>` : ''}`
    : html`<p>${t(TEXT.none)}</p>`
}
<h2>${t(TEXT.dumps)}</h2>
<p>${t(TEXT.dumpsLead)}</p>
<ul class="plain-list">${state.days.map(
      (day) =>
        html`<li>${formatCalendarDate(day)}: <a href="/decisions/dumps/${day}.csv">CSV</a> · <a href="/decisions/dumps/${day}.json">JSON</a></li>`,
    )}</ul>`,
  });
}

export function renderDecision(request: FastifyRequest, reply: FastifyReply, decision: PublishedDecision) {
  const source = sourceLink(decision);
  return sendLocalizedPage(request, reply, {
    title: decision.public_id,
    path: decision.permalink,
    main: (t) => html`<p><a href="/decisions">${t(TEXT.back)}</a></p>
<h1>${t(DECISION_KIND_LABELS[decision.kind])} ${decision.public_id}</h1>
${decision.sample ? html`<div class="notice"><p>${t(TEXT.sample)}</p></div>` : ''}
<p>${stateTag(t, decision)}${decision.ended_at ? html` ${formatDateTime(new Date(decision.ended_at))}${decision.end_reason ? html` · ${t(decision.end_reason)}` : ''}` : ''}</p>
<dl class="summary-list">
  <dt>${t(TEXT.publicId)}</dt><dd><code>${decision.public_id}</code></dd>
  ${decision.decision_no ? html`<dt>${t(TEXT.decisionNo)}</dt><dd>${decision.decision_no}</dd>` : ''}
  <dt>${t(TEXT.decidedOn)}</dt><dd>${formatCalendarDate(decision.decided_on)}</dd>
  ${
    decision.effective_from || decision.effective_to
      ? html`<dt>${t(TEXT.effective)}</dt><dd>${decision.effective_from ? formatCalendarDate(decision.effective_from) : '…'} – ${decision.effective_to ? formatCalendarDate(decision.effective_to) : '…'}</dd>`
      : ''
  }
  ${decision.issuer_unit_id ? html`<dt>${t(TEXT.issuer)}</dt><dd>${t(unitLabel(decision.issuer_unit_id))}</dd>` : ''}
  <dt>${t(TEXT.legalGround)}</dt><dd>${decision.legal_ground}</dd>
  <dt>${t(TEXT.facts)}</dt><dd class="preserve-lines">${t(decision.facts)}</dd>
  <dt>${t(TEXT.targets)}</dt><dd>${targetsList(t, decision)}</dd>
  <dt>${t(TEXT.detection)}</dt><dd data-automated-detection="${String(decision.automated_detection)}">${t(decision.automated_detection ? TEXT.automated : TEXT.manual)}</dd>
  <dt>${t(TEXT.decision)}</dt><dd data-automated-decision="${String(decision.automated_decision)}">${t(decision.automated_decision ? TEXT.byMachine : TEXT.byOfficer)}</dd>
  <dt>${t(TEXT.publishedAt)}</dt><dd>${formatDateTime(new Date(decision.published_at))}</dd>
  ${source ? html`<dt>${t(TEXT.source)}</dt><dd><a href="${source}">${source}</a></dd>` : ''}
</dl>`,
  });
}

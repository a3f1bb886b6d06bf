import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent } from '../../core/audit.ts';
import { formatCalendarDate, formatDateTime, formatDay } from '../../core/dates.ts';
import { html, paragraphs, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { type Tone, tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import {
  APPEAL_STATUS_TEXT,
  type Appeal,
  BLOCK_STATUS_TEXT,
  type Block,
  LIFT_REASON_TEXT,
} from './blocking.service.ts';
import type { AppealStatus, BlockStatus } from './blocking.table.ts';

/** Public pages of blocks (the block, the landing page of blocked domains, an appeal's status) and the workbench. */

type T = (text: Localized) => string;

/** How to appeal: the periods of the table of procedures, with their provision and whether it was verified. */
export interface AppealProcedures {
  acceptance: { workingDays: number; provision: string; sourceUrl: string; verified: boolean };
  resolution: { workingDays: number; provision: string; sourceUrl: string; verified: boolean };
}

const STATUS_TONES: Record<BlockStatus, Tone> = {
  proposed: 'warn',
  returned: 'bad',
  approved: 'warn',
  decided: 'warn',
  active: 'bad',
  lifted: 'ok',
};
const APPEAL_TONES: Record<AppealStatus, Tone> = { received: 'warn', accepted: 'warn', granted: 'ok', rejected: 'bad' };

const ACTION_TEXT: Record<string, Localized> = {
  'block.propose': { vi: 'Đề xuất chặn', en: 'Proposed' },
  'block.amend': { vi: 'Sửa và đề xuất lại', en: 'Amended and proposed again' },
  'block.approve': { vi: 'Pháp chế thẩm định: đồng ý', en: 'Legal review: approved' },
  'block.return': { vi: 'Pháp chế trả lại', en: 'Legal review: returned' },
  'block.decide': { vi: 'Ghi quyết định', en: 'Decision recorded' },
  'block.activate': { vi: 'Áp dụng chặn', en: 'Activated' },
  'block.lift': { vi: 'Gỡ chặn', en: 'Lifted' },
};

const TEXT = {
  blockTitle: { vi: 'Quyết định chặn {decision}', en: 'Blocking decision {decision}' },
  activeLead: {
    vi: 'Website, ứng dụng dưới đây đang bị chặn truy cập theo quyết định của Bộ Công Thương.',
    en: 'Access to the websites and apps below is blocked by a decision of the Ministry of Industry and Trade.',
  },
  liftedNotice: {
    vi: 'Quyết định chặn này đã được gỡ ngày {day}. Lý do: {reason}',
    en: 'This block was lifted on {day}. Reason: {reason}',
  },
  platform: { vi: 'Nền tảng', en: 'Platform' },
  decisionNo: { vi: 'Số quyết định', en: 'Decision number' },
  decisionDate: { vi: 'Ngày quyết định', en: 'Decision date' },
  effectiveFrom: { vi: 'Có hiệu lực từ', en: 'In effect from' },
  effectiveTo: { vi: 'Hiệu lực đến', en: 'In effect until' },
  untilFurther: { vi: 'Đến khi có quyết định khác', en: 'Until further decision' },
  legalBasis: { vi: 'Căn cứ pháp lý', en: 'Legal basis' },
  reason: { vi: 'Lý do', en: 'Reason' },
  domains: { vi: 'Tên miền bị chặn', en: 'Blocked domains' },
  domainsColumn: { vi: 'Tên miền', en: 'Domains' },
  apps: { vi: 'Ứng dụng', en: 'Apps' },
  howToAppeal: { vi: 'Cách khiếu nại', en: 'How to appeal' },
  appealText: {
    vi: 'Tổ chức, cá nhân có quyền khiếu nại quyết định này theo Luật Khiếu nại số 02/2011/QH13 bằng biểu mẫu dưới đây, hoặc khởi kiện vụ án hành chính tại Tòa án. Bộ Công Thương thụ lý khiếu nại trong {acceptance} ngày làm việc kể từ khi nhận được ({acceptanceProvision}) và giải quyết trong {resolution} ngày làm việc kể từ ngày thụ lý ({resolutionProvision}). Mỗi khiếu nại có một mã số để theo dõi.',
    en: 'Anyone concerned may appeal this decision under the Law on Complaints No. 02/2011/QH13 with the form below, or bring an administrative lawsuit before a court. The Ministry accepts an appeal within {acceptance} working days of receiving it ({acceptanceProvision}) and resolves it within {resolution} working days of accepting it ({resolutionProvision}). Each appeal gets a reference to follow it by.',
  },
  periodsUnverified: {
    vi: 'Chưa đối chiếu được văn bản về việc các thời hạn này tính theo ngày làm việc hay ngày lịch.',
    en: 'Whether the law counts these periods in working or calendar days has not been checked against the text.',
  },
  appealForm: { vi: 'Gửi khiếu nại', en: 'File an appeal' },
  name: { vi: 'Họ và tên', en: 'Full name' },
  email: { vi: 'Thư điện tử liên hệ', en: 'Contact e-mail' },
  decisionAppealed: { vi: 'Quyết định bị khiếu nại', en: 'Decision appealed' },
  grounds: { vi: 'Nội dung và lý do khiếu nại', en: 'Grounds of the appeal' },
  send: { vi: 'Gửi khiếu nại', en: 'Send the appeal' },
  landingTitle: { vi: 'Trang web này đã bị chặn', en: 'This site is blocked' },
  landingLead: {
    vi: 'Tên miền {domain} thuộc một quyết định chặn của Bộ Công Thương.',
    en: 'The domain {domain} is covered by a blocking decision of the Ministry of Industry and Trade.',
  },
  notBlockedTitle: { vi: 'Không có quyết định chặn', en: 'No blocking decision' },
  notBlocked: {
    vi: 'Không tìm thấy quyết định chặn nào đang có hiệu lực đối với {domain}.',
    en: 'No blocking decision in force covers {domain}.',
  },
  noDomain: { vi: 'Không có tên miền để tra cứu.', en: 'No domain to look up.' },
  checkIt: { vi: 'Kiểm tra một website hoặc ứng dụng', en: 'Check a website or app' },
  blockNotFound: { vi: 'Không tìm thấy quyết định chặn', en: 'Blocking decision not found' },
  blockNotFoundText: {
    vi: 'Không có quyết định chặn công khai nào ở địa chỉ này.',
    en: 'There is no public blocking decision at this address.',
  },
  details: { vi: 'Xem quyết định', en: 'See the decision' },
  appealTitle: { vi: 'Khiếu nại {reference}', en: 'Appeal {reference}' },
  appealFiled: {
    vi: 'Đã nhận khiếu nại của bạn. Hãy ghi lại mã số {reference} để theo dõi.',
    en: 'Your appeal was received. Keep its reference {reference} to follow it.',
  },
  status: { vi: 'Trạng thái', en: 'Status' },
  receivedAt: { vi: 'Ngày nhận', en: 'Received' },
  acceptanceDue: { vi: 'Hạn thụ lý', en: 'To be accepted by' },
  acceptedAt: { vi: 'Ngày thụ lý', en: 'Accepted' },
  resolutionDue: { vi: 'Hạn giải quyết', en: 'To be resolved by' },
  decidedAt: { vi: 'Ngày giải quyết', en: 'Resolved' },
  outcome: { vi: 'Kết quả, lý do', en: 'Outcome, reasons' },
  // Workbench
  workbenchTitle: { vi: 'Chặn website, ứng dụng', en: 'Blocking' },
  all: { vi: 'Tất cả', en: 'All' },
  empty: { vi: 'Không có đề nghị chặn nào.', en: 'No block requests.' },
  newBlock: { vi: 'Đề xuất chặn', en: 'Propose a block' },
  appealsTitle: { vi: 'Khiếu nại quyết định chặn', en: 'Appeals against blocks' },
  noAppeals: { vi: 'Không có khiếu nại nào.', en: 'No appeals.' },
  updated: { vi: 'Cập nhật', en: 'Updated' },
  platformField: { vi: 'Nền tảng (mã, số đăng ký hoặc tên miền)', en: 'Platform (id, registration number or domain)' },
  domainsField: { vi: 'Tên miền cần chặn', en: 'Domains to block' },
  identitiesHint: {
    vi: 'Mỗi dòng một tên miền của nền tảng trong danh sách. Để trống cả tên miền và ứng dụng: chặn mọi tên miền, ứng dụng của nền tảng.',
    en: 'One of the platform’s domains in the register per line. Leave domains and apps empty to block all of them.',
  },
  androidField: { vi: 'Ứng dụng Android (mã gói)', en: 'Android apps (package ids)' },
  iosField: { vi: 'Ứng dụng iOS (mã số)', en: 'iOS apps (numeric ids)' },
  evidenceField: { vi: 'Chứng cứ', en: 'Evidence' },
  evidenceHint: {
    vi: 'Mỗi dòng một địa chỉ http(s) hoặc mã chứng cứ đã thu thập.',
    en: 'One http(s) address or captured-evidence id per line.',
  },
  propose: { vi: 'Gửi đề xuất', en: 'Propose' },
  amend: { vi: 'Sửa và đề xuất lại', en: 'Amend and propose again' },
  returnedNotice: {
    vi: 'Pháp chế đã trả lại đề nghị. Lý do: {reason}',
    en: 'Legal review returned it. Reason: {reason}',
  },
  approve: { vi: 'Đồng ý (thẩm định pháp chế)', en: 'Approve (legal review)' },
  reviewNote: { vi: 'Ý kiến thẩm định', en: 'Review note' },
  return: { vi: 'Trả lại', en: 'Return' },
  returnReason: { vi: 'Lý do trả lại', en: 'Reason for returning it' },
  decide: { vi: 'Ghi quyết định', en: 'Record the decision' },
  decisionNoHint: { vi: 'Ví dụ: 1234/QĐ-BCT', en: 'For example 1234/QĐ-BCT' },
  activate: { vi: 'Áp dụng chặn', en: 'Activate the block' },
  activateHint: {
    vi: 'Tình trạng của nền tảng trong danh sách chuyển thành “bị chặn”; danh sách chặn gửi nhà mạng cập nhật ngay.',
    en: 'The platform’s register status becomes “blocked”; the blocklist feeds follow at once.',
  },
  lift: { vi: 'Gỡ chặn', en: 'Lift the block' },
  liftReason: { vi: 'Lý do gỡ', en: 'Reason' },
  note: { vi: 'Ghi chú', en: 'Note' },
  evidence: { vi: 'Chứng cứ', en: 'Evidence' },
  capture: { vi: 'Bản thu thập', en: 'Capture of' },
  history: { vi: 'Nhật ký thao tác', en: 'History' },
  publicPage: { vi: 'Trang công khai', en: 'Public page' },
  accept: { vi: 'Thụ lý', en: 'Accept' },
  grant: { vi: 'Chấp nhận (gỡ chặn)', en: 'Grant (lifts the block)' },
  reject: { vi: 'Không chấp nhận', en: 'Reject' },
  reasons: { vi: 'Lý do, kết quả', en: 'Reasons' },
  appellant: { vi: 'Người khiếu nại', en: 'Appellant' },
  done: {
    proposed: { vi: 'Đã gửi đề xuất chặn.', en: 'Block proposed.' },
    amended: { vi: 'Đã sửa và đề xuất lại.', en: 'Amended and proposed again.' },
    approved: { vi: 'Đã thẩm định: đồng ý.', en: 'Approved.' },
    returned: { vi: 'Đã trả lại đề nghị.', en: 'Returned.' },
    decided: { vi: 'Đã ghi quyết định.', en: 'Decision recorded.' },
    activated: { vi: 'Đã áp dụng chặn.', en: 'Block activated.' },
    lifted: { vi: 'Đã gỡ chặn.', en: 'Block lifted.' },
    accepted: { vi: 'Đã thụ lý khiếu nại.', en: 'Appeal accepted.' },
    granted: { vi: 'Đã chấp nhận khiếu nại và gỡ chặn.', en: 'Appeal granted; the block was lifted.' },
    rejected: { vi: 'Đã không chấp nhận khiếu nại.', en: 'Appeal rejected.' },
  } as Record<string, Localized>,
} as const;

const FIELD_LABELS: Record<string, Localized> = {
  platform: TEXT.platformField,
  domains: TEXT.domainsField,
  android_apps: TEXT.androidField,
  ios_apps: TEXT.iosField,
  reason: TEXT.reason,
  legal_basis: TEXT.legalBasis,
  evidence: TEXT.evidenceField,
  decision_no: TEXT.decisionNo,
  decision_date: TEXT.decisionDate,
  effective_from: TEXT.effectiveFrom,
  effective_to: TEXT.effectiveTo,
  name: TEXT.name,
  email: TEXT.email,
  grounds: TEXT.grounds,
  note: TEXT.note,
  _csrf: { vi: 'Biểu mẫu', en: 'Form' },
};

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  title: string | Localized,
  path: string,
  main: (t: T) => SafeHtml,
  status = 200,
  query?: Record<string, string>,
) {
  return sendLocalizedPage(request, reply, { title, path, main, status, query });
}

const day = (value: string | null) => (value ? formatCalendarDate(value) : '—');
const instantDay = (value: string | null) => (value ? formatDay(new Date(value)) : '—');

function statusTag(t: T, status: BlockStatus): SafeHtml {
  return tag(t, BLOCK_STATUS_TEXT[status], STATUS_TONES[status], status);
}

function appealTag(t: T, status: AppealStatus): SafeHtml {
  return tag(t, APPEAL_STATUS_TEXT[status], APPEAL_TONES[status], status);
}

function decisionFacts(t: T, block: Block): SafeHtml {
  return html`<dl class="summary-list block-facts">
  <dt>${t(TEXT.platform)}</dt><dd>${block.platform_name}</dd>
  <dt>${t(TEXT.decisionNo)}</dt><dd data-field="decision_no">${block.decision_no ?? '—'}</dd>
  <dt>${t(TEXT.decisionDate)}</dt><dd>${day(block.decision_date)}</dd>
  <dt>${t(TEXT.effectiveFrom)}</dt><dd>${day(block.effective_from)}</dd>
  <dt>${t(TEXT.effectiveTo)}</dt><dd>${block.effective_to ? day(block.effective_to) : block.decision_no ? t(TEXT.untilFurther) : '—'}</dd>
  <dt>${t(TEXT.legalBasis)}</dt><dd data-field="legal_basis">${block.legal_basis}</dd>
  <dt>${t(TEXT.reason)}</dt><dd>${paragraphs(block.reason)}</dd>
</dl>
<h2>${t(TEXT.domains)}</h2>
<ul class="block-domains">${block.domains.map((domain) => html`<li><code>${domain}</code></li>`)}</ul>
${
  block.android_apps.length + block.ios_apps.length > 0
    ? html`<h2>${t(TEXT.apps)}</h2><ul>${[...block.android_apps, ...block.ios_apps].map((app) => html`<li><code>${app}</code></li>`)}</ul>`
    : ''
}`;
}

function liftedNotice(t: T, block: Block): SafeHtml | string {
  if (block.status !== 'lifted') return '';
  return html`<div class="notice notice-warn" role="status"><p>${t(
    fill(TEXT.liftedNotice, {
      day: instantDay(block.lifted_at),
      reason: block.lift_reason ? t(LIFT_REASON_TEXT[block.lift_reason]) : '',
    }),
  )}</p></div>`;
}

function howToAppeal(t: T, procedures: AppealProcedures): SafeHtml {
  const cite = (row: AppealProcedures['acceptance']) => row.provision;
  return html`<h2 id="appeal">${t(TEXT.howToAppeal)}</h2>
<p>${t(
    fill(TEXT.appealText, {
      acceptance: procedures.acceptance.workingDays,
      acceptanceProvision: cite(procedures.acceptance),
      resolution: procedures.resolution.workingDays,
      resolutionProvision: cite(procedures.resolution),
    }),
  )}</p>
${procedures.acceptance.verified && procedures.resolution.verified ? '' : html`<p class="hint">${t(TEXT.periodsUnverified)}</p>`}`;
}

function appealForm(request: FastifyRequest, t: T, block: Block, form: FormState): SafeHtml {
  const view = formView(t, form, { idPrefix: 'appeal-' });
  return html`<form method="post" action="/blocks/${block.id}/appeals#appeal-form" novalidate class="appeal-form" id="appeal-form">
  <h2>${t(TEXT.appealForm)}</h2>
  ${view.summary(FIELD_LABELS)}
  ${csrfField(request)}
  ${view.text({ name: 'name', label: TEXT.name, required: true, maxlength: 200, autocomplete: 'name' })}
  ${view.text({ name: 'email', label: TEXT.email, required: true, maxlength: 320, type: 'email', autocomplete: 'email' })}
  ${view.text({ name: 'decision_no', label: TEXT.decisionAppealed, required: true, maxlength: 60, initial: block.decision_no ?? '' })}
  ${view.text({ name: 'grounds', label: TEXT.grounds, required: true, rows: 6, maxlength: 10_000 })}
  <button type="submit">${t(TEXT.send)}</button>
</form>`;
}

// ---------------------------------------------------------------------------------------------------
// Public

export function renderPublicBlock(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { block: Block; procedures: AppealProcedures; form?: FormState },
  status = 200,
) {
  const { block } = state;
  return send(
    request,
    reply,
    fill(TEXT.blockTitle, { decision: block.decision_no ?? '' }),
    `/blocks/${block.id}`,
    (t) => html`<h1>${t(fill(TEXT.blockTitle, { decision: block.decision_no ?? '' }))}</h1>
<p>${statusTag(t, block.status)}</p>
${liftedNotice(t, block)}
${block.status === 'active' ? html`<p class="lead">${t(TEXT.activeLead)}</p>` : ''}
${decisionFacts(t, block)}
${block.status === 'active' ? html`${howToAppeal(t, state.procedures)}${appealForm(request, t, block, state.form ?? EMPTY_FORM)}` : ''}`,
    status,
  );
}

export function renderLanding(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { domain: string; block: Block | undefined; procedures: AppealProcedures },
) {
  const { block, domain } = state;
  const query = domain ? { domain } : undefined;
  if (!block) {
    return send(
      request,
      reply,
      TEXT.notBlockedTitle,
      '/blocked',
      (t) => html`<h1>${t(TEXT.notBlockedTitle)}</h1>
<p>${domain ? t(fill(TEXT.notBlocked, { domain })) : t(TEXT.noDomain)}</p>
<p><a href="/check${domain ? `?input=${encodeURIComponent(domain)}` : ''}">${t(TEXT.checkIt)}</a></p>`,
      404,
      query,
    );
  }
  return send(
    request,
    reply,
    TEXT.landingTitle,
    '/blocked',
    (t) => html`<h1>${t(TEXT.landingTitle)}</h1>
<p class="lead">${t(fill(TEXT.landingLead, { domain }))}</p>
${decisionFacts(t, block)}
${howToAppeal(t, state.procedures)}
<p><a class="button" href="/blocks/${block.id}#appeal-form">${t(TEXT.appealForm)}</a> <a href="/blocks/${block.id}">${t(TEXT.details)}</a></p>`,
    200,
    query,
  );
}

export function renderBlockNotFound(request: FastifyRequest, reply: FastifyReply, path: string) {
  return send(
    request,
    reply,
    TEXT.blockNotFound,
    path,
    (t) => html`<h1>${t(TEXT.blockNotFound)}</h1>
<p>${t(TEXT.blockNotFoundText)}</p>
<p><a href="/check">${t(TEXT.checkIt)}</a></p>`,
    404,
  );
}

function appealFacts(t: T, appeal: Appeal): SafeHtml {
  return html`<dl class="summary-list appeal-facts">
  <dt>${t(TEXT.status)}</dt><dd>${appealTag(t, appeal.status)}</dd>
  <dt>${t(TEXT.decisionAppealed)}</dt><dd>${appeal.decision_no}</dd>
  <dt>${t(TEXT.receivedAt)}</dt><dd>${instantDay(appeal.received_at)}</dd>
  <dt>${t(TEXT.acceptanceDue)}</dt><dd data-field="acceptance_due_on">${day(appeal.acceptance_due_on)}</dd>
  ${appeal.accepted_at ? html`<dt>${t(TEXT.acceptedAt)}</dt><dd>${instantDay(appeal.accepted_at)}</dd>` : ''}
  ${appeal.resolution_due_on ? html`<dt>${t(TEXT.resolutionDue)}</dt><dd data-field="resolution_due_on">${day(appeal.resolution_due_on)}</dd>` : ''}
  ${appeal.decided_at ? html`<dt>${t(TEXT.decidedAt)}</dt><dd>${instantDay(appeal.decided_at)}</dd>` : ''}
  ${appeal.decision_reason ? html`<dt>${t(TEXT.outcome)}</dt><dd>${paragraphs(appeal.decision_reason)}</dd>` : ''}
</dl>`;
}

export function renderAppealStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { appeal: Appeal; filed: boolean },
) {
  const { appeal } = state;
  return send(
    request,
    reply,
    fill(TEXT.appealTitle, { reference: appeal.reference }),
    `/appeals/${appeal.reference}`,
    (t) => html`${successNotice(t, state.filed ? fill(TEXT.appealFiled, { reference: appeal.reference }) : undefined)}
<h1>${t(fill(TEXT.appealTitle, { reference: appeal.reference }))}</h1>
${appealFacts(t, appeal)}
<p><a href="/blocks/${appeal.block_id}">${t(TEXT.details)}</a></p>`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Workbench

export function renderWorkbenchList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { blocks: Block[]; status: BlockStatus | undefined; canPropose: boolean; canHandleAppeals: boolean },
) {
  return send(
    request,
    reply,
    TEXT.workbenchTitle,
    '/workbench/blocks',
    (t) => html`<h1>${t(TEXT.workbenchTitle)}</h1>
<p>${state.canPropose ? html`<a class="button" href="/workbench/blocks/new">${t(TEXT.newBlock)}</a> ` : ''}${
      state.canHandleAppeals ? html`<a href="/workbench/appeals">${t(TEXT.appealsTitle)}</a>` : ''
    }</p>
<nav class="tabs" aria-label="${t(TEXT.status)}">
  <a href="/workbench/blocks"${state.status ? '' : html` aria-current="page"`}>${t(TEXT.all)}</a>
  ${(Object.keys(BLOCK_STATUS_TEXT) as BlockStatus[]).map(
    (status) =>
      html`<a href="/workbench/blocks?status=${status}"${state.status === status ? html` aria-current="page"` : ''}>${t(BLOCK_STATUS_TEXT[status])}</a>`,
  )}
</nav>
${
  state.blocks.length === 0
    ? html`<p>${t(TEXT.empty)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.platform)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.decisionNo)}</th><th scope="col">${t(TEXT.domainsColumn)}</th><th scope="col">${t(TEXT.updated)}</th></tr></thead>
  <tbody>${state.blocks.map(
    (block) => html`<tr data-block="${block.id}">
    <td data-label="${t(TEXT.platform)}"><a href="/workbench/blocks/${block.id}">${block.platform_name}</a></td>
    <td data-label="${t(TEXT.status)}">${statusTag(t, block.status)}</td>
    <td data-label="${t(TEXT.decisionNo)}">${block.decision_no ?? '—'}</td>
    <td data-label="${t(TEXT.domainsColumn)}">${block.domains.join(', ')}</td>
    <td data-label="${t(TEXT.updated)}">${formatDateTime(new Date(block.updated_at))}</td>
  </tr>`,
  )}</tbody>
</table>`
}`,
  );
}

function contentFields(t: T, form: FormState, block: Block | undefined, prefix: string): SafeHtml {
  const view = formView(t, form, { idPrefix: prefix });
  return html`${view.text({ name: 'domains', label: TEXT.domainsField, hint: TEXT.identitiesHint, rows: 3, initial: block?.domains.join('\n') })}
  ${view.text({ name: 'android_apps', label: TEXT.androidField, rows: 2, initial: block?.android_apps.join('\n') })}
  ${view.text({ name: 'ios_apps', label: TEXT.iosField, rows: 2, initial: block?.ios_apps.join('\n') })}
  ${view.text({ name: 'reason', label: TEXT.reason, required: true, rows: 5, maxlength: 4000, initial: block?.reason })}
  ${view.text({ name: 'legal_basis', label: TEXT.legalBasis, required: true, rows: 2, maxlength: 1000, initial: block?.legal_basis })}
  ${view.text({ name: 'evidence', label: TEXT.evidenceField, hint: TEXT.evidenceHint, rows: 4, initial: block?.evidence.join('\n') })}`;
}

export function renderNewBlock(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { platform?: string | undefined; form?: FormState },
  status = 200,
) {
  return send(
    request,
    reply,
    TEXT.newBlock,
    '/workbench/blocks/new',
    (t) => {
      const form = state.form ?? EMPTY_FORM;
      const view = formView(t, form, { idPrefix: 'block-' });
      return html`<p><a href="/workbench/blocks">${t(TEXT.workbenchTitle)}</a></p>
<h1>${t(TEXT.newBlock)}</h1>
<form method="post" action="/workbench/blocks" novalidate class="block-form">
  ${view.summary(FIELD_LABELS)}
  ${csrfField(request)}
  ${view.text({ name: 'platform', label: TEXT.platformField, required: true, maxlength: 300, initial: state.platform })}
  ${contentFields(t, form, undefined, 'block-')}
  <button type="submit">${t(TEXT.propose)}</button>
</form>`;
    },
    status,
  );
}

export type BlockForm = 'amend' | 'approve' | 'return' | 'decide' | 'activate' | 'lift';

export interface WorkbenchBlockState {
  block: Block;
  appeals: Appeal[];
  history: AuditEvent[];
  /** The captures the request cites by id (the evidence store): what was captured, when, the WARC's hash. */
  captures: ReadonlyMap<string, { url: string; captured_at: string; warc_sha256: string }>;
  /** The steps the viewer may take (by permission); shown only where the request's status allows them. */
  can: { propose: boolean; review: boolean; decide: boolean; appeals: boolean };
  done?: string | undefined;
  refused?: { form: BlockForm; state: FormState } | undefined;
}

export function renderWorkbenchBlock(
  request: FastifyRequest,
  reply: FastifyReply,
  state: WorkbenchBlockState,
  status = 200,
) {
  const { block } = state;
  const formOf = (name: BlockForm) => (state.refused?.form === name ? state.refused.state : EMPTY_FORM);
  return send(
    request,
    reply,
    block.platform_name,
    `/workbench/blocks/${block.id}`,
    (t) => {
      const action = (name: BlockForm, title: Localized, body: (view: ReturnType<typeof formView>) => SafeHtml) => {
        const view = formView(t, formOf(name), { idPrefix: `${name}-` });
        return html`<form method="post" action="/workbench/blocks/${block.id}/${name}" class="decision" novalidate data-action="${name}">
  <h2>${t(title)}</h2>
  ${view.summary(FIELD_LABELS)}
  ${csrfField(request)}
  ${body(view)}
</form>`;
      };
      const forms: SafeHtml[] = [];
      if (block.status === 'proposed' && state.can.review) {
        forms.push(
          action(
            'approve',
            TEXT.approve,
            (view) => html`${view.text({ name: 'note', label: TEXT.reviewNote, rows: 3, maxlength: 4000 })}
  <button type="submit">${t(TEXT.approve)}</button>`,
          ),
          action(
            'return',
            TEXT.return,
            (
              view,
            ) => html`${view.text({ name: 'reason', label: TEXT.returnReason, rows: 3, maxlength: 4000, required: true })}
  <button type="submit" class="button-warning">${t(TEXT.return)}</button>`,
          ),
        );
      }
      if (block.status === 'approved' && state.can.decide) {
        forms.push(
          action(
            'decide',
            TEXT.decide,
            (
              view,
            ) => html`${view.text({ name: 'decision_no', label: TEXT.decisionNo, hint: TEXT.decisionNoHint, required: true, maxlength: 60 })}
  ${view.day({ name: 'decision_date', label: TEXT.decisionDate, required: true })}
  ${view.day({ name: 'effective_from', label: TEXT.effectiveFrom })}
  ${view.day({ name: 'effective_to', label: TEXT.effectiveTo })}
  <button type="submit">${t(TEXT.decide)}</button>`,
          ),
        );
      }
      if (block.status === 'decided' && state.can.decide) {
        forms.push(
          action(
            'activate',
            TEXT.activate,
            () => html`<p class="hint">${t(TEXT.activateHint)}</p>
  <button type="submit" class="button-warning">${t(TEXT.activate)}</button>`,
          ),
        );
      }
      if (block.status === 'active' && state.can.decide) {
        forms.push(
          action(
            'lift',
            TEXT.lift,
            (view) => html`${view.choices({
              name: 'reason',
              label: TEXT.liftReason,
              required: true,
              choices: (['complied', 'expired'] as const).map((value) => ({ value, label: LIFT_REASON_TEXT[value] })),
            })}
  ${view.text({ name: 'note', label: TEXT.note, rows: 3, maxlength: 4000 })}
  <button type="submit">${t(TEXT.lift)}</button>`,
          ),
        );
      }
      const amendView = formView(t, formOf('amend'), { idPrefix: 'amend-' });
      return html`<p><a href="/workbench/blocks">${t(TEXT.workbenchTitle)}</a></p>
${successNotice(t, state.done ? TEXT.done[state.done] : undefined)}
<h1>${block.platform_name}</h1>
<p>${statusTag(t, block.status)}${
        block.status === 'active' || block.status === 'lifted'
          ? html` · <a href="/blocks/${block.id}">${t(TEXT.publicPage)}</a>`
          : ''
      }</p>
${block.status === 'returned' && block.returned_reason ? html`<div class="notice notice-warn"><p>${t(fill(TEXT.returnedNotice, { reason: block.returned_reason }))}</p></div>` : ''}
${liftedNotice(t, block)}
${decisionFacts(t, block)}
${block.review_note ? html`<p><strong>${t(TEXT.reviewNote)}:</strong> ${block.review_note}</p>` : ''}
<h2>${t(TEXT.evidence)}</h2>
${
  block.evidence.length === 0
    ? html`<p>—</p>`
    : html`<ul>${block.evidence.map((item) => {
        if (/^https?:\/\//.test(item)) return html`<li><a href="${item}" rel="noopener noreferrer">${item}</a></li>`;
        const capture = state.captures.get(item);
        return capture
          ? html`<li data-evidence="${item}"><a href="/workbench/evidence/${item}">${t(TEXT.capture)} ${formatDateTime(new Date(capture.captured_at))}</a>: <code>${capture.url}</code><br><small class="hint">SHA-256 (WARC) <code>${capture.warc_sha256}</code></small></li>`
          : html`<li><code>${item}</code></li>`;
      })}</ul>`
}
${forms.length > 0 ? html`<div class="decision-grid">${forms}</div>` : ''}
${
  block.status === 'returned' && state.can.propose
    ? html`<h2>${t(TEXT.amend)}</h2>
<form method="post" action="/workbench/blocks/${block.id}/amend" novalidate class="block-form" data-action="amend">
  ${amendView.summary(FIELD_LABELS)}
  ${csrfField(request)}
  ${contentFields(t, formOf('amend'), block, 'amend-')}
  <button type="submit">${t(TEXT.amend)}</button>
</form>`
    : ''
}
${state.appeals.length > 0 ? html`<h2>${t(TEXT.appealsTitle)}</h2>${appealTable(request, t, state.appeals, state.can.appeals)}` : ''}
<h2>${t(TEXT.history)}</h2>
<ul class="plain-list">${state.history.map(
        (event) =>
          html`<li>${formatDateTime(new Date(event.occurred_at))} – ${t(ACTION_TEXT[event.action] ?? { vi: event.action, en: event.action })} – ${event.actor}</li>`,
      )}</ul>`;
    },
    status,
  );
}

function appealTable(request: FastifyRequest, t: T, appeals: Appeal[], canHandle: boolean): SafeHtml {
  return html`<ul class="plain-list appeal-list">${appeals.map(
    (appeal) => html`<li data-appeal="${appeal.reference}">
  <h3>${appeal.reference} ${appealTag(t, appeal.status)}</h3>
  <p>${t(TEXT.appellant)}: ${appeal.name} &lt;${appeal.email}&gt; · ${t(TEXT.decisionAppealed)}: <a href="/workbench/blocks/${appeal.block_id}">${appeal.decision_no}</a></p>
  <p>${t(TEXT.acceptanceDue)}: ${day(appeal.acceptance_due_on)}${appeal.resolution_due_on ? html` · ${t(TEXT.resolutionDue)}: ${day(appeal.resolution_due_on)}` : ''}</p>
  <div class="appeal-grounds">${paragraphs(appeal.grounds)}</div>
  ${appeal.decision_reason ? html`<p><strong>${t(TEXT.outcome)}:</strong> ${appeal.decision_reason}</p>` : ''}
  ${
    canHandle && (appeal.status === 'received' || appeal.status === 'accepted')
      ? html`<div class="decision-grid">
    ${
      appeal.status === 'received'
        ? html`<form method="post" action="/workbench/appeals/${appeal.id}/accept" class="decision">${csrfField(request)}<button type="submit">${t(TEXT.accept)}</button></form>`
        : html`<form method="post" action="/workbench/appeals/${appeal.id}/grant" class="decision">${csrfField(request)}
      <label for="grant-${appeal.id}">${t(TEXT.reasons)}</label><textarea id="grant-${appeal.id}" name="reason" rows="2" required maxlength="4000"></textarea>
      <button type="submit">${t(TEXT.grant)}</button></form>`
    }
    <form method="post" action="/workbench/appeals/${appeal.id}/reject" class="decision">${csrfField(request)}
      <label for="reject-${appeal.id}">${t(TEXT.reasons)}</label><textarea id="reject-${appeal.id}" name="reason" rows="2" required maxlength="4000"></textarea>
      <button type="submit" class="button-warning">${t(TEXT.reject)}</button></form>
  </div>`
      : ''
  }
</li>`,
  )}</ul>`;
}

export function renderWorkbenchAppeals(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { appeals: Appeal[]; done?: string | undefined; refused?: FormState | undefined },
  status = 200,
) {
  return send(
    request,
    reply,
    TEXT.appealsTitle,
    '/workbench/appeals',
    (t) => {
      const view = formView(t, state.refused ?? EMPTY_FORM);
      return html`<p><a href="/workbench/blocks">${t(TEXT.workbenchTitle)}</a></p>
${successNotice(t, state.done ? TEXT.done[state.done] : undefined)}
${view.summary(FIELD_LABELS)}
<h1>${t(TEXT.appealsTitle)}</h1>
${state.appeals.length === 0 ? html`<p>${t(TEXT.noAppeals)}</p>` : appealTable(request, t, state.appeals, true)}`;
    },
    status,
  );
}

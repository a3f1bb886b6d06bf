/** The workbench pages of inspection cases: the list (with the overdue steps) and a case with its forms. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { deadlineTag, tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import { sourceStatusTag } from '../procedures/index.ts';
import { unitLabel } from '../units/index.ts';
import {
  CASE_LINK_KINDS,
  type Case,
  type CaseLinkKind,
  type CaseSummary,
  type SanctionRule,
  type StepRule,
} from './cases.service.ts';

type T = (text: Localized) => string;
export type CaseForm = 'link' | 'advance' | 'extend' | 'sanction';

const TEXT = {
  listTitle: { vi: 'Vụ việc kiểm tra', en: 'Inspection cases' },
  listLead: {
    vi: 'Mỗi vụ việc tập hợp nền tảng, chứng cứ, quyết định liên quan và đi qua các bước của quy trình kiểm tra, mỗi bước có thời hạn tính theo ngày làm việc.',
    en: 'Each case gathers the platforms, evidence and decisions it rests on and goes through the steps of the inspection procedure, each with its period in working days.',
  },
  overdue: { vi: 'Bước quá hạn', en: 'Overdue steps' },
  none: { vi: 'Chưa có vụ việc nào.', en: 'No case yet.' },
  noOverdue: { vi: 'Không có bước nào quá hạn.', en: 'No step is overdue.' },
  reference: { vi: 'Số vụ việc', en: 'Reference' },
  title: { vi: 'Tên vụ việc', en: 'Title' },
  summary: { vi: 'Tóm tắt', en: 'Summary' },
  step: { vi: 'Bước hiện tại', en: 'Current step' },
  stepName: { vi: 'Bước', en: 'Step' },
  due: { vi: 'Hạn', en: 'Due' },
  open: { vi: 'Mở vụ việc', en: 'Open a case' },
  create: { vi: 'Mở vụ việc', en: 'Open the case' },
  back: { vi: '← Vụ việc kiểm tra', en: '← Inspection cases' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  status: { vi: 'Tình trạng', en: 'Status' },
  statusOpen: { vi: 'Đang xử lý', en: 'Open' },
  statusClosed: { vi: 'Đã đóng', en: 'Closed' },
  steps: { vi: 'Các bước', en: 'Steps' },
  bundle: {
    vi: 'Tải gói hồ sơ (ZIP: tóm tắt PDF và HTML, gói chứng cứ, nhật ký, SHA256SUMS)',
    en: 'Download the case bundle (ZIP: PDF and HTML summary, evidence packages, audit trail, SHA256SUMS)',
  },
  started: { vi: 'Bắt đầu', en: 'Started' },
  completed: { vi: 'Hoàn thành', en: 'Completed' },
  document: { vi: 'Số văn bản', en: 'Document' },
  links: { vi: 'Liên kết', en: 'Linked records' },
  noLinks: { vi: 'Chưa liên kết gì.', en: 'Nothing linked yet.' },
  kind: { vi: 'Loại', en: 'Kind' },
  ref: { vi: 'Mã, tên miền hoặc số', en: 'Id, domain or number' },
  refHint: {
    vi: 'Nền tảng: mã hoặc tên miền; chứng cứ: mã trong kho chứng cứ; quyết định: mã công khai (ECG-…).',
    en: 'Platform: its id or a domain; evidence: its id in the evidence store; decision: its public id (ECG-…).',
  },
  note: { vi: 'Ghi chú', en: 'Note' },
  link: { vi: 'Liên kết', en: 'Link' },
  advanceTitle: { vi: 'Hoàn thành bước hiện tại', en: 'Complete the current step' },
  on: { vi: 'Ngày hoàn thành', en: 'Completed on' },
  close: { vi: 'Đóng vụ việc: không phát hiện vi phạm', en: 'Close the case: no violation found' },
  advance: { vi: 'Ghi nhận', en: 'Record' },
  extendTitle: { vi: 'Gia hạn bước hiện tại', en: 'Extend the current step' },
  reason: { vi: 'Lý do', en: 'Reason' },
  extend: { vi: 'Gia hạn', en: 'Extend' },
  sanctions: { vi: 'Quyết định xử phạt', en: 'Sanction decisions' },
  sanctionTitle: { vi: 'Ghi nhận quyết định xử phạt', en: 'Record a sanction decision' },
  rule: { vi: 'Hành vi vi phạm', en: 'Violation' },
  offenderKind: { vi: 'Đối tượng', en: 'Offender' },
  individual: { vi: 'Cá nhân', en: 'Individual' },
  organisation: { vi: 'Tổ chức', en: 'Organisation' },
  offenderName: { vi: 'Tên cá nhân, tổ chức', en: 'Name of the offender' },
  platform: { vi: 'Nền tảng (mã hoặc tên miền, nếu có)', en: 'Platform (id or domain, if any)' },
  amount: { vi: 'Mức phạt (đồng)', en: 'Fine (VND)' },
  decisionNo: { vi: 'Số quyết định', en: 'Decision number' },
  decisionDate: { vi: 'Ngày quyết định', en: 'Decision date' },
  facts: { vi: 'Hành vi, sự việc', en: 'Facts' },
  record: { vi: 'Ghi nhận và công khai', en: 'Record and publish' },
  published: { vi: 'Công khai', en: 'Published' },
  law: { vi: 'Căn cứ: thời hạn các bước và khung phạt', en: 'The law: periods of the steps and ranges of fines' },
  remedial: { vi: 'Biện pháp khắc phục hậu quả', en: 'Remedial measures' },
  remedialNotRead: {
    vi: 'chưa ghi (chưa đọc được văn bản; quản trị viên bổ sung bằng ecomgov cases set-fine)',
    en: 'not recorded (the text was not read; an administrator adds them with ecomgov cases set-fine)',
  },
  workingDays: { vi: 'ngày làm việc', en: 'working days' },
  noPeriod: { vi: 'không có thời hạn chung', en: 'no general period' },
  from: { vi: 'tính từ', en: 'from' },
} as const satisfies Record<string, Localized>;

const DONE: Record<string, Localized> = {
  created: { vi: 'Đã mở vụ việc.', en: 'The case is open.' },
  link: { vi: 'Đã liên kết.', en: 'Linked.' },
  advance: { vi: 'Đã ghi nhận bước.', en: 'The step is recorded.' },
  extend: { vi: 'Đã gia hạn.', en: 'Extended.' },
  sanction: {
    vi: 'Đã ghi nhận và công khai quyết định xử phạt.',
    en: 'The sanction decision is recorded and published.',
  },
};

export const LINK_KIND_LABELS: Record<CaseLinkKind, Localized> = {
  platform: { vi: 'Nền tảng', en: 'Platform' },
  finding: { vi: 'Kết quả rà quét', en: 'Finding' },
  complaint: { vi: 'Phản ánh', en: 'Complaint' },
  evidence: { vi: 'Chứng cứ', en: 'Evidence' },
  declaration: { vi: 'Tờ khai', en: 'Declaration' },
  task: { vi: 'Nhiệm vụ', en: 'Task' },
  decision: { vi: 'Quyết định', en: 'Decision' },
};

const vnd = new Intl.NumberFormat('vi-VN');

function statusTag(t: T, status: 'open' | 'closed'): SafeHtml {
  return status === 'open' ? tag(t, TEXT.statusOpen, 'warn', 'open') : tag(t, TEXT.statusClosed, 'ok', 'closed');
}

function linkHref(kind: CaseLinkKind, ref: string): string | undefined {
  if (kind === 'platform') return `/workbench/platforms/${ref}`;
  if (kind === 'evidence') return `/workbench/evidence/${ref}`;
  if (kind === 'decision') return `/decisions/${ref}`;
  return undefined;
}

export function renderCaseList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    cases: CaseSummary[];
    overdue: Array<{ case_id: string; step: string; due_on: string | null; reference: string; title: string }>;
    mayWrite: boolean;
    form?: FormState | undefined;
  },
  status = 200,
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.listTitle,
    path: '/workbench/cases',
    status,
    main: (t) => {
      const form = formView(t, state.form ?? EMPTY_FORM);
      return html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(TEXT.listLead)}</p>
<h2>${t(TEXT.overdue)}</h2>
${
  state.overdue.length
    ? html`<ul class="plain-list">${state.overdue.map(
        (item) =>
          html`<li data-overdue="${item.case_id}"><a href="/workbench/cases/${item.case_id}">${item.reference}</a> · ${item.title} · ${item.step} · ${t(TEXT.due)} ${formatCalendarDate(item.due_on ?? '')} ${deadlineTag(t, 'overdue')}</li>`,
      )}</ul>`
    : html`<p>${t(TEXT.noOverdue)}</p>`
}
${
  state.cases.length
    ? html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.reference)}</th><th scope="col">${t(TEXT.title)}</th><th scope="col">${t(TEXT.step)}</th><th scope="col">${t(TEXT.due)}</th></tr></thead>
  <tbody>${state.cases.map(
    (item) => html`<tr data-case="${item.id}">
    <td data-label="${t(TEXT.reference)}"><a href="/workbench/cases/${item.id}">${item.reference}</a><br>${statusTag(t, item.status)}</td>
    <td data-label="${t(TEXT.title)}">${item.title}</td>
    <td data-label="${t(TEXT.step)}">${t(item.current_label)}</td>
    <td data-label="${t(TEXT.due)}">${item.due_on ? html`${formatCalendarDate(item.due_on)} ${item.deadline ? deadlineTag(t, item.deadline) : ''}` : '—'}</td>
  </tr>`,
  )}</tbody>
</table>`
    : html`<p>${t(TEXT.none)}</p>`
}
${
  state.mayWrite
    ? html`<h2>${t(TEXT.open)}</h2>
${form.summary({ title: TEXT.title, summary: TEXT.summary })}
<form method="post" action="/workbench/cases" novalidate>
  ${csrfField(request)}
  ${form.text({ name: 'title', label: TEXT.title, required: true, maxlength: 300 })}
  ${form.text({ name: 'summary', label: TEXT.summary, rows: 4, maxlength: 10_000 })}
  <button type="submit">${t(TEXT.create)}</button>
</form>`
    : ''
}`;
    },
  });
}

function stepRuleText(t: T, rule: StepRule): string {
  if (!rule.working_days) return t(TEXT.noPeriod);
  const extended = rule.extended_working_days ? ` (→ ${rule.extended_working_days})` : '';
  return `${rule.working_days}${extended} ${t(TEXT.workingDays)} ${t(TEXT.from)} ${rule.counts_from ?? ''}`;
}

export function renderCase(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    item: Case;
    steps: StepRule[];
    sanctionRules: SanctionRule[];
    mayWrite: boolean;
    maySanction: boolean;
    done?: string | undefined;
    refused?: { form: CaseForm; state: FormState } | undefined;
  },
  status = 200,
) {
  const { item } = state;
  const formState = (name: CaseForm) => (state.refused?.form === name ? state.refused.state : EMPTY_FORM);
  const currentRule = state.steps.find((rule) => rule.step === item.current_step);
  const currentStep = item.steps.find((step) => step.step === item.current_step);
  const open = item.status === 'open';
  return sendLocalizedPage(request, reply, {
    title: `${item.reference} – ${item.title}`,
    path: `/workbench/cases/${item.id}`,
    status,
    main: (t) => {
      const linkForm = formView(t, formState('link'), { idPrefix: 'link-' });
      const advanceForm = formView(t, formState('advance'), { idPrefix: 'advance-' });
      const extendForm = formView(t, formState('extend'), { idPrefix: 'extend-' });
      const sanctionForm = formView(t, formState('sanction'), { idPrefix: 'sanction-' });
      return html`<p><a href="/workbench/cases">${t(TEXT.back)}</a></p>
<h1>${item.reference} – ${item.title}</h1>
${successNotice(t, state.done ? DONE[state.done] : undefined)}
<dl class="summary-list">
  <dt>${t(TEXT.status)}</dt><dd>${statusTag(t, item.status)}</dd>
  ${item.unit_id ? html`<dt>${t(TEXT.unit)}</dt><dd>${t(unitLabel(item.unit_id))}</dd>` : ''}
  ${item.summary ? html`<dt>${t(TEXT.summary)}</dt><dd class="preserve-lines">${item.summary}</dd>` : ''}
</dl>
<p><a class="button-secondary" href="/workbench/cases/${item.id}/bundle.zip" download data-bundle>${t(TEXT.bundle)}</a></p>
<h2>${t(TEXT.steps)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.stepName)}</th><th scope="col">${t(TEXT.started)}</th><th scope="col">${t(TEXT.due)}</th><th scope="col">${t(TEXT.completed)}</th></tr></thead>
  <tbody>${item.steps.map(
    (step) => html`<tr data-step="${step.step}">
    <td data-label="${t(TEXT.stepName)}">${t(step.label)}</td>
    <td data-label="${t(TEXT.started)}">${formatCalendarDate(step.started_on)}</td>
    <td data-label="${t(TEXT.due)}">${step.due_on ? html`${formatCalendarDate(step.due_on)}${step.extended ? ' *' : ''} ${step.deadline ? deadlineTag(t, step.deadline) : ''}` : '—'}</td>
    <td data-label="${t(TEXT.completed)}">${step.completed_on ? formatCalendarDate(step.completed_on) : '—'}${step.document_no ? html`<br><code>${step.document_no}</code>` : ''}${step.note ? html`<br><span class="preserve-lines">${step.note}</span>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>
${
  open && state.mayWrite
    ? html`<h3>${t(TEXT.advanceTitle)}: ${currentRule ? t(currentRule.label) : item.current_step}</h3>
${advanceForm.summary({ on: TEXT.on, document_no: TEXT.document, note: TEXT.note })}
<form method="post" action="/workbench/cases/${item.id}/advance" novalidate>
  ${csrfField(request)}
  ${advanceForm.day({ name: 'on', label: TEXT.on, required: true })}
  ${advanceForm.text({ name: 'document_no', label: TEXT.document, maxlength: 100 })}
  ${advanceForm.text({ name: 'note', label: TEXT.note, rows: 3, maxlength: 4000 })}
  ${item.current_step === 'conclusion' ? advanceForm.choices({ name: 'close', label: TEXT.close, multiple: true, choices: [{ value: 'on', label: TEXT.close }] }) : ''}
  <button type="submit">${t(TEXT.advance)}</button>
</form>
${
  currentRule?.extended_working_days && currentStep && !currentStep.extended
    ? html`<h3>${t(TEXT.extendTitle)}</h3>
${extendForm.summary({ reason: TEXT.reason })}
<form method="post" action="/workbench/cases/${item.id}/extend" novalidate>
  ${csrfField(request)}
  ${extendForm.text({ name: 'reason', label: TEXT.reason, rows: 2, maxlength: 2000, required: true })}
  <button type="submit" class="button-secondary">${t(TEXT.extend)} (${currentRule.extended_working_days} ${t(TEXT.workingDays)})</button>
</form>`
    : ''
}`
    : ''
}
<h2>${t(TEXT.links)}</h2>
${
  item.links.length
    ? html`<ul class="plain-list">${item.links.map((link) => {
        const href = linkHref(link.kind, link.ref);
        return html`<li data-link="${link.kind}">${t(LINK_KIND_LABELS[link.kind])}: ${href ? html`<a href="${href}">${link.label ?? html`<code>${link.ref}</code>`}</a>` : html`<code>${link.ref}</code>`}${link.note ? html` · ${link.note}` : ''}</li>`;
      })}</ul>`
    : html`<p>${t(TEXT.noLinks)}</p>`
}
${
  open && state.mayWrite
    ? html`${linkForm.summary({ kind: TEXT.kind, ref: TEXT.ref, note: TEXT.note })}
<form method="post" action="/workbench/cases/${item.id}/link" novalidate>
  ${csrfField(request)}
  ${linkForm.select({ name: 'kind', label: TEXT.kind, choices: CASE_LINK_KINDS.map((kind) => ({ value: kind, label: LINK_KIND_LABELS[kind] })) })}
  ${linkForm.text({ name: 'ref', label: TEXT.ref, hint: TEXT.refHint, required: true, maxlength: 200 })}
  ${linkForm.text({ name: 'note', label: TEXT.note, maxlength: 2000 })}
  <button type="submit" class="button-secondary">${t(TEXT.link)}</button>
</form>`
    : ''
}
<h2>${t(TEXT.sanctions)}</h2>
${
  item.sanctions.length
    ? html`<ul class="plain-list">${item.sanctions.map(
        (sanction) =>
          html`<li data-sanction="${sanction.decision_no}"><strong>${sanction.decision_no}</strong> (${formatCalendarDate(sanction.decision_date)}) · ${sanction.offender_name} · ${vnd.format(sanction.amount_vnd)} ₫ · ${sanction.rule_code}${sanction.public_id ? html` · ${t(TEXT.published)}: <a href="/decisions/${sanction.public_id}">${sanction.public_id}</a>` : ''}</li>`,
      )}</ul>`
    : ''
}
${
  open && state.maySanction && item.current_step === 'sanction'
    ? html`<h3>${t(TEXT.sanctionTitle)}</h3>
${sanctionForm.summary({ rule_code: TEXT.rule, offender_kind: TEXT.offenderKind, offender_name: TEXT.offenderName, platform: TEXT.platform, amount_vnd: TEXT.amount, decision_no: TEXT.decisionNo, decision_date: TEXT.decisionDate, facts: TEXT.facts })}
<form method="post" action="/workbench/cases/${item.id}/sanction" novalidate>
  ${csrfField(request)}
  ${sanctionForm.select({
    name: 'rule_code',
    label: TEXT.rule,
    required: true,
    choices: state.sanctionRules.map((rule) => ({
      value: rule.code,
      label: {
        vi: `${rule.violation.vi} (${vnd.format(rule.individual.min_vnd)}–${vnd.format(rule.individual.max_vnd)} ₫ cá nhân; ${vnd.format(rule.organisation.min_vnd)}–${vnd.format(rule.organisation.max_vnd)} ₫ tổ chức)`,
        en: `${rule.violation.en} (${vnd.format(rule.individual.min_vnd)}–${vnd.format(rule.individual.max_vnd)} ₫ individual; ${vnd.format(rule.organisation.min_vnd)}–${vnd.format(rule.organisation.max_vnd)} ₫ organisation)`,
      },
    })),
  })}
  ${sanctionForm.choices({
    name: 'offender_kind',
    label: TEXT.offenderKind,
    choices: [
      { value: 'organisation', label: TEXT.organisation },
      { value: 'individual', label: TEXT.individual },
    ],
  })}
  ${sanctionForm.text({ name: 'offender_name', label: TEXT.offenderName, required: true, maxlength: 300 })}
  ${sanctionForm.text({ name: 'platform', label: TEXT.platform, maxlength: 300 })}
  ${sanctionForm.text({ name: 'amount_vnd', label: TEXT.amount, required: true, inputmode: 'numeric', maxlength: 30 })}
  ${sanctionForm.text({ name: 'decision_no', label: TEXT.decisionNo, required: true, maxlength: 60 })}
  ${sanctionForm.day({ name: 'decision_date', label: TEXT.decisionDate, required: true })}
  ${sanctionForm.text({ name: 'facts', label: TEXT.facts, rows: 4, required: true, maxlength: 10_000 })}
  <button type="submit" class="button-warning">${t(TEXT.record)}</button>
</form>`
    : ''
}
<details><summary>${t(TEXT.law)}</summary>
<ul class="plain-list">${state.steps.map(
        (rule) =>
          html`<li>${t(rule.label)}: ${stepRuleText(t, rule)} · ${rule.provision} ${sourceStatusTag(t, rule.source_status)}</li>`,
      )}</ul>
<ul class="plain-list">${state.sanctionRules.map(
        (rule) =>
          html`<li>${t(rule.violation)}: ${rule.provision} ${sourceStatusTag(t, rule.source_status)}<br>${t(TEXT.remedial)}: ${
            rule.remedial.vi === '' ? t(TEXT.remedialNotRead) : t(rule.remedial)
          }</li>`,
      )}</ul>
</details>`;
    },
  });
}

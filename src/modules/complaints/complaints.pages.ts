/** Pages of complaints: the public form and its receipt, the public list of sites complained about, the workbench. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { deadlineStatus } from '../../core/working-days.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { deadlineTag, type Tone, tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import { sourceStatusTag } from '../procedures/index.ts';
import { unitLabel } from '../units/index.ts';
import type { ComplaintRuleRow, TargetEventRow } from './complaints.repository.ts';
import { MAX_ATTACHMENTS, PAYMENT_METHODS } from './complaints.schemas.ts';
import { competentUnitIds, type ListedTarget, type TargetSummary } from './complaints.service.ts';
import type { TargetState } from './complaints.table.ts';

type T = (text: Localized) => string;

const TEXT = {
  routeTo: { vi: 'Chuyển cho đơn vị', en: 'Route to unit' },
  routeNote: { vi: 'Lý do chuyển', en: 'Why' },
  route: { vi: 'Chuyển', en: 'Route' },
  newTitle: { vi: 'Phản ánh về website, ứng dụng, cửa hàng', en: 'Complain about a site, app or shop' },
  newLead: {
    vi: 'Không cần tài khoản. Thông tin liên hệ là tùy chọn và không bao giờ được công khai; nếu có, cán bộ có thể liên hệ lại và phản ánh của bạn được tính vào số người phản ánh.',
    en: 'No account needed. Contact details are optional and never made public; with them an officer can reach you and your complaint counts toward the number of people complaining.',
  },
  target: { vi: 'Website, ứng dụng hoặc tên cửa hàng', en: 'Site, app or shop name' },
  targetHint: { vi: 'Ví dụ: https://shop.example.vn/sp/123', en: 'For example: https://shop.example.vn/p/123' },
  whatHappened: { vi: 'Chuyện gì đã xảy ra', en: 'What happened' },
  amount: { vi: 'Số tiền (đồng)', en: 'Amount (VND)' },
  payment: { vi: 'Cách thanh toán', en: 'Payment method' },
  choose: { vi: '— Chọn —', en: '— Choose —' },
  occurredOn: { vi: 'Ngày xảy ra', en: 'Date it happened' },
  contact: { vi: 'Liên hệ (tùy chọn, không công khai)', en: 'Contact (optional, never public)' },
  name: { vi: 'Họ tên', en: 'Name' },
  email: { vi: 'Thư điện tử', en: 'E-mail' },
  phone: { vi: 'Số điện thoại', en: 'Phone' },
  attachments: { vi: 'Tệp đính kèm (ảnh chụp, hóa đơn)', en: 'Attachments (screenshots, receipts)' },
  attachmentsHint: {
    vi: `Tối đa ${MAX_ATTACHMENTS} tệp PDF, JPEG hoặc PNG, mỗi tệp tối đa 5 MB.`,
    en: `Up to ${MAX_ATTACHMENTS} PDF, JPEG or PNG files, each at most 5 MB.`,
  },
  trap: { vi: 'Để trống ô này', en: 'Leave this empty' },
  send: { vi: 'Gửi phản ánh', en: 'Send the complaint' },
  thanksTitle: { vi: 'Đã nhận phản ánh', en: 'Complaint received' },
  thanks: {
    vi: 'Cảm ơn bạn. Phản ánh đã được ghi nhận và chuyển đến {unit}.',
    en: 'Thank you. Your complaint was recorded and sent to the {unit}.',
  },
  another: { vi: 'Gửi phản ánh khác', en: 'Send another complaint' },
  listTitle: { vi: 'Website, ứng dụng bị phản ánh', en: 'Sites and apps complained about' },
  listLead: {
    vi: 'Các đối tượng dưới đây bị nhiều người tiêu dùng phản ánh (từ {min} người trở lên); doanh nghiệp đã được yêu cầu giải trình nhưng không giải trình thỏa đáng trong {days} ngày làm việc ({provision}).',
    en: 'Each target below was complained about by {min} or more consumers; the business was asked to explain and gave no adequate reply within {days} working days ({provision}).',
  },
  noneListed: { vi: 'Hiện không có đối tượng nào trong danh sách.', en: 'Nothing is on the list now.' },
  history: { vi: 'Lịch sử', en: 'History' },
  complaints: { vi: 'Số phản ánh', en: 'Complaints' },
  reporters: { vi: 'Số người phản ánh', en: 'People' },
  state: { vi: 'Tình trạng', en: 'State' },
  due: { vi: 'Hạn giải trình', en: 'Explanation due' },
  unit: { vi: 'Đơn vị xử lý', en: 'Handled by' },
  amountTotal: { vi: 'Tổng số tiền', en: 'Total amount' },
  reply: { vi: 'Giải trình của doanh nghiệp', en: 'The business’s explanation' },
  adequate: { vi: 'Thỏa đáng', en: 'Adequate' },
  inadequate: { vi: 'Không thỏa đáng', en: 'Not adequate' },
  workbenchTitle: { vi: 'Phản ánh của người tiêu dùng', en: 'Consumer complaints' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  statsCsv: {
    vi: 'Thống kê theo nền tảng (CSV: kênh, cách thanh toán)',
    en: 'Statistics per platform (CSV: channel, payment method)',
  },
  noTargets: { vi: 'Chưa có phản ánh nào.', en: 'No complaint yet.' },
  rule: { vi: 'Quy định áp dụng', en: 'The rule applied' },
  recordReply: { vi: 'Ghi nhận giải trình', en: 'Record the explanation' },
  save: { vi: 'Lưu', en: 'Save' },
  businessTitle: { vi: 'Yêu cầu giải trình về phản ánh', en: 'Requests to explain complaints' },
  businessLead: {
    vi: 'Website hoặc ứng dụng của doanh nghiệp bị nhiều người tiêu dùng phản ánh. Hãy giải trình trước hạn; nếu không có giải trình thỏa đáng, website sẽ bị đưa vào danh sách công khai các website bị phản ánh.',
    en: 'Your site or app was complained about by several consumers. Explain before the deadline; without an adequate explanation it goes on the public list of sites complained about.',
  },
  noRequests: { vi: 'Không có yêu cầu giải trình nào.', en: 'No request for explanation.' },
  sendReply: { vi: 'Gửi giải trình', en: 'Send the explanation' },
} satisfies Record<string, Localized>;

export const STATE_TEXT: Record<TargetState, Localized> = {
  open: { vi: 'Đang tiếp nhận', en: 'Open' },
  explanation_requested: { vi: 'Đã yêu cầu giải trình', en: 'Explanation requested' },
  listed: { vi: 'Bị công khai', en: 'Listed' },
  closed: { vi: 'Đã đóng', en: 'Closed' },
};
const STATE_TONE: Record<TargetState, Tone> = {
  open: 'warn',
  explanation_requested: 'warn',
  listed: 'bad',
  closed: 'ok',
};

const EVENT_TEXT: Record<TargetEventRow['event'], Localized> = {
  explanation_requested: { vi: 'Yêu cầu doanh nghiệp giải trình', en: 'Business asked to explain' },
  replied: { vi: 'Doanh nghiệp gửi giải trình', en: 'Business replied' },
  reply_adequate: { vi: 'Giải trình được chấp nhận', en: 'Reply judged adequate' },
  reply_inadequate: { vi: 'Giải trình không thỏa đáng', en: 'Reply judged not adequate' },
  listed: { vi: 'Đưa vào danh sách bị phản ánh', en: 'Put on the list' },
  closed: { vi: 'Đóng', en: 'Closed' },
};

const PAYMENT_TEXT: Record<(typeof PAYMENT_METHODS)[number], Localized> = {
  bank_transfer: { vi: 'Chuyển khoản', en: 'Bank transfer' },
  card: { vi: 'Thẻ', en: 'Card' },
  e_wallet: { vi: 'Ví điện tử', en: 'E-wallet' },
  cash_on_delivery: { vi: 'Thanh toán khi nhận hàng', en: 'Cash on delivery' },
  other: { vi: 'Khác', en: 'Other' },
};

const FIELD_LABELS = {
  target: TEXT.target,
  what_happened: TEXT.whatHappened,
  amount_vnd: TEXT.amount,
  payment_method: TEXT.payment,
  occurred_on: TEXT.occurredOn,
  name: TEXT.name,
  email: TEXT.email,
  phone: TEXT.phone,
  attachments: TEXT.attachments,
};

export function stateTag(t: T, state: TargetState): SafeHtml {
  return tag(t, STATE_TEXT[state], STATE_TONE[state], state);
}

const vnd = (amount: number) => amount.toLocaleString('vi-VN');

export function renderComplaintForm(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { target?: string | undefined; form?: FormState },
  status = 200,
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.newTitle,
    path: '/complaints/new',
    status,
    main: (t) => {
      const view = formView(t, state.form ?? EMPTY_FORM);
      return html`<h1>${t(TEXT.newTitle)}</h1>
<p class="lead">${t(TEXT.newLead)}</p>
${view.summary(FIELD_LABELS)}
<form method="post" action="/complaints" enctype="multipart/form-data" novalidate>
  ${csrfField(request)}
  <input type="hidden" name="shown_at" value="${String(Date.now())}">
  <div class="trap" aria-hidden="true"><label for="website">${t(TEXT.trap)}</label><input type="text" id="website" name="website" tabindex="-1" autocomplete="off"></div>
  ${view.text({ name: 'target', label: TEXT.target, hint: TEXT.targetHint, required: true, maxlength: 2048, initial: state.target ?? '' })}
  ${view.text({ name: 'what_happened', label: TEXT.whatHappened, required: true, rows: 6, maxlength: 10_000 })}
  ${view.text({ name: 'amount_vnd', label: TEXT.amount, inputmode: 'numeric', maxlength: 16 })}
  ${view.select({ name: 'payment_method', label: TEXT.payment, placeholder: TEXT.choose, choices: PAYMENT_METHODS.map((value) => ({ value, label: PAYMENT_TEXT[value] })) })}
  ${view.day({ name: 'occurred_on', label: TEXT.occurredOn })}
  <fieldset><legend>${t(TEXT.contact)}</legend>
  ${view.text({ name: 'name', label: TEXT.name, maxlength: 200, autocomplete: 'name' })}
  ${view.text({ name: 'email', label: TEXT.email, type: 'email', maxlength: 320, autocomplete: 'email' })}
  ${view.text({ name: 'phone', label: TEXT.phone, type: 'tel', maxlength: 30, autocomplete: 'tel' })}
  </fieldset>
  ${view.file({ name: 'attachments', label: TEXT.attachments, hint: TEXT.attachmentsHint, accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png', multiple: true })}
  <button type="submit">${t(TEXT.send)}</button>
</form>`;
    },
  });
}

export function renderComplaintReceived(request: FastifyRequest, reply: FastifyReply, unitId: string) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.thanksTitle,
    path: '/complaints/received',
    main: (t) => html`<h1>${t(TEXT.thanksTitle)}</h1>
${successNotice(t, fill(TEXT.thanks, { unit: t(unitLabel(unitId)) }))}
<p><a href="/complaints/new">${t(TEXT.another)}</a></p>`,
  });
}

function history(t: T, events: readonly TargetEventRow[]): SafeHtml {
  return html`<ol class="plain-list">${events.map(
    (event) => html`<li>${formatDateTime(event.occurred_at)} · ${t(EVENT_TEXT[event.event])}</li>`,
  )}</ol>`;
}

export function renderComplainedList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { targets: ListedTarget[]; rule: ComplaintRuleRow },
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.listTitle,
    path: '/complained',
    main: (t) => html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(
      fill(TEXT.listLead, {
        min: state.rule.min_reporters,
        days: state.rule.reply_working_days,
        provision: state.rule.provision,
      }),
    )} ${sourceStatusTag(t, state.rule.source_status)}</p>
${
  state.targets.length === 0
    ? html`<p>${t(TEXT.noneListed)}</p>`
    : state.targets.map(
        (target) => html`<section class="complained" data-target="${target.target}">
  <h2>${target.target}</h2>
  <p>${stateTag(t, target.state)} · ${t(TEXT.reporters)}: ${target.reporters} · ${t(TEXT.complaints)}: ${target.complaints}</p>
  <h3>${t(TEXT.history)}</h3>
  ${history(t, target.history)}
</section>`,
      )
}`,
  });
}

export function renderWorkbenchComplaints(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { targets: TargetSummary[]; rule: ComplaintRuleRow; mayJudge: boolean; done?: string | undefined },
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.workbenchTitle,
    path: '/workbench/complaints',
    main: (t) => html`<h1>${t(TEXT.workbenchTitle)}</h1>
${state.done ? successNotice(t, { vi: 'Đã lưu.', en: 'Saved.' }) : ''}
<p>${t(TEXT.rule)}: ${state.rule.provision} ${sourceStatusTag(t, state.rule.source_status)}</p>
<p><a href="/workbench/complaints?format=csv">${t(TEXT.csv)}</a> · <a href="/workbench/complaints?format=stats-csv">${t(TEXT.statsCsv)}</a> · <a href="/complained">${t(TEXT.listTitle)}</a></p>
${
  state.targets.length === 0
    ? html`<p>${t(TEXT.noTargets)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.target)}</th><th scope="col">${t(TEXT.complaints)}</th><th scope="col">${t(TEXT.reporters)}</th><th scope="col">${t(TEXT.amountTotal)}</th><th scope="col">${t(TEXT.state)}</th><th scope="col">${t(TEXT.unit)}</th></tr></thead>
  <tbody>${state.targets.map(
    (target) => html`<tr data-target="${target.target}">
    <td data-label="${t(TEXT.target)}">${target.target}</td>
    <td data-label="${t(TEXT.complaints)}">${target.complaints}</td>
    <td data-label="${t(TEXT.reporters)}">${target.reporters}</td>
    <td data-label="${t(TEXT.amountTotal)}">${vnd(target.amount_vnd)}</td>
    <td data-label="${t(TEXT.state)}">${stateTag(t, target.state)}${
      target.explanation_due_on && target.state === 'explanation_requested'
        ? html`<br>${t(TEXT.due)} ${formatCalendarDate(target.explanation_due_on)} ${deadlineTag(t, deadlineStatus(target.explanation_due_on))}`
        : ''
    }${target.state === 'explanation_requested' && state.mayJudge ? judgeForms(request, t, target) : ''}</td>
    <td data-label="${t(TEXT.unit)}">${t(unitLabel(target.unit_id))}${state.mayJudge ? routeForm(request, t, target) : ''}</td>
  </tr>`,
  )}</tbody>
</table>`
}`,
  });
}

/** Routing to another competent unit: the units the target is not with, and a note for the audit trail. */
function routeForm(request: FastifyRequest, t: T, target: TargetSummary): SafeHtml {
  const others = competentUnitIds().filter((unit) => unit !== target.unit_id);
  // Folded away: routing is the exception, and the table stays readable on a phone.
  return html`<details class="route-form"><summary>${t(TEXT.routeTo)}</summary>
<form method="post" action="/workbench/complaints/${target.id}/route" novalidate>
  ${csrfField(request)}
  <label for="route-${target.id}">${t(TEXT.unit)}</label>
  <select id="route-${target.id}" name="unit">${others.map((unit) => html`<option value="${unit}">${t(unitLabel(unit))}</option>`)}</select>
  <label for="route-note-${target.id}">${t(TEXT.routeNote)}</label>
  <input type="text" id="route-note-${target.id}" name="note" maxlength="2000">
  <button type="submit">${t(TEXT.route)}</button>
</form></details>`;
}

function judgeForms(request: FastifyRequest, t: T, target: TargetSummary): SafeHtml {
  if (target.reply === null) {
    return html`<form method="post" action="/workbench/complaints/${target.id}/reply" novalidate>
  ${csrfField(request)}
  <label for="reply-${target.id}">${t(TEXT.recordReply)}</label>
  <textarea id="reply-${target.id}" name="reply" rows="3" maxlength="10000"></textarea>
  <button type="submit">${t(TEXT.save)}</button>
</form>`;
  }
  return html`<p>${t(TEXT.reply)}: ${target.reply}</p>
<form method="post" action="/workbench/complaints/${target.id}/judge" novalidate>
  ${csrfField(request)}
  <button type="submit" name="adequate" value="yes">${t(TEXT.adequate)}</button>
  <button type="submit" name="adequate" value="no">${t(TEXT.inadequate)}</button>
</form>`;
}

export function renderBusinessExplanations(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { targets: TargetSummary[]; done?: string | undefined },
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.businessTitle,
    path: '/business/complaints',
    main: (t) => html`<h1>${t(TEXT.businessTitle)}</h1>
${state.done ? successNotice(t, { vi: 'Đã gửi giải trình.', en: 'Explanation sent.' }) : ''}
<p class="lead">${t(TEXT.businessLead)}</p>
${
  state.targets.length === 0
    ? html`<p>${t(TEXT.noRequests)}</p>`
    : state.targets.map(
        (target) => html`<section data-target="${target.target}">
  <h2>${target.target}</h2>
  <p>${t(TEXT.reporters)}: ${target.reporters} · ${t(TEXT.due)} ${formatCalendarDate(target.explanation_due_on ?? '')} ${target.explanation_due_on ? deadlineTag(t, deadlineStatus(target.explanation_due_on)) : ''}</p>
  ${target.reply ? html`<p>${t(TEXT.reply)}: ${target.reply}</p>` : ''}
  <form method="post" action="/business/complaints/${target.id}/reply" novalidate>
    ${csrfField(request)}
    <label for="reply-${target.id}">${t(TEXT.reply)}</label>
    <textarea id="reply-${target.id}" name="reply" rows="5" maxlength="10000"></textarea>
    <button type="submit">${t(TEXT.sendReply)}</button>
  </form>
</section>`,
      )
}`,
  });
}

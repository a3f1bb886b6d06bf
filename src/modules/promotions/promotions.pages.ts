/**
 * The workbench page of promotions (issue 14): offers seen online that break a promotion rule, with their evidence;
 * a form to check a programme pasted as JSON; the rules in force with their sources.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView } from '../../web/forms.ts';
import { tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import { sourceStatusTag } from '../procedures/index.ts';
import type { OffendingOffer } from './price-history.ts';
import type { CheckAnswer } from './promotions.schemas.ts';
import type { PromotionRuleView } from './promotions.service.ts';

type T = (text: Localized) => string;

export const PROMOTIONS_TEXT = {
  title: { vi: 'Khuyến mại vi phạm', en: 'Unlawful promotions' },
  lead: {
    vi: 'Ưu đãi thấy trên các trang đã giám sát mà vi phạm quy định khuyến mại vào ngày thấy (mức giảm giá tối đa; giá "trước khuyến mại" cao hơn giá đã bán trong 30 ngày trước), kèm chứng cứ; và kiểm tra một chương trình khuyến mại.',
    en: 'Offers seen on monitored sites that broke a promotion rule on the day they were seen (discount cap; a "before" price above what was charged in the 30 days before), with their evidence; and a check of a promotion programme.',
  },
  offers: { vi: 'Ưu đãi vi phạm', en: 'Offending offers' },
  none: { vi: 'Chưa thấy ưu đãi nào vi phạm.', en: 'No offending offer seen yet.' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  site: { vi: 'Trang', en: 'Site' },
  product: { vi: 'Sản phẩm', en: 'Product' },
  price: { vi: 'Giá bán', en: 'Price' },
  before: { vi: 'Giá "trước khuyến mại"', en: '"Before" price' },
  seenAt: { vi: 'Thời điểm thấy', en: 'Seen at' },
  violations: { vi: 'Vi phạm', en: 'Violations' },
  evidence: { vi: 'Chứng cứ', en: 'Evidence' },
  noEvidence: { vi: 'không có', en: 'none' },
  checkTitle: { vi: 'Kiểm tra chương trình khuyến mại', en: 'Check a promotion programme' },
  programme: { vi: 'Chương trình (JSON)', en: 'Programme (JSON)' },
  programmeHint: {
    vi: 'Cùng định dạng với POST /api/v1/promotions/check và lệnh "ecomgov promotions check": form, starts_on, ends_on, provinces, online, goods…',
    en: 'The format of POST /api/v1/promotions/check and "ecomgov promotions check": form, starts_on, ends_on, provinces, online, goods…',
  },
  check: { vi: 'Kiểm tra', en: 'Check' },
  compliant: { vi: 'Không thấy vi phạm', en: 'No violation found' },
  notCompliant: { vi: 'Có vi phạm', en: 'Violations found' },
  rule: { vi: 'Quy tắc', en: 'Rule' },
  citation: { vi: 'Căn cứ', en: 'Provision' },
  message: { vi: 'Nội dung', en: 'Finding' },
  goods: { vi: 'Hàng hóa', en: 'Goods' },
  rulesTitle: { vi: 'Quy tắc khuyến mại (dữ liệu)', en: 'Promotion rules (data)' },
  rulesLead: {
    vi: 'Sửa bằng lệnh "ecomgov promotions rules set" (có ghi nhật ký kiểm tra).',
    en: 'Changed with "ecomgov promotions rules set" (audited).',
  },
  from: { vi: 'Hiệu lực', en: 'In force' },
  source: { vi: 'Nguồn', en: 'Source' },
} satisfies Record<string, Localized>;

const TEXT = PROMOTIONS_TEXT;
const money = (value: number | null): string =>
  value === null ? '—' : `${new Intl.NumberFormat('vi-VN').format(value)} ₫`;

function answerView(t: T, answer: CheckAnswer) {
  return html`<section class="check-answer" data-compliant="${String(answer.compliant)}">
  <p>${answer.compliant ? tag(t, TEXT.compliant, 'ok') : tag(t, TEXT.notCompliant, 'bad')}</p>
  ${
    answer.violations.length === 0
      ? ''
      : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.rule)}</th><th scope="col">${t(TEXT.message)}</th><th scope="col">${t(TEXT.goods)}</th><th scope="col">${t(TEXT.citation)}</th></tr></thead>
  <tbody>${answer.violations.map(
    (violation) => html`<tr data-rule="${violation.rule}">
    <td data-label="${t(TEXT.rule)}"><code>${violation.rule}</code></td>
    <td data-label="${t(TEXT.message)}">${t(violation.message)}</td>
    <td data-label="${t(TEXT.goods)}">${violation.goods.join(', ')}</td>
    <td data-label="${t(TEXT.citation)}">${violation.citation}</td>
  </tr>`,
  )}</tbody>
</table>`
  }
</section>`;
}

export function renderPromotionsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  data: {
    offers: readonly OffendingOffer[];
    rules: readonly PromotionRuleView[];
    form?: FormState;
    answer?: CheckAnswer;
    status?: number;
  },
) {
  return sendLocalizedPage(request, reply, {
    title: TEXT.title,
    path: '/workbench/promotions',
    status: data.status,
    main: (t) => {
      const form = formView(t, data.form ?? EMPTY_FORM);
      return html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
<h2 id="check">${t(TEXT.checkTitle)}</h2>
${data.answer ? answerView(t, data.answer) : ''}
<form method="post" action="/workbench/promotions/check#check" novalidate>
  ${csrfField(request)}
  ${form.summary({ programme: TEXT.programme })}
  ${form.text({ name: 'programme', label: TEXT.programme, hint: TEXT.programmeHint, rows: 14, required: true })}
  <button type="submit">${t(TEXT.check)}</button>
</form>
<h2>${t(TEXT.offers)}</h2>
<p><a href="/workbench/promotions/offers.csv" download>${t(TEXT.csv)}</a></p>
${
  data.offers.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.seenAt)}</th><th scope="col">${t(TEXT.site)}</th><th scope="col">${t(TEXT.product)}</th><th scope="col">${t(TEXT.price)}</th><th scope="col">${t(TEXT.before)}</th><th scope="col">${t(TEXT.violations)}</th><th scope="col">${t(TEXT.evidence)}</th></tr></thead>
  <tbody>${data.offers.map(
    ({ observation, violations }) => html`<tr data-offer="${observation.id}">
    <td data-label="${t(TEXT.seenAt)}"><span class="nowrap">${formatDateTime(new Date(observation.observed_at))}</span></td>
    <td data-label="${t(TEXT.site)}"><code>${observation.url}</code></td>
    <td data-label="${t(TEXT.product)}">${observation.product_name || observation.product_key}</td>
    <td data-label="${t(TEXT.price)}">${money(observation.price_vnd)}</td>
    <td data-label="${t(TEXT.before)}">${money(observation.list_price_vnd)}</td>
    <td data-label="${t(TEXT.violations)}">${violations.map((violation) => html`<p><code>${violation.rule}</code> ${t(violation.message)} <small>${violation.citation}</small></p>`)}</td>
    <td data-label="${t(TEXT.evidence)}">${
      observation.evidence_id
        ? html`<a href="/workbench/evidence/${observation.evidence_id}">${observation.evidence_id}</a>`
        : t(TEXT.noEvidence)
    }</td>
  </tr>`,
  )}</tbody>
</table>`
}
<h2>${t(TEXT.rulesTitle)}</h2>
<p>${t(TEXT.rulesLead)}</p>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.rule)}</th><th scope="col">${t(TEXT.from)}</th><th scope="col">${t(TEXT.citation)}</th><th scope="col">${t(TEXT.source)}</th></tr></thead>
  <tbody>${data.rules.map(
    (rule) => html`<tr data-rule="${rule.code}">
    <td data-label="${t(TEXT.rule)}">${t(rule.label)} <code>${rule.code}</code></td>
    <td data-label="${t(TEXT.from)}"><span class="nowrap">${formatCalendarDate(rule.effective_from)} → ${rule.effective_to ? formatCalendarDate(rule.effective_to) : '…'}</span></td>
    <td data-label="${t(TEXT.citation)}">${rule.citation}</td>
    <td data-label="${t(TEXT.source)}">${sourceStatusTag(t, rule.source_status)} ${rule.source_url ? html`<a href="${rule.source_url}" rel="noopener noreferrer">${t(TEXT.source)}</a>` : ''}</td>
  </tr>`,
  )}</tbody>
</table>`;
    },
  });
}

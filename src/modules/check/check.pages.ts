import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDay } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { type FormView, formView } from '../../web/forms.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import type { AdvisoryLookup } from '../advisories/index.ts';
import { kindLabel, statusLabel } from '../registry/index.ts';
import { unitNameIn, unitWithDuty } from '../units/index.ts';
import { type CheckAnswer, kindInVerdict, techniqueName, type Verdict, verdictText } from './check.service.ts';

const TONE: Record<Verdict, 'ok' | 'warn' | 'bad'> = {
  registered: 'ok',
  notified: 'ok',
  pending: 'warn',
  expired: 'warn',
  unknown: 'warn',
  revoked: 'bad',
  unregistered: 'bad',
  blocked: 'bad',
  lookalike: 'bad',
};

const TEXT = {
  heading: { vi: 'Website, ứng dụng này đã đăng ký chưa?', en: 'Is this website or app registered?' },
  lead: {
    vi: 'Trước khi mua hàng trực tuyến, hãy kiểm tra website hoặc ứng dụng đã thông báo, đăng ký với Bộ Công Thương hay chưa.',
    en: 'Before you buy online, check whether the website or app is notified or registered with the Ministry of Industry and Trade.',
  },
  label: { vi: 'Địa chỉ website, đường dẫn ứng dụng hoặc tên', en: 'Website address, app link or name' },
  hint: {
    vi: 'Ví dụ: shopee.vn, https://m.temu.com/vn, đường dẫn Google Play hoặc App Store, hoặc tên như “Tiki”.',
    en: 'For example: shopee.vn, https://m.temu.com/vn, a Google Play or App Store link, or a name such as “Tiki”.',
  },
  submit: { vi: 'Kiểm tra', en: 'Check' },
  invalid: {
    vi: 'Hãy nhập một địa chỉ website (http hoặc https), đường dẫn ứng dụng hoặc tên, tối đa 2.048 ký tự.',
    en: 'Enter a website address (http or https), an app link or a name, at most 2,048 characters.',
  },
  resultTitle: { vi: 'Kết quả kiểm tra', en: 'Check result' },
  checked: { vi: 'Bạn đã kiểm tra', en: 'You checked' },
  whatItMeans: { vi: 'Điều này có nghĩa là gì', en: 'What this means' },
  whatToDo: { vi: 'Bạn nên làm gì', en: 'What to do' },
  details: { vi: 'Thông tin trong danh sách', en: 'What the register says' },
  name: { vi: 'Tên', en: 'Name' },
  number: { vi: 'Số đăng ký', en: 'Registration no.' },
  status: { vi: 'Tình trạng', en: 'Status' },
  kind: { vi: 'Loại hình', en: 'Kind' },
  crossBorder: { vi: 'Xuyên biên giới', en: 'Cross-border' },
  validUntil: { vi: 'Hiệu lực đến', en: 'Valid until' },
  yes: { vi: 'Có', en: 'Yes' },
  no: { vi: 'Không', en: 'No' },
  imitates: { vi: 'Giống với', en: 'Imitates' },
  technique: { vi: 'Cách giả mạo', en: 'Technique' },
  report: {
    vi: 'Gặp vấn đề khi mua hàng? Gọi Tổng đài tư vấn và hỗ trợ người tiêu dùng {hotline} ({note}) của {unit}.',
    en: 'Had a problem with a purchase? Call the {unit} consumer hotline {hotline} ({note}).',
  },
  reportNoHotline: {
    vi: 'Gặp vấn đề khi mua hàng? Liên hệ {unit}, cơ quan bảo vệ quyền lợi người tiêu dùng.',
    en: 'Had a problem with a purchase? Contact the {unit}, the consumer protection authority.',
  },
  complain: { vi: 'Hoặc gửi phản ánh trực tuyến.', en: 'Or send a complaint online.' },
  again: { vi: 'Kiểm tra địa chỉ khác', en: 'Check another address' },
  advisories: { vi: 'Cảnh báo của Bộ Công Thương', en: 'Advisories of the Ministry' },
} satisfies Record<string, Localized>;

/**
 * Where a consumer with a problem is sent: the unit that holds consumer protection today and its public
 * hotline, both from the unit catalogue (which cites where they are confirmed), in the page's language.
 */
export function consumerHelp(): Localized {
  const unit = unitWithDuty('consumer_protection');
  const hotline = unit.contacts?.find((contact) => contact.kind === 'hotline');
  const text = (language: 'vi' | 'en') =>
    hotline
      ? fill(TEXT.report, {
          unit: unitNameIn(unit, language),
          hotline: hotline.value,
          note: hotline.note?.[language] ?? '',
        })[language]
      : fill(TEXT.reportNoHotline, { unit: unitNameIn(unit, language) })[language];
  return { vi: text('vi'), en: text('en') };
}

/**
 * The check's one field sits on a row with its button, so the control is built here; its summary, message and
 * attributes follow the shared form parts (`web/forms.ts`).
 */
function checkForm(t: (text: Localized) => string, input: string, view: FormView) {
  const messages = view.messagesOf('input');
  const invalid = messages.length > 0;
  return html`<form method="get" action="/check" novalidate>
  <div class="form-group${invalid ? ' form-group-error' : ''}">
  <label for="input">${t(TEXT.label)}</label>
  <p class="hint" id="input-hint">${t(TEXT.hint)}</p>
  ${invalid ? html`<p class="field-error" id="input-error">${messages.join(' · ')}</p>` : ''}
  <div class="form-row">
    <input type="text" id="input" name="input" value="${input}" maxlength="2048" autocomplete="off" spellcheck="false"
      inputmode="url" aria-describedby="input-hint${invalid ? ' input-error' : ''}"${invalid ? html` class="input-error" aria-invalid="true"` : ''}>
    <button type="submit">${t(TEXT.submit)}</button>
  </div>
  </div>
</form>`;
}

export function renderCheckForm(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { input?: string; error?: Localized } = {},
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const issues = state.error
    ? [
        {
          field: 'input',
          message: { vi: `${TEXT.invalid.vi} (${state.error.vi})`, en: `${TEXT.invalid.en} (${state.error.en})` },
        },
      ]
    : [];
  const view = formView(t, { values: { input: state.input ?? '' }, issues });
  const main = html`<h1>${t(TEXT.heading)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
${view.summary()}
${checkForm(t, state.input ?? '', view)}`;
  const page = renderPage({
    locale,
    title: t(TEXT.heading),
    path: state.error ? '/check' : '/',
    query: state.input ? { input: state.input } : undefined,
    main,
  });
  return sendPage(reply, page, state.error ? 400 : 200);
}

export function renderCheckResult(
  request: FastifyRequest,
  reply: FastifyReply,
  answer: CheckAnswer,
  advisories?: AdvisoryLookup,
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const text = verdictText(answer);
  const platform = answer.platform;
  const values = {
    name: platform?.name ?? answer.normalized,
    number: platform?.registration_no ?? '—',
    domain: answer.normalized,
    imitated: answer.lookalike_of?.platform ?? '',
    imitatedDomain: answer.lookalike_of?.domain ?? '',
    technique: answer.lookalike_of ? t(techniqueName(answer.lookalike_of.technique)) : '',
    kind: t(kindInVerdict(platform?.kind)),
  };
  const tone = TONE[answer.verdict];
  const main = html`<h1>${t(TEXT.resultTitle)}</h1>
<p>${t(TEXT.checked)}: <strong>${answer.input}</strong></p>
<section class="verdict verdict-${tone}" aria-labelledby="verdict-title" data-verdict="${answer.verdict}">
  <h2 id="verdict-title">${t(text.title)}</h2>
  <h3>${t(TEXT.whatItMeans)}</h3>
  <p>${t(fill(text.meaning, values))}</p>
  <h3>${t(TEXT.whatToDo)}</h3>
  <p><strong>${t(fill(text.action, values))}</strong></p>
</section>
${
  platform
    ? html`<h2>${t(TEXT.details)}</h2>
<dl class="summary-list">
  <dt>${t(TEXT.name)}</dt><dd>${platform.name}</dd>
  <dt>${t(TEXT.number)}</dt><dd>${platform.registration_no ? html`<a href="/r/${encodeURIComponent(platform.registration_no)}">${platform.registration_no}</a>` : '—'}</dd>
  <dt>${t(TEXT.status)}</dt><dd>${t(statusLabel(platform.status))}</dd>
  <dt>${t(TEXT.kind)}</dt><dd>${t(kindLabel(platform.kind))}</dd>
  <dt>${t(TEXT.crossBorder)}</dt><dd>${t(platform.cross_border ? TEXT.yes : TEXT.no)}</dd>
  <dt>${t(TEXT.validUntil)}</dt><dd>${platform.valid_until ? formatCalendarDate(platform.valid_until) : '—'}</dd>
</dl>`
    : ''
}
${
  answer.lookalike_of
    ? html`<dl class="summary-list">
  <dt>${t(TEXT.imitates)}</dt><dd>${answer.lookalike_of.platform} (${answer.lookalike_of.domain})</dd>
  <dt>${t(TEXT.technique)}</dt><dd>${values.technique}</dd>
</dl>`
    : ''
}
${
  answer.advisories.length > 0
    ? html`<section class="advisories" aria-labelledby="advisories-title">
  <h2 id="advisories-title">${t(TEXT.advisories)}</h2>
  <ul>${answer.advisories.map((advisory) => {
    const title = advisories?.titleOf(advisory.id);
    return html`<li data-advisory="${advisory.id}"><a href="/advisories/${advisory.id}">${title ? t(title) : advisory.title}</a> (${formatDay(new Date(advisory.published_at))})</li>`;
  })}</ul>
</section>`
    : ''
}
<p>${t(consumerHelp())} <a href="/complaints/new?target=${encodeURIComponent(answer.input)}" data-report="complaint">${t(TEXT.complain)}</a></p>
<h2>${t(TEXT.again)}</h2>
${checkForm(t, '', formView(t))}`;
  const page = renderPage({
    locale,
    title: `${t(text.title)} – ${answer.normalized}`,
    path: '/check',
    query: { input: answer.input },
    main,
  });
  return sendPage(reply, page);
}

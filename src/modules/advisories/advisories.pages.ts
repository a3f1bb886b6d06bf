import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuditEvent } from '../../core/audit.ts';
import { formatDateTime, formatDay } from '../../core/dates.ts';
import { html, paragraphs, type SafeHtml } from '../../core/html.ts';
import { fill, type Locale, type Localized } from '../../core/i18n.ts';
import { EMPTY_FORM, type FormState, formView, successNotice } from '../../web/forms.ts';
import { localeOf } from '../../web/layout.ts';
import { type Tone, tag } from '../../web/tags.ts';
import { csrfField, sendLocalizedPage } from '../accounts/index.ts';
import { MAX_BODY, MAX_TITLE } from './advisories.schemas.ts';
import type { Advisory, AdvisoryKind } from './advisories.service.ts';
import type { AdvisorySeverity, AdvisoryStatus } from './advisories.table.ts';

/** The public list and page of advisories, and the officers' pages to write, publish and withdraw them. */

type T = (text: Localized) => string;

export const SEVERITY_LABELS: Record<AdvisorySeverity, Localized> = {
  info: { vi: 'Thông tin', en: 'Information' },
  warning: { vi: 'Cảnh báo', en: 'Warning' },
  danger: { vi: 'Nguy hiểm', en: 'Danger' },
};
const SEVERITY_TONES: Record<AdvisorySeverity, Tone> = { info: 'ok', warning: 'warn', danger: 'bad' };

export const STATUS_LABELS: Record<AdvisoryStatus, Localized> = {
  draft: { vi: 'Bản nháp', en: 'Draft' },
  published: { vi: 'Đã công bố', en: 'Published' },
  withdrawn: { vi: 'Đã thu hồi', en: 'Withdrawn' },
};
const STATUS_TONES: Record<AdvisoryStatus, Tone> = { draft: 'warn', published: 'ok', withdrawn: 'bad' };

const ACTION_LABELS: Record<string, Localized> = {
  'advisory.create': { vi: 'Tạo bản nháp', en: 'Draft created' },
  'advisory.update': { vi: 'Sửa nội dung', en: 'Edited' },
  'advisory.publish': { vi: 'Công bố', en: 'Published' },
  'advisory.withdraw': { vi: 'Thu hồi', en: 'Withdrawn' },
};

const TEXT = {
  listTitle: { vi: 'Cảnh báo người tiêu dùng', en: 'Consumer advisories' },
  listLead: {
    vi: 'Cảnh báo của Bộ Công Thương về các website, ứng dụng thương mại điện tử, gồm danh sách website vi phạm và danh sách website bị phản ánh.',
    en: 'Warnings of the Ministry of Industry and Trade about e-commerce websites and apps, including the lists of violating sites and of sites complained about.',
  },
  feeds: { vi: 'Theo dõi qua', en: 'Follow by' },
  all: { vi: 'Tất cả', en: 'All' },
  empty: { vi: 'Chưa có cảnh báo nào.', en: 'No advisories yet.' },
  published: { vi: 'Ngày công bố', en: 'Published' },
  updated: { vi: 'Cập nhật', en: 'Updated' },
  severity: { vi: 'Mức độ', en: 'Severity' },
  kind: { vi: 'Loại', en: 'Kind' },
  provision: { vi: 'Căn cứ', en: 'Provision' },
  unverified: {
    vi: 'Số điều chưa được đối chiếu với văn bản.',
    en: 'The article number has not been checked against the text.',
  },
  disputed: {
    vi: 'Các nguồn ghi số điều khác nhau: cần đối chiếu văn bản.',
    en: 'Sources give different article numbers: check the text.',
  },
  platforms: { vi: 'Website, ứng dụng liên quan', en: 'Platforms concerned' },
  checkIt: { vi: 'Kiểm tra', en: 'Check' },
  sample: { vi: 'Dữ liệu mẫu (minh họa)', en: 'Sample data (illustration)' },
  sampleNote: {
    vi: 'Đây là dữ liệu mẫu để minh họa, không phải cảnh báo chính thức.',
    en: 'This is sample data for illustration, not an official advisory.',
  },
  withdrawnNotice: {
    vi: 'Cảnh báo này đã được thu hồi ngày {day}. Lý do: {reason}',
    en: 'This advisory was withdrawn on {day}. Reason: {reason}',
  },
  back: { vi: 'Tất cả cảnh báo', en: 'All advisories' },
  previous: { vi: 'Trang trước', en: 'Previous page' },
  next: { vi: 'Trang sau', en: 'Next page' },
  // Workbench
  workbenchTitle: { vi: 'Cảnh báo người tiêu dùng – soạn và công bố', en: 'Consumer advisories – write and publish' },
  newAdvisory: { vi: 'Soạn cảnh báo mới', en: 'New advisory' },
  status: { vi: 'Trạng thái', en: 'Status' },
  title: { vi: 'Tiêu đề', en: 'Title' },
  titleVi: { vi: 'Tiêu đề (tiếng Việt)', en: 'Title (Vietnamese)' },
  titleEn: { vi: 'Tiêu đề (tiếng Anh)', en: 'Title (English)' },
  bodyVi: { vi: 'Nội dung (tiếng Việt)', en: 'Text (Vietnamese)' },
  bodyEn: { vi: 'Nội dung (tiếng Anh)', en: 'Text (English)' },
  bodyHint: {
    vi: 'Văn bản thuần; để một dòng trống giữa các đoạn. Không dùng mã HTML.',
    en: 'Plain text; leave a blank line between paragraphs. No HTML.',
  },
  platformsField: { vi: 'Website, ứng dụng liên quan', en: 'Platforms concerned' },
  platformsHint: {
    vi: 'Mỗi dòng một nền tảng trong danh sách: tên miền (temu.com), số đăng ký hoặc mã định danh.',
    en: 'One platform of the register per line: its domain (temu.com), registration number or id.',
  },
  save: { vi: 'Lưu bản nháp', en: 'Save draft' },
  saveChanges: { vi: 'Lưu thay đổi', en: 'Save changes' },
  edit: { vi: 'Sửa nội dung', en: 'Edit' },
  publish: { vi: 'Công bố', en: 'Publish' },
  publishHint: {
    vi: 'Cảnh báo sẽ hiện trên trang công khai, trong nguồn tin Atom/RSS và trong kết quả kiểm tra các nền tảng liên quan.',
    en: 'The advisory will show on the public pages, in the Atom/RSS feeds and in the check answers of the platforms concerned.',
  },
  withdraw: { vi: 'Thu hồi', en: 'Withdraw' },
  reason: { vi: 'Lý do thu hồi', en: 'Reason for withdrawal' },
  history: { vi: 'Nhật ký thao tác', en: 'History' },
  publicPage: { vi: 'Xem trang công khai', en: 'Public page' },
  done: {
    created: { vi: 'Đã lưu bản nháp.', en: 'Draft saved.' },
    updated: { vi: 'Đã lưu thay đổi.', en: 'Changes saved.' },
    published: { vi: 'Đã công bố cảnh báo.', en: 'Advisory published.' },
    withdrawn: { vi: 'Đã thu hồi cảnh báo.', en: 'Advisory withdrawn.' },
  } as Record<string, Localized>,
} as const;

function severityTag(t: T, severity: AdvisorySeverity): SafeHtml {
  return tag(t, SEVERITY_LABELS[severity], SEVERITY_TONES[severity], severity);
}

function statusTag(t: T, status: AdvisoryStatus): SafeHtml {
  return tag(t, STATUS_LABELS[status], STATUS_TONES[status], status);
}

function kindName(t: T, kinds: readonly AdvisoryKind[], id: string): string {
  const kind = kinds.find((candidate) => candidate.id === id);
  return kind ? t(kind.name) : id;
}

function day(iso: string | null): string {
  return iso ? formatDay(new Date(iso)) : '—';
}

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  title: Localized | string,
  path: string,
  main: (t: T, locale: Locale) => SafeHtml,
  status = 200,
  query?: Record<string, string>,
) {
  return sendLocalizedPage(request, reply, { title, path, main, status, query });
}

// ---------------------------------------------------------------------------------------------------
// Public

export function renderPublicList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    advisories: Advisory[];
    total: number;
    kinds: AdvisoryKind[];
    kind?: string | undefined;
    page: number;
    pageSize: number;
  },
) {
  const query: Record<string, string> = state.kind ? { kind: state.kind } : {};
  const pageHref = (page: number) => {
    const params = new URLSearchParams({ ...query, ...(page > 1 ? { page: String(page) } : {}) });
    const text = params.toString();
    return `/advisories${text ? `?${text}` : ''}`;
  };
  return send(
    request,
    reply,
    TEXT.listTitle,
    '/advisories',
    (t, locale) => html`<h1>${t(TEXT.listTitle)}</h1>
<p class="lead">${t(TEXT.listLead)}</p>
<p>${t(TEXT.feeds)}: <a href="/feeds/advisories.atom${locale === 'en' ? '?lang=en' : ''}" type="application/atom+xml">Atom</a> · <a href="/feeds/advisories.rss${locale === 'en' ? '?lang=en' : ''}" type="application/rss+xml">RSS</a></p>
<nav class="tabs" aria-label="${t(TEXT.kind)}">
  <a href="/advisories"${state.kind ? '' : html` aria-current="page"`}>${t(TEXT.all)}</a>
  ${state.kinds.map((kind) => html`<a href="/advisories?kind=${kind.id}"${state.kind === kind.id ? html` aria-current="page"` : ''}>${t(kind.name)}</a>`)}
</nav>
${
  state.advisories.length === 0
    ? html`<p>${t(TEXT.empty)}</p>`
    : html`<ul class="plain-list advisory-list">${state.advisories.map(
        (advisory) => html`<li data-advisory="${advisory.id}">
  <h2><a href="/advisories/${advisory.id}">${t(advisory.title)}</a></h2>
  <p>${severityTag(t, advisory.severity)} ${kindName(t, state.kinds, advisory.kind)} · ${t(TEXT.published)} ${day(advisory.published_at)}${advisory.sample ? html` · <em>${t(TEXT.sample)}</em>` : ''}</p>
  ${advisory.platforms.length ? html`<p>${t(TEXT.platforms)}: ${advisory.platforms.map((platform) => platform.name).join(', ')}</p>` : ''}
</li>`,
      )}</ul>`
}
${
  state.total > state.pageSize
    ? html`<nav class="pagination">${state.page > 1 ? html`<a href="${pageHref(state.page - 1)}">${t(TEXT.previous)}</a>` : ''} ${
        state.page * state.pageSize < state.total ? html`<a href="${pageHref(state.page + 1)}">${t(TEXT.next)}</a>` : ''
      }</nav>`
    : ''
}`,
    200,
    { ...query, ...(state.page > 1 ? { page: String(state.page) } : {}) },
  );
}

function provisionOf(t: T, kind: AdvisoryKind | undefined): SafeHtml | string {
  if (!kind || (kind.provision.vi === '' && kind.provision.en === '')) return '';
  return html`<dt>${t(TEXT.provision)}</dt><dd>${kind.source_url ? html`<a href="${kind.source_url}" rel="noopener">${t(kind.provision)}</a>` : t(kind.provision)}${kind.source_status === 'verified' ? '' : html` <span class="hint-inline">(${t(kind.source_status === 'disputed' ? TEXT.disputed : TEXT.unverified)})</span>`}</dd>`;
}

function platformList(t: T, advisory: Advisory): SafeHtml | string {
  if (advisory.platforms.length === 0) return '';
  return html`<h2>${t(TEXT.platforms)}</h2>
<ul class="advisory-platforms">${advisory.platforms.map(
    (platform) =>
      html`<li data-platform="${platform.id}">${
        platform.registration_no
          ? html`<a href="/r/${encodeURIComponent(platform.registration_no)}">${platform.name}</a>`
          : platform.name
      } – <a href="/check?input=${encodeURIComponent(platform.name)}">${t(TEXT.checkIt)}</a></li>`,
  )}</ul>`;
}

function advisoryFacts(t: T, advisory: Advisory, kinds: readonly AdvisoryKind[]): SafeHtml {
  const kind = kinds.find((candidate) => candidate.id === advisory.kind);
  return html`<dl class="summary-list">
  <dt>${t(TEXT.severity)}</dt><dd>${severityTag(t, advisory.severity)}</dd>
  <dt>${t(TEXT.kind)}</dt><dd>${kindName(t, kinds, advisory.kind)}</dd>
  ${provisionOf(t, kind)}
  <dt>${t(TEXT.published)}</dt><dd>${day(advisory.published_at)}</dd>
  <dt>${t(TEXT.updated)}</dt><dd>${day(advisory.updated_at)}</dd>
</dl>`;
}

export function renderPublicAdvisory(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { advisory: Advisory; kinds: AdvisoryKind[] },
) {
  const { advisory } = state;
  const locale = localeOf(request);
  return send(
    request,
    reply,
    advisory.title[locale],
    `/advisories/${advisory.id}`,
    (t) => html`<p><a href="/advisories">${t(TEXT.back)}</a></p>
<h1>${t(advisory.title)}</h1>
${advisory.status === 'withdrawn' ? html`<div class="notice notice-warn" role="status"><p>${t(fill(TEXT.withdrawnNotice, { day: day(advisory.withdrawn_at), reason: advisory.withdrawal_reason ?? '' }))}</p></div>` : ''}
${advisory.sample ? html`<div class="notice" role="note"><p>${t(TEXT.sampleNote)}</p></div>` : ''}
${advisoryFacts(t, advisory, state.kinds)}
<div class="advisory-body">${paragraphs(t(advisory.body))}</div>
${platformList(t, advisory)}`,
    // A withdrawn advisory is gone: its page stays, to say so and why.
    advisory.status === 'withdrawn' ? 410 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------
// Workbench

export function renderWorkbenchList(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { advisories: Advisory[]; kinds: AdvisoryKind[]; status?: AdvisoryStatus | undefined },
) {
  return send(
    request,
    reply,
    TEXT.workbenchTitle,
    '/workbench/advisories',
    (t) => html`<h1>${t(TEXT.workbenchTitle)}</h1>
<p><a class="button" href="/workbench/advisories/new">${t(TEXT.newAdvisory)}</a></p>
<nav class="tabs" aria-label="${t(TEXT.status)}">
  <a href="/workbench/advisories"${state.status ? '' : html` aria-current="page"`}>${t(TEXT.all)}</a>
  ${(['draft', 'published', 'withdrawn'] as const).map((status) => html`<a href="/workbench/advisories?status=${status}"${state.status === status ? html` aria-current="page"` : ''}>${t(STATUS_LABELS[status])}</a>`)}
</nav>
${
  state.advisories.length === 0
    ? html`<p>${t(TEXT.empty)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.title)}</th><th scope="col">${t(TEXT.status)}</th><th scope="col">${t(TEXT.severity)}</th><th scope="col">${t(TEXT.kind)}</th><th scope="col">${t(TEXT.updated)}</th></tr></thead>
  <tbody>${state.advisories.map(
    (advisory) => html`<tr data-advisory="${advisory.id}">
    <td data-label="${t(TEXT.title)}"><a href="/workbench/advisories/${advisory.id}">${t(advisory.title)}</a>${advisory.sample ? html` <em>(${t(TEXT.sample)})</em>` : ''}</td>
    <td data-label="${t(TEXT.status)}">${statusTag(t, advisory.status)}</td>
    <td data-label="${t(TEXT.severity)}">${severityTag(t, advisory.severity)}</td>
    <td data-label="${t(TEXT.kind)}">${kindName(t, state.kinds, advisory.kind)}</td>
    <td data-label="${t(TEXT.updated)}">${formatDateTime(new Date(advisory.updated_at))}</td>
  </tr>`,
  )}</tbody>
</table>`
}`,
  );
}

const FIELD_LABELS: Record<string, Localized> = {
  kind: TEXT.kind,
  severity: TEXT.severity,
  title_vi: TEXT.titleVi,
  title_en: TEXT.titleEn,
  body_vi: TEXT.bodyVi,
  body_en: TEXT.bodyEn,
  platforms: TEXT.platformsField,
  reason: TEXT.reason,
};

function advisoryForm(
  request: FastifyRequest,
  t: T,
  options: {
    action: string;
    form: FormState;
    kinds: AdvisoryKind[];
    advisory?: Advisory | undefined;
    submit: Localized;
  },
): SafeHtml {
  const form = formView(t, options.form, { idPrefix: 'advisory-' });
  const advisory = options.advisory;
  return html`<form method="post" action="${options.action}" novalidate class="advisory-form">
  ${form.summary(FIELD_LABELS)}
  ${csrfField(request)}
  ${form.select({
    name: 'kind',
    label: TEXT.kind,
    required: true,
    initial: advisory?.kind ?? 'warning',
    choices: options.kinds.map((kind) => ({
      value: kind.id,
      label: kind.provision.vi
        ? { vi: `${kind.name.vi} (${kind.provision.vi})`, en: `${kind.name.en} (${kind.provision.en})` }
        : kind.name,
    })),
  })}
  ${form.choices({
    name: 'severity',
    label: TEXT.severity,
    required: true,
    initial: advisory?.severity ?? 'warning',
    choices: (['info', 'warning', 'danger'] as const).map((value) => ({ value, label: SEVERITY_LABELS[value] })),
  })}
  ${form.text({ name: 'title_vi', label: TEXT.titleVi, required: true, maxlength: MAX_TITLE, initial: advisory?.title.vi })}
  ${form.text({ name: 'title_en', label: TEXT.titleEn, required: true, maxlength: MAX_TITLE, initial: advisory?.title.en })}
  ${form.text({ name: 'body_vi', label: TEXT.bodyVi, hint: TEXT.bodyHint, required: true, rows: 8, maxlength: MAX_BODY, initial: advisory?.body.vi })}
  ${form.text({ name: 'body_en', label: TEXT.bodyEn, hint: TEXT.bodyHint, required: true, rows: 8, maxlength: MAX_BODY, initial: advisory?.body.en })}
  ${form.text({
    name: 'platforms',
    label: TEXT.platformsField,
    hint: TEXT.platformsHint,
    rows: 4,
    initial: advisory?.platforms.map((platform) => platform.registration_no ?? platform.id).join('\n'),
  })}
  <button type="submit">${t(options.submit)}</button>
</form>`;
}

export function renderNewAdvisory(
  request: FastifyRequest,
  reply: FastifyReply,
  state: { kinds: AdvisoryKind[]; form?: FormState },
  status = 200,
) {
  return send(
    request,
    reply,
    TEXT.newAdvisory,
    '/workbench/advisories/new',
    (t) => html`<p><a href="/workbench/advisories">${t(TEXT.workbenchTitle)}</a></p>
<h1>${t(TEXT.newAdvisory)}</h1>
${advisoryForm(request, t, { action: '/workbench/advisories', form: state.form ?? EMPTY_FORM, kinds: state.kinds, submit: TEXT.save })}`,
    status,
  );
}

export interface WorkbenchAdvisoryState {
  advisory: Advisory;
  kinds: AdvisoryKind[];
  history: AuditEvent[];
  done?: string | undefined;
  /** A refused form: which one and its state. */
  refused?: { form: 'edit' | 'publish' | 'withdraw'; state: FormState } | undefined;
}

export function renderWorkbenchAdvisory(
  request: FastifyRequest,
  reply: FastifyReply,
  state: WorkbenchAdvisoryState,
  status = 200,
) {
  const { advisory } = state;
  const refusedOf = (form: 'edit' | 'publish' | 'withdraw') =>
    state.refused?.form === form ? state.refused.state : EMPTY_FORM;
  return send(
    request,
    reply,
    advisory.title[localeOf(request)],
    `/workbench/advisories/${advisory.id}`,
    (t) => {
      const publishForm = formView(t, refusedOf('publish'), { idPrefix: 'publish-' });
      const withdrawForm = formView(t, refusedOf('withdraw'), { idPrefix: 'withdraw-' });
      return html`<p><a href="/workbench/advisories">${t(TEXT.workbenchTitle)}</a></p>
${successNotice(t, state.done ? TEXT.done[state.done] : undefined)}
<h1>${t(advisory.title)}</h1>
<p>${statusTag(t, advisory.status)}${advisory.status !== 'draft' ? html` · <a href="/advisories/${advisory.id}">${t(TEXT.publicPage)}</a>` : ''}</p>
${advisory.status === 'withdrawn' ? html`<div class="notice notice-warn"><p>${t(fill(TEXT.withdrawnNotice, { day: day(advisory.withdrawn_at), reason: advisory.withdrawal_reason ?? '' }))}</p></div>` : ''}
${advisoryFacts(t, advisory, state.kinds)}
<div class="decision-grid">
${
  advisory.status === 'draft'
    ? html`<form method="post" action="/workbench/advisories/${advisory.id}/publish" class="decision" novalidate>
  ${publishForm.summary()}
  ${csrfField(request)}
  <h2>${t(TEXT.publish)}</h2>
  <p class="hint">${t(TEXT.publishHint)}</p>
  <button type="submit">${t(TEXT.publish)}</button>
</form>`
    : ''
}
${
  advisory.status === 'published'
    ? html`<form method="post" action="/workbench/advisories/${advisory.id}/withdraw" class="decision" novalidate>
  ${withdrawForm.summary(FIELD_LABELS)}
  ${csrfField(request)}
  <h2>${t(TEXT.withdraw)}</h2>
  ${withdrawForm.text({ name: 'reason', label: TEXT.reason, rows: 3, maxlength: 2000, required: true })}
  <button type="submit" class="button-warning">${t(TEXT.withdraw)}</button>
</form>`
    : ''
}
</div>
${
  advisory.status !== 'withdrawn'
    ? html`<h2>${t(TEXT.edit)}</h2>
${advisoryForm(request, t, { action: `/workbench/advisories/${advisory.id}`, form: refusedOf('edit'), kinds: state.kinds, advisory, submit: TEXT.saveChanges })}`
    : html`<div class="advisory-body">${paragraphs(t(advisory.body))}</div>`
}
${platformList(t, advisory)}
<h2>${t(TEXT.history)}</h2>
<ul class="plain-list">${state.history.map(
        (event) =>
          html`<li>${formatDateTime(new Date(event.occurred_at))} – ${t(ACTION_LABELS[event.action] ?? { vi: event.action, en: event.action })} – ${event.actor}</li>`,
      )}</ul>`;
    },
    status,
  );
}

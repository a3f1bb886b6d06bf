import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuditEvent, canonicalJson } from '../../core/audit.ts';
import { formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import { formView } from '../../web/forms.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { headerAccountOf } from './accounts.plugin.ts';

const TEXT = {
  title: { vi: 'Nhật ký thao tác', en: 'Audit trail' },
  lead: {
    vi: 'Mọi thao tác ghi dữ liệu: ai, khi nào, từ đâu, thay đổi gì. Nhật ký chỉ ghi thêm và được liên kết bằng mã băm, nên không thể sửa hay xóa mà không bị phát hiện.',
    en: 'Every write: who, when, from where, what changed. The trail is append-only and hash-chained, so no event can be altered or removed unnoticed.',
  },
  entityType: { vi: 'Loại đối tượng', en: 'Entity type' },
  entityTypeHint: { vi: 'Ví dụ: platform, application, account', en: 'For example: platform, application, account' },
  entityId: { vi: 'Mã đối tượng', en: 'Entity id' },
  filter: { vi: 'Lọc', en: 'Filter' },
  csv: { vi: 'Tải về CSV', en: 'Download CSV' },
  seq: { vi: 'Số', en: 'No.' },
  time: { vi: 'Thời điểm', en: 'Time' },
  actor: { vi: 'Người thực hiện', en: 'Actor' },
  ip: { vi: 'Địa chỉ IP', en: 'IP address' },
  action: { vi: 'Thao tác', en: 'Action' },
  entity: { vi: 'Đối tượng', en: 'Entity' },
  changes: { vi: 'Thay đổi', en: 'Changes' },
  none: { vi: 'Không có sự kiện nào.', en: 'No events.' },
  older: { vi: 'Cũ hơn →', en: 'Older →' },
  newest: { vi: '← Mới nhất', en: '← Newest' },
} satisfies Record<string, Localized>;

/** Lets a dotted, underscored name wrap at its dots and underscores instead of mid-word. */
function breakable(name: string): SafeHtml[] {
  return name.split(/(?<=[._])/).map((part, index) => (index === 0 ? html`${part}` : html`<wbr>${part}`));
}

/** A UUID is recognisable by its first block; the link's title has it whole. */
function shortId(id: string): string {
  return isUuid(id) ? `${id.slice(0, 8)}…` : id;
}

export function renderAuditPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: {
    events: AuditEvent[];
    filter: { entity_type?: string | undefined; entity_id?: string | undefined };
    actorNames: Map<string, string>;
    nextBefore: number | null;
    paged: boolean;
  },
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const filterQuery: Record<string, string> = {};
  if (state.filter.entity_type) filterQuery.entity_type = state.filter.entity_type;
  if (state.filter.entity_id) filterQuery.entity_id = state.filter.entity_id;
  const csvHref = `/api/v1/audit.csv?${new URLSearchParams(filterQuery)}`;
  const olderHref =
    state.nextBefore !== null
      ? `/workbench/audit?${new URLSearchParams({ ...filterQuery, before: String(state.nextBefore) })}`
      : undefined;
  const filter = formView(t, { values: state.filter, issues: [] });
  const main = html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
<form method="get" action="/workbench/audit">
  ${filter.text({ name: 'entity_type', label: TEXT.entityType, hint: TEXT.entityTypeHint, maxlength: 100 })}
  ${filter.text({ name: 'entity_id', label: TEXT.entityId, maxlength: 200 })}
  <button type="submit">${t(TEXT.filter)}</button>
  <a class="button button-secondary" href="${csvHref}">${t(TEXT.csv)}</a>
</form>
${
  state.events.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.time)}</th><th scope="col">${t(TEXT.actor)}</th><th scope="col">${t(TEXT.action)}</th><th scope="col">${t(TEXT.entity)}</th><th scope="col">${t(TEXT.changes)}</th></tr></thead>
  <tbody>${state.events.map(
    (event) => html`<tr>
    <td data-label="${t(TEXT.time)}"><span class="nowrap">${formatDateTime(new Date(event.occurred_at))}</span><br><span class="hint">${t(TEXT.seq)} ${event.seq}</span></td>
    <td data-label="${t(TEXT.actor)}">${state.actorNames.get(event.actor) ?? event.actor}${event.ip ? html`<br><span class="hint">${t(TEXT.ip)} ${event.ip}</span>` : ''}</td>
    <td data-label="${t(TEXT.action)}"><code class="breakable">${breakable(event.action)}</code></td>
    <td data-label="${t(TEXT.entity)}"><a href="/workbench/audit?${new URLSearchParams({ entity_type: event.entity_type, entity_id: event.entity_id }).toString()}" title="${event.entity_type} ${event.entity_id}" class="nowrap">${event.entity_type}<br>${shortId(event.entity_id)}</a></td>
    <td data-label="${t(TEXT.changes)}">${event.changes === null ? '—' : html`<code>${canonicalJson(event.changes)}</code>`}</td>
  </tr>`,
  )}</tbody>
</table>`
}
<nav class="pagination" aria-label="pagination">
  ${state.paged ? html`<a href="/workbench/audit?${new URLSearchParams(filterQuery).toString()}">${t(TEXT.newest)}</a>` : ''}
  ${olderHref ? html`<a href="${olderHref}">${t(TEXT.older)}</a>` : ''}
</nav>`;
  return sendPage(
    reply,
    renderPage({
      locale,
      title: t(TEXT.title),
      path: '/workbench/audit',
      query: filterQuery,
      main,
      account: headerAccountOf(request),
    }),
  );
}

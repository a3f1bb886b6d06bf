import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { type HeaderAccount, localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import type { LegalProcedure } from './procedures.service.ts';
import { sourceStatusTag } from './source-status.ts';

const TEXT = {
  title: { vi: 'Bảng thủ tục', en: 'Table of procedures' },
  lead: {
    vi: 'Các thủ tục của danh sách website, nền tảng thương mại điện tử: căn cứ pháp lý, thời hạn (ngày làm việc), thời điểm bắt đầu tính, đơn vị giải quyết và mức độ kiểm chứng nguồn. Thời hạn xử lý hồ sơ được tính theo bảng này. Quản trị viên sửa một dòng bằng lệnh “ecomgov procedures set MÃ …” (được ghi nhật ký thao tác).',
    en: 'The procedures of the register of e-commerce sites and platforms: provision, period (working days), what it counts from, the deciding unit and how far the source was verified. Deadlines are counted from this table. An administrator changes a row with “ecomgov procedures set CODE …” (recorded in the audit trail).',
  },
  code: { vi: 'Mã', en: 'Code' },
  name: { vi: 'Thủ tục', en: 'Procedure' },
  provision: { vi: 'Căn cứ', en: 'Provision' },
  period: { vi: 'Thời hạn', en: 'Period' },
  days: { vi: '{n} ngày làm việc', en: '{n} working days' },
  none: { vi: 'Không quy định theo ngày làm việc', en: 'None in working days' },
  from: { vi: 'Tính từ', en: 'Counts from' },
  unit: { vi: 'Đơn vị giải quyết', en: 'Deciding unit' },
  effective: { vi: 'Hiệu lực', en: 'In force' },
  source: { vi: 'Nguồn', en: 'Source' },
  note: { vi: 'Ghi chú', en: 'Note' },
  changed: { vi: 'Sửa lần cuối', en: 'Last changed' },
} satisfies Record<string, Localized>;

/** The administrators' read-only page of the table of procedures. */
export function renderProceduresPage(
  request: FastifyRequest,
  reply: FastifyReply,
  procedures: LegalProcedure[],
  account: HeaderAccount | null,
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const period = (procedure: LegalProcedure) =>
    procedure.workingDays === null ? t(TEXT.none) : t(fill(TEXT.days, { n: procedure.workingDays }));
  const main = html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.name)}</th><th scope="col">${t(TEXT.period)}</th><th scope="col">${t(TEXT.provision)}</th><th scope="col">${t(TEXT.source)}</th></tr></thead>
  <tbody>${procedures.map(
    (procedure) => html`<tr data-procedure="${procedure.code}">
    <td data-label="${t(TEXT.name)}"><strong>${t(procedure.name)}</strong><br><code>${procedure.code}</code><br>${t(TEXT.unit)}: ${procedure.decidingUnitId}</td>
    <td data-label="${t(TEXT.period)}">${period(procedure)}<br>${t(TEXT.from)}: ${t(procedure.clockFrom)}</td>
    <td data-label="${t(TEXT.provision)}">${procedure.provision}<br>${t(TEXT.effective)}: ${formatCalendarDate(procedure.effectiveFrom)} – ${procedure.effectiveTo ? formatCalendarDate(procedure.effectiveTo) : '…'}</td>
    <td data-label="${t(TEXT.source)}">${sourceStatusTag(t, procedure.sourceStatus)}
      ${procedure.sourceUrl ? html`<br><a href="${procedure.sourceUrl}" rel="noopener noreferrer">${procedure.sourceUrl.replace(/^https?:\/\//, '').slice(0, 60)}</a>` : ''}
      <details><summary>${t(TEXT.note)}</summary><p>${procedure.note}</p></details>
      <span class="hint-inline">${t(TEXT.changed)}: ${procedure.updatedBy}, ${formatDateTime(procedure.updatedAt)}</span></td>
  </tr>`,
  )}</tbody>
</table>`;
  return sendPage(reply, renderPage({ locale, title: t(TEXT.title), path: '/admin/procedures', main, account }));
}

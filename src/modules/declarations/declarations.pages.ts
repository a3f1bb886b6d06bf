import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { csrfField, headerAccountOf } from '../accounts/index.ts';
import type { DeclarationsReport, FlagName } from './declarations.service.ts';

const TEXT = {
  title: { vi: 'Tờ khai hàng nhập khẩu qua thương mại điện tử', en: 'E-commerce import declarations' },
  lead: {
    vi: 'Sàng lọc tờ khai hải quan (Công văn 8598/BCT-TMDT, nhiệm vụ 2, 5, 8): hàng mua qua nền tảng chưa đăng ký, chia nhỏ lô hàng, hàng phải đáp ứng quy chuẩn kỹ thuật, khai giá thấp, mô tả không rõ; và các địa điểm nghi là điểm tập kết. Nhập tờ khai bằng lệnh “ecomgov declarations import TỆP” hoặc POST /api/v1/declarations.',
    en: 'Screening of customs declarations (Dispatch 8598/BCT-TMDT, tasks 2, 5, 8): goods bought through unregistered platforms, split shipments, goods under a technical regulation, undervaluation, vague descriptions; and suspected gathering points. Import with “ecomgov declarations import FILE” or POST /api/v1/declarations.',
  },
  totals: { vi: 'Tổng số', en: 'Totals' },
  declarations: { vi: 'Tờ khai đã lưu', en: 'Declarations stored' },
  rejected: { vi: 'Dòng bị từ chối', en: 'Rows rejected' },
  flags: { vi: 'Cờ theo loại', en: 'Flags by type' },
  flag: { vi: 'Cờ', en: 'Flag' },
  count: { vi: 'Số tờ khai', en: 'Declarations' },
  points: { vi: 'Điểm nghi tập kết', en: 'Suspected gathering points' },
  pointsLead: {
    vi: 'Địa chỉ (đã chuẩn hoá) nhận nhiều bưu kiện từ nền tảng chưa đăng ký cho nhiều người nhận khác nhau, xếp theo số bưu kiện. Quản lý thị trường xác nhận hoặc bác bỏ; điểm được xác nhận là nhiệm vụ kiểm tra của đơn vị.',
    en: 'Addresses (normalised) receiving many parcels from unregistered platforms for many consignees, ranked by parcels. Market Management confirms or dismisses; a confirmed point is an inspection task for the unit.',
  },
  address: { vi: 'Địa chỉ', en: 'Address' },
  parcels: { vi: 'Bưu kiện', en: 'Parcels' },
  consignees: { vi: 'Người nhận', en: 'Consignees' },
  platforms: { vi: 'Nền tảng', en: 'Platforms' },
  seen: { vi: 'Thời gian', en: 'Seen' },
  status: { vi: 'Trạng thái', en: 'Status' },
  suspected: { vi: 'Nghi vấn', en: 'Suspected' },
  confirmed: { vi: 'Đã xác nhận', en: 'Confirmed' },
  dismissed: { vi: 'Đã bác bỏ', en: 'Dismissed' },
  confirm: { vi: 'Xác nhận', en: 'Confirm' },
  dismiss: { vi: 'Bác bỏ', en: 'Dismiss' },
  note: { vi: 'Ghi chú', en: 'Note' },
  none: { vi: 'Chưa có điểm nào vượt ngưỡng.', en: 'No address above the thresholds yet.' },
  csv: { vi: 'Tải CSV', en: 'Download CSV' },
  done: { vi: 'Đã ghi nhận quyết định về điểm tập kết {address}.', en: 'The decision on {address} was recorded.' },
} satisfies Record<string, Localized>;

export const FLAG_LABELS: Record<FlagName, Localized> = {
  unregistered_platform: { vi: 'Nền tảng chưa đăng ký/thông báo', en: 'Unregistered platform' },
  split_shipment: { vi: 'Chia nhỏ lô hàng', en: 'Split shipment' },
  needs_standard: { vi: 'Phải đáp ứng quy chuẩn kỹ thuật', en: 'Under a technical regulation' },
  undervalued: { vi: 'Khai giá thấp bất thường', en: 'Undervalued' },
  vague_description: { vi: 'Mô tả hàng không rõ', en: 'Vague description' },
};

export const POINT_STATUS_LABELS: Record<string, Localized> = {
  suspected: TEXT.suspected,
  confirmed: TEXT.confirmed,
  dismissed: TEXT.dismissed,
};

/** The workbench page: totals, flags by type, the gathering points with Market Management's decision forms. */
export function renderDeclarationsPage(
  request: FastifyRequest,
  reply: FastifyReply,
  report: DeclarationsReport,
  options: { canReview: boolean; done?: string | undefined },
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const reviewForm = (
    address: string,
  ) => html`<form method="post" action="/workbench/declarations/gathering-points/review" class="inline-form">
      ${csrfField(request)}<input type="hidden" name="address" value="${address}">
      <label>${t(TEXT.note)} <input type="text" name="note" maxlength="1000"></label>
      <button type="submit" name="status" value="confirmed">${t(TEXT.confirm)}</button>
      <button type="submit" name="status" value="dismissed">${t(TEXT.dismiss)}</button>
    </form>`;
  const main = html`<h1>${t(TEXT.title)}</h1>
<p class="lead">${t(TEXT.lead)}</p>
${options.done ? html`<p class="notice" role="status">${t(fill(TEXT.done, { address: options.done }))}</p>` : ''}
<h2>${t(TEXT.totals)}</h2>
<table class="responsive-table">
  <tbody>
    <tr><th scope="row">${t(TEXT.declarations)}</th><td>${report.declarations.toLocaleString('vi-VN')}</td></tr>
    <tr><th scope="row">${t(TEXT.rejected)}</th><td>${report.rejected.toLocaleString('vi-VN')}</td></tr>
  </tbody>
</table>
<h2>${t(TEXT.flags)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.flag)}</th><th scope="col">${t(TEXT.count)}</th></tr></thead>
  <tbody>${(Object.keys(FLAG_LABELS) as FlagName[]).map(
    (
      flag,
    ) => html`<tr data-flag="${flag}"><td data-label="${t(TEXT.flag)}">${t(FLAG_LABELS[flag])} <code>${flag}</code></td>
      <td data-label="${t(TEXT.count)}">${report.flags[flag].toLocaleString('vi-VN')}</td></tr>`,
  )}</tbody>
</table>
<h2>${t(TEXT.points)}</h2>
<p>${t(TEXT.pointsLead)} <a href="/workbench/declarations/gathering-points.csv">${t(TEXT.csv)}</a></p>
${
  report.gathering_points.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.address)}</th><th scope="col">${t(TEXT.parcels)}</th><th scope="col">${t(TEXT.consignees)}</th><th scope="col">${t(TEXT.platforms)}</th><th scope="col">${t(TEXT.seen)}</th><th scope="col">${t(TEXT.status)}</th></tr></thead>
  <tbody>${report.gathering_points.map(
    (point) => html`<tr data-address="${point.address}">
    <td data-label="${t(TEXT.address)}">${point.address}</td>
    <td data-label="${t(TEXT.parcels)}">${point.parcels}</td>
    <td data-label="${t(TEXT.consignees)}">${point.consignees}</td>
    <td data-label="${t(TEXT.platforms)}">${point.platforms.join(', ')}</td>
    <td data-label="${t(TEXT.seen)}">${formatCalendarDate(point.first_seen)} – ${formatCalendarDate(point.last_seen)}</td>
    <td data-label="${t(TEXT.status)}">${t(POINT_STATUS_LABELS[point.status] ?? TEXT.suspected)}
      ${options.canReview ? reviewForm(point.address) : ''}</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
  return sendPage(
    reply,
    renderPage({
      locale,
      title: t(TEXT.title),
      path: '/workbench/declarations',
      main,
      account: headerAccountOf(request),
    }),
  );
}

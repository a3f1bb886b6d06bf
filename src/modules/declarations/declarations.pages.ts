import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate } from '../../core/dates.ts';
import { html } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { barTable } from '../../web/charts.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { csrfField, headerAccountOf } from '../accounts/index.ts';
import type { DashboardRow, DeclarationsDashboard } from './declarations.repository.ts';
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
  imports: { vi: 'Hàng nhập khẩu qua thương mại điện tử', en: 'Imports through e-commerce' },
  period: { vi: 'Khoảng thời gian', en: 'Period' },
  from: { vi: 'Từ ngày', en: 'From' },
  to: { vi: 'Đến ngày', en: 'To' },
  show: { vi: 'Xem', en: 'Show' },
  allTime: { vi: 'toàn bộ', en: 'all time' },
  dayHint: { vi: 'dd/mm/yyyy', en: 'dd/mm/yyyy' },
  value: { vi: 'Trị giá (VND)', en: 'Value (VND)' },
  unregisteredShare: { vi: 'Qua nền tảng chưa đăng ký', en: 'Through unregistered platforms' },
  share: {
    vi: '{parcels} bưu kiện, trị giá {value} VND; {unregistered} bưu kiện ({percent}) qua nền tảng chưa đăng ký, chưa thông báo.',
    en: '{parcels} parcels worth {value} VND; {unregistered} parcels ({percent}) through unregistered platforms.',
  },
  byWeek: { vi: 'Theo tuần (từ thứ Hai)', en: 'By week (from Monday)' },
  week: { vi: 'Tuần từ', en: 'Week of' },
  byPlatform: { vi: 'Theo nền tảng (50 lớn nhất)', en: 'By platform (the 50 largest)' },
  platform: { vi: 'Nền tảng', en: 'Platform' },
  noPlatform: { vi: '(không khai)', en: '(not declared)' },
  byChapter: { vi: 'Theo chương mã HS', en: 'By HS chapter' },
  chapter: { vi: 'Chương', en: 'Chapter' },
  byOrigin: { vi: 'Theo nước xuất xứ (50 lớn nhất)', en: 'By country of origin (the 50 largest)' },
  origin: { vi: 'Xuất xứ', en: 'Origin' },
  noImports: { vi: 'Chưa có tờ khai nào trong khoảng này.', en: 'No declaration in this period.' },
} satisfies Record<string, Localized>;

/** The dashboard's tables, by name (the CSV export's `table`). */
export const DASHBOARD_TABLES = ['weeks', 'platforms', 'chapters', 'origins'] as const;
export type DashboardTable = (typeof DASHBOARD_TABLES)[number];

const percent = (part: number, whole: number) => (whole === 0 ? '0%' : `${((part / whole) * 100).toFixed(1)}%`);

/** A dashboard table as CSV rows (the one CSV writer formats them). */
export function dashboardCsvRows(
  dashboard: DeclarationsDashboard,
  table: DashboardTable,
): Array<Array<string | number>> {
  const key = { weeks: 'week_start', platforms: 'platform', chapters: 'hs_chapter', origins: 'origin_country' }[table];
  return [
    [key, 'parcels', 'value_vnd', 'unregistered_parcels', 'unregistered_share'],
    ...dashboard[table].map((row) => [
      row.key,
      row.parcels,
      row.value_vnd,
      row.unregistered_parcels,
      row.parcels === 0 ? 0 : Number((row.unregistered_parcels / row.parcels).toFixed(4)),
    ]),
  ];
}

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
  dashboard: DeclarationsDashboard,
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
${dashboardView(t, dashboard)}
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

type T = (text: Localized) => string;

/** Imports by week, platform, HS chapter and origin, each a table drawn as bars with its CSV; the period's form. */
function dashboardView(t: T, dashboard: DeclarationsDashboard) {
  const query = new URLSearchParams({
    ...(dashboard.from ? { from: dashboard.from } : {}),
    ...(dashboard.to ? { to: dashboard.to } : {}),
  });
  const csvLink = (table: DashboardTable) => {
    const params = new URLSearchParams(query);
    params.set('table', table);
    return html`<a href="/workbench/declarations/dashboard.csv?${params.toString()}">${t(TEXT.csv)}</a>`;
  };
  const number = (value: number) => value.toLocaleString('vi-VN');
  const table = (name: DashboardTable, caption: Localized, column: Localized, label: (row: DashboardRow) => string) =>
    html`${barTable({
      id: `imports-${name}`,
      caption: t(caption),
      columns: [t(column), t(TEXT.parcels), t(TEXT.value), t(TEXT.unregisteredShare)],
      barLabel: t(TEXT.parcels),
      rows: dashboard[name].map((row) => ({
        key: row.key,
        value: row.parcels,
        cells: [label(row), number(row.parcels), number(row.value_vnd), percent(row.unregistered_parcels, row.parcels)],
      })),
    })}<p>${csvLink(name)}</p>`;
  const total = dashboard.total;
  return html`<h2>${t(TEXT.imports)}</h2>
<form method="get" action="/workbench/declarations" class="inline-form">
  <label for="from">${t(TEXT.from)}</label>
  <input type="text" id="from" name="from" inputmode="numeric" maxlength="10" placeholder="${t(TEXT.dayHint)}" value="${dashboard.from ? formatCalendarDate(dashboard.from) : ''}">
  <label for="to">${t(TEXT.to)}</label>
  <input type="text" id="to" name="to" inputmode="numeric" maxlength="10" placeholder="${t(TEXT.dayHint)}" value="${dashboard.to ? formatCalendarDate(dashboard.to) : ''}">
  <button type="submit">${t(TEXT.show)}</button>
</form>
<p>${t(TEXT.period)}: ${
    dashboard.from || dashboard.to
      ? `${dashboard.from ? formatCalendarDate(dashboard.from) : '…'} – ${dashboard.to ? formatCalendarDate(dashboard.to) : '…'}`
      : t(TEXT.allTime)
  }</p>
${
  total.parcels === 0
    ? html`<p>${t(TEXT.noImports)}</p>`
    : html`<p data-share="${percent(total.unregistered_parcels, total.parcels)}">${t(
        fill(TEXT.share, {
          parcels: number(total.parcels),
          value: number(total.value_vnd),
          unregistered: number(total.unregistered_parcels),
          percent: percent(total.unregistered_parcels, total.parcels),
        }),
      )}</p>
${table('weeks', TEXT.byWeek, TEXT.week, (row) => formatCalendarDate(row.key))}
${table('platforms', TEXT.byPlatform, TEXT.platform, (row) => row.key || t(TEXT.noPlatform))}
${table('chapters', TEXT.byChapter, TEXT.chapter, (row) => row.key)}
${table('origins', TEXT.byOrigin, TEXT.origin, (row) => row.key)}`
}`;
}

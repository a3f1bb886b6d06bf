import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatCalendarDate, formatDateTime } from '../../core/dates.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill, type Localized } from '../../core/i18n.ts';
import { barTable } from '../../web/charts.ts';
import { EMPTY_FORM, type FormState, type FormView, formView, successNotice } from '../../web/forms.ts';
import { localeOf, renderPage, sendPage, translator } from '../../web/layout.ts';
import { csrfField, headerAccountOf } from '../accounts/index.ts';
import { type Unit, unitLabel } from '../units/index.ts';
import { BUCKETS, type Bucket, type BucketCounts, periodContaining, type ReportingPeriod } from './buckets.ts';
import type { ParsedDirective, Recurrence, UnplacedReason } from './directive.schemas.ts';
import {
  bucketLabel,
  bucketShortLabel,
  bucketTone,
  describePeriod,
  formatReportingPeriod,
  periodKindLabel,
  rhythmLabel,
  roleLabel,
  statusLabel,
} from './directives.labels.ts';
import type { FeedPanel } from './feeds.service.ts';
import { directiveKindName } from './subject.ts';
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_REPORT, MAX_REPORT_TEXT_CHARS } from './tracker.schemas.ts';
import type {
  DirectiveDetail,
  DirectiveSummary,
  ExtensionRequest,
  ProgressReport,
  TaskDetail,
  TrackedTask,
} from './tracker.service.ts';

/** The officers' pages of the tracker: list, directive and unit dashboards, a task with its reports. */

const TEXT = {
  listTitle: { vi: 'Theo dõi nhiệm vụ được giao', en: 'Directive tracker' },
  listLead: {
    vi: 'Nhiệm vụ của các đơn vị theo công văn, công điện, chia theo bốn nhóm của Văn phòng Chính phủ.',
    en: 'Tasks the dispatches and telegrams give the units, in the Government Office’s four buckets.',
  },
  allTasks: { vi: 'Tất cả nhiệm vụ', en: 'All tasks' },
  directives: { vi: 'Văn bản', en: 'Directives' },
  number: { vi: 'Số, ký hiệu', en: 'Number' },
  subject: { vi: 'Trích yếu', en: 'Subject' },
  issuedOn: { vi: 'Ngày ban hành', en: 'Issued on' },
  issuer: { vi: 'Cơ quan ban hành', en: 'Issued by' },
  kind: { vi: 'Loại văn bản', en: 'Kind' },
  tasks: { vi: 'Nhiệm vụ', en: 'Tasks' },
  units: { vi: 'Đơn vị', en: 'Units' },
  unit: { vi: 'Đơn vị', en: 'Unit' },
  role: { vi: 'Vai trò', en: 'Role' },
  cooperating: { vi: 'Phối hợp', en: 'Cooperating' },
  period: { vi: 'Thời hạn theo văn bản', en: 'Period as written' },
  periodKind: { vi: 'Loại thời hạn', en: 'Kind of period' },
  due: { vi: 'Hạn hiện hành', en: 'Due' },
  originalDue: { vi: 'Hạn theo văn bản', en: 'Due as written' },
  extendedTo: { vi: 'Đã gia hạn đến', en: 'Extended to' },
  status: { vi: 'Tình trạng', en: 'Status' },
  bucket: { vi: 'Nhóm theo dõi', en: 'Bucket' },
  progress: { vi: 'Tiến độ', en: 'Progress' },
  countShort: { vi: 'Số lượng', en: 'Count' },
  share: { vi: 'Tỷ lệ', en: 'Share' },
  overdueTitle: { vi: 'Nhiệm vụ quá hạn', en: 'Overdue tasks' },
  noOverdue: { vi: 'Không có nhiệm vụ quá hạn.', en: 'No task is overdue.' },
  daysOverdue: { vi: 'quá hạn {n} ngày', en: '{n} days overdue' },
  none: {
    vi: 'Chưa có văn bản nào. Nhập một công văn để bắt đầu theo dõi.',
    en: 'No directive yet. Import a dispatch to start tracking.',
  },
  importLink: { vi: 'Nhập văn bản mới', en: 'Import a directive' },
  exportCsv: { vi: 'Tải bảng theo dõi (CSV)', en: 'Download the tracker (CSV)' },
  exportXlsx: { vi: 'Tải bảng theo dõi (Excel)', en: 'Download the tracker (Excel)' },
  feed: { vi: 'Lịch thời hạn (iCalendar)', en: 'Deadline calendar (iCalendar)' },
  feedAll: { vi: 'Lịch thời hạn của tất cả đơn vị (iCalendar)', en: 'Deadline calendar of every unit (iCalendar)' },
  feedHint: {
    vi: 'Thêm địa chỉ lịch riêng vào Outlook, Google Calendar hoặc điện thoại để nhận thời hạn nhiệm vụ; lịch chỉ gồm nội dung văn bản. Ai có địa chỉ đều xem được lịch: đừng chia sẻ ra ngoài đơn vị, và nếu địa chỉ bị lộ, hãy tạo địa chỉ mới hoặc thu hồi.',
    en: 'Subscribe to the private calendar address in Outlook, Google Calendar or a phone to see the task deadlines; the calendar holds only what the directives say. Anyone with the address can read it: keep it within the unit, and if it leaks, make a new one or revoke it.',
  },
  feedAddressOnce: {
    vi: 'Địa chỉ lịch mới. Hãy sao chép ngay: địa chỉ chỉ hiện một lần này và không được lưu lại.',
    en: 'The new calendar address. Copy it now: it is shown this once and is not kept.',
  },
  feedAddress: { vi: 'Địa chỉ lịch', en: 'Calendar address' },
  feedLive: {
    vi: 'Đã có địa chỉ lịch, tạo lúc {created}; lần lấy lịch gần nhất: {used}.',
    en: 'A calendar address exists, made on {created}; last fetched: {used}.',
  },
  feedNever: { vi: 'chưa có', en: 'never' },
  feedNone: { vi: 'Chưa có địa chỉ lịch.', en: 'No calendar address yet.' },
  feedAskHead: {
    vi: 'Lãnh đạo đơn vị tạo địa chỉ này và gửi cho cán bộ trong đơn vị.',
    en: 'The head of the unit makes this address and gives it to the unit’s officers.',
  },
  feedCreate: { vi: 'Tạo địa chỉ lịch', en: 'Make the calendar address' },
  feedReplace: {
    vi: 'Tạo địa chỉ mới (địa chỉ cũ ngừng hoạt động)',
    en: 'Make a new address (the old one stops working)',
  },
  feedRevoke: { vi: 'Thu hồi địa chỉ', en: 'Revoke the address' },
  feedRevoked: {
    vi: 'Đã thu hồi địa chỉ lịch; lịch đăng ký theo địa chỉ đó không còn cập nhật.',
    en: 'The calendar address was revoked; calendars subscribed to it no longer update.',
  },
  feedOwnUnit: {
    vi: 'Địa chỉ lịch thời hạn của đơn vị bạn ở trang nhiệm vụ của đơn vị.',
    en: 'Your unit’s deadline calendar address is on its task page.',
  },
  asOf: { vi: 'Tính đến ngày {date}', en: 'As of {date}' },
  demo: {
    vi: 'Dữ liệu mẫu (minh họa): văn bản có thật, các báo cáo tiến độ là giả định.',
    en: 'Sample data: the directive is real; the progress reports are hypothetical.',
  },
  demoTag: { vi: 'Dữ liệu mẫu', en: 'Sample' },
  unplaced: { vi: 'Đoạn văn bản chưa xếp được vào đơn vị, nhiệm vụ', en: 'Text not placed under a unit or task' },
  unitPageTitle: { vi: 'Nhiệm vụ của {unit}', en: 'Tasks of {unit}' },
  unitNone: { vi: 'Đơn vị chưa được giao nhiệm vụ nào.', en: 'No task is assigned to this unit.' },
  taskTitle: { vi: 'Nhiệm vụ {seq} – {number}', en: 'Task {seq} of {number}' },
  followsDocument: { vi: 'Theo tiến độ của văn bản', en: 'Follows' },
  notLinked: {
    vi: 'Chưa liên kết với văn bản nào: nhiệm vụ chưa có hạn.',
    en: 'Not linked to a document yet, so it has no deadline.',
  },
  rhythm: { vi: 'Báo cáo', en: 'Reports' },
  awaited: { vi: 'Kỳ báo cáo đang chờ', en: 'Report awaited for' },
  missed: { vi: 'Kỳ chưa có báo cáo', en: 'Periods without a report' },
  reports: { vi: 'Báo cáo tiến độ', en: 'Progress reports' },
  noReports: { vi: 'Chưa có báo cáo nào.', en: 'No report yet.' },
  reportedBy: { vi: 'Người báo cáo', en: 'Reported by' },
  reportedOn: { vi: 'Ngày báo cáo', en: 'Reported on' },
  forPeriod: { vi: 'Kỳ báo cáo', en: 'For the period' },
  attachments: { vi: 'Tệp đính kèm', en: 'Attachments' },
  completedOn: { vi: 'Ngày hoàn thành', en: 'Completed on' },
  reportForm: { vi: 'Gửi báo cáo tiến độ', en: 'Report progress' },
  reportText: { vi: 'Nội dung báo cáo', en: 'What was done' },
  percentage: { vi: 'Mức độ hoàn thành (%)', en: 'Completion (%)' },
  percentageHint: {
    vi: 'Số nguyên từ 0 đến 100. 100% là đã hoàn thành nhiệm vụ.',
    en: 'A whole number from 0 to 100. 100% means the task is done.',
  },
  completedOnHint: {
    vi: 'Chỉ khi 100%: ngày hoàn thành, dạng dd/mm/yyyy. Để trống là hôm nay.',
    en: 'Only at 100%: the day it was finished, as dd/mm/yyyy. Empty means today.',
  },
  attachmentsHint: {
    vi: 'Tối đa {n} tệp, mỗi tệp tối đa {mb} MB (văn bản, hình ảnh, PDF).',
    en: 'Up to {n} files, each at most {mb} MB (documents, images, PDF).',
  },
  send: { vi: 'Gửi báo cáo', en: 'Send the report' },
  reportSent: { vi: 'Đã ghi nhận báo cáo tiến độ.', en: 'The progress report was recorded.' },
  extensions: { vi: 'Đề nghị gia hạn', en: 'Extension requests' },
  noExtensions: { vi: 'Chưa có đề nghị gia hạn.', en: 'No extension request.' },
  requestedDue: { vi: 'Đề nghị gia hạn đến', en: 'New due date requested' },
  requestedDueHint: { vi: 'Dạng dd/mm/yyyy, sau hạn hiện hành.', en: 'As dd/mm/yyyy, after the current deadline.' },
  reason: { vi: 'Lý do', en: 'Reason' },
  requestExtension: { vi: 'Gửi đề nghị gia hạn', en: 'Request an extension' },
  extensionSent: { vi: 'Đã gửi đề nghị gia hạn.', en: 'The extension request was sent.' },
  pending: { vi: 'Chờ quyết định', en: 'Awaiting decision' },
  approved: { vi: 'Đã chấp thuận', en: 'Approved' },
  rejected: { vi: 'Không chấp thuận', en: 'Rejected' },
  requestedBy: { vi: 'Người đề nghị', en: 'Requested by' },
  decidedBy: { vi: 'Người quyết định', en: 'Decided by' },
  approve: { vi: 'Chấp thuận', en: 'Approve' },
  reject: { vi: 'Không chấp thuận', en: 'Reject' },
  decided: { vi: 'Đã ghi nhận quyết định.', en: 'The decision was recorded.' },
  link: { vi: 'Liên kết với văn bản', en: 'Link to a document' },
  linkHint: {
    vi: 'Nhiệm vụ sẽ theo thời hạn văn bản này giao cho Bộ (ví dụ một công điện của Thủ tướng).',
    en: 'The task will follow the deadline that document gives the Ministry (for example a Prime Minister’s telegram).',
  },
  linkTaskSeq: { vi: 'Nhiệm vụ số (không bắt buộc)', en: 'Task no. (optional)' },
  linkButton: { vi: 'Liên kết', en: 'Link' },
  linked: { vi: 'Đã liên kết.', en: 'Linked.' },
  importTitle: { vi: 'Nhập văn bản chỉ đạo', en: 'Import a directive' },
  importLead: {
    vi: 'Dán toàn văn công văn, công điện (tiếng Việt hoặc tiếng Anh) như sao chép từ cổng thông tin. Hệ thống đọc số, ngày, đơn vị, nhiệm vụ và thời hạn. Nhập lại cùng số văn bản sẽ cập nhật, không tạo trùng.',
    en: 'Paste the whole dispatch or telegram (Vietnamese or English) as copied from a portal. The number, date, units, tasks and periods are read from it. Importing the same number again updates it without duplicates.',
  },
  importText: { vi: 'Toàn văn', en: 'Full text' },
  importTitleField: { vi: 'Trích yếu (không bắt buộc)', en: 'Subject (optional)' },
  previewButton: { vi: 'Xem trước', en: 'Preview' },
  previewAgainButton: { vi: 'Đọc lại văn bản', en: 'Read the text again' },
  confirmImportButton: { vi: 'Xác nhận và lưu', en: 'Confirm and store' },
  previewTitle: { vi: 'Kết quả đọc văn bản', en: 'What the text was read as' },
  previewNotStored: {
    vi: 'Văn bản chưa được lưu. Đề nghị kiểm tra đơn vị, nhiệm vụ, thời hạn và các đoạn chưa xếp được, rồi bấm “Xác nhận và lưu”.',
    en: 'Nothing is stored yet. Check the units, tasks, periods and the text not placed, then press “Confirm and store”.',
  },
  previewChanged: {
    vi: 'Văn bản hoặc trích yếu đã thay đổi sau khi xem trước nên chưa được lưu. Đề nghị kiểm tra lại kết quả đọc dưới đây.',
    en: 'The text or subject changed after the preview, so nothing was stored. Check what it is read as below.',
  },
  previewUnplaced: { vi: 'Chưa xếp được ({count})', en: 'Not placed ({count})' },
  previewUnplacedLead: {
    vi: 'Các đoạn, tên đơn vị và thời hạn dưới đây chưa được xếp vào nhiệm vụ nào hoặc chưa hiểu được; sau khi lưu, đề nghị bổ sung bằng tay.',
    en: 'The text, unit names and periods below were not placed in a task or not understood; after storing, add them by hand.',
  },
  previewAllPlaced: {
    vi: 'Mọi đoạn của phần giao nhiệm vụ đã được xếp vào nhiệm vụ.',
    en: 'All text of the assignment sections was placed in tasks.',
  },
  previewLine: { vi: 'Dòng', en: 'Line' },
  previewText: { vi: 'Nội dung', en: 'Text' },
  previewReason: { vi: 'Lý do', en: 'Reason' },
  importCreated: { vi: 'Đã nhập văn bản.', en: 'The directive was imported.' },
  importUpdated: {
    vi: 'Đã cập nhật văn bản đã có theo văn bản mới nhập; nhiệm vụ giữ nguyên báo cáo.',
    en: 'The stored directive was updated from this text; its tasks keep their reports.',
  },
  importUnchanged: {
    vi: 'Văn bản này đã được nhập trước đây; không có gì thay đổi.',
    en: 'This text was imported before; nothing changed.',
  },
  note: { vi: 'Ghi chú', en: 'Note' },
  feedUnit: { vi: 'Đơn vị của lịch', en: 'The unit of the calendar' },
  back: { vi: 'Quay lại danh sách văn bản', en: 'Back to the directives' },
  unitTasks: { vi: 'Nhiệm vụ theo đơn vị', en: 'Tasks by unit' },
  chartCaption: { vi: 'Số nhiệm vụ theo bốn nhóm', en: 'Tasks in the four buckets' },
  downloads: { vi: 'Tải về và lịch', en: 'Downloads and calendar' },
  followedDirective: { vi: 'Văn bản mà nhiệm vụ theo', en: 'The directive it follows' },
  dueWhenRequested: { vi: 'Hạn khi đề nghị', en: 'Due when requested' },
  percentageRecurringHint: {
    vi: 'Số nguyên từ 0 đến 100: mức độ hoàn thành công việc của kỳ báo cáo.',
    en: 'A whole number from 0 to 100: how complete the work of the reporting period is.',
  },
  noOtherDirective: {
    vi: 'Chưa có văn bản nào khác để liên kết. Hãy nhập văn bản (ví dụ công điện của Thủ tướng) trước.',
    en: 'There is no other directive to link to yet. Import it first (for example the Prime Minister’s telegram).',
  },
  unlink: { vi: '— Bỏ liên kết —', en: '— Remove the link —' },
} satisfies Record<string, Localized>;

type T = (text: Localized) => string;

/** What the person looking at the page may do there. */
export interface PageRights {
  canManage: boolean;
  canReport: boolean;
  canApprove: boolean;
}

/** The forms of a task's page; `?done=` after one did its work names it. */
export type TaskFormName = 'report' | 'extension' | 'decision' | 'link';

/** The fields of each form as the error summary names them. */
const FIELD_LABELS = {
  import: { text: TEXT.importText, title: TEXT.importTitleField },
  report: {
    text: TEXT.reportText,
    percentage: TEXT.percentage,
    completed_on: TEXT.completedOn,
    period_start: TEXT.forPeriod,
    attachments: TEXT.attachments,
  },
  extension: { requested_due: TEXT.requestedDue, reason: TEXT.reason },
  decision: { note: TEXT.note },
  link: { directive: TEXT.followedDirective, task_seq: TEXT.linkTaskSeq },
  feed: { unit_id: TEXT.feedUnit },
} satisfies Record<TaskFormName | 'import' | 'feed', Record<string, Localized>>;

/** The confirmation after a form did its work (`?done=…` after the redirect). */
const DONE_NOTICES: Readonly<Record<string, Localized>> = {
  report: TEXT.reportSent,
  extension: TEXT.extensionSent,
  decision: TEXT.decided,
  link: TEXT.linked,
  feed_revoked: TEXT.feedRevoked,
  created: TEXT.importCreated,
  updated: TEXT.importUpdated,
  unchanged: TEXT.importUnchanged,
};

export function doneNotice(kind: string | undefined): Localized | undefined {
  // Own keys only: `?done=constructor` must not find Object's.
  return kind !== undefined && Object.hasOwn(DONE_NOTICES, kind) ? DONE_NOTICES[kind] : undefined;
}

/** A text that reads the same in both languages (a number, dates, a title as written). */
function asIs(text: string): Localized {
  return { vi: text, en: text };
}

const BAR_COLOURS: Record<ReturnType<typeof bucketTone>, string> = {
  ok: '#00703c',
  warn: '#b35c00',
  neutral: '#1d4f91',
  bad: '#b3160b',
};

function day(value: string | null): string {
  return value ? formatCalendarDate(value) : '—';
}

function bucketTag(t: T, bucket: Bucket): SafeHtml {
  const tone = bucketTone(bucket);
  return html`<span class="tag ${tone === 'neutral' ? '' : `tag-${tone}`}">${t(bucketLabel(bucket))}</span>`;
}

/**
 * The four buckets as a table whose third column draws each count as a bar (inline SVG, no script):
 * the numbers are text for screen readers and printing; the bars are decoration.
 */
function bucketChart(t: T, counts: BucketCounts, id: string): SafeHtml {
  return barTable({
    id,
    className: 'bucket-chart',
    caption: `${t(TEXT.chartCaption)} (${counts.total})`,
    columns: [t(TEXT.bucket), t(TEXT.countShort)],
    barLabel: t(TEXT.share),
    rowHeaders: true,
    rows: BUCKETS.map((bucket) => ({
      key: bucket,
      cells: [t(bucketLabel(bucket)), counts[bucket]],
      value: counts[bucket],
      colour: BAR_COLOURS[bucketTone(bucket)],
    })),
  });
}

function taskLink(task: TrackedTask, label: string): SafeHtml {
  return html`<a href="/workbench/directive-tasks/${task.id}">${label}</a>`;
}

function shorten(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1).trimEnd()}…`;
}

function dueCell(t: T, task: TrackedTask): SafeHtml {
  const written = task.period.text ?? t(periodKindLabel(task.period.kind));
  if (task.period.kind === 'dependent' && !task.depends_on) {
    return html`<small>${written}</small><br>${t(TEXT.notLinked)}`;
  }
  return html`<span class="nowrap">${day(task.due)}</span>${
    task.days_overdue ? html`<br><strong>${t(fill(TEXT.daysOverdue, { n: task.days_overdue }))}</strong>` : ''
  }<br><small>${written}</small>`;
}

function progressCell(task: TrackedTask): SafeHtml | string {
  return task.last_report
    ? html`${task.last_report.percentage}%<br><small class="nowrap">${day(task.last_report.reported_on)}</small>`
    : '—';
}

/** The tasks as a table (collapsing to cards on a phone). */
function taskTable(
  t: T,
  tasks: readonly TrackedTask[],
  options: { showUnit: boolean; showDirective: boolean; showBucket?: boolean },
): SafeHtml {
  const showBucket = options.showBucket ?? true;
  return html`<table class="responsive-table task-table">
  <thead><tr>
    <th scope="col">${t(TEXT.tasks)}</th>
    ${options.showUnit ? html`<th scope="col">${t(TEXT.unit)}</th>` : ''}
    <th scope="col">${t(TEXT.due)}</th>
    ${showBucket ? html`<th scope="col">${t(TEXT.bucket)}</th>` : ''}
    <th scope="col">${t(TEXT.progress)}</th>
  </tr></thead>
  <tbody>${tasks.map(
    (task) => html`<tr>
    <td data-label="${t(TEXT.tasks)}" class="task-cell">${
      options.showDirective
        ? html`<small><a href="/workbench/directives/${task.directive.id}">${task.directive.number}</a></small><br>`
        : ''
    }${taskLink(task, `${task.seq}. ${shorten(task.text, 160)}`)}${
      task.cooperating.length
        ? html`<br><small class="hint">${t(TEXT.cooperating)}: ${task.cooperating.map((unit) => t(unitLabel(unit.unit_id, unit.name))).join(', ')}</small>`
        : ''
    }</td>
    ${options.showUnit ? html`<td data-label="${t(TEXT.unit)}">${task.unit.id ? html`<a href="/workbench/units/${task.unit.id}/tasks">${t(unitLabel(task.unit.id, task.unit.name))}</a>` : t(unitLabel(null, task.unit.name))}</td>` : ''}
    <td data-label="${t(TEXT.due)}">${dueCell(t, task)}</td>
    ${showBucket ? html`<td data-label="${t(TEXT.bucket)}">${bucketTag(t, task.bucket)}</td>` : ''}
    <td data-label="${t(TEXT.progress)}">${progressCell(task)}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

function overdueSection(t: T, tasks: readonly TrackedTask[], showUnit: boolean): SafeHtml {
  const overdue = tasks
    .filter((task) => task.bucket === 'open_overdue')
    .sort((a, b) => (b.days_overdue ?? 0) - (a.days_overdue ?? 0));
  return html`<h2 id="overdue">${t(TEXT.overdueTitle)} (${overdue.length})</h2>
${overdue.length === 0 ? html`<p>${t(TEXT.noOverdue)}</p>` : taskTable(t, overdue, { showUnit, showDirective: true, showBucket: false })}`;
}

function demoNotice(t: T, isDemo: boolean): SafeHtml | string {
  return isDemo ? html`<p class="verdict verdict-warn"><strong>${t(TEXT.demoTag)}.</strong> ${t(TEXT.demo)}</p>` : '';
}

function exportLinks(t: T, query: Record<string, string>, calendar: SafeHtml | string): SafeHtml {
  const params = (format: string) => new URLSearchParams({ format, ...query }).toString();
  return html`<h2>${t(TEXT.downloads)}</h2>
<ul class="export-links">
  <li><a href="/api/v1/directive-tasks/export?${params('csv')}" download>${t(TEXT.exportCsv)}</a></li>
  <li><a href="/api/v1/directive-tasks/export?${params('xlsx')}" download>${t(TEXT.exportXlsx)}</a></li>
</ul>
${calendar}`;
}

/** A page's calendar section: the unit's (or all units') feed, an address just made, and its forms. */
export interface FeedPanelView extends FeedPanel {
  /** Shown once, right after it was made: only its hash is kept. */
  address?: string | undefined;
}

function feedSection(t: T, request: FastifyRequest, panel: FeedPanelView): SafeHtml {
  const { live } = panel;
  return html`<section class="feed" id="calendar">
<h3>${t(panel.unitId === null ? TEXT.feedAll : TEXT.feed)}</h3>
<p class="hint">${t(TEXT.feedHint)}</p>
${
  panel.address
    ? html`<div class="notice" role="status">
  <p><strong>${t(TEXT.feedAddressOnce)}</strong></p>
  <label for="feed-address">${t(TEXT.feedAddress)}</label>
  <input type="text" id="feed-address" class="feed-address" readonly value="${panel.address}">
</div>`
    : ''
}
${
  live
    ? html`<p>${t(
        fill(TEXT.feedLive, {
          created: formatDateTime(new Date(live.created_at)),
          used: live.last_used_at ? formatDateTime(new Date(live.last_used_at)) : t(TEXT.feedNever),
        }),
      )}</p>`
    : html`<p>${t(TEXT.feedNone)}${panel.mayManage ? '' : html` ${t(TEXT.feedAskHead)}`}</p>`
}
${
  panel.mayManage
    ? html`<div class="form-row">
<form method="post" action="/workbench/directive-feeds" class="feed-form">
  ${csrfField(request)}
  <input type="hidden" name="unit_id" value="${panel.unitId ?? 'all'}">
  <button type="submit" class="${live ? 'button-secondary' : ''}">${t(live ? TEXT.feedReplace : TEXT.feedCreate)}</button>
</form>
${
  live
    ? html`<form method="post" action="/workbench/directive-feeds/${live.id}/revoke" class="feed-form">
  ${csrfField(request)}
  <button type="submit" class="button-warning">${t(TEXT.feedRevoke)}</button>
</form>`
    : ''
}
</div>`
    : ''
}
</section>`;
}

function send(request: FastifyRequest, reply: FastifyReply, title: string, path: string, main: SafeHtml, status = 200) {
  const locale = localeOf(request);
  return sendPage(reply, renderPage({ locale, title, path, main, account: headerAccountOf(request) }), status);
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

export function renderDirectiveList(
  request: FastifyRequest,
  reply: FastifyReply,
  data: {
    directives: DirectiveSummary[];
    tasks: TrackedTask[];
    counts: BucketCounts;
    units: Unit[];
    today: string;
    rights: PageRights;
    /** The all-units feed, for those who may see it (directives:manage). */
    feed?: FeedPanelView | undefined;
    ownUnitId: string | null;
    notice?: Localized | undefined;
    /** The calendar form sent back with its problems. */
    feedForm?: FormState | undefined;
  },
  status = 200,
) {
  const t = translator(localeOf(request));
  const locale = localeOf(request);
  const calendar = data.feed
    ? feedSection(t, request, data.feed)
    : data.ownUnitId
      ? html`<p id="calendar"><a href="/workbench/units/${data.ownUnitId}/tasks#calendar">${t(TEXT.feedOwnUnit)}</a></p>`
      : '';
  const unitsWithTasks = data.units.filter((unit) => data.tasks.some((task) => task.unit.id === unit.id));
  const main = html`<h1>${t(TEXT.listTitle)}</h1>
${successNotice(t, data.notice)}
${formView(t, data.feedForm).summary(FIELD_LABELS.feed)}
<p class="lead">${t(TEXT.listLead)}</p>
<p>${t(fill(TEXT.asOf, { date: day(data.today) }))}</p>
${data.rights.canManage ? html`<p><a class="button" href="/workbench/directives/import">${t(TEXT.importLink)}</a></p>` : ''}
${
  data.directives.length === 0
    ? html`<p>${t(TEXT.none)}</p>`
    : html`<h2>${t(TEXT.allTasks)}</h2>
${bucketChart(t, data.counts, 'all')}
<h2>${t(TEXT.directives)}</h2>
<table class="responsive-table">
  <thead><tr><th scope="col">${t(TEXT.number)}</th><th scope="col">${t(TEXT.subject)}</th>${BUCKETS.map((bucket) => html`<th scope="col">${t(bucketShortLabel(bucket))}</th>`)}</tr></thead>
  <tbody>${data.directives.map(
    (directive) => html`<tr>
    <td data-label="${t(TEXT.number)}"><a href="/workbench/directives/${directive.id}" class="nowrap">${directive.number}</a><br><small class="nowrap">${day(directive.issued_on)}</small>${directive.is_demo ? html`<br><span class="tag">${t(TEXT.demoTag)}</span>` : ''}</td>
    <td data-label="${t(TEXT.subject)}">${t(directiveKindName(directive.kind))}: ${directive.title}</td>
    ${BUCKETS.map((bucket) => html`<td data-label="${t(bucketShortLabel(bucket))}">${directive.counts[bucket]}</td>`)}
  </tr>`,
  )}</tbody>
</table>
${overdueSection(t, data.tasks, true)}
<h2>${t(TEXT.unitTasks)}</h2>
<ul class="unit-links">${unitsWithTasks.map(
        (unit) =>
          html`<li><a href="/workbench/units/${unit.id}/tasks">${locale === 'vi' ? unit.name_vi : unit.name_en}</a></li>`,
      )}</ul>
${exportLinks(t, {}, calendar)}`
}`;
  return send(request, reply, t(TEXT.listTitle), '/workbench/directives', main, status);
}

export function renderDirectivePage(
  request: FastifyRequest,
  reply: FastifyReply,
  data: { directive: DirectiveDetail; today: string; notice?: Localized | undefined },
) {
  const t = translator(localeOf(request));
  const { directive } = data;
  const tasks = directive.assignments.flatMap((assignment) => assignment.tasks);
  const main = html`<p><a href="/workbench/directives">← ${t(TEXT.back)}</a></p>
<h1>${t(directiveKindName(directive.kind))} ${directive.number}</h1>
${successNotice(t, data.notice)}
<p class="lead">${directive.title}</p>
${demoNotice(t, directive.is_demo)}
<dl class="summary-list">
  <dt>${t(TEXT.issuedOn)}</dt><dd>${day(directive.issued_on)}</dd>
  <dt>${t(TEXT.issuer)}</dt><dd>${directive.issuer ? t(unitLabel(directive.issuer_unit_id, directive.issuer)) : '—'}</dd>
  <dt>${t(TEXT.units)}</dt><dd>${directive.unit_count}</dd>
  <dt>${t(TEXT.tasks)}</dt><dd>${directive.task_count}</dd>
</dl>
<p>${t(fill(TEXT.asOf, { date: day(data.today) }))}</p>
${bucketChart(t, directive.counts, 'directive')}
${overdueSection(t, tasks, true)}
${directive.assignments.map(
  (assignment) => html`<section class="assignment">
  <h2>${assignment.unit_id ? html`<a href="/workbench/units/${assignment.unit_id}/tasks">${t(unitLabel(assignment.unit_id, assignment.unit_name))}</a>` : t(unitLabel(null, assignment.unit_name))}</h2>
  <p>${t(roleLabel(assignment.role))}${assignment.cooperating.length ? html` · ${t(TEXT.cooperating)}: ${assignment.cooperating.map((unit) => t(unitLabel(unit.unit_id, unit.name))).join(', ')}` : ''}</p>
  ${assignment.tasks.length ? taskTable(t, assignment.tasks, { showUnit: false, showDirective: false }) : ''}
</section>`,
)}
${
  directive.unplaced.length
    ? html`<h2>${t(TEXT.unplaced)}</h2><ul>${directive.unplaced.map((text) => html`<li>${text}</li>`)}</ul>`
    : ''
}`;
  return send(request, reply, `${directive.number}`, `/workbench/directives/${directive.id}`, main);
}

export function renderUnitPage(
  request: FastifyRequest,
  reply: FastifyReply,
  data: {
    unit: Unit;
    counts: BucketCounts;
    tasks: TrackedTask[];
    today: string;
    /** The unit's feed, for those who may see it (its officers, directives:manage). */
    feed?: FeedPanelView | undefined;
    notice?: Localized | undefined;
    /** The calendar form sent back with its problems. */
    feedForm?: FormState | undefined;
  },
  status = 200,
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const unitName = locale === 'vi' ? data.unit.name_vi : data.unit.name_en;
  const title = t(fill(TEXT.unitPageTitle, { unit: unitName }));
  const main = html`<p><a href="/workbench/directives">← ${t(TEXT.back)}</a></p>
<h1>${title}</h1>
${successNotice(t, data.notice)}
${formView(t, data.feedForm).summary(FIELD_LABELS.feed)}
<p>${t(fill(TEXT.asOf, { date: day(data.today) }))}</p>
${
  data.tasks.length === 0
    ? html`<p>${t(TEXT.unitNone)}</p>`
    : html`${bucketChart(t, data.counts, 'unit')}
${overdueSection(t, data.tasks, false)}
<h2>${t(TEXT.tasks)} (${data.tasks.length})</h2>
${taskTable(t, data.tasks, { showUnit: true, showDirective: true })}`
}
${exportLinks(t, { unit: data.unit.id }, data.feed ? feedSection(t, request, data.feed) : '')}`;
  return send(request, reply, title, `/workbench/units/${data.unit.id}/tasks`, main, status);
}

function reportList(t: T, reports: readonly ProgressReport[], rhythm: Recurrence | null): SafeHtml {
  if (reports.length === 0) return html`<p>${t(TEXT.noReports)}</p>`;
  return html`<ol class="report-list" reversed>${reports.map(
    (report) => html`<li class="report">
    <p><strong>${report.percentage}%</strong> · ${t(TEXT.reportedOn)} ${day(report.reported_on)} · ${report.reporter_name}${
      report.period_start
        ? html` · ${t(TEXT.forPeriod)} ${rhythm ? formatReportingPeriod({ start: report.period_start, end: periodContaining(report.period_start, rhythm).end }) : day(report.period_start)}`
        : ''
    }${report.completed_on ? html` · ${t(TEXT.completedOn)} ${day(report.completed_on)}` : ''}</p>
    <p class="report-text">${report.text}</p>
    ${
      report.attachments.length
        ? html`<p>${t(TEXT.attachments)}:</p><ul>${report.attachments.map(
            (file) =>
              html`<li><a href="/workbench/directive-attachments/${file.id}">${file.filename}</a> (${Math.ceil(file.size_bytes / 1024)} KB)</li>`,
          )}</ul>`
        : ''
    }
  </li>`,
  )}</ol>`;
}

function extensionList(
  t: T,
  request: FastifyRequest,
  extensions: readonly ExtensionRequest[],
  canApprove: boolean,
  decision: FormView,
): SafeHtml {
  if (extensions.length === 0) return html`<p>${t(TEXT.noExtensions)}</p>`;
  return html`<ul class="extension-list">${extensions.map(
    (extension) => html`<li>
    <p><strong>${t(TEXT.requestedDue)}: ${day(extension.requested_due)}</strong> (${t(TEXT.dueWhenRequested)}: ${day(extension.current_due)})
      · ${extension.decision === 'approved' ? html`<span class="tag tag-ok">${t(TEXT.approved)}</span>` : extension.decision === 'rejected' ? html`<span class="tag tag-bad">${t(TEXT.rejected)}</span>` : html`<span class="tag tag-warn">${t(TEXT.pending)}</span>`}</p>
    <p>${t(TEXT.reason)}: ${extension.reason}</p>
    <p><small>${t(TEXT.requestedBy)}: ${extension.requester_name}, ${formatDateTime(new Date(extension.requested_at))}${
      extension.decided_at
        ? html` · ${t(TEXT.decidedBy)}: ${extension.decider_name}, ${formatDateTime(new Date(extension.decided_at))}${extension.decision_note ? html` – ${extension.decision_note}` : ''}`
        : ''
    }</small></p>
    ${
      canApprove && extension.decision === null
        ? html`<form method="post" action="/workbench/directive-extensions/${extension.id}/decision" class="decision-form" novalidate>
      ${csrfField(request)}
      ${decision.text({ name: 'note', label: TEXT.note, maxlength: 2000 })}
      <button type="submit" name="decision" value="approve">${t(TEXT.approve)}</button>
      <button type="submit" name="decision" value="reject" class="button-secondary">${t(TEXT.reject)}</button>
    </form>`
        : ''
    }
  </li>`,
  )}</ul>`;
}

/** Periods a recurring task's report may be for: the ones without a report, and the awaited one. */
function reportablePeriods(task: TaskDetail, today: string): ReportingPeriod[] {
  const periods = [...task.missed_periods];
  const current = task.rhythm ? periodContaining(today, task.rhythm) : null;
  if (
    task.awaited_period &&
    task.awaited_period.start <= today &&
    !periods.some((p) => p.start === task.awaited_period?.start)
  ) {
    periods.push(task.awaited_period);
  }
  if (current && !periods.some((period) => period.start === current.start)) periods.push(current);
  return periods.slice(-12);
}

function reportForm(t: T, request: FastifyRequest, task: TaskDetail, today: string, form: FormView): SafeHtml {
  const recurring = task.period.kind === 'recurring';
  const periods = recurring ? reportablePeriods(task, today) : [];
  const awaited = periods.find((period) => period.start === task.awaited_period?.start);
  return html`<form method="post" action="/workbench/directive-tasks/${task.id}/reports" enctype="multipart/form-data" class="report-form" novalidate>
  ${csrfField(request)}
  ${form.text({ name: 'text', label: TEXT.reportText, rows: 5, maxlength: MAX_REPORT_TEXT_CHARS, required: true })}
  ${form.text({
    name: 'percentage',
    label: TEXT.percentage,
    hint: recurring ? TEXT.percentageRecurringHint : TEXT.percentageHint,
    inputmode: 'numeric',
    maxlength: 3,
    required: true,
  })}
  ${
    recurring
      ? form.select({
          name: 'period_start',
          label: TEXT.forPeriod,
          choices: periods.map((period) => ({ value: period.start, label: asIs(formatReportingPeriod(period)) })),
          initial: (awaited ?? periods.at(-1))?.start,
        })
      : form.day({ name: 'completed_on', label: TEXT.completedOn, hint: TEXT.completedOnHint })
  }
  ${form.file({
    name: 'attachments',
    label: TEXT.attachments,
    hint: fill(TEXT.attachmentsHint, { n: MAX_ATTACHMENTS_PER_REPORT, mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }),
    multiple: true,
  })}
  <button type="submit">${t(TEXT.send)}</button>
</form>`;
}

function extensionForm(t: T, request: FastifyRequest, task: TaskDetail, form: FormView): SafeHtml {
  return html`<form method="post" action="/workbench/directive-tasks/${task.id}/extensions" class="extension-form" novalidate>
  ${csrfField(request)}
  ${form.day({ name: 'requested_due', label: TEXT.requestedDue, hint: TEXT.requestedDueHint, required: true })}
  ${form.text({ name: 'reason', label: TEXT.reason, rows: 3, maxlength: MAX_REPORT_TEXT_CHARS, required: true })}
  <button type="submit" class="button-secondary">${t(TEXT.requestExtension)}</button>
</form>`;
}

function linkForm(
  t: T,
  request: FastifyRequest,
  task: TaskDetail,
  directives: readonly DirectiveSummary[],
  form: FormView,
): SafeHtml {
  const others = directives.filter((directive) => directive.id !== task.directive.id);
  if (others.length === 0) return html`<p>${t(TEXT.noOtherDirective)}</p>`;
  return html`<form method="post" action="/workbench/directive-tasks/${task.id}/link" class="link-form" novalidate>
  ${csrfField(request)}
  ${form.select({
    name: 'directive',
    label: TEXT.followedDirective,
    hint: TEXT.linkHint,
    placeholder: task.depends_on ? TEXT.unlink : undefined,
    choices: others.map((directive) => ({
      value: directive.id,
      label: asIs(`${directive.number} – ${shorten(directive.title, 80)}`),
    })),
    initial: task.depends_on?.directive_id,
  })}
  ${form.text({ name: 'task_seq', label: TEXT.linkTaskSeq, inputmode: 'numeric', maxlength: 5 })}
  <button type="submit" class="button-secondary">${t(TEXT.linkButton)}</button>
</form>`;
}

export function renderTaskPage(
  request: FastifyRequest,
  reply: FastifyReply,
  data: {
    task: TaskDetail;
    today: string;
    rights: PageRights;
    directives: DirectiveSummary[];
    /** A form sent back with its problems, and which one it is. */
    form?: { name: TaskFormName; state: FormState } | undefined;
    notice?: Localized | undefined;
    status?: number | undefined;
  },
) {
  const locale = localeOf(request);
  const t = translator(locale);
  const { task } = data;
  const formFor = (name: TaskFormName) => formView(t, data.form?.name === name ? data.form.state : EMPTY_FORM);
  const title = t(fill(TEXT.taskTitle, { seq: task.seq, number: task.directive.number }));
  const pendingExtension = task.extensions.some((extension) => extension.decision === null);
  const mayExtend =
    data.rights.canReport &&
    task.status !== 'done' &&
    task.period.kind !== 'recurring' &&
    task.due !== null &&
    !pendingExtension;
  const main = html`<p><a href="/workbench/directives/${task.directive.id}">← ${task.directive.number}</a></p>
<h1>${title}</h1>
${demoNotice(t, task.directive.is_demo)}
${successNotice(t, data.notice)}
${data.form ? formView(t, data.form.state).summary(FIELD_LABELS[data.form.name]) : ''}
<p class="lead task-text">${task.text}</p>
<p>${bucketTag(t, task.bucket)}${task.days_overdue ? html` ${t(fill(TEXT.daysOverdue, { n: task.days_overdue }))}` : ''}</p>
<dl class="summary-list">
  <dt>${t(TEXT.unit)}</dt><dd>${task.unit.id ? html`<a href="/workbench/units/${task.unit.id}/tasks">${t(unitLabel(task.unit.id, task.unit.name))}</a>` : t(unitLabel(null, task.unit.name))} (${t(roleLabel(task.unit.role))})</dd>
  ${task.cooperating.length ? html`<dt>${t(TEXT.cooperating)}</dt><dd>${task.cooperating.map((unit) => t(unitLabel(unit.unit_id, unit.name))).join(', ')}</dd>` : ''}
  <dt>${t(TEXT.period)}</dt><dd>${describePeriod(task.period)}</dd>
  <dt>${t(TEXT.periodKind)}</dt><dd>${t(periodKindLabel(task.period.kind))}</dd>
  ${task.period.kind === 'dependent' ? html`<dt>${t(TEXT.followsDocument)}</dt><dd>${task.depends_on ? html`<a href="/workbench/directives/${task.depends_on.directive_id}">${task.depends_on.number ?? '—'}</a>` : t(TEXT.notLinked)}</dd>` : ''}
  ${task.extended_due ? html`<dt>${t(TEXT.extendedTo)}</dt><dd>${day(task.extended_due)}</dd>` : ''}
  ${task.rhythm ? html`<dt>${t(TEXT.rhythm)}</dt><dd>${t(rhythmLabel(task.rhythm))}</dd>` : ''}
  ${task.awaited_period ? html`<dt>${t(TEXT.awaited)}</dt><dd>${formatReportingPeriod(task.awaited_period)}</dd>` : ''}
  ${task.missed_periods.length ? html`<dt>${t(TEXT.missed)}</dt><dd>${task.missed_periods.map(formatReportingPeriod).join('; ')}</dd>` : ''}
  <dt>${t(TEXT.due)}</dt><dd>${day(task.due)}${task.days_overdue ? html` <strong>(${t(fill(TEXT.daysOverdue, { n: task.days_overdue }))})</strong>` : ''}</dd>
  <dt>${t(TEXT.status)}</dt><dd>${t(statusLabel(task.status))}${task.completed_on ? ` (${day(task.completed_on)})` : ''}</dd>
</dl>
<h2>${t(TEXT.reports)}</h2>
${reportList(t, task.reports, task.rhythm)}
${data.rights.canReport ? html`<h2>${t(TEXT.reportForm)}</h2>${reportForm(t, request, task, data.today, formFor('report'))}` : ''}
${
  task.period.kind !== 'recurring' && task.period.kind !== 'none'
    ? html`<h2>${t(TEXT.extensions)}</h2>
${extensionList(t, request, task.extensions, data.rights.canApprove, formFor('decision'))}
${mayExtend ? extensionForm(t, request, task, formFor('extension')) : ''}`
    : ''
}
${data.rights.canManage && task.period.kind === 'dependent' ? html`<h2>${t(TEXT.link)}</h2>${linkForm(t, request, task, data.directives, formFor('link'))}` : ''}`;
  return send(request, reply, title, `/workbench/directive-tasks/${task.id}`, main, data.status ?? 200);
}

/** The parse of a text shown before it is stored: what the officer confirms. */
export interface ImportPreviewView {
  parsed: ParsedDirective;
  digest: string;
  /** The officer confirmed, but the text or subject had changed since the preview: shown again, nothing stored. */
  changed: boolean;
}

function unplacedReasonLabel(reason: UnplacedReason): Localized {
  return UNPLACED_REASONS_TEXT[reason];
}

const UNPLACED_REASONS_TEXT: Record<UnplacedReason, Localized> = {
  no_task: { vi: 'Không thuộc nhiệm vụ nào', en: 'In no task' },
  unknown_unit: { vi: 'Đơn vị không có trong danh mục', en: 'Unit not in the catalogue' },
  unknown_period: { vi: 'Chưa hiểu được thời hạn', en: 'Period not understood' },
};

function importPreview(t: T, preview: ImportPreviewView): SafeHtml {
  const { parsed } = preview;
  const taskCount = parsed.assignments.reduce((sum, assignment) => sum + assignment.tasks.length, 0);
  return html`<section class="import-preview" aria-labelledby="preview-heading">
<h2 id="preview-heading">${t(TEXT.previewTitle)}</h2>
<div class="notice" role="status"><p>${t(preview.changed ? TEXT.previewChanged : TEXT.previewNotStored)}</p></div>
<dl class="summary-list">
  <dt>${t(TEXT.number)}</dt><dd>${parsed.number ?? '—'}</dd>
  <dt>${t(TEXT.issuedOn)}</dt><dd>${day(parsed.issued_on)}</dd>
  <dt>${t(TEXT.issuer)}</dt><dd>${parsed.issuer ?? '—'}</dd>
  <dt>${t(TEXT.units)}</dt><dd>${parsed.assignments.length}</dd>
  <dt>${t(TEXT.tasks)}</dt><dd>${taskCount}</dd>
</dl>
${
  parsed.unplaced.length
    ? html`<h3>${t(fill(TEXT.previewUnplaced, { count: String(parsed.unplaced.length) }))}</h3>
<p>${t(TEXT.previewUnplacedLead)}</p>
<table class="responsive-table unplaced">
<thead><tr><th scope="col">${t(TEXT.previewLine)}</th><th scope="col">${t(TEXT.previewText)}</th><th scope="col">${t(TEXT.previewReason)}</th></tr></thead>
<tbody>${parsed.unplaced.map(
        (item) =>
          html`<tr><td data-label="${t(TEXT.previewLine)}">${item.line}</td><td data-label="${t(TEXT.previewText)}">${item.text}</td><td data-label="${t(TEXT.previewReason)}">${t(unplacedReasonLabel(item.reason))}</td></tr>`,
      )}</tbody>
</table>`
    : html`<p>${t(TEXT.previewAllPlaced)}</p>`
}
${parsed.assignments.map(
  (assignment) => html`<section class="assignment">
<h3>${assignment.unit}</h3>
<p>${t(roleLabel(assignment.role))}${assignment.cooperating?.length ? html` · ${t(TEXT.cooperating)}: ${assignment.cooperating.join(', ')}` : ''}</p>
<ol>${assignment.tasks.map(
    (task) =>
      html`<li>${task.text}<br><small class="hint">${t(periodKindLabel(task.period.kind))}: ${describePeriod(task.period)}</small></li>`,
  )}</ol>
</section>`,
)}
</section>`;
}

export function renderImportPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: FormState = EMPTY_FORM,
  status = 200,
  preview?: ImportPreviewView,
) {
  const t = translator(localeOf(request));
  const form = formView(t, state);
  const main = html`<p><a href="/workbench/directives">← ${t(TEXT.back)}</a></p>
<h1>${t(TEXT.importTitle)}</h1>
<p class="lead">${t(TEXT.importLead)}</p>
${form.summary(FIELD_LABELS.import)}
${preview ? importPreview(t, preview) : ''}
<form method="post" action="/workbench/directives/import" novalidate>
  ${csrfField(request)}
  ${form.text({ name: 'text', label: TEXT.importText, rows: 18, required: true })}
  ${form.text({ name: 'title', label: TEXT.importTitleField, maxlength: 300 })}
  <button type="submit" name="step" value="preview"${preview ? html` class="button-secondary"` : ''}>${t(preview ? TEXT.previewAgainButton : TEXT.previewButton)}</button>
  ${
    preview
      ? html`<input type="hidden" name="previewed" value="${preview.digest}">
  <button type="submit" name="step" value="confirm">${t(TEXT.confirmImportButton)}</button>`
      : ''
  }
</form>`;
  return send(request, reply, t(TEXT.importTitle), '/workbench/directives/import', main, status);
}

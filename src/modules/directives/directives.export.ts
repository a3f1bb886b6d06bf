import { spreadsheetCsv } from '../../core/csv.ts';
import type { Localized } from '../../core/i18n.ts';
import { BUCKETS, countBuckets } from './buckets.ts';
import { bucketLabel, periodKindLabel, rhythmLabel, roleLabel, statusLabel } from './directives.labels.ts';
import type { TrackedTask } from './tracker.service.ts';

/**
 * The tracker as a table: CSV for scripts (ISO dates, stable column names) and XLSX for people (real date
 * cells shown dd/mm/yyyy, bilingual headings, a summary sheet with the four buckets per unit). Both show values as
 * the administration writes them ("Chủ trì", "Quá hạn", "Có"), never the codes the database keeps.
 */

interface Column {
  key: string;
  label: Localized;
  width: number;
  kind?: 'date' | 'number';
  value(task: TrackedTask): string | number | null;
}

const COLUMNS: readonly Column[] = [
  {
    key: 'directive_number',
    label: { vi: 'Số văn bản', en: 'Directive' },
    width: 16,
    value: (t) => t.directive.number,
  },
  { key: 'directive_title', label: { vi: 'Trích yếu', en: 'Subject' }, width: 40, value: (t) => t.directive.title },
  { key: 'task_seq', label: { vi: 'Nhiệm vụ số', en: 'Task no.' }, width: 8, kind: 'number', value: (t) => t.seq },
  { key: 'unit_id', label: { vi: 'Mã đơn vị', en: 'Unit id' }, width: 14, value: (t) => t.unit.id },
  { key: 'unit_name', label: { vi: 'Đơn vị', en: 'Unit' }, width: 30, value: (t) => t.unit.name },
  { key: 'role', label: { vi: 'Vai trò', en: 'Role' }, width: 10, value: (t) => roleLabel(t.unit.role).vi },
  {
    key: 'cooperating',
    label: { vi: 'Đơn vị phối hợp', en: 'Cooperating units' },
    width: 30,
    value: (t) => t.cooperating.map((unit) => unit.name).join('; ') || null,
  },
  { key: 'task_text', label: { vi: 'Nội dung nhiệm vụ', en: 'Task' }, width: 60, value: (t) => t.text },
  {
    key: 'period_kind',
    label: { vi: 'Loại thời hạn', en: 'Period kind' },
    width: 11,
    value: (t) => periodKindLabel(t.period.kind).vi,
  },
  {
    key: 'period_text',
    label: { vi: 'Thời hạn (văn bản)', en: 'Period as written' },
    width: 24,
    value: (t) => t.period.text,
  },
  { key: 'period_start', label: { vi: 'Bắt đầu', en: 'Start' }, width: 12, kind: 'date', value: (t) => t.period.start },
  {
    key: 'period_due',
    label: { vi: 'Hạn ban đầu', en: 'Original due' },
    width: 12,
    kind: 'date',
    value: (t) => t.period.due,
  },
  {
    key: 'recurrence',
    label: { vi: 'Định kỳ báo cáo', en: 'Reporting rhythm' },
    width: 11,
    value: (t) => (t.rhythm ? rhythmLabel(t.rhythm).vi : null),
  },
  {
    key: 'depends_on',
    label: { vi: 'Theo văn bản', en: 'Follows' },
    width: 16,
    value: (t) => t.depends_on?.number ?? null,
  },
  {
    key: 'extended_due',
    label: { vi: 'Hạn gia hạn', en: 'Extended to' },
    width: 12,
    kind: 'date',
    value: (t) => t.extended_due,
  },
  { key: 'due', label: { vi: 'Hạn hiện hành', en: 'Due' }, width: 12, kind: 'date', value: (t) => t.due },
  { key: 'status', label: { vi: 'Trạng thái', en: 'Status' }, width: 12, value: (t) => statusLabel(t.status).vi },
  {
    key: 'completed_on',
    label: { vi: 'Ngày hoàn thành', en: 'Completed on' },
    width: 12,
    kind: 'date',
    value: (t) => t.completed_on,
  },
  { key: 'bucket', label: { vi: 'Nhóm theo dõi', en: 'Bucket' }, width: 14, value: (t) => bucketLabel(t.bucket).vi },
  {
    key: 'days_overdue',
    label: { vi: 'Số ngày quá hạn', en: 'Days overdue' },
    width: 9,
    kind: 'number',
    value: (t) => t.days_overdue,
  },
  {
    key: 'last_percentage',
    label: { vi: 'Tiến độ gần nhất (%)', en: 'Last progress (%)' },
    width: 9,
    kind: 'number',
    value: (t) => t.last_report?.percentage ?? null,
  },
  {
    key: 'last_reported_on',
    label: { vi: 'Báo cáo gần nhất', en: 'Last report' },
    width: 12,
    kind: 'date',
    value: (t) => t.last_report?.reported_on ?? null,
  },
  {
    key: 'is_demo',
    label: { vi: 'Dữ liệu mẫu (minh họa)', en: 'Sample data' },
    width: 8,
    value: (t) => (t.directive.is_demo ? 'Có' : 'Không'),
  },
];

export const EXPORT_COLUMNS: readonly string[] = COLUMNS.map((column) => column.key);

/**
 * CSV with a header of column keys; dates YYYY-MM-DD; empty for none. A text a spreadsheet would run as a formula
 * (a task's text is whatever the pasted directive said) gets a leading apostrophe (`spreadsheetCsv`).
 */
export function formatTrackerCsv(tasks: readonly TrackedTask[]): string {
  return spreadsheetCsv([EXPORT_COLUMNS, ...tasks.map((task) => COLUMNS.map((column) => column.value(task)))]);
}

function dateCell(day: string | number | null): Date | null {
  // Excel dates have no time zone: a UTC midnight shows as that calendar day.
  return typeof day === 'string' ? new Date(`${day}T00:00:00Z`) : null;
}

/** An XLSX workbook: the tracker sheet (one row per task) and a summary of the four buckets per unit. */
export async function formatTrackerXlsx(tasks: readonly TrackedTask[], today: string): Promise<Buffer> {
  // Loaded when a workbook is asked for: the library is a third of the start-up's module loading (0.3 s).
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'ecomgov';
  workbook.created = new Date(`${today}T00:00:00Z`);

  const sheet = workbook.addWorksheet('Tracker', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((column) => ({
    header: `${column.label.vi} / ${column.label.en}`,
    key: column.key,
    width: column.width,
    ...(column.kind === 'date' ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  for (const task of tasks) {
    sheet.addRow(
      Object.fromEntries(
        COLUMNS.map((column) => {
          const value = column.value(task);
          return [column.key, column.kind === 'date' ? dateCell(value) : value];
        }),
      ),
    );
  }
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };

  const summary = workbook.addWorksheet('Summary');
  summary.columns = [
    { header: 'Đơn vị / Unit', key: 'unit', width: 40 },
    ...BUCKETS.map((bucket) => ({
      header: `${bucketLabel(bucket).vi} / ${bucketLabel(bucket).en}`,
      key: bucket,
      width: 18,
    })),
    { header: 'Tổng / Total', key: 'total', width: 10 },
  ];
  const units = new Map<string, TrackedTask[]>();
  for (const task of tasks) {
    const name = task.unit.name;
    units.set(name, [...(units.get(name) ?? []), task]);
  }
  for (const [unit, unitTasks] of units) {
    summary.addRow({ unit, ...countBuckets(unitTasks.map((task) => task.bucket)) });
  }
  summary.addRow({ unit: 'Tổng / Total', ...countBuckets(tasks.map((task) => task.bucket)) }).font = { bold: true };
  summary.getRow(1).font = { bold: true };
  summary.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  summary.addRow({});
  summary.addRow({ unit: `Tính đến ngày / As of ${today.split('-').reverse().join('/')} (Asia/Ho_Chi_Minh)` });

  return Buffer.from(await workbook.xlsx.writeBuffer());
}

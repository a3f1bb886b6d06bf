import fs from 'node:fs';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { addDays, periodContaining } from './buckets.ts';
import { importDirective } from './directives.import.ts';
import { backdateExtension, backdateReports, countDirectives } from './directives.repository.ts';
import { findTaskBySeq, getTrackedTask } from './tracker.service.ts';
import { addProgressReport, decideExtension, type Reporter, requestExtension } from './tracker.writes.ts';

/**
 * Demo data: Dispatch 8598/BCT-TMĐT (the real text, the English rendering in fixtures/) with invented
 * progress: most tasks done on time, two late, one stuck past its deadline, an approved extension,
 * quarterly reports on the "regular" tasks with one quarter missing. Marked as demo on the directive,
 * so every page that shows it says so.
 */

const DEMO_ACTOR = 'system:demo-data';
const FIXTURE = new URL('./fixtures/dispatch-8598.en.txt', import.meta.url);

interface DemoReport {
  seq: number;
  on: string;
  percentage: number;
  text: string;
  completedOn?: string;
}

const UNIT_OFFICERS: Record<string, string> = {
  idea: 'Nguyễn Thu Hà (Cục TMĐT và KTS, minh họa)',
  market_management: 'Trần Văn Minh (QLTT, minh họa)',
  competition: 'Lê Thị Lan (UBCTQG, minh họa)',
  legal: 'Phạm Quốc Bảo (Vụ Pháp chế, minh họa)',
  import_export: 'Hoàng Minh Tuấn (Cục XNK, minh họa)',
  trade_promotion: 'Vũ Thị Hương (Cục XTTM, minh họa)',
  domestic_market: 'Đỗ Văn Nam (Vụ TTTN, minh họa)',
  science_technology: 'Bùi Thị Mai (Vụ KHCN, minh họa)',
  inspection_units: 'Ngô Đức Anh (Thanh tra Bộ, minh họa)',
  media_units: 'Đặng Thu Trang (Báo Công Thương, minh họa)',
};

const REPORTS: readonly DemoReport[] = [
  {
    seq: 1,
    on: '2024-10-28',
    percentage: 40,
    text: 'Đã đăng 6 tin cảnh báo trên Cổng thông tin và mạng xã hội của Cục.',
  },
  {
    seq: 1,
    on: '2024-10-30',
    percentage: 100,
    text: 'Hoàn thành chiến dịch truyền thông tháng 10: 14 tin, bài; phối hợp với các cơ quan báo chí của Bộ.',
  },
  {
    seq: 2,
    on: '2024-10-29',
    percentage: 60,
    text: 'Đã xây dựng dự thảo báo cáo Thủ tướng, đang lấy ý kiến Vụ Pháp chế.',
  },
  {
    seq: 2,
    on: '2024-11-06',
    percentage: 100,
    completedOn: '2024-11-05',
    text: 'Bộ đã ký báo cáo gửi Thủ tướng Chính phủ ngày 05/11/2024.',
  },
  {
    seq: 3,
    on: '2024-10-29',
    percentage: 50,
    text: 'Đã gửi văn bản yêu cầu bộ phận pháp lý của nền tảng tuân thủ pháp luật Việt Nam.',
  },
  {
    seq: 3,
    on: '2024-11-29',
    percentage: 100,
    text: 'Đã làm việc trực tiếp với đại diện nền tảng; nền tảng cam kết hoàn thành thủ tục đăng ký.',
  },
  {
    seq: 4,
    on: '2024-11-15',
    percentage: 30,
    text: 'Đang phối hợp với Văn phòng Chính phủ cập nhật tiến độ ban hành Công điện.',
  },
  {
    seq: 5,
    on: '2025-03-28',
    percentage: 25,
    text: 'Ban hành kế hoạch năm 2025; tổ chức 2 hội thảo chuyển đổi số chợ truyền thống.',
  },
  {
    seq: 5,
    on: '2025-07-15',
    percentage: 60,
    text: 'Đã tổ chức 9 khóa tập huấn kỹ năng bán hàng trực tuyến cho hộ kinh doanh.',
  },
  {
    seq: 5,
    on: '2025-12-10',
    percentage: 85,
    text: 'Còn 2 diễn đàn khu vực dời sang quý I/2026 do lịch của địa phương.',
  },
  {
    seq: 6,
    on: '2025-03-25',
    percentage: 100,
    text: 'Đã trình Thủ tướng dự thảo Kế hoạch tổng thể phát triển TMĐT quốc gia giai đoạn 2026–2030.',
  },
  {
    seq: 9,
    on: '2024-10-30',
    percentage: 100,
    text: 'Đã có văn bản rà soát các yếu tố pháp lý và đề xuất biện pháp xử lý.',
  },
  {
    seq: 10,
    on: '2024-10-31',
    percentage: 100,
    text: 'Đã gửi Tổng cục Hải quan đề xuất các biện pháp kiểm soát hàng hóa nhập khẩu.',
  },
  {
    seq: 11,
    on: '2024-11-10',
    percentage: 70,
    text: 'Đang tổng hợp các hình thức khuyến mại vi phạm; chưa thống nhất với Vụ Pháp chế.',
  },
  {
    seq: 12,
    on: '2024-11-28',
    percentage: 100,
    text: 'Đã hoàn thành báo cáo đánh giá tác động đối với thị trường trong nước.',
  },
  { seq: 13, on: '2025-06-30', percentage: 50, text: 'Tiếp tục triển khai Cuộc vận động tại 12 tỉnh, thành phố.' },
  { seq: 14, on: '2025-09-15', percentage: 40, text: 'Đang xây dựng 3 dự thảo quy chuẩn kỹ thuật.' },
  {
    seq: 15,
    on: '2025-10-01',
    percentage: 60,
    text: 'Đã kiểm tra 48 vụ việc trên môi trường thương mại điện tử trong 9 tháng.',
  },
  { seq: 16, on: '2025-08-20', percentage: 70, text: 'Đã đăng 120 tin, bài, phóng sự cảnh báo người tiêu dùng.' },
];

/** The quarterly reports of the two "regularly" tasks: every ended quarter, task 8 missing the last one. */
function recurringReports(today: string): DemoReport[] {
  const reports: DemoReport[] = [];
  const lastEnded = periodContaining(addDays(periodContaining(today, 'quarterly').start, -1), 'quarterly');
  for (let quarter = periodContaining('2024-10-26', 'quarterly'); quarter.end <= lastEnded.end; ) {
    const on = addDays(quarter.end, -4);
    reports.push({
      seq: 7,
      on,
      percentage: 100,
      text: 'Báo cáo quý: phối hợp với Hải quan kiểm tra các kho hàng, điểm tập kết; xử lý các vụ vi phạm phát hiện.',
    });
    if (quarter.end !== lastEnded.end) {
      reports.push({
        seq: 8,
        on: addDays(quarter.end, -2),
        percentage: 100,
        text: 'Báo cáo quý: tiếp nhận, xử lý phản ánh của người tiêu dùng; phát hành cảnh báo về mua sắm xuyên biên giới.',
      });
    }
    quarter = periodContaining(addDays(quarter.end, 1), 'quarterly');
  }
  return reports;
}

function demoReporter(unitId: string | null): Reporter {
  const context: ActorContext = { actor: `${DEMO_ACTOR}:${unitId ?? 'unit'}` };
  return { context, name: UNIT_OFFICERS[unitId ?? ''] ?? 'Cán bộ (minh họa)', unitId, actsForAnyUnit: true };
}

/**
 * Loads the demo directive into a database that has no directive yet (only `serve` calls this, never
 * with `--no-demo`). Returns the number of directives loaded: 0 when there were already some.
 */
export async function loadDemoDirectives(database: Database, today = todayInVietnam()): Promise<number> {
  if ((await countDirectives(database.db)) > 0) return 0;
  const result = await importDirective(
    database,
    { text: fs.readFileSync(FIXTURE, 'utf8'), isDemo: true },
    { actor: DEMO_ACTOR },
  );
  const number = result.number;
  const reports = [...REPORTS, ...recurringReports(today)]
    .filter((report) => report.on <= today)
    .sort((a, b) => a.on.localeCompare(b.on));
  for (const report of reports) {
    const taskId = await findTaskBySeq(database.db, number, report.seq);
    const task = await getTrackedTask(database.db, taskId, report.on);
    await addProgressReport(
      database,
      taskId,
      {
        text: report.text,
        percentage: report.percentage,
        completedOn: report.completedOn,
        periodStart:
          task.period.kind === 'recurring' ? periodContaining(report.on, task.rhythm ?? 'quarterly').start : undefined,
      },
      demoReporter(task.unit.id),
      report.on,
    );
    await backdateReports(database.db, taskId, report.on, new Date(`${report.on}T09:30:00+07:00`));
  }

  // Task 5 ("during 2025") ran late: an extension to mid-2026, approved by the Ministry Office, then done.
  const programmeTask = await findTaskBySeq(database.db, number, 5);
  if (today >= '2025-12-12') {
    const extension = await requestExtension(
      database,
      programmeTask,
      {
        requestedDue: '2026-06-30',
        reason: 'Hai diễn đàn khu vực phải dời sang năm 2026 theo đề nghị của địa phương.',
      },
      demoReporter('idea'),
      '2025-12-12',
    );
    await decideExtension(
      database,
      extension.id,
      { decision: 'approve', note: 'Đồng ý gia hạn đến 30/06/2026.' },
      { context: { actor: `${DEMO_ACTOR}:ministry_office` }, name: 'Chánh Văn phòng Bộ (minh họa)' },
    );
    await backdateExtension(database.db, extension.id, {
      requestedAt: new Date('2025-12-12T10:00:00+07:00'),
      decidedAt: new Date('2025-12-19T15:00:00+07:00'),
    });
    if (today >= '2026-06-20') {
      await addProgressReport(
        database,
        programmeTask,
        { text: 'Đã tổ chức xong 2 diễn đàn khu vực; hoàn thành các nhiệm vụ năm 2025 của Kế hoạch.', percentage: 100 },
        demoReporter('idea'),
        '2026-06-20',
      );
      await backdateReports(database.db, programmeTask, '2026-06-20', new Date('2026-06-20T09:30:00+07:00'));
    }
  }
  return 1;
}

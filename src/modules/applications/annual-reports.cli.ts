import type { Command } from 'commander';
import { type CliServices, parseChoiceOption, parseIntegerOption, printResult } from '../../core/cli.ts';
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import {
  ANNUAL_REPORT_STATE_LABELS,
  ANNUAL_REPORT_STATES,
  type AnnualReportState,
  annualReportOverview,
} from './annual-reports.ts';
import { createApplicationsContext } from './applications.context.ts';

/** `ecomgov annual-reports status`: who filed the periodic report of a year on time, late, or not at all. */
export function registerAnnualReportsCli(program: Command, cli: CliServices): void {
  const reports = program
    .command('annual-reports')
    .description('periodic (annual) reports of registered platforms: who filed a year’s report, and when');

  reports
    .command('status')
    .description('every registered platform with the state of its report of a year (default: last year)')
    .option('--year <year>', 'the year reported', parseIntegerOption('--year', 2000, 2999))
    .option(
      '--state <state>',
      `only one state: ${ANNUAL_REPORT_STATES.join(', ')}`,
      parseChoiceOption('--state', ANNUAL_REPORT_STATES),
    )
    .action(async (options: { year?: number; state?: AnnualReportState }, command: Command) => {
      const overview = await cli.withDatabase(command, (database) => {
        const year = options.year ?? Number(todayInVietnam().slice(0, 4)) - 1;
        return annualReportOverview(createApplicationsContext(database), year, { state: options.state });
      });
      printResult(
        cli.wantsJson(command),
        {
          year: overview.year,
          deadline: overview.deadline,
          counts: overview.counts,
          platforms: overview.rows.map(({ platform, report, state }) => ({
            id: platform.id,
            registration_no: platform.registration_no,
            name: platform.name,
            state,
            filed_at: report?.filed_at.toISOString() ?? null,
            figures: report?.figures ?? null,
          })),
        },
        () =>
          [
            `Year ${overview.year}: due before ${formatCalendarDate(overview.deadline.namedDay)} (last day counted ${formatCalendarDate(overview.deadline.lastDay)}; ${overview.deadline.source_status})`,
            ANNUAL_REPORT_STATES.map(
              (state) => `${ANNUAL_REPORT_STATE_LABELS[state].en}: ${overview.counts[state]}`,
            ).join(' · '),
            ...overview.rows.map(
              ({ platform, state }) =>
                `${(platform.registration_no ?? '').padEnd(20)} ${ANNUAL_REPORT_STATE_LABELS[state].en.padEnd(24)} ${platform.name}`,
            ),
          ].join('\n'),
      );
    });
}

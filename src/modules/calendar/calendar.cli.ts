import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { type CliServices, parseIntegerOption, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { invalidInput } from '../../core/errors.ts';
import { columnsOfDay } from './calendar.repository.ts';
import { addCalendarDays, listCalendarDays } from './calendar.service.ts';

/** A year's decision is tens of rows; anything this large is not a calendar file. */
const MAX_FILE_BYTES = 1024 * 1024;

async function readCalendarFile(file: string): Promise<string> {
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch {
    throw invalidInput({ vi: `Không đọc được tệp ${file}`, en: `cannot read the file ${file}` }, 'FILE');
  }
  if (stat.size > MAX_FILE_BYTES) {
    throw invalidInput(
      {
        vi: `${file} quá lớn cho một tệp lịch (tối đa 1 MB)`,
        en: `${file} is too large for a calendar file (1 MB at most)`,
      },
      'FILE',
    );
  }
  return fs.readFile(file, 'utf8');
}

/** `ecomgov calendar list` and `ecomgov calendar add-days`. */
export function registerCalendarCli(program: Command, cli: CliServices): void {
  const calendar = program
    .command('calendar')
    .description('the working calendar deadlines count on: holidays, days off and make-up working days, with sources');

  calendar
    .command('list')
    .description('the stored days, oldest first, with their basis (official/projected) and source')
    .option('--year <year>', 'only this year', parseIntegerOption('--year', 2000, 2100))
    .action(async (options: { year?: number }, command: Command) => {
      const days = await cli.withDatabase(command, (database) => listCalendarDays(database.db, { year: options.year }));
      printResult(
        cli.wantsJson(command),
        days.map((day) => ({ ...columnsOfDay(day), loaded_by: day.loadedBy, loaded_at: day.loadedAt.toISOString() })),
        () =>
          days.length === 0
            ? 'no days stored'
            : days
                .map(
                  (day) =>
                    `${formatCalendarDate(day.date)}  ${day.type.padEnd(11)}  ${day.basis.padEnd(9)}  ${day.name.vi} / ${day.name.en}\n    source: ${day.source}${day.note ? `\n    note: ${day.note}` : ''}\n    loaded by ${day.loadedBy} at ${day.loadedAt.toISOString()}`,
                )
                .join('\n'),
      );
    });

  calendar
    .command('add-days')
    .description(
      'load days (a year’s official days from the Government’s decision) from a CSV file with the columns date,type,name_vi,name_en,basis,source,note; all or nothing, idempotent; an official day replaces a projected one',
    )
    .argument('<file>', 'the CSV file')
    .option('--source <text>', 'the decision (number, date, issuer, address) for rows whose source cell is empty')
    .option('--replace-official', 'let a day of the file replace a different official day (sources disagree)')
    .action(async (file: string, options: { source?: string; replaceOfficial?: boolean }, command: Command) => {
      const text = await readCalendarFile(file);
      const result = await cli.withDatabase(command, (database) =>
        addCalendarDays(
          database,
          text,
          { fileName: file, source: options.source, replaceOfficial: options.replaceOfficial },
          cliContext(),
        ),
      );
      printResult(cli.wantsJson(command), result, () =>
        [
          `${result.added.length} added, ${result.replaced.length} replaced, ${result.unchanged.length} unchanged`,
          ...result.added.map((date) => `  added ${formatCalendarDate(date)}`),
          ...result.replaced.map((day) => `  replaced ${formatCalendarDate(day.date)} (${day.from} → ${day.to})`),
        ].join('\n'),
      );
    });
}

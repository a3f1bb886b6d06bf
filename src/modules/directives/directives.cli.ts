import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { type CliServices, parseIntegerOption, printResult, startProgress } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { createMailer } from '../../core/mail.ts';
import { resolveUnit } from '../units/index.ts';
import { BUCKETS } from './buckets.ts';
import type { ParsedDirective } from './directive.schemas.ts';
import { formatTrackerCsv, formatTrackerXlsx } from './directives.export.ts';
import { type ImportResult, importDirective, parseDirectiveText } from './directives.import.ts';
import { bucketLabel, describePeriod, describeUnplaced, periodKindLabel } from './directives.labels.ts';
import { parseReminderDays, sendDueReminders } from './directives.reminders.ts';
import { DIRECTIVE_KINDS, type DirectiveKind } from './subject.ts';
import {
  findDirectiveByNumber,
  findTaskBySeq,
  listDirectives,
  loadTrackedTasks,
  unitIdsCovering,
} from './tracker.service.ts';
import { linkDependentTask } from './tracker.writes.ts';

/** Reads a text file, naming the file in every error (exit 2: bad usage or invalid input). */
function readTextFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalidInput(
      code === 'ENOENT'
        ? { vi: `${file}: không có tệp này`, en: `${file}: no such file` }
        : { vi: `${file}: không đọc được tệp (${code ?? 'lỗi'})`, en: `${file}: cannot read it (${code ?? 'error'})` },
      'file',
    );
  }
}

/** Runs `use`, prefixing an AppError's message with the file it is about. */
async function aboutFile<T>(file: string, use: () => Promise<T> | T): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (error instanceof AppError && !error.message.startsWith(`${file}:`)) {
      throw new AppError(
        error.code,
        { vi: `${file}: ${error.text.vi}`, en: `${file}: ${error.message}` },
        {
          ...(error.field ? { field: error.field } : {}),
          issues: error.issues,
          cause: error,
        },
      );
    }
    throw error;
  }
}

function formatParsed(parsed: ParsedDirective): string {
  const tasks = parsed.assignments.reduce((sum, assignment) => sum + assignment.tasks.length, 0);
  const head = [parsed.number ?? '(no number)', parsed.issued_on ?? '(no date)', parsed.issuer ?? '(no issuer)'].join(
    ' · ',
  );
  const lines = [head, `${parsed.assignments.length} units, ${tasks} tasks`, ''];
  let seq = 0;
  for (const [index, assignment] of parsed.assignments.entries()) {
    // A unit that has ceased is tracked under its successor: say both ("[market_management; as written: general_market_management]").
    const resolved = resolveUnit(assignment.unit);
    const known = resolved
      ? ` [${resolved.unit.id}${resolved.asWritten ? `; as written: ${resolved.asWritten.id}` : ''}]`
      : ' [unit not recognised]';
    lines.push(
      `(${index + 1}) ${assignment.unit} — ${assignment.role === 'preside' ? 'presides' : 'implements'}${known}`,
    );
    if (assignment.cooperating?.length) lines.push(`    cooperating: ${assignment.cooperating.join(', ')}`);
    for (const task of assignment.tasks) {
      seq += 1;
      lines.push(`    ${seq}. ${task.text}`);
      lines.push(`       ${periodKindLabel(task.period.kind).en.toLowerCase()}: ${describePeriod(task.period)}`);
    }
    lines.push('');
  }
  if (parsed.unplaced.length) {
    lines.push('To check (not placed in a task, unit not recognised, period not understood):');
    for (const unplaced of parsed.unplaced) lines.push(`  - ${describeUnplaced(unplaced)}`);
  }
  return lines.join('\n').trimEnd();
}

function formatImported(file: string, result: ImportResult): string {
  return (
    `${file}: ${result.number} ${result.outcome} — ${result.units} units, ${result.tasks} tasks` +
    (result.outcome === 'updated'
      ? ` (${result.tasks_added} added, ${result.tasks_updated} changed, ${result.tasks_removed} removed)`
      : '') +
    (result.linked ? `; ${result.linked} dependent task(s) linked` : '') +
    (result.unplaced.length ? `\n${result.unplaced.length} passage(s) not placed under a unit or task` : '')
  );
}

type FileImport = { file: string; result: ImportResult; error?: undefined } | { file: string; error: AppError };

/**
 * Imports each file in its own transaction, in the order given, and goes on past a file that fails: the files
 * are independent dispatches and each import is idempotent, so the good ones are stored and the same command can
 * be run again once the bad ones are fixed. An error that is not about a file (the database gone, a bug) stops
 * the run. Progress counts files; its percentage and time left go by bytes.
 */
async function importFiles(
  database: Database,
  files: readonly string[],
  options: { title?: string | undefined; kind?: DirectiveKind | undefined },
  json: boolean,
): Promise<FileImport[]> {
  const sizes = files.map((file) => {
    try {
      return fs.statSync(file).size;
    } catch {
      return 0; // reported by name when it is read
    }
  });
  const progress = startProgress({
    label: 'directive import',
    unit: 'files',
    totalBytes: sizes.reduce((sum, size) => sum + size, 0),
    // One file has no progress to show: its output stays what it was.
    json: json || files.length < 2,
  });
  const outcomes: FileImport[] = [];
  let bytes = 0;
  for (const [index, file] of files.entries()) {
    try {
      const result = await aboutFile(file, () =>
        importDirective(database, { text: readTextFile(file), title: options.title, kind: options.kind }, cliContext()),
      );
      outcomes.push({ file, result });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push({ file, error });
    }
    bytes += sizes[index] ?? 0;
    progress.update({ rows: index + 1, bytes });
  }
  await progress.finish();
  return outcomes;
}

/** The files that were not imported, as one error: exit 2 when each is invalid input, else 1. */
function failedImports(failures: ReadonlyArray<{ file: string; error: AppError }>, total: number): AppError {
  const code = failures.find((failure) => failure.error.code !== 'invalid_input')?.error.code ?? 'invalid_input';
  const list = (language: 'vi' | 'en') =>
    failures.map((failure) => `\n  ${language === 'en' ? failure.error.message : failure.error.text.vi}`).join('');
  return new AppError(code, {
    vi: `${failures.length}/${total} tệp không nhập được:${list('vi')}`,
    en: `${failures.length} of ${total} files were not imported:${list('en')}`,
  });
}

export function registerDirectiveCli(program: Command, cli: CliServices): void {
  const directive = program
    .command('directive')
    .description('directives: a dispatch or telegram text → units, tasks and periods; the tracker');

  directive
    .command('parse')
    .description(
      'print the Directive JSON (--json) or a readable outline of a dispatch or telegram text; exit 2 when something is unplaced (--lenient: 0)',
    )
    .argument('<file>', 'text file (UTF-8), English or Vietnamese')
    .option('--lenient', 'exit 0 even when something is listed in `unplaced`')
    .action(async (file: string, options: { lenient?: boolean }, command: Command) => {
      const parsed = await aboutFile(file, () => parseDirectiveText(readTextFile(file)));
      printResult(cli.wantsJson(command), parsed, () => formatParsed(parsed));
      // The answer is printed either way; exit 2 says that an officer has to look at it before it is stored.
      if (parsed.unplaced.length > 0 && !options.lenient) process.exitCode = 2;
    });

  directive
    .command('import')
    .description(
      'store directives, a file each (importing the same number again updates it in place, never duplicates tasks); ' +
        'a file that fails is named and the others are still imported (exit 2 after them)',
    )
    .argument('<files...>', 'text files (UTF-8), English or Vietnamese: a folder of dispatches is `folder/*.txt`')
    .option('--title <subject>', 'the subject, when the text states none (one file only)')
    .addOption(new Option('--kind <kind>', 'the kind, when the number does not tell').choices([...DIRECTIVE_KINDS]))
    .action(async (files: string[], options: { title?: string; kind?: DirectiveKind }, command: Command) => {
      if (options.title !== undefined && files.length > 1) {
        throw invalidInput(
          {
            vi: '--title chỉ dùng khi nhập một tệp: mỗi văn bản có trích yếu riêng.',
            en: '--title goes with one file only: each directive has its own subject',
          },
          'title',
        );
      }
      const json = cli.wantsJson(command);
      const outcomes = await cli.withDatabase(command, (database) => importFiles(database, files, options, json));
      const failures = outcomes.filter((outcome) => outcome.error !== undefined);
      // One file: the answer and the error exactly as before several files were taken (DESIGN.md).
      const [single] = outcomes;
      if (outcomes.length === 1 && single) {
        if (single.error) throw single.error;
        printResult(json, { file: single.file, ...single.result }, () => formatImported(single.file, single.result));
        return;
      }
      printResult(
        json,
        outcomes.map((outcome) =>
          outcome.error
            ? { file: outcome.file, error: { code: outcome.error.code, message: outcome.error.message } }
            : { file: outcome.file, ...outcome.result },
        ),
        () =>
          outcomes
            .flatMap((outcome) => (outcome.error ? [] : [formatImported(outcome.file, outcome.result)]))
            .join('\n'),
      );
      if (failures.length > 0) throw failedImports(failures, outcomes.length);
    });

  directive
    .command('list')
    .description('the stored directives with the four buckets of their tasks')
    .action(async (_options, command: Command) => {
      const today = todayInVietnam();
      const directives = await cli.withDatabase(command, (database) => listDirectives(database.db, today));
      printResult(cli.wantsJson(command), { today, directives }, () => {
        if (directives.length === 0) return 'no directive stored';
        const header = `number\tissued\ttasks\t${BUCKETS.map((bucket) => bucketLabel(bucket).en).join('\t')}\ttitle`;
        return [
          header,
          ...directives.map((item) =>
            [
              item.number,
              item.issued_on ?? '',
              item.task_count,
              ...BUCKETS.map((bucket) => item.counts[bucket]),
              `${item.title}${item.is_demo ? ' (demo)' : ''}`,
            ].join('\t'),
          ),
        ].join('\n');
      });
    });

  directive
    .command('export')
    .description('the tracker, one row per task, as CSV (to stdout or --out) or XLSX (--out)')
    .addOption(new Option('--format <format>', 'csv or xlsx').choices(['csv', 'xlsx']).default('csv'))
    .option('--out <file>', 'write to this file')
    .option('--unit <id>', 'only the tasks of this unit (e.g. idea, legal)')
    .option('--directive <number>', 'only the tasks of this directive (e.g. 8598/BCT-TMĐT)')
    .action(
      async (
        options: { format: 'csv' | 'xlsx'; out?: string; unit?: string; directive?: string },
        command: Command,
      ) => {
        if (options.format === 'xlsx' && !options.out) {
          throw invalidInput(
            {
              vi: '--format xlsx cần --out TỆP (bảng tính không được ghi ra màn hình)',
              en: '--out FILE is needed for --format xlsx (a workbook is not written to a terminal)',
            },
            'out',
          );
        }
        const today = todayInVietnam();
        const tasks = await cli.withDatabase(command, async (database) => {
          const unitIds = options.unit ? (await unitIdsCovering(database.db, options.unit)).ids : undefined;
          let directiveIds: string[] | undefined;
          if (options.directive) {
            const found = await findDirectiveByNumber(database.db, options.directive);
            if (!found) {
              throw invalidInput(
                {
                  vi: `--directive: chưa lưu văn bản ${options.directive}`,
                  en: `--directive: no directive ${options.directive} is stored`,
                },
                'directive',
              );
            }
            directiveIds = [found.id];
          }
          return loadTrackedTasks(
            database.db,
            { ...(unitIds ? { unitIds } : {}), ...(directiveIds ? { directiveIds } : {}) },
            today,
          );
        });
        const content = options.format === 'xlsx' ? await formatTrackerXlsx(tasks, today) : formatTrackerCsv(tasks);
        if (!options.out) {
          process.stdout.write(content);
          return;
        }
        fs.writeFileSync(options.out, content);
        if (cli.wantsJson(command))
          printResult(true, { file: options.out, format: options.format, rows: tasks.length }, () => '');
        else process.stderr.write(`${options.out}: ${tasks.length} tasks\n`);
      },
    );

  directive
    .command('link')
    .description('make a dependent task ("as per the progress assigned in the telegram") follow another directive')
    .argument('<number>', 'the directive of the task (e.g. 8598/BCT-TMĐT)')
    .argument('<task>', 'the task by its order in that directive (1, 2, …)', parseIntegerOption('<task>', 1, 10_000))
    .option('--to <number>', 'the directive it follows (e.g. 105/CĐ-TTg)')
    .option('--to-task <n>', 'one task of that directive, by its order', parseIntegerOption('--to-task', 1, 10_000))
    .option('--unlink', 'remove the link')
    .action(
      async (
        number: string,
        seq: number,
        options: { to?: string; toTask?: number; unlink?: boolean },
        command: Command,
      ) => {
        if (!options.to && !options.unlink) {
          throw invalidInput({ vi: 'hãy cho --to SỐ, hoặc --unlink', en: 'give --to NUMBER, or --unlink' }, 'to');
        }
        const task = await cli.withDatabase(command, async (database) => {
          const taskId = await findTaskBySeq(database.db, number, seq);
          return linkDependentTask(
            database,
            taskId,
            options.unlink ? null : { directive: options.to as string, taskSeq: options.toTask },
            cliContext(),
          );
        });
        printResult(
          cli.wantsJson(command),
          task,
          () =>
            `${task.directive.number} task ${task.seq}: ${task.depends_on ? `follows ${task.depends_on.number}` : 'not linked'}; due ${task.due ?? '—'} (${task.bucket})`,
        );
      },
    );

  directive
    .command('remind')
    .description('e-mail the units whose tasks are due soon or overdue (what the daily job does), each reminder once')
    .option('--days <list>', 'days before a deadline to remind (env DIRECTIVE_REMINDER_DAYS, default 7,1)')
    .option('--today <date>', 'take this day (YYYY-MM-DD) as today, to catch up')
    .option('--dry-run', 'list what would be sent; send and record nothing')
    .action(async (options: { days?: string; today?: string; dryRun?: boolean }, command: Command) => {
      const env = readEnvironment();
      const daysBefore = options.days
        ? parseReminderDays(options.days, '--days')
        : parseReminderDays(process.env.DIRECTIVE_REMINDER_DAYS);
      if (options.today && !isCalendarDate(options.today)) {
        throw invalidInput(
          {
            vi: `--today: cần một ngày có thật dạng YYYY-MM-DD, nhận được "${options.today}"`,
            en: `--today: expected a day YYYY-MM-DD that exists, got "${options.today}"`,
          },
          'today',
        );
      }
      const mailer = createMailer(env);
      try {
        const run = await cli.withDatabase(command, (database) =>
          sendDueReminders(database, mailer, {
            daysBefore,
            today: options.today,
            portalUrl: env.PORTAL_URL,
            dryRun: options.dryRun,
          }),
        );
        printResult(cli.wantsJson(command), run, () =>
          [
            `${run.today}: ${run.mails.length} e-mail(s)${options.dryRun ? ' would be sent' : ' sent'}, ${run.mails.reduce((sum, mail) => sum + mail.items.length, 0)} reminder(s)`,
            ...run.mails.map(
              (mail) =>
                `  ${mail.unit_id} → ${mail.recipients.join(', ')}: ${mail.items.map((item) => `${item.directive}#${item.seq} ${item.kind}`).join('; ')}`,
            ),
            ...(run.units_without_recipients.length
              ? [`  no officer to remind in: ${run.units_without_recipients.join(', ')}`]
              : []),
            ...run.failed.map((failure) => `  FAILED ${failure.unit_id}: ${failure.error}`),
          ].join('\n'),
        );
        if (run.failed.length > 0) process.exitCode = 1;
      } finally {
        mailer.close();
      }
    });
}

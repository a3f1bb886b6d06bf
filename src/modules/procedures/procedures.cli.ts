import type { Command } from 'commander';
import { type CliServices, parseIntegerOption, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { type LegalProcedure, listProcedures, setProcedure } from './procedures.service.ts';
import type { SourceStatus } from './procedures.table.ts';
import { parseSourceStatusOption, SOURCE_STATUSES } from './source-status.ts';

function describe(procedure: LegalProcedure): string {
  const period = procedure.workingDays === null ? 'no period in working days' : `${procedure.workingDays} working days`;
  const until = procedure.effectiveTo ? formatCalendarDate(procedure.effectiveTo) : '…';
  return [
    `${procedure.code}  ${period}  [${procedure.sourceStatus}]  ${formatCalendarDate(procedure.effectiveFrom)} → ${until}`,
    `    ${procedure.name.vi} / ${procedure.name.en}`,
    `    provision: ${procedure.provision}`,
    `    clock from: ${procedure.clockFrom.en}`,
    `    decided by: ${procedure.decidingUnitId}; source: ${procedure.sourceUrl || '—'}`,
    procedure.note ? `    note: ${procedure.note}` : '',
    `    last changed by ${procedure.updatedBy} at ${procedure.updatedAt.toISOString()}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** `ecomgov procedures list` and `ecomgov procedures set CODE …`. */
export function registerProceduresCli(program: Command, cli: CliServices): void {
  const procedures = program
    .command('procedures')
    .description(
      "the register's procedures as data: provision, period in working days, what it counts from, who decides",
    );

  procedures
    .command('list')
    .description('every procedure row, with its source and whether the source was verified')
    .action(async (_options: unknown, command: Command) => {
      const rows = await cli.withDatabase(command, (database) => listProcedures(database.db));
      printResult(cli.wantsJson(command), rows, () => rows.map(describe).join('\n'));
    });

  procedures
    .command('set')
    .description('change the row of a procedure in force today (audited); the next deadlines count with it')
    .argument('<code>', 'the procedure code (see `procedures list`)')
    .option('--working-days <n>', 'the period in working days', parseIntegerOption('--working-days', 1, 365))
    .option('--no-period', 'the law sets no period in working days')
    .option('--provision <text>', 'the provision (document, article, clause)')
    .option('--source-url <url>', 'where the provision was read')
    .option(
      '--status <status>',
      `whether the source was verified: ${SOURCE_STATUSES.join(', ')}`,
      parseSourceStatusOption,
    )
    .option('--note <text>', 'what was read where, what disagrees')
    .option('--unit <id>', 'the unit that decides (an id of the units catalogue, e.g. idea)')
    .action(
      async (
        code: string,
        options: {
          workingDays?: number;
          period?: boolean;
          provision?: string;
          sourceUrl?: string;
          status?: SourceStatus;
          note?: string;
          unit?: string;
        },
        command: Command,
      ) => {
        const workingDays = options.period === false ? null : options.workingDays;
        const row = await cli.withDatabase(command, (database) =>
          setProcedure(database, cliContext(), code, {
            workingDays,
            provision: options.provision,
            sourceUrl: options.sourceUrl,
            sourceStatus: options.status,
            note: options.note,
            decidingUnitId: options.unit,
          }),
        );
        printResult(cli.wantsJson(command), row, () => describe(row));
      },
    );
}

import type { Command } from 'commander';
import { type CliServices, parseIntegerOption, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { parseSourceStatusOption, type SourceStatus } from '../procedures/index.ts';
import {
  listCases,
  listOverdueSteps,
  listSanctionRules,
  listStepRules,
  setSanctionRule,
  setStepRule,
} from './cases.service.ts';

/** `ecomgov cases list|overdue|rules`: the cases, the steps past their due day, and the law they follow. */
export function registerCasesCli(program: Command, cli: CliServices): void {
  const cases = program
    .command('cases')
    .description('inspection cases, their steps and clocks, and the sanctions catalogue');

  cases
    .command('list')
    .description('the cases, newest first, with their current step and its due day')
    .option('--open', 'only open cases')
    .action(async (options: { open?: boolean }, command: Command) => {
      const list = await cli.withDatabase(command, (database) =>
        listCases(database.db, { status: options.open ? 'open' : undefined }),
      );
      printResult(cli.wantsJson(command), { cases: list }, () =>
        list
          .map(
            (item) =>
              `${item.reference.padEnd(14)} ${item.status.padEnd(7)} ${item.current_label.en.padEnd(40)} ${item.due_on ? `due ${formatCalendarDate(item.due_on)}${item.deadline === 'overdue' ? ' OVERDUE' : ''}` : ''}  ${item.title}`,
          )
          .join('\n'),
      );
    });

  cases
    .command('overdue')
    .description('steps of open cases past their due day, oldest first')
    .action(async (_options: unknown, command: Command) => {
      const list = await cli.withDatabase(command, (database) => listOverdueSteps(database.db));
      printResult(cli.wantsJson(command), { overdue: list }, () =>
        list
          .map(
            (item) =>
              `${item.reference.padEnd(14)} ${item.step.padEnd(12)} due ${formatCalendarDate(item.due_on ?? '')}  ${item.title}`,
          )
          .join('\n'),
      );
    });

  cases
    .command('rules')
    .description('the steps of the inspection procedure with their clocks, and the fines of the sanctions catalogue')
    .action(async (_options: unknown, command: Command) => {
      const rules = await cli.withDatabase(command, async (database) => ({
        steps: await listStepRules(database.db),
        sanctions: await listSanctionRules(database.db),
      }));
      printResult(cli.wantsJson(command), rules, () =>
        [
          ...rules.steps.map(
            (step) =>
              `${step.step.padEnd(12)} ${step.working_days ? `${step.working_days}${step.extended_working_days ? `(→${step.extended_working_days})` : ''} working days from ${step.counts_from}` : 'no period'}  [${step.source_status}] ${step.provision}`,
          ),
          '',
          ...rules.sanctions.map(
            (rule) =>
              `${rule.code.padEnd(24)} ${rule.individual.min_vnd}–${rule.individual.max_vnd} VND (organisation ${rule.organisation.min_vnd}–${rule.organisation.max_vnd})  [${rule.source_status}] ${rule.provision}; remedial: ${rule.remedial.en || 'not read'}`,
          ),
        ].join('\n'),
      );
    });

  const periodOption = (value: string) =>
    value === 'none' ? null : parseIntegerOption('--working-days', 1, 365)(value);
  const common = {
    provision: '--provision <text>',
    sourceUrl: '--source-url <url>',
    status: '--status <status>',
    note: '--note <text>',
    effectiveTo: '--effective-to <day>',
  };
  interface CommonOptions {
    provision?: string;
    sourceUrl?: string;
    status?: SourceStatus;
    note?: string;
    effectiveTo?: string;
  }
  const ruleChange = (options: CommonOptions) => ({
    provision: options.provision,
    source_url: options.sourceUrl,
    source_status: options.status,
    note: options.note,
    effective_to:
      options.effectiveTo === undefined ? undefined : options.effectiveTo === 'none' ? null : options.effectiveTo,
  });

  cases
    .command('set-step')
    .description('correct a step of the inspection procedure: its period, its source and how sure it is (audited)')
    .argument('<step>', 'the step (ecomgov cases rules lists them)')
    .option('--working-days <n>', 'the period in working days ("none": no period)', periodOption)
    .option('--extended-working-days <n>', 'the extended period ("none": no extension)', periodOption)
    .option(common.provision, 'the provision')
    .option(common.sourceUrl, 'where the text was read')
    .option(common.status, 'verified, unverified or disputed', parseSourceStatusOption)
    .option(common.note, 'what the source says, or how sources disagree')
    .option(common.effectiveTo, 'YYYY-MM-DD: the last day in force ("none": open-ended)')
    .action(
      async (
        step: string,
        options: CommonOptions & { workingDays?: number | null; extendedWorkingDays?: number | null },
        command: Command,
      ) => {
        const saved = await cli.withDatabase(command, (database) =>
          setStepRule(database, cliContext(), step, {
            ...ruleChange(options),
            working_days: options.workingDays,
            extended_working_days: options.extendedWorkingDays,
          }),
        );
        printResult(cli.wantsJson(command), saved, () => `${saved.step}: saved`);
      },
    );

  cases
    .command('set-fine')
    .description(
      'correct a fine of the sanctions catalogue: its range per individual, its remedial measures, its source (audited)',
    )
    .argument('<code>', 'the violation code (ecomgov cases rules lists them)')
    .option('--min <vnd>', 'the individual minimum in VND', parseIntegerOption('--min', 0, 10_000_000_000))
    .option('--max <vnd>', 'the individual maximum in VND', parseIntegerOption('--max', 0, 10_000_000_000))
    .option(common.provision, 'the provision')
    .option(common.sourceUrl, 'where the text was read')
    .option(common.status, 'verified, unverified or disputed', parseSourceStatusOption)
    .option(common.note, 'what the source says, or how sources disagree')
    .option(common.effectiveTo, 'YYYY-MM-DD: the last day in force ("none": open-ended)')
    .option('--remedial-vi <text>', 'the remedial measures the provision sets, in Vietnamese as written')
    .option('--remedial-en <text>', 'the same in English')
    .action(
      async (
        code: string,
        options: CommonOptions & { min?: number; max?: number; remedialVi?: string; remedialEn?: string },
        command: Command,
      ) => {
        const saved = await cli.withDatabase(command, (database) =>
          setSanctionRule(database, cliContext(), code, {
            ...ruleChange(options),
            individual_min_vnd: options.min,
            individual_max_vnd: options.max,
            remedial_vi: options.remedialVi,
            remedial_en: options.remedialEn,
          }),
        );
        printResult(cli.wantsJson(command), saved, () => `${saved.code}: saved`);
      },
    );
}

import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type CliServices, parseIntegerOption, printResult } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { createMailer } from '../../core/mail.ts';
import { deliverDueMail } from '../../core/mail-outbox.ts';
import { evidenceDirOf } from '../evidence/index.ts';
import { parseSourceStatusOption, type SourceStatus } from '../procedures/index.ts';
import { exportCase } from './cases.export.ts';
import { remindOverdueSteps } from './cases.reminders.ts';
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
    .command('export')
    .description(
      'write a case bundle (zip: PDF and HTML summary, evidence packages, audit trail CSV and JSON, SHA256SUMS)',
    )
    .argument('<id>', 'the case id')
    .requiredOption('--out <file>', 'the zip file to write')
    .action(async (id: string, options: { out: string }, command: Command) => {
      const evidenceDir = evidenceDirOf(command);
      const bundle = await cli.withDatabase(command, (database) =>
        exportCase(database, cliContext(), id, {
          evidenceDir,
          destination: path.resolve(options.out),
          deliver: (built) => fs.writeFileSync(options.out, built.zip),
        }),
      );
      // A bundle without its PDF is still whole (the HTML summary is in it), but the reader is told, every time.
      if (!bundle.pdf.made) process.stderr.write(`warning: the PDF summary was not made: ${bundle.pdf.reason}\n`);
      printResult(
        cli.wantsJson(command),
        {
          id: bundle.case.id,
          reference: bundle.case.reference,
          file: options.out,
          bytes: bundle.zip.length,
          sha256: bundle.sha256,
          pdf: bundle.pdf,
          evidence: bundle.evidence,
          files: bundle.files,
        },
        () =>
          [
            `${options.out}: case ${bundle.case.reference}, ${bundle.zip.length} bytes, sha256 ${bundle.sha256}`,
            ...bundle.files.map((file) => `  ${file.name} (${file.bytes} bytes)`),
            bundle.pdf.made ? '  PDF summary: made' : `  PDF summary: NOT MADE (${bundle.pdf.reason})`,
            '  check: unzip the bundle, then sha256sum -c SHA256SUMS',
          ].join('\n'),
      );
    });

  cases
    .command('remind-overdue')
    .description(
      "e-mail the officers of each case's unit about its overdue steps (what the nightly job does), once a step",
    )
    .option('--dry-run', 'show what would be sent; queue and record nothing')
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const env = readEnvironment();
      const run = await cli.withDatabase(command, async (database) => {
        const result = await remindOverdueSteps(database, { portalUrl: env.PORTAL_URL, dryRun: options.dryRun });
        // With SMTP_URL the outbox is sent now; without it the messages wait for the server's mail job, rather than
        // being marked sent by a mailer that only logs them.
        const delivery =
          env.SMTP_URL && !options.dryRun && result.mails.length > 0
            ? await withMailer(env, (mailer) => deliverDueMail(database.db, mailer, { warn: () => {} }))
            : null;
        return { ...result, delivery };
      });
      printResult(cli.wantsJson(command), run, () =>
        [
          `${formatCalendarDate(run.today)}: ${run.mails.length} e-mail(s) ${options.dryRun ? 'would be queued' : 'queued'}${run.delivery ? `, ${run.delivery.sent} sent now, ${run.delivery.failed} left for a retry` : ''}`,
          ...run.mails.map(
            (mail) =>
              `  ${mail.reference.padEnd(14)} ${mail.step.padEnd(12)} due ${formatCalendarDate(mail.due_on)} → ${mail.recipients.join(', ')}`,
          ),
          ...run.without_recipients.map(
            (item) =>
              `  ${item.reference.padEnd(14)} ${item.step.padEnd(12)} due ${formatCalendarDate(item.due_on)}: no officer to write to in unit ${item.unit_id ?? '(none)'}`,
          ),
        ].join('\n'),
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

async function withMailer<T>(
  env: { SMTP_URL?: string | undefined; MAIL_FROM?: string | undefined },
  use: (mailer: ReturnType<typeof createMailer>) => Promise<T>,
): Promise<T> {
  const mailer = createMailer(env);
  try {
    return await use(mailer);
  } finally {
    mailer.close();
  }
}

import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import { listAllCancellationGrounds, listCancellationGrounds, saveCancellationGround } from './registration.service.ts';

/** `ecomgov grounds`: the grounds of cancellation (Circular 47/2014/TT-BCT Art. 18) as data an administrator keeps. */
export function registerDecisionsCli(program: Command, cli: CliServices): void {
  const grounds = program
    .command('grounds')
    .description('grounds for cancelling a notification or registration (Circular 47/2014/TT-BCT Art. 18)');

  grounds
    .command('list')
    .description('the grounds in force today (--all: every ground, whatever its dates)')
    .option('--all', 'include grounds not in force today')
    .action(async (options: { all?: boolean }, command: Command) => {
      const rows = await cli.withDatabase(command, (database) =>
        options.all
          ? listAllCancellationGrounds(database.db)
          : listCancellationGrounds(database.db, todayInVietnam(new Date())),
      );
      printResult(cli.wantsJson(command), { grounds: rows }, () =>
        rows
          .map(
            (ground) =>
              `${ground.code}  [${ground.source_status}]  ${ground.provision}  ${ground.valid_from} → ${ground.valid_until ?? '…'}\n  ${ground.text.vi}\n  ${ground.text.en}${ground.source_url ? `\n  ${ground.source_url}` : ''}`,
          )
          .join('\n'),
      );
    });

  grounds
    .command('set')
    .description(
      'add a ground, or change one: its wording, provision, dates, source, and whether it was verified against the official text',
    )
    .argument('<code>', 'the ground’s code (lower-case letters, digits, _)')
    .option('--provision <text>', 'the provision, e.g. "Thông tư 47/2014/TT-BCT, Điều 18, khoản 1, điểm a"')
    .option('--text-vi <text>', 'the ground as the provision words it')
    .option('--text-en <text>', 'the ground in English')
    .option('--valid-from <day>', 'YYYY-MM-DD: the day it took effect')
    .option('--valid-until <day>', 'YYYY-MM-DD: its last day in force ("none": open-ended)')
    .option('--verified', 'checked against the official text')
    .option('--unverified', 'not checked against the official text')
    .option('--source-url <url>', 'where the text was read')
    .option('--source-note <text>', 'what the source is, or how the sources disagree')
    .action(
      async (
        code: string,
        options: {
          provision?: string;
          textVi?: string;
          textEn?: string;
          validFrom?: string;
          validUntil?: string;
          verified?: boolean;
          unverified?: boolean;
          sourceUrl?: string;
          sourceNote?: string;
        },
        command: Command,
      ) => {
        const saved = await cli.withDatabase(command, (database) =>
          saveCancellationGround(database.db, cliContext(), code, {
            provision: options.provision,
            textVi: options.textVi,
            textEn: options.textEn,
            validFrom: options.validFrom,
            validUntil: options.validUntil === 'none' ? null : options.validUntil,
            sourceStatus: options.verified ? 'verified' : options.unverified ? 'unverified' : undefined,
            sourceUrl: options.sourceUrl,
            sourceNote: options.sourceNote,
          }),
        );
        printResult(cli.wantsJson(command), saved, () => `${saved.code} [${saved.source_status}] saved`);
      },
    );
}

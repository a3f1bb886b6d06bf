import type { Command } from 'commander';
import { type CliServices, parseChoiceOption, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { parseSourceStatusOption, SOURCE_STATUSES, type SourceStatus } from '../procedures/index.ts';
import {
  GROUND_KINDS,
  type GroundKind,
  type LegalGround,
  listAllGrounds,
  listGroundsInForce,
  saveGround,
} from './legal-grounds.ts';

const parseKindOption = parseChoiceOption('--kind', GROUND_KINDS);

function groundText(kind: GroundKind, ground: LegalGround): string {
  return [
    `${kind}/${ground.code}  [${ground.source_status}]  ${ground.provision}  ${ground.effective_from} → ${ground.effective_to ?? '…'}`,
    `  ${ground.label.vi}`,
    `  ${ground.label.en}`,
    `  ${ground.source_url}`,
    ground.note ? `  note: ${ground.note}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * `ecomgov grounds`: the legal grounds decisions cite — cancellation (Circular 47/2014/TT-BCT Art. 18), refusal of an
 * application, and what makes a foreign platform subject to Vietnamese rules (Decree 52/2013 Art. 67a) — as data an
 * administrator keeps.
 */
export function registerDecisionsCli(program: Command, cli: CliServices): void {
  const grounds = program
    .command('grounds')
    .description(
      'legal grounds decisions cite: cancellation (Circular 47/2014/TT-BCT Art. 18), refusal, foreign platform (Decree 52/2013 Art. 67a)',
    );

  grounds
    .command('list')
    .description('the grounds in force today, of every kind or of one (--all: whatever their dates)')
    .option('--kind <kind>', `one kind: ${GROUND_KINDS.join(', ')}`, parseKindOption)
    .option('--all', 'include grounds not in force today')
    .action(async (options: { kind?: GroundKind; all?: boolean }, command: Command) => {
      const kinds = options.kind ? [options.kind] : GROUND_KINDS;
      const listed = await cli.withDatabase(command, async (database) => {
        const result: Partial<Record<GroundKind, LegalGround[]>> = {};
        for (const kind of kinds) {
          result[kind] = options.all
            ? await listAllGrounds(database.db, kind)
            : await listGroundsInForce(database.db, kind);
        }
        return result;
      });
      printResult(cli.wantsJson(command), { grounds: listed }, () =>
        kinds.flatMap((kind) => (listed[kind] ?? []).map((ground) => groundText(kind, ground))).join('\n'),
      );
    });

  grounds
    .command('set')
    .description(
      'add a ground, or change one: its wording, provision, dates, source, and whether the source was verified against the official text',
    )
    .argument('<code>', 'the ground’s code (lower-case letters, digits, _)')
    .requiredOption('--kind <kind>', `the kind of ground: ${GROUND_KINDS.join(', ')}`, parseKindOption)
    .option('--provision <text>', 'the provision, e.g. "Thông tư 47/2014/TT-BCT, Điều 18, khoản 1, điểm a"')
    .option('--label-vi <text>', 'the ground as the provision words it')
    .option('--label-en <text>', 'the ground in English')
    .option('--effective-from <day>', 'YYYY-MM-DD: the day it took effect')
    .option('--effective-to <day>', 'YYYY-MM-DD: its last day in force ("none": open-ended)')
    .option('--status <status>', `how sure the source is: ${SOURCE_STATUSES.join(', ')}`, parseSourceStatusOption)
    .option('--source-url <url>', 'where the text was read')
    .option('--note <text>', 'what the source is, or how the sources disagree')
    .action(
      async (
        code: string,
        options: {
          kind: GroundKind;
          provision?: string;
          labelVi?: string;
          labelEn?: string;
          effectiveFrom?: string;
          effectiveTo?: string;
          status?: SourceStatus;
          sourceUrl?: string;
          note?: string;
        },
        command: Command,
      ) => {
        const saved = await cli.withDatabase(command, (database) =>
          saveGround(database.db, cliContext(), options.kind, code, {
            provision: options.provision,
            labelVi: options.labelVi,
            labelEn: options.labelEn,
            effectiveFrom: options.effectiveFrom,
            effectiveTo: options.effectiveTo === 'none' ? null : options.effectiveTo,
            sourceStatus: options.status,
            sourceUrl: options.sourceUrl,
            note: options.note,
          }),
        );
        printResult(
          cli.wantsJson(command),
          saved,
          () => `${options.kind}/${saved.code} [${saved.source_status}] saved`,
        );
      },
    );
}

import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { parseSourceStatusOption, SOURCE_STATUSES, type SourceStatus } from '../procedures/index.ts';
import type { CheckAnswer } from './promotions.schemas.ts';
import {
  checkPromotionProgramme,
  listPromotionRules,
  type PromotionRuleView,
  setPromotionRule,
} from './promotions.service.ts';

/** A programme file as JSON; a syntax error names the file and, where Node says it, the line. */
function readProgrammeFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw invalidInput(
      { vi: `${file}: không đọc được tệp (${code})`, en: `${file}: cannot read the file (${code})` },
      'file',
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = (error as Error).message;
    throw invalidInput(
      { vi: `${file}: JSON không hợp lệ (${reason})`, en: `${file}: not valid JSON (${reason})` },
      'file',
    );
  }
}

function describeAnswer(answer: CheckAnswer): string {
  if (answer.compliant) return 'compliant: no violation found';
  return [
    `NOT compliant: ${answer.violations.length} violation(s)`,
    ...answer.violations.map(
      (violation) =>
        `- [${violation.rule}] ${violation.message.en}${violation.goods.length ? ` (goods: ${violation.goods.join(', ')})` : ''}\n    ${violation.citation}`,
    ),
  ].join('\n');
}

function describeRule(rule: PromotionRuleView): string {
  return [
    `${rule.code}  ${rule.effective_from} → ${rule.effective_to ?? '…'}  [${rule.source_status}]  ${JSON.stringify(rule.params)}`,
    `    ${rule.label.vi} / ${rule.label.en}`,
    `    citation: ${rule.citation}`,
    `    source: ${rule.source_url || '—'}`,
    rule.note ? `    note: ${rule.note}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/** `ecomgov promotions check FILE.json`, `promotions rules list`, `promotions rules set CODE …`. */
export function registerPromotionsCli(program: Command, cli: CliServices): void {
  const promotions = program
    .command('promotions')
    .description(
      'promotion programmes checked against the promotion rules (Law on Commerce, Decree 81/2018 as amended)',
    );

  promotions
    .command('check')
    .description('check a promotion programme (JSON) against the rules in force on its first day')
    .argument('<file>', 'the programme as JSON (see README)')
    .action(async (file: string, _options: unknown, command: Command) => {
      const input = readProgrammeFile(file);
      const answer = await cli.withDatabase(command, async (database) => {
        try {
          return await checkPromotionProgramme(database.db, input);
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_input') {
            throw new AppError(
              'invalid_input',
              { vi: `${file}: ${error.text.vi}`, en: `${file}: ${error.text.en}` },
              { field: error.field, issues: error.issues },
            );
          }
          throw error;
        }
      });
      printResult(cli.wantsJson(command), answer, () => describeAnswer(answer));
      // A violation is an answer, not a failure: exit 0 either way (the JSON says `compliant`).
    });

  const rules = promotions
    .command('rules')
    .description('the promotion rules as data: parameters, citation, dates, source status');
  rules
    .command('list')
    .description('every rule row with its source and whether the source was verified')
    .action(async (_options: unknown, command: Command) => {
      const rows = await cli.withDatabase(command, (database) => listPromotionRules(database.db));
      printResult(cli.wantsJson(command), rows, () => rows.map(describeRule).join('\n'));
    });
  rules
    .command('set')
    .description('correct the row in force today, or add an amendment from --from (audited)')
    .argument('<code>', 'the rule code (see `promotions rules list`)')
    .option('--params <json>', "the rule's parameters as JSON")
    .option('--citation <text>', 'the provision')
    .option('--source-url <url>', 'where the provision was read')
    .option(
      '--status <status>',
      `whether the source was verified: ${SOURCE_STATUSES.join(', ')}`,
      parseSourceStatusOption,
    )
    .option('--note <text>', 'what was read where, what disagrees')
    .option('--label-vi <text>', 'the rule name in Vietnamese')
    .option('--label-en <text>', 'the rule name in English')
    .option('--from <day>', 'an amendment: a new row from this day (YYYY-MM-DD); the previous row ends the day before')
    .option('--until <day>', 'the last day the row is in force (YYYY-MM-DD)')
    .action(
      async (
        code: string,
        options: {
          params?: string;
          citation?: string;
          sourceUrl?: string;
          status?: SourceStatus;
          note?: string;
          labelVi?: string;
          labelEn?: string;
          from?: string;
          until?: string;
        },
        command: Command,
      ) => {
        const row = await cli.withDatabase(command, (database) =>
          setPromotionRule(database, cliContext(), code, {
            params: options.params,
            citation: options.citation,
            sourceUrl: options.sourceUrl,
            sourceStatus: options.status,
            note: options.note,
            labelVi: options.labelVi,
            labelEn: options.labelEn,
            effectiveFrom: options.from,
            effectiveTo: options.until,
          }),
        );
        printResult(cli.wantsJson(command), row, () => describeRule(row));
      },
    );
}

import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { AppError } from '../../core/errors.ts';
import { loadAdvisoryLookup } from '../advisories/index.ts';
import { CheckIndex } from './check.index.ts';
import { checkRegistration, VERDICT_TEXTS, verdictText } from './check.service.ts';
import { exportOfflineList } from './hash-prefix.sync.ts';
import { OFFLINE_LIST_FORMAT, OfflineChecker, type OfflineList } from './hash-prefix.ts';

/** Reads a list written by `ecomgov check export-offline`. @throws AppError invalid_input (field "offline"). */
export function readOfflineList(file: string): OfflineList {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AppError(
      'invalid_input',
      {
        vi: `--offline: không đọc được tệp ${file} (${(error as Error).message})`,
        en: `--offline: cannot read ${file} (${(error as Error).message})`,
      },
      { field: 'offline' },
    );
  }
  const list = parsed as Partial<OfflineList> | null;
  if (list?.format !== OFFLINE_LIST_FORMAT || !Array.isArray(list.prefixes) || !Array.isArray(list.full_hashes)) {
    throw new AppError(
      'invalid_input',
      {
        vi: `--offline: ${file} không phải danh sách tra cứu ngoại tuyến (${OFFLINE_LIST_FORMAT}); hãy tạo bằng "ecomgov check export-offline --out FILE"`,
        en: `--offline: ${file} is not an offline check list (${OFFLINE_LIST_FORMAT}); write one with "ecomgov check export-offline --out FILE"`,
      },
      { field: 'offline' },
    );
  }
  return list as OfflineList;
}

export function registerCheckCli(program: Command, cli: CliServices): void {
  const check = program
    .command('check')
    .description('verdict for a URL, domain, Google Play / App Store link or platform name')
    .argument('<input>', 'what to check')
    .option(
      '--offline <file>',
      'check against a list from `check export-offline` without the database or network (domains and apps only)',
    )
    .action(async (input: string, options: { offline?: string }, command: Command) => {
      if (options.offline) {
        const offline = new OfflineChecker(readOfflineList(options.offline)).check(input);
        printResult(cli.wantsJson(command), offline, () => {
          const title = VERDICT_TEXTS[offline.verdict].title;
          const lines = [
            `${offline.normalized}: ${offline.verdict.toUpperCase()} — ${title.vi} / ${title.en} (offline, list version ${offline.list_version})`,
          ];
          if (offline.platform) {
            lines.push(
              `  platform: ${offline.platform.name}${offline.platform.registration_no ? ` (${offline.platform.registration_no})` : ''}`,
            );
          }
          lines.push(`  vi: ${offline.explanation.vi}`, `  en: ${offline.explanation.en}`);
          return lines.join('\n');
        });
        return;
      }
      const answer = await cli.withDatabase(command, async (database) => {
        const index = new CheckIndex();
        await index.replaceAllFromDatabase(database);
        return checkRegistration(index, input, new Date(), await loadAdvisoryLookup(database.db));
      });
      printResult(cli.wantsJson(command), answer, () => {
        const title = verdictText(answer).title;
        const lines = [`${answer.normalized}: ${answer.verdict.toUpperCase()} — ${title.vi} / ${title.en}`];
        if (answer.platform) {
          lines.push(
            `  platform: ${answer.platform.name}${answer.platform.registration_no ? ` (${answer.platform.registration_no})` : ''}`,
          );
        }
        if (answer.lookalike_of) {
          lines.push(
            `  imitates: ${answer.lookalike_of.platform} (${answer.lookalike_of.domain}) by ${answer.lookalike_of.technique}`,
          );
        }
        for (const advisory of answer.advisories) {
          lines.push(`  advisory: ${advisory.title} (${advisory.published_at}, ${advisory.id})`);
        }
        lines.push(`  vi: ${answer.explanation.vi}`, `  en: ${answer.explanation.en}`);
        return lines.join('\n');
      });
    });

  check
    .command('export-offline')
    .description('write the hash-prefix list with its full hashes, for `ecomgov check --offline FILE INPUT`')
    .requiredOption('--out <file>', 'the file to write (JSON)')
    .action(async (options: { out: string }, command: Command) => {
      const list = await cli.withDatabase(command, (database) => exportOfflineList(database));
      fs.writeFileSync(options.out, `${JSON.stringify(list)}\n`);
      const result = {
        file: options.out,
        version: list.version,
        prefixes: list.prefixes.length,
        full_hashes: list.full_hashes.length,
      };
      printResult(
        cli.wantsJson(command),
        result,
        () => `${options.out}: version ${list.version}, ${result.prefixes} prefixes, ${result.full_hashes} full hashes`,
      );
    });
}

import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { loadAdvisoryLookup } from '../advisories/index.ts';
import { CheckIndex } from './check.index.ts';
import { checkRegistration, verdictText } from './check.service.ts';

export function registerCheckCli(program: Command, cli: CliServices): void {
  program
    .command('check')
    .description('verdict for a URL, domain, Google Play / App Store link or platform name')
    .argument('<input>', 'what to check')
    .action(async (input: string, _options, command: Command) => {
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
}

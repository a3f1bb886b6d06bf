import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliServices } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { isCalendarDate, todayInVietnam } from '../../core/dates.ts';
import { invalidInput } from '../../core/errors.ts';
import { decisionsCsv, decisionsOfDay } from './transparency.service.ts';

/** `ecomgov decisions dump`: the day's published decisions as the public dump serves them, for archiving. */
export function registerTransparencyCli(program: Command, cli: CliServices): void {
  const decisions = program
    .command('decisions')
    .description('the public register of decisions (warnings, blocks, sanctions)');
  decisions
    .command('dump')
    .description('the decisions published or ended on a day in Vietnam, as CSV or JSON (default: today)')
    .option('--day <YYYY-MM-DD>', 'the day (Asia/Ho_Chi_Minh)')
    .option('--format <format>', 'csv or json', 'json')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { day?: string; format: string; out?: string }, command: Command) => {
      const day = options.day ?? todayInVietnam();
      if (!isCalendarDate(day)) {
        throw invalidInput({ vi: `--day: ngày không hợp lệ "${day}"`, en: `--day: not a day "${day}"` }, '--day');
      }
      if (options.format !== 'csv' && options.format !== 'json') {
        throw invalidInput(
          {
            vi: `--format: cần csv hoặc json, đã cho "${options.format}"`,
            en: `--format: expected csv or json, got "${options.format}"`,
          },
          '--format',
        );
      }
      const list = await cli.withDatabase(command, (database) => decisionsOfDay(database.db, day));
      // Without PORTAL_URL the permalinks stay relative to wherever the portal is served.
      const portalUrl = (readEnvironment().PORTAL_URL ?? '').replace(/\/+$/, '');
      const text =
        options.format === 'csv'
          ? decisionsCsv(list, portalUrl)
          : `${JSON.stringify({ day, decisions: list }, null, 2)}\n`;
      if (options.out) fs.writeFileSync(options.out, text);
      else process.stdout.write(text);
    });
}

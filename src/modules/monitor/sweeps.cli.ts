import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, collectRepeated, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { invalidInput } from '../../core/errors.ts';
import { listSweeps, parseSweepUrls, runSweep, saveSweep, sweepReport } from './monitor.sweeps.ts';

/** `ecomgov monitor sweep save|run|show|list`: named lists of URLs scanned together, on demand or on a schedule. */
export function registerSweepsCli(monitor: Command, cli: CliServices): void {
  const sweep = monitor
    .command('sweep')
    .description('named lists of URLs scanned together through the queue, on demand or on a schedule');

  sweep
    .command('save')
    .description('create a sweep, or replace its list and schedule')
    .argument('<name>', 'lower-case letters, digits, . _ -')
    .requiredOption('--file <file>', 'the URLs, one per line (# comments and blank lines skipped)')
    .option('--cron <expr>', 'run on this schedule, Vietnam time (e.g. "0 7 * * 1": Mondays 07:00)')
    .action(async (name: string, options: { file: string; cron?: string }, command: Command) => {
      let text: string;
      try {
        text = fs.readFileSync(options.file, 'utf8');
      } catch (error) {
        throw invalidInput(
          { vi: `Không đọc được tệp ${options.file}`, en: `cannot read ${options.file}: ${(error as Error).message}` },
          '--file',
        );
      }
      const urls = parseSweepUrls(text);
      const saved = await cli.withDatabase(command, (database) =>
        saveSweep(database.db, cliContext(), { name, urls, cron: options.cron }),
      );
      printResult(
        cli.wantsJson(command),
        { name: saved.name, urls: saved.urls.length, cron: saved.cron },
        () => `${saved.name}: ${saved.urls.length} URLs${saved.cron ? `, on "${saved.cron}" (Vietnam time)` : ''}`,
      );
    });

  sweep
    .command('run')
    .description('queue the sweep’s sites now (the server’s workers scan them)')
    .argument('<name>')
    .option('--flagged-only', 'only the sites the sweep last found unregistered or with a fake badge')
    .option('--resolve <host:port:addr>', 'as curl (repeatable; a lab)', collectRepeated, [])
    .action(async (name: string, options: { flaggedOnly?: boolean; resolve: string[] }, command: Command) => {
      const queued = await cli.withDatabase(command, (database) =>
        runSweep(database.db, cliContext(), name, { flaggedOnly: options.flaggedOnly, resolve: options.resolve }),
      );
      printResult(cli.wantsJson(command), { name, queued }, () => `${name}: ${queued} scans queued`);
    });

  sweep
    .command('show')
    .description('each site’s latest result in the sweep, and the share flagged')
    .argument('<name>')
    .action(async (name: string, _options: unknown, command: Command) => {
      const report = await cli.withDatabase(command, (database) => sweepReport(database.db, name));
      printResult(cli.wantsJson(command), report, () =>
        [
          `${report.name}: ${report.flagged} of ${report.scanned} scanned sites flagged (${(report.share_flagged * 100).toFixed(1)} %)`,
          ...report.sites.map((site) => `${(site.classification ?? site.status).padEnd(24)} ${site.url}`),
        ].join('\n'),
      );
    });

  sweep
    .command('list')
    .description('the sweeps, their size and schedule')
    .action(async (_options: unknown, command: Command) => {
      const sweeps = await cli.withDatabase(command, (database) => listSweeps(database.db));
      printResult(
        cli.wantsJson(command),
        sweeps.map((item) => ({
          name: item.name,
          urls: item.urls.length,
          cron: item.cron,
          last_run_at: item.last_run_at,
        })),
        () =>
          sweeps
            .map((item) => `${item.name.padEnd(30)} ${String(item.urls.length).padStart(6)} ${item.cron ?? ''}`)
            .join('\n'),
      );
    });
}

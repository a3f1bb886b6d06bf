import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, collectRepeated, printResult } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { invalidInput } from '../../core/errors.ts';
import { DEFAULT_PORTAL_URL } from '../applications/index.ts';
import { startCheckIndex } from '../check/index.ts';
import { evidenceDirOf } from '../evidence/index.ts';
import type { MonitorAnswer } from './monitor.schemas.ts';
import { scanMany } from './scan-many.ts';
import { type WatchReport, watchDomains } from './watch-domains.ts';

/** A daily list is a few MB at most; a bigger file is refused before it is read into memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

function reportText(report: WatchReport & { scans?: MonitorAnswer[] }): string {
  const lines = [`${report.checked} domains checked, ${report.flagged.length} imitate a registered platform`];
  for (const flagged of report.flagged) {
    lines.push(`${flagged.domain}  →  ${flagged.platform} (${flagged.imitates})  line ${flagged.line}`);
    lines.push(`  ${flagged.why.en}`);
    const scan = report.scans?.find((answer) => answer.url === `http://${flagged.domain}/`);
    if (scan)
      lines.push(
        `  scan: ${scan.classification.toUpperCase()}${scan.http_status ? ` (HTTP ${scan.http_status})` : ''}`,
      );
  }
  for (const bad of report.invalid) lines.push(`line ${bad.line}: ${bad.reason}: ${bad.text}`);
  return lines.join('\n');
}

/** `ecomgov monitor watch-domains FILE [--scan]` (issue 12 "New-domain watch"). */
export function registerWatchDomainsCli(monitor: Command, cli: CliServices): void {
  monitor
    .command('watch-domains')
    .description('flag newly registered domains that imitate a registered platform (one domain a line)')
    .argument('<file>', 'the list of new domains, one per line; blank lines and # comments are skipped')
    .option('--scan', 'also scan the flagged domains (http://DOMAIN/), keeping evidence')
    .option('--concurrency <n>', 'scans at once when --scan', '8')
    .option('--resolve <host:port:addr>', 'connect HOST:PORT to ADDR when scanning (repeatable)', collectRepeated, [])
    .option('--allow-private', 'allow private and loopback addresses when scanning (a lab or a test)')
    .action(
      async (
        file: string,
        options: { scan?: boolean; concurrency: string; resolve: string[]; allowPrivate?: boolean },
        command: Command,
      ) => {
        let stat: fs.Stats;
        try {
          stat = fs.statSync(file);
        } catch {
          throw invalidInput({ vi: `${file}: không đọc được tệp`, en: `${file}: cannot read the file` }, 'file');
        }
        if (stat.size > MAX_FILE_BYTES) {
          throw invalidInput(
            {
              vi: `${file}: tệp lớn hơn ${MAX_FILE_BYTES} byte`,
              en: `${file}: the file is over ${MAX_FILE_BYTES} bytes`,
            },
            'file',
          );
        }
        const text = fs.readFileSync(file, 'utf8');
        const report = await cli.withDatabase(command, async (database) => {
          const { index, stop } = await startCheckIndex(database);
          try {
            const found = watchDomains(index, text);
            if (!options.scan || found.flagged.length === 0) return found;
            const scans = await scanMany(
              {
                database,
                index,
                storeDir: evidenceDirOf(command),
                portalUrl: readEnvironment().PORTAL_URL ?? DEFAULT_PORTAL_URL,
                context: cliContext(),
              },
              found.flagged.map((flagged) => `http://${flagged.domain}/`),
              {
                concurrency: Math.max(1, Math.min(64, Number(options.concurrency) || 8)),
                perHost: 2,
                resolve: options.resolve,
                allowPrivate: options.allowPrivate === true,
              },
            );
            return { ...found, scans };
          } finally {
            await stop();
          }
        });
        printResult(cli.wantsJson(command), report, () => reportText(report));
      },
    );
}

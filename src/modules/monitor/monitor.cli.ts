import { type Command, InvalidArgumentError } from 'commander';
import { type CliServices, collectRepeated, printResult } from '../../core/cli.ts';
import { readEnvironment } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { DEFAULT_PORTAL_URL } from '../applications/index.ts';
import { startCheckIndex } from '../check/index.ts';
import { evidenceDirOf } from '../evidence/index.ts';
import type { PageObserver } from './monitor.scan.ts';
import type { MonitorAnswer } from './monitor.schemas.ts';
import { scanMany } from './scan-many.ts';
import { registerSweepsCli } from './sweeps.cli.ts';
import { registerWatchDomainsCli } from './watch-domains.cli.ts';

/** Pages scanned at once by one `monitor scan`: enough to hide latency, few enough to be polite to one host. */
const SCAN_CONCURRENCY = 4;
/** Pages fetched at once from one host: a sweep must not look like an attack on a small shop. */
const SCAN_PER_HOST = 2;

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new InvalidArgumentError('--concurrency: a whole number 1–256');
  return n;
}

function answerText(answer: MonitorAnswer): string {
  const lines = [
    `${answer.url}: ${answer.classification.toUpperCase()}${answer.http_status ? ` (HTTP ${answer.http_status}, ${answer.ip})` : ''}`,
  ];
  if (answer.final_url && answer.final_url !== answer.url) lines.push(`  → ${answer.final_url}`);
  if (answer.signals.ecommerce.evidence.length)
    lines.push(`  e-commerce: ${answer.signals.ecommerce.evidence.join('; ')}`);
  if (answer.signals.targets_vietnam.evidence.length) {
    lines.push(`  aimed at Vietnam: ${answer.signals.targets_vietnam.evidence.join('; ')}`);
  }
  if (answer.signals.badge.present) {
    lines.push(
      `  badge: ${answer.signals.badge.genuine ? 'genuine' : 'NOT genuine'}${answer.signals.badge.link ? ` → ${answer.signals.badge.link}` : ''}${answer.signals.badge.reason ? ` (${answer.signals.badge.reason})` : ''}`,
    );
  }
  lines.push(
    `  register: ${answer.registry.verdict}${answer.registry.platform ? ` (${answer.registry.platform.name})` : ''}`,
  );
  for (const reason of answer.reasons) lines.push(`  - ${reason.en}`);
  if (answer.evidence)
    lines.push(`  evidence ${answer.evidence.id} sha256 ${answer.evidence.sha256} ${answer.evidence.warc}`);
  return lines.join('\n');
}

/** `ecomgov monitor scan URL…` (DESIGN.md "Monitor answer"). */
export function registerMonitorCli(
  program: Command,
  cli: CliServices,
  observers: { pageObservers?: readonly PageObserver[] } = {},
): void {
  const monitor = program
    .command('monitor')
    .description('find unregistered e-commerce aimed at Vietnam and fake badges, keeping evidence');

  monitor
    .command('scan')
    .description('fetch each URL through the SSRF guard, keep it as evidence and classify it')
    .argument('<url...>', 'the pages to scan')
    .option('--resolve <host:port:addr>', 'connect HOST:PORT to ADDR, as curl does (repeatable)', collectRepeated, [])
    .option('--allow-private', 'allow private and loopback addresses (a lab or a test; never for real sites)')
    .option('--screenshot', 'also keep a full-page screenshot (headless Chromium, when installed)')
    .option(
      '--concurrency <n>',
      'pages fetched at once overall (at most 2 per host)',
      parseConcurrency,
      SCAN_CONCURRENCY,
    )
    .action(
      async (
        urls: string[],
        options: { resolve: string[]; allowPrivate?: boolean; screenshot?: boolean; concurrency: number },
        command: Command,
      ) => {
        const storeDir = evidenceDirOf(command);
        const portalUrl = readEnvironment().PORTAL_URL ?? DEFAULT_PORTAL_URL;
        const answers = await cli.withDatabase(command, async (database) => {
          const { index, stop } = await startCheckIndex(database);
          try {
            return await scanMany(
              { database, index, storeDir, portalUrl, context: cliContext(), pageObservers: observers.pageObservers },
              urls,
              {
                concurrency: options.concurrency,
                perHost: SCAN_PER_HOST,
                resolve: options.resolve,
                allowPrivate: options.allowPrivate === true,
                screenshot: options.screenshot === true,
              },
            );
          } finally {
            await stop();
          }
        });
        printResult(cli.wantsJson(command), answers.length === 1 ? answers[0] : answers, () =>
          answers.map(answerText).join('\n'),
        );
      },
    );
  registerWatchDomainsCli(monitor, cli);
  registerSweepsCli(monitor, cli);
}

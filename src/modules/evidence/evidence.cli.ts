import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type CliServices, collectRepeated, printResult } from '../../core/cli.ts';
import { readEnvironment, resolveDataDir } from '../../core/config.ts';
import { cliContext } from '../../core/context.ts';
import { exportEvidence } from './evidence.package.ts';
import { captureEvidence, verifyEvidence } from './evidence.service.ts';
import { defaultEvidenceDir } from './evidence.store.ts';

/** The evidence store of a CLI run: EVIDENCE_DIR, or `evidence` in the data folder. */
export function evidenceDirOf(command: Command): string {
  const env = readEnvironment();
  return path.resolve(
    env.EVIDENCE_DIR ?? defaultEvidenceDir(resolveDataDir(command.optsWithGlobals<{ data?: string }>().data)),
  );
}

export function registerEvidenceCli(program: Command, cli: CliServices): void {
  const evidence = program
    .command('evidence')
    .description('evidence of web pages: capture as WARC with hashes, verify, export a package for a court or partner');

  evidence
    .command('capture')
    .description('fetch a URL through the SSRF guard and keep it as evidence (WARC 1.1, SHA-256, TLS chain)')
    .argument('<url>', 'the page to capture')
    .option('--resolve <host:port:addr>', 'connect HOST:PORT to ADDR, as curl does (repeatable)', collectRepeated, [])
    .option('--allow-private', 'allow private and loopback addresses (a lab or a test; never for real sites)')
    .option('--screenshot', 'also take a full-page screenshot in headless Chromium, when it is installed')
    .action(
      async (
        url: string,
        options: { resolve: string[]; allowPrivate?: boolean; screenshot?: boolean },
        command: Command,
      ) => {
        const storeDir = evidenceDirOf(command);
        const captured = await cli.withDatabase(command, (database) =>
          captureEvidence(database.db, storeDir, cliContext(), {
            url,
            resolve: options.resolve,
            allowPrivate: options.allowPrivate === true,
            screenshot: options.screenshot === true,
          }),
        );
        const { body: _body, headers: _headers, ...summary } = captured;
        printResult(cli.wantsJson(command), { ...summary, store: storeDir }, () =>
          [
            `evidence ${captured.evidenceId}`,
            `  ${captured.url} → ${captured.finalUrl} (HTTP ${captured.httpStatus}, ${captured.ip}, ${captured.fetchedAt})`,
            `  WARC ${path.join(storeDir, captured.warcPath)}`,
            `  sha256 ${captured.sha256} (WARC), ${captured.bodySha256} (body, ${captured.body.length} bytes${captured.bodyTruncated ? ', truncated' : ''})`,
            ...(captured.certChainPath ? [`  TLS chain ${path.join(storeDir, captured.certChainPath)}`] : []),
            ...(captured.screenshotPath ? [`  screenshot ${path.join(storeDir, captured.screenshotPath)}`] : []),
            ...(captured.screenshotError ? [`  no screenshot: ${captured.screenshotError}`] : []),
          ].join('\n'),
        );
      },
    );

  evidence
    .command('verify')
    .description('recompute every hash of an evidence item (exit 0: all match, 1: a file differs or is missing)')
    .argument('<id>', 'the evidence id')
    .action(async (id: string, _options: unknown, command: Command) => {
      const storeDir = evidenceDirOf(command);
      const report = await cli.withDatabase(command, (database) =>
        verifyEvidence(database.db, storeDir, cliContext(), id),
      );
      printResult(cli.wantsJson(command), report, () =>
        [
          ...report.checks.map((check) =>
            check.ok
              ? `OK       ${check.name} ${check.path} ${check.expected}`
              : `DIFFERS  ${check.name} ${check.path}: expected ${check.expected}, ${check.actual === null ? 'file missing' : `found ${check.actual}`}`,
          ),
          report.ok ? `evidence ${report.id}: every hash matches` : `evidence ${report.id}: NOT intact`,
        ].join('\n'),
      );
      if (!report.ok) process.exitCode = 1;
    });

  evidence
    .command('export')
    .description('write an evidence package (zip: WARC, TLS chain, screenshot, custody log, manifest.sha256)')
    .argument('<id>', 'the evidence id')
    .requiredOption('--out <file>', 'the zip file to write')
    .action(async (id: string, options: { out: string }, command: Command) => {
      const storeDir = evidenceDirOf(command);
      const built = await cli.withDatabase(command, (database) =>
        exportEvidence(database.db, storeDir, cliContext(), id, {
          destination: path.resolve(options.out),
          deliver: (pkg) => fs.writeFileSync(options.out, pkg.zip),
        }),
      );
      printResult(
        cli.wantsJson(command),
        { id: built.item.id, file: options.out, bytes: built.zip.length, sha256: built.sha256 },
        () => `${options.out}: evidence ${built.item.id}, ${built.zip.length} bytes, sha256 ${built.sha256}`,
      );
    });
}

import { once } from 'node:events';
import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { readEnvironment, resolveDataDir } from '../../core/config.ts';
import { AppError, invalidInput } from '../../core/errors.ts';
import { FEED_FORMATS, type FeedFormat, type FeedSettings } from './blocklist.formats.ts';
import { probeResolver } from './blocklist.probe.ts';
import { feedChunks } from './blocklist.service.ts';
import { loadOrCreateSigningKey, publicKeyPath, verifyFeedSignature } from './blocklist.signing.ts';
import { syncAll } from './blocklist.sync.ts';

/** Where the feed signing key lives: FEED_SIGNING_KEY_DIR, or the data folder. */
export function signingKeyDir(command: Command): string {
  const env = readEnvironment();
  return env.FEED_SIGNING_KEY_DIR ?? resolveDataDir(command.optsWithGlobals<{ data?: string }>().data);
}

function readFileArgument(file: string, field: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw invalidInput(
      {
        vi: `${file}: không đọc được tệp (${(error as NodeJS.ErrnoException).code ?? 'lỗi'})`,
        en: `${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      },
      field,
    );
  }
}

export function registerBlocklistCli(program: Command, cli: CliServices): void {
  const blocklist = program
    .command('blocklist')
    .description('the blocklist feeds: platforms whose register status is "blocked"');

  blocklist
    .command('export')
    .description(
      'write the blocklist as an RPZ zone, a hosts file, CSV or JSON (to stdout, or --out FILE and FILE.sig)',
    )
    .requiredOption('--format <format>', `one of ${FEED_FORMATS.join(', ')}`)
    .option('--zone <name>', 'name of the RPZ zone (default: BLOCKLIST_ZONE)')
    .option('--out <file>', 'write to this file, and its Ed25519 signature to FILE.sig')
    .action(async (options: { format: string; zone?: string; out?: string }, command: Command) => {
      if (!(FEED_FORMATS as readonly string[]).includes(options.format)) {
        throw invalidInput(
          {
            vi: `--format: phải là một trong ${FEED_FORMATS.join(', ')}`,
            en: `--format: must be one of ${FEED_FORMATS.join(', ')}`,
          },
          'format',
        );
      }
      const env = readEnvironment({ ...process.env, ...(options.zone ? { BLOCKLIST_ZONE: options.zone } : {}) });
      const settings: FeedSettings = { zone: env.BLOCKLIST_ZONE, landingHost: env.BLOCKLIST_LANDING_HOST ?? null };
      const format = options.format as FeedFormat;
      const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
      const { serial, bytes } = await cli.withDatabase(command, async (database) => {
        // The register may have changed while no server followed it: bring the list up to date first.
        const serial = await syncAll(database);
        let bytes = 0;
        for await (const chunk of feedChunks(database, format, settings, serial)) {
          bytes += Buffer.byteLength(chunk);
          if (!out.write(chunk)) await once(out, 'drain');
        }
        return { serial, bytes };
      });
      if (!options.out) return;
      await new Promise<void>((resolve, reject) =>
        (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      // Ed25519 signs the whole message: the file is read back once to sign it.
      const signer = loadOrCreateSigningKey(signingKeyDir(command));
      fs.writeFileSync(`${options.out}.sig`, signer.sign(fs.readFileSync(options.out)));
      const result = { file: options.out, signature: `${options.out}.sig`, format, serial, bytes };
      if (cli.wantsJson(command)) printResult(true, result, () => '');
      else
        process.stderr.write(
          `${options.out}: ${format}, serial ${serial}, ${bytes} bytes; signature ${options.out}.sig\n`,
        );
    });

  blocklist
    .command('verify')
    .description('check a feed file against its detached signature (exit 0: valid, 1: not valid)')
    .argument('<file>', 'the feed file')
    .argument('<sig>', 'its signature (FILE.sig)')
    .option('--key <pem>', 'the public key (from /feeds/signing-key); default: this installation’s key')
    .action((file: string, sig: string, options: { key?: string }, command: Command) => {
      const keyFile = options.key ?? publicKeyPath(signingKeyDir(command));
      const data = readFileArgument(file, 'file');
      const signature = readFileArgument(sig, 'sig');
      const key = readFileArgument(keyFile, 'key').toString('utf8');
      const valid = verifyFeedSignature(data, signature, key);
      printResult(cli.wantsJson(command), { file, signature: sig, key: keyFile, valid }, () =>
        valid ? `${file}: signature valid (${keyFile})` : `${file}: signature NOT valid for ${keyFile}`,
      );
      if (!valid) process.exitCode = 1;
    });

  blocklist
    .command('probe')
    .description('ask a resolver for every blocked domain; report those it still resolves (exit 1 if any)')
    .requiredOption('--resolver <ip[:port]>', 'the resolver to ask, e.g. 127.0.0.1:5353')
    .option('--timeout <ms>', 'time per query', '2000')
    .action(async (options: { resolver: string; timeout: string }, command: Command) => {
      const env = readEnvironment();
      const timeoutMs = Number(options.timeout);
      if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
        throw new AppError(
          'invalid_input',
          { vi: '--timeout: số mili giây', en: '--timeout: milliseconds' },
          { field: 'timeout' },
        );
      }
      const report = await cli.withDatabase(command, async (database) => {
        await syncAll(database);
        return probeResolver(database.db, options.resolver, {
          landingHost: env.BLOCKLIST_LANDING_HOST ?? null,
          timeoutMs,
        });
      });
      printResult(cli.wantsJson(command), report, () =>
        [
          `${report.resolver}: ${report.checked} blocked domains asked (serial ${report.serial}), ${report.blocked} blocked, ${report.still_resolving.length} still resolved, ${report.errors.length} errors`,
          ...report.still_resolving.map((item) => `  still resolves: ${item.domain} → ${item.addresses.join(', ')}`),
          ...report.errors.map((item) => `  error: ${item.domain} ${item.code}`),
        ].join('\n'),
      );
      if (report.still_resolving.length > 0) process.exitCode = 1;
    });
}

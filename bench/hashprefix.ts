/**
 * Hash-prefix list (offline check): generating the list from a generated register (first full comparison, which hashes and inserts every identity; a second, which finds nothing to change), serving the prefix list, against the baseline of reading the register's records alone.
 *
 *   npm run bench -- hashprefix [--platforms 100000] [--seed 8598]
 *
 * Embedded database (PGlite) in bench/.data/hashprefix-N, rebuilt each run. It prints, it does not fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { cliContext } from '../src/core/context.ts';
import { listPrefixes, syncAllHashes } from '../src/modules/check/hash-prefix.sync.ts';
import { readRegisterRecords, visitIdentityRecords, visitPlatformRecords } from '../src/modules/registry/index.ts';
import { importRegistryFile } from '../src/modules/registry/registry.service.ts';
import { openMigratedDatabase } from '../src/runtime.ts';
import { DEFAULT_SEED, generateRegister } from './generate-register.ts';

const DATA_DIR = path.resolve(import.meta.dirname, '.data');

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await run();
  process.stdout.write(`${label.padEnd(48)} ${(performance.now() - started).toFixed(0).padStart(8)} ms\n`);
  return result;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      platforms: { type: 'string', default: '100000' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
    },
  });
  const platforms = Number(values.platforms);
  const seed = Number(values.seed);
  const csv = path.join(DATA_DIR, `hashprefix-${platforms}.csv`);
  const dataDir = path.join(DATA_DIR, `hashprefix-${platforms}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  await timed(`generate ${platforms} platforms (CSV)`, () => generateRegister({ platforms, seed, out: csv }));
  const database = await openMigratedDatabase({ dataDir });
  try {
    await timed('registry import', () => importRegistryFile(database, csv, cliContext()));
    let identities = 0;
    await timed('baseline: read the register records', () =>
      readRegisterRecords(database, {
        platforms: (records) => visitPlatformRecords(records, () => {}),
        identities: (records) =>
          visitIdentityRecords(records, () => {
            identities++;
          }),
      }),
    );
    const version = await timed('hash list: first full comparison (all new)', () => syncAllHashes(database));
    const again = await timed('hash list: full comparison, nothing changed', () => syncAllHashes(database));
    const prefixes = await timed('GET /api/v1/hash-prefixes body (listPrefixes)', () => listPrefixes(database.db));
    process.stdout.write(
      `${identities} identities, ${prefixes.length} prefix/verdict pairs, version ${version} → ${again}, JSON ${(
        Buffer.byteLength(JSON.stringify(prefixes)) / 1024 / 1024
      ).toFixed(1)} MB\n`,
    );
  } finally {
    await database.close();
  }
}

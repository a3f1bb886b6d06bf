import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import { registerMonitorCli } from '../src/modules/monitor/index.ts';
import { parseDomainLine, watchDomains } from '../src/modules/monitor/watch-domains.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/** `ecomgov monitor watch-domains FILE` (issue 12): a real small list, a registered platform, hostile input. */
const LIST = path.join(import.meta.dirname, '../src/modules/monitor/fixtures/new-domains.txt');

describe(`monitor watch-domains (${testDatabaseKind})`, () => {
  let database: Database;
  let index: CheckIndex;
  let stop: () => Promise<void>;
  let work: string;
  const saved = process.env.EVIDENCE_DIR;

  before(async () => {
    database = await createTestDatabase();
    await importRegistryRows(
      database,
      [
        registryRow({
          line: 2,
          name: 'Chợ Đêm Sài Gòn',
          registrationNo: 'IDX-0001',
          status: 'registered',
          kind: 'marketplace',
          domains: ['chodem-saigon.vn'],
        }),
      ],
      { actor: 'test:monitor' },
    );
    ({ index, stop } = await startCheckIndex(database));
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-watch-'));
    process.env.EVIDENCE_DIR = work;
  });

  after(async () => {
    await stop?.();
    await database?.close();
    if (saved === undefined) delete process.env.EVIDENCE_DIR;
    else process.env.EVIDENCE_DIR = saved;
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('flags the look-alikes with the platform and why, and names the bad lines', async () => {
    const run = await runCliInProcess(database, registerMonitorCli, ['--json', 'monitor', 'watch-domains', LIST]);
    assert.equal(run.code, 0, String(run.error));
    const report = JSON.parse(run.stdout);
    const flagged = new Map(report.flagged.map((f: { domain: string }) => [f.domain, f]));
    for (const domain of ['chodem-saigon.net', 'chodemsaigon.vn', 'chodem-saiogn.vn']) {
      const entry = flagged.get(domain) as { platform: string; why: { en: string }; imitates: string } | undefined;
      assert.ok(entry, domain);
      assert.equal(entry.platform, 'Chợ Đêm Sài Gòn');
      assert.equal(entry.imitates, 'chodem-saigon.vn');
      assert.match(entry.why.en, /imitates chodem-saigon\.vn/);
    }
    assert.ok(!flagged.has('banhmi-ngon.vn'));
    assert.ok(!flagged.has('maple-outdoor.example.com'));
    assert.deepEqual(
      report.invalid.map((bad: { line: number }) => bad.line),
      [7, 8],
    );
    const text = await runCliInProcess(database, registerMonitorCli, ['monitor', 'watch-domains', LIST]);
    assert.match(text.stdout, /chodem-saigon\.net {2}→ {2}Chợ Đêm Sài Gòn/);
    assert.match(text.stdout, /line 7: not a domain name/);
  });

  it('scans the flagged domains with --scan, one Monitor answer each', async () => {
    const file = path.join(work, 'one.txt');
    fs.writeFileSync(file, 'chodem-saigon.net\nbanhmi-ngon.vn\n');
    // The scan asks http://DOMAIN/; --resolve keeps it on this machine (nothing listens on port 80 here, so the
    // answer is "unreachable" — the fetch paths themselves are tested in monitor-scan-many.test.ts).
    const run = await runCliInProcess(database, registerMonitorCli, [
      '--json',
      'monitor',
      'watch-domains',
      file,
      '--scan',
      '--allow-private',
      '--resolve',
      'chodem-saigon.net:80:127.0.0.1',
    ]);
    assert.equal(run.code, 0, String(run.error));
    const report = JSON.parse(run.stdout);
    assert.equal(report.flagged.length, 1);
    assert.equal(report.scans.length, 1);
    assert.equal(report.scans[0].url, 'http://chodem-saigon.net/');
  });

  it('stays bounded on hostile input: 100,000 lines and a 5 MB line', () => {
    const lines = Array.from({ length: 100_000 }, (_, n) => (n % 2 ? `shop-${n}.vn` : `chodem-saigon${n}.vn`));
    lines.push('a'.repeat(5_000_000), `${'x.'.repeat(200)}vn`);
    const started = performance.now();
    const report = watchDomains(index, lines.join('\n'));
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 20_000, `${elapsed} ms`);
    assert.equal(report.invalid.length, 2);
    assert.equal(report.invalid[0]?.line, 100_001);
    assert.ok((report.invalid[0]?.text.length ?? 0) <= 81);
  });

  it('reads domain lines strictly', () => {
    assert.deepEqual(parseDomainLine('Shop.VN.'), { domain: 'shop.vn' });
    assert.match((parseDomainLine('chợđêm.vn') as { domain: string }).domain, /^xn--[a-z0-9-]+\.vn$/);
    assert.ok('reason' in parseDomainLine('localhost'));
    assert.ok('reason' in parseDomainLine('a..vn'));
    assert.ok('reason' in parseDomainLine('shop.123'));
  });
});

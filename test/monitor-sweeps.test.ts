import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import { registerMonitorCli } from '../src/modules/monitor/index.ts';
import { processQueuedScans } from '../src/modules/monitor/monitor.queue.ts';
import { parseSweepUrls, runDueSweeps, saveSweep, sweepReport } from '../src/modules/monitor/monitor.sweeps.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { type FakeWeb, startFakeWeb } from './support/fake-web.ts';
import { registryRow } from './support/registry.ts';

/**
 * Sweeps (issue 12): a named list from a file, queued through the same queue as any scan, a report per site with the
 * share flagged, a re-scan of the flagged sites only, and the schedule (cron, Vietnam time) the server's job follows.
 */

const FIXTURES = path.join(import.meta.dirname, '../src/modules/monitor/fixtures');
const SITES = {
  'www.shopgiay.vn': { file: 'shop-genuine-badge.html' },
  'giaydep-re.vn': { file: 'shop-copied-badge.html' },
  'dienthoai-xachtay.vn': { file: 'shop-unregistered.html' },
  'bepnhamai.vn': { file: 'blog.html' },
};

describe(`monitor sweeps (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let web: FakeWeb;
  let storeDir: string;
  let work: string;
  let index: { index: CheckIndex; stop(): Promise<void> };
  const run = (args: string[]) => runCliInProcess(testApp.database, registerMonitorCli, ['monitor', 'sweep', ...args]);
  const drain = () =>
    processQueuedScans({
      database: testApp.database,
      index: index.index,
      storeDir,
      portalUrl: 'https://portal.example',
      allowPrivate: ['127.0.0.1'],
    });

  before(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-sweeps-'));
    storeDir = path.join(work, 'evidence');
    fs.mkdirSync(storeDir);
    testApp = await startTestApp({ demo: false });
    await importRegistryRows(
      testApp.database,
      [registryRow({ line: 2, name: 'Giày Đẹp', registrationNo: 'TB-2026-00101', domains: ['shopgiay.vn'] })],
      { actor: 'test:sweeps' },
    );
    index = await startCheckIndex(testApp.database);
    web = await startFakeWeb(FIXTURES, SITES);
  });
  after(async () => {
    await web.close();
    await index.stop();
    await testApp.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('reads a sweep file, naming each bad line', () => {
    assert.deepEqual(parseSweepUrls('# shops\nhttp://a.vn/\n\nhttps://b.vn/x\nhttp://a.vn/\n'), [
      'http://a.vn/',
      'https://b.vn/x',
    ]);
    assert.throws(
      () => parseSweepUrls('http://a.vn/\nftp://b.vn/\nnot a url\n'),
      (error: { issues: Array<{ line: number }> }) => error.issues.map((issue) => issue.line).join() === '2,3',
    );
  });

  it('queues a sweep, reports each site and the share flagged, and re-scans only the flagged sites', async () => {
    const file = path.join(work, 'shops.txt');
    const urls = Object.keys(SITES).map((host) => `http://${host}:${web.port}/`);
    fs.writeFileSync(file, `# a sweep of shoe and phone shops\n${urls.join('\n')}\n`);
    const saved = await run(['save', 'giay-dep', '--file', file, '--cron', '0 7 * * 1', '--json']);
    assert.equal(saved.code, 0, saved.error?.message);
    const bad = await run(['save', 'x', '--file', file, '--cron', 'every monday']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.error?.message ?? '', /cron/);

    const resolve = web.resolveEntries().flatMap((entry) => ['--resolve', entry]);
    const queued = await run(['run', 'giay-dep', ...resolve, '--json']);
    assert.equal(queued.code, 0, queued.error?.message);
    assert.equal(JSON.parse(queued.stdout).queued, 4);
    assert.equal(await drain(), 4);

    const report = await sweepReport(testApp.database.db, 'giay-dep');
    assert.deepEqual(
      report.sites.map((site) => site.classification),
      ['compliant', 'fake_badge', 'unregistered_ecommerce', 'not_ecommerce'],
    );
    assert.deepEqual([report.scanned, report.flagged, report.share_flagged], [4, 2, 0.5]);
    const shown = await run(['show', 'giay-dep']);
    assert.match(shown.stdout, /2 of 4 scanned sites flagged \(50\.0 %\)/);

    const again = await run(['run', 'giay-dep', '--flagged-only', ...resolve, '--json']);
    assert.equal(JSON.parse(again.stdout).queued, 2);
    assert.equal(await drain(), 2);
    assert.equal((await run(['run', 'nope'])).code === 0, false);
  });

  it('runs a scheduled sweep once its time comes round in Vietnam, and not again until the next', async () => {
    // Mondays 07:00 in Vietnam = 00:00 UTC. Saved on Sunday 6 Dec 2026; Monday 7 Dec 07:30 it is due, 08:00 it is not.
    await saveSweep(
      testApp.database.db,
      { actor: 'test' },
      { name: 'weekly', urls: ['http://bepnhamai.vn/'], cron: '0 7 * * 1' },
      new Date('2026-12-06T03:00:00Z'),
    );
    assert.ok(!(await runDueSweeps(testApp.database.db, new Date('2026-12-06T23:30:00Z'))).includes('weekly'));
    assert.ok((await runDueSweeps(testApp.database.db, new Date('2026-12-07T00:30:00Z'))).includes('weekly'));
    assert.ok(!(await runDueSweeps(testApp.database.db, new Date('2026-12-07T01:00:00Z'))).includes('weekly'));
    assert.ok((await runDueSweeps(testApp.database.db, new Date('2026-12-14T00:05:00Z'))).includes('weekly'));
  });
});

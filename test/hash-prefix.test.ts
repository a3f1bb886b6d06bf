import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliContext } from '../src/core/context.ts';
import { sha256Hex } from '../src/core/hash.ts';
import { registerCheckCli } from '../src/modules/check/check.cli.ts';
import { exportOfflineList } from '../src/modules/check/hash-prefix.sync.ts';
import { OfflineChecker, type OfflineList, prefixOf } from '../src/modules/check/hash-prefix.ts';
import { findPlatformByRegistrationNo, setPlatformStatus } from '../src/modules/registry/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { loadPlatformSnapshots, registryRow } from './support/registry.ts';

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-hash-prefix-'));

describe(`hash-prefix list and the offline check (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url, headers });
  const online = async (input: string) => {
    const response = await get(`/api/v1/check?${new URLSearchParams({ input })}`);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  before(async () => {
    testApp = await startTestApp({ rateLimitPerMinute: 0, env: { HASH_PREFIX_RATE_LIMIT: 0 } });
  });
  after(async () => {
    await testApp.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('agrees with the online check for every identity of every platform of the demo register', async () => {
    const file = path.join(tempDir, 'offline.json');
    const exported = await runCliInProcess(testApp.database, registerCheckCli, [
      '--json',
      'check',
      'export-offline',
      '--out',
      file,
    ]);
    assert.equal(exported.code, 0, exported.stdout);
    const list = JSON.parse(fs.readFileSync(file, 'utf8')) as OfflineList;
    // Only hashes travel: no plain domain of the register is in the file.
    assert.ok(!fs.readFileSync(file, 'utf8').includes('shopee.vn'));
    const checker = new OfflineChecker(list);
    const snapshots = [...(await loadPlatformSnapshots(testApp.database)).values()];
    assert.ok(snapshots.length >= 10);
    let compared = 0;
    for (const snapshot of snapshots) {
      const inputs = [
        ...snapshot.domains.flatMap((domain) => [
          domain,
          `https://m.${domain}/san-pham?id=1`,
          `HTTP://WWW.${domain.toUpperCase()}./`,
          `a.b.${domain}`,
        ]),
        ...snapshot.androidApps.map((id) => `android:${id}`),
        ...snapshot.androidApps.map((id) => `https://play.google.com/store/apps/details?id=${id}`),
        ...snapshot.iosApps.map((id) => `id${id}`),
      ];
      for (const input of inputs) {
        const answer = await online(input);
        const offline = checker.check(input);
        assert.equal(offline.verdict, answer.verdict, input);
        assert.equal(offline.platform?.id, answer.platform?.id, input);
        assert.equal(offline.platform?.registration_no, answer.platform?.registration_no, input);
        assert.equal(offline.normalized, answer.normalized, input);
        assert.deepEqual(offline.explanation, answer.explanation, input);
        compared++;
      }
    }
    assert.ok(compared > 50, `${compared} inputs compared`);
    // Unknown domains: no hit offline; online either nothing or a look-alike, which hashes cannot tell.
    for (const input of ['khong-co-trong-so-dang-ky-123.vn', 'https://example.org/x', 'shopee.vn.example.com']) {
      const offline = checker.check(input);
      assert.equal(offline.verdict, 'unknown', input);
      assert.equal(offline.platform, null);
      assert.match(offline.explanation.en, /cannot detect look-alikes/);
      assert.match(offline.explanation.vi, /không phát hiện được trang giả mạo/);
      assert.ok(['unknown', 'lookalike'].includes((await online(input)).verdict), input);
    }
    assert.equal((await online('shopee.vn.example.com')).verdict, 'lookalike');
    // Names cannot be hashed canonically: said so, online finds the platform.
    const name = checker.check('Shopee');
    assert.equal(name.verdict, 'unknown');
    assert.match(name.explanation.en, /cannot look up names/);
    assert.equal((await online('Shopee')).platform?.name, 'Shopee');

    // The CLI reads the same file.
    const run = await runCliInProcess(testApp.database, registerCheckCli, [
      '--json',
      'check',
      '--offline',
      file,
      'https://mall.shopee.vn/abc',
    ]);
    assert.equal(run.code, 0);
    const cliAnswer = JSON.parse(run.stdout);
    assert.equal(cliAnswer.verdict, (await online('https://mall.shopee.vn/abc')).verdict);
    assert.equal(cliAnswer.list_version, list.version);
    const bad = await runCliInProcess(testApp.database, registerCheckCli, ['check', '--offline', tempDir, 'x.vn']);
    assert.equal(bad.code, 2);
    assert.equal(bad.error?.field, 'offline');
  });

  it('serves the prefix list with an ETag, full hashes by prefix, and diffs since a version', async () => {
    const first = await get('/api/v1/hash-prefixes');
    assert.equal(first.statusCode, 200, first.body);
    const list = first.json();
    const version: number = list.version;
    assert.equal(first.headers['x-hash-prefix-version'], String(version));
    assert.equal(list.prefix_bytes, 4);
    const shopeeHash = sha256Hex('shopee.vn');
    assert.ok(
      list.prefixes.some((entry: { prefix: string; verdict: string }) => entry.prefix === prefixOf(shopeeHash)),
    );
    assert.ok(!first.body.includes('shopee.vn'));
    const etag = first.headers.etag as string;
    assert.ok(etag);
    const again = await get('/api/v1/hash-prefixes', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');

    const full = await get(`/api/v1/full-hashes?prefix=${prefixOf(shopeeHash).toUpperCase()}`);
    assert.equal(full.statusCode, 200, full.body);
    const hit = full.json().full_hashes.find((entry: { hash: string }) => entry.hash === shopeeHash);
    assert.equal(hit.platform.name, 'Shopee');
    assert.equal(hit.verdict, 'registered');
    for (const prefix of ['abc', 'zzzzzzzz', '0123456789']) {
      const refused = await get(`/api/v1/full-hashes?prefix=${prefix}`);
      assert.equal(refused.statusCode, 400, prefix);
      assert.equal(refused.json().error.field, 'prefix');
    }
    const tooNew = await get(`/api/v1/hash-prefixes?since=${version + 1}`);
    assert.equal(tooNew.statusCode, 400);
    assert.equal(tooNew.json().error.field, 'since');

    // A register change: a new platform, and Shopee revoked.
    await importRegistryRows(
      testApp.database,
      [registryRow({ name: 'Cửa hàng băm', domains: ['cuahangbam-test.vn'], androidApps: ['vn.cuahangbam.app'] })],
      cliContext(),
    );
    const shopee = (await findPlatformByRegistrationNo(testApp.database.db, hit.platform.registration_no))!;
    await testApp.database.db
      .transaction()
      .execute((trx) => setPlatformStatus(trx, shopee.id, 'revoked', 'test', cliContext()));
    const diffResponse = await eventually(async () => {
      const response = await get(`/api/v1/hash-prefixes?since=${version}`);
      const body = response.json();
      assert.ok(body.removals.length > 0 && body.additions.length >= 3, response.body);
      return response;
    });
    const diff = diffResponse.json();
    assert.equal(diff.since, version);
    assert.ok(diff.version >= version + 1);
    const has = (entries: { prefix: string; verdict: string }[], expression: string, verdict: string) =>
      entries.some((entry) => entry.prefix === prefixOf(sha256Hex(expression)) && entry.verdict === verdict);
    assert.ok(has(diff.additions, 'cuahangbam-test.vn', 'notified'));
    assert.ok(has(diff.additions, 'android:vn.cuahangbam.app', 'notified'));
    assert.ok(has(diff.additions, 'shopee.vn', 'revoked'));
    assert.ok(has(diff.removals, 'shopee.vn', 'registered'));
    assert.equal(diffResponse.headers['x-hash-prefix-version'], String(diff.version));
    const diffEtag = diffResponse.headers.etag as string;
    assert.equal((await get(`/api/v1/hash-prefixes?since=${version}`, { 'if-none-match': diffEtag })).statusCode, 304);
    // The old ETag no longer matches; the full list has the new state.
    const now = await get('/api/v1/hash-prefixes', { 'if-none-match': etag });
    assert.equal(now.statusCode, 200);
    assert.ok(has(now.json().prefixes, 'shopee.vn', 'revoked'));
    // Nothing since the current version.
    const none = (await get(`/api/v1/hash-prefixes?since=${diff.version}`)).json();
    assert.deepEqual([none.additions, none.removals], [[], []]);
    // The offline list follows, and still agrees with the online check.
    const checker = new OfflineChecker(await exportOfflineList(testApp.database));
    for (const input of ['https://shopee.vn/x', 'cuahangbam-test.vn', 'android:vn.cuahangbam.app']) {
      assert.equal(checker.check(input).verdict, (await online(input)).verdict, input);
    }
  });
});

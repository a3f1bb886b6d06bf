import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliContext } from '../src/core/context.ts';
import { feedBytes } from '../src/modules/blocklist/blocklist.service.ts';
import { verifyFeedSignature } from '../src/modules/blocklist/blocklist.signing.ts';
import { findPlatformByRegistrationNo, setPlatformStatus } from '../src/modules/registry/index.ts';
import type { RegistryRow } from '../src/modules/registry/registry.csv.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, createPartnerToken, loginAs } from './support/auth.ts';
import { checkZone, localZone, lookup, NAMED, NAMED_CHECKZONE, startNamed } from './support/named.ts';

const ZONE = 'rpz.ecomgov.invalid';
const DEMO_BLOCKED = 'hanghieugiasoc-demo.vn';
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-blocklist-'));

function row(
  line: number,
  values: Partial<RegistryRow> & Pick<RegistryRow, 'name' | 'status' | 'domains'>,
): RegistryRow {
  return {
    line,
    registrationNo: null,
    kind: 'sales',
    crossBorder: false,
    androidApps: [],
    iosApps: [],
    orgName: null,
    taxCode: null,
    validUntil: null,
    legacyId: null,
    ...values,
  };
}

async function eventuallyWithin<T>(
  limitMs: number,
  probe: () => Promise<T | undefined>,
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  for (;;) {
    const value = await probe();
    const ms = performance.now() - started;
    if (value !== undefined) return { value, ms };
    if (ms > limitMs) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('blocklist feeds', () => {
  let testApp: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url, headers });

  async function setStatus(registrationNo: string, status: 'blocked' | 'registered') {
    const platform = await findPlatformByRegistrationNo(testApp.database.db, registrationNo);
    assert.ok(platform, registrationNo);
    await testApp.database.db
      .transaction()
      .execute((trx) => setPlatformStatus(trx, platform.id, status, 'test', cliContext()));
  }

  before(async () => {
    testApp = await startTestApp();
  });
  after(async () => {
    await testApp.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('lists the blocked platforms of the register in every format, and nothing else', async () => {
    const rpz = await get('/feeds/blocklist.rpz');
    assert.equal(rpz.statusCode, 200);
    const serial = Number(rpz.headers['x-blocklist-serial']);
    assert.ok(serial >= 1);
    assert.match(rpz.body, new RegExp(`IN SOA localhost\\. hostmaster\\.localhost\\. \\( ${serial} `));
    assert.match(rpz.body, /^@ IN NS localhost\.$/m);
    assert.match(rpz.body, new RegExp(`^${DEMO_BLOCKED} CNAME \\.$`, 'm'));
    assert.match(rpz.body, new RegExp(`^\\*\\.${DEMO_BLOCKED} CNAME \\.$`, 'm'));
    assert.doesNotMatch(rpz.body, /shopee\.vn/);

    const hosts = await get('/feeds/blocklist.hosts');
    assert.deepEqual(
      hosts.body.split('\n').filter((line) => line && !line.startsWith('#')),
      [`0.0.0.0 ${DEMO_BLOCKED}`],
    );
    const csv = await get('/feeds/blocklist.csv');
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    const lines = csv.body.trim().split('\n');
    assert.equal(
      lines[0],
      'domain,platform,registration_no,decision_no,legal_basis,effective_from,effective_to,serial',
    );
    assert.deepEqual(lines.slice(1), [`${DEMO_BLOCKED},Hàng Hiệu Giá Sốc,,,,,,${serial}`]);
    const json = (await get('/feeds/blocklist.json')).json() as {
      serial: number;
      note: string;
      entries: Array<Record<string, unknown>>;
    };
    assert.equal(json.serial, serial);
    assert.equal(json.entries.length, 1);
    assert.equal(json.entries[0]?.domain, DEMO_BLOCKED);
    // No decision is recorded in ecomgov yet: the fields are there, empty, and the feed says why.
    assert.equal(json.entries[0]?.decision_no, null);
    assert.equal(json.entries[0]?.legal_basis, null);
    assert.equal(json.entries[0]?.effective_from, null);
    assert.match(json.note, /blocking workflow/);
  });

  it('a platform blocked through the register reaches every feed within 5 s, with a new serial', async (t) => {
    const before = Number((await get('/feeds/blocklist.rpz')).headers['x-blocklist-serial']);
    const started = performance.now();
    await setStatus('DEMO-TMDT-0003', 'blocked'); // tiki.vn
    const { ms } = await eventuallyWithin(5_000, async () => {
      const bodies = await Promise.all(['rpz', 'hosts', 'csv', 'json'].map((f) => get(`/feeds/blocklist.${f}`)));
      return bodies.every((response) => response.body.includes('tiki.vn')) ? true : undefined;
    });
    const total = performance.now() - started;
    t.diagnostic(`blocked → in all four feeds: ${total.toFixed(0)} ms (polling ${ms.toFixed(0)} ms after commit)`);
    assert.ok(total < 5_000);
    const after = await get('/feeds/blocklist.rpz');
    const serial = Number(after.headers['x-blocklist-serial']);
    assert.ok(serial > before, `${serial} > ${before}`);
    assert.match(after.body, new RegExp(`\\( ${serial} `));

    const diff = (await get(`/feeds/blocklist.json?since=${before}`)).json() as {
      serial: number;
      added: Array<{ domain: string; action: string }>;
      removed: unknown[];
    };
    assert.equal(diff.serial, serial);
    assert.deepEqual(
      diff.added.map((entry) => [entry.domain, entry.action]),
      [['tiki.vn', 'block']],
    );
    assert.deepEqual(diff.removed, []);

    // Lifted: gone from the feeds, and the diff says so.
    await setStatus('DEMO-TMDT-0003', 'registered');
    await eventuallyWithin(5_000, async () =>
      (await get('/feeds/blocklist.hosts')).body.includes('tiki.vn') ? undefined : true,
    );
    const lifted = (await get(`/feeds/blocklist.json?since=${serial}`)).json() as {
      added: unknown[];
      removed: Array<{ domain: string }>;
    };
    assert.deepEqual(lifted.added, []);
    assert.deepEqual(
      lifted.removed.map((entry) => entry.domain),
      ['tiki.vn'],
    );
    // Any serial can be read again: the list as it was at `serial` still holds tiki.vn.
    assert.match((await get(`/feeds/blocklist.hosts?serial=${serial}`)).body, /0\.0\.0\.0 tiki\.vn/);
  });

  it('answers 304 to the ETag of the current version, and 400 to a serial it has not reached', async () => {
    const first = await get('/feeds/blocklist.rpz');
    const etag = first.headers.etag as string;
    assert.ok(etag);
    assert.equal((await get('/feeds/blocklist.rpz', { 'if-none-match': etag })).statusCode, 304);
    assert.equal((await get('/feeds/blocklist.hosts', { 'if-none-match': etag })).statusCode, 200);
    const serial = Number(first.headers['x-blocklist-serial']);
    const bad = await get(`/feeds/blocklist.json?since=${serial + 1}`);
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as { error: { field: string } }).error.field, 'since');
    assert.equal((await get('/feeds/blocklist.json?since=abc')).statusCode, 400);
  });

  it('adds passthru exceptions for registered domains that a blocked wildcard would catch', async () => {
    await importRegistryRows(
      testApp.database,
      [
        row(2, { name: 'Chợ Lậu (thử nghiệm)', status: 'blocked', domains: ['cholau-test.vn'] }),
        row(3, { name: 'Cửa hàng con (thử nghiệm)', status: 'notified', domains: ['shop.cholau-test.vn'] }),
      ],
      cliContext(),
    );
    const { value: rpz } = await eventuallyWithin(5_000, async () => {
      const body = (await get('/feeds/blocklist.rpz')).body;
      return body.includes('shop.cholau-test.vn') ? body : undefined;
    });
    assert.match(rpz, /^cholau-test\.vn CNAME \.$/m);
    assert.match(rpz, /^\*\.cholau-test\.vn CNAME \.$/m);
    assert.match(rpz, /^shop\.cholau-test\.vn CNAME rpz-passthru\.$/m);
    assert.match(rpz, /^\*\.shop\.cholau-test\.vn CNAME rpz-passthru\.$/m);
    // A block nested in a blocked domain: the exception under both stays one entry, the new block is added.
    await importRegistryRows(
      testApp.database,
      [row(2, { name: 'Cửa hàng sâu (thử nghiệm)', status: 'notified', domains: ['shop.x.cholau-test.vn'] })],
      cliContext(),
    );
    await eventuallyWithin(5_000, async () =>
      (await get('/feeds/blocklist.rpz')).body.includes('shop.x.cholau-test.vn CNAME rpz-passthru.') ? true : undefined,
    );
    await importRegistryRows(
      testApp.database,
      [row(2, { name: 'Chợ Lậu X (thử nghiệm)', status: 'blocked', domains: ['x.cholau-test.vn'] })],
      cliContext(),
    );
    const { value: nested } = await eventuallyWithin(5_000, async () => {
      const body = (await get('/feeds/blocklist.rpz')).body;
      return body.includes('x.cholau-test.vn CNAME .') ? body : undefined;
    });
    assert.equal(nested.match(/^shop\.x\.cholau-test\.vn CNAME rpz-passthru\.$/gm)?.length, 1);
    assert.match(nested, /^\*\.x\.cholau-test\.vn CNAME \.$/m);
    // Exceptions are an RPZ matter: the hosts, CSV and JSON lists name blocked domains only.
    assert.doesNotMatch((await get('/feeds/blocklist.hosts')).body, /shop\.cholau-test/);
    assert.doesNotMatch((await get('/feeds/blocklist.json')).body, /shop\.cholau-test/);
  });

  it('signs every feed with the key it publishes; a changed byte fails', async () => {
    const keyResponse = await get('/feeds/signing-key');
    assert.equal(keyResponse.statusCode, 200);
    const key = keyResponse.body;
    assert.match(key, /^-----BEGIN PUBLIC KEY-----/);
    for (const format of ['rpz', 'hosts', 'csv', 'json']) {
      const file = await get(`/feeds/blocklist.${format}`);
      const serial = file.headers['x-blocklist-serial'];
      const signature = await get(`/feeds/blocklist.${format}.sig?serial=${serial}`);
      assert.equal(signature.statusCode, 200, format);
      assert.equal(verifyFeedSignature(file.rawPayload, signature.rawPayload, key), true, format);
      const tampered = Buffer.from(file.rawPayload);
      const at = tampered.length - 2;
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      assert.equal(verifyFeedSignature(tampered, signature.rawPayload, key), false, format);
    }
  });

  it('records the serial each ISP loaded; officers see who is behind', async () => {
    const token = await createPartnerToken(testApp.database, ['blocklist:read']);
    const serial = Number((await get('/feeds/blocklist.rpz')).headers['x-blocklist-serial']);
    const report = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/blocklist/loaded',
      headers: { authorization: `Bearer ${token}` },
      payload: { serial: serial - 1 },
    });
    assert.equal(report.statusCode, 200, report.body);
    assert.deepEqual(report.json(), { serial: serial - 1, current: serial, behind: 1 });
    const tooNew = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/blocklist/loaded',
      headers: { authorization: `Bearer ${token}` },
      payload: { serial: serial + 5 },
    });
    assert.equal(tooNew.statusCode, 400);
    const silent = await createPartnerToken(testApp.database, ['blocklist:read']);
    assert.ok(silent);

    const officer = await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'viewer' });
    const session = await loginAs(testApp.app, officer);
    const page = await get('/workbench/blocklist?lang=en', { cookie: session.cookie });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-state="behind">1 version</);
    assert.match(page.body, /data-state="never">Never reported</);
  });

  it('named-checkzone accepts the RPZ zone, with NXDOMAIN and with a walled garden', {
    skip: !NAMED_CHECKZONE && 'named-checkzone is not installed (Debian bind9-utils)',
  }, async () => {
    const nxdomain = path.join(tempDir, 'nxdomain.rpz');
    fs.writeFileSync(nxdomain, (await get('/feeds/blocklist.rpz')).rawPayload);
    const first = checkZone(ZONE, nxdomain);
    assert.equal(first.code, 0, first.output);
    const serial = Number((await get('/feeds/blocklist.rpz')).headers['x-blocklist-serial']);
    assert.match(first.output, new RegExp(`loaded serial ${serial}`));
    const garden = path.join(tempDir, 'garden.rpz');
    fs.writeFileSync(
      garden,
      await feedBytes(testApp.database, 'rpz', { zone: ZONE, landingHost: 'canhbao.ecomgov-test.vn' }, serial),
    );
    const second = checkZone(ZONE, garden);
    assert.equal(second.code, 0, second.output);
  });

  it('a real BIND loads the zone as its response policy; probe reports what it still resolves', {
    skip: !NAMED && 'named is not installed (Debian bind9)',
  }, async () => {
    const serial = Number((await get('/feeds/blocklist.rpz')).headers['x-blocklist-serial']);
    const rpzText = (await feedBytes(testApp.database, 'rpz', { zone: ZONE, landingHost: null }, serial)).toString();
    // Every name the test asks for has real answers without the policy: the blocks are the policy's doing.
    const zones = {
      [DEMO_BLOCKED]: localZone(DEMO_BLOCKED, '192.0.2.1'),
      'cholau-test.vn': localZone('cholau-test.vn', '192.0.2.2'),
      'shopee.vn': localZone('shopee.vn', '192.0.2.3'),
      'lazada.vn': localZone('lazada.vn', '192.0.2.4'),
    };
    const named = await startNamed({ rpzZone: ZONE, rpzText, zones });
    try {
      assert.equal(await lookup(named.resolver, DEMO_BLOCKED), 'ENOTFOUND');
      assert.equal(await lookup(named.resolver, `www.${DEMO_BLOCKED}`), 'ENOTFOUND');
      assert.equal(await lookup(named.resolver, `a.b.${DEMO_BLOCKED}`), 'ENOTFOUND');
      assert.equal(await lookup(named.resolver, 'cholau-test.vn'), 'ENOTFOUND');
      assert.equal(await lookup(named.resolver, 'x.cholau-test.vn'), 'ENOTFOUND');
      // The passthru exception: a notified shop under the blocked domain still resolves.
      assert.deepEqual(await lookup(named.resolver, 'shop.cholau-test.vn'), ['192.0.2.2']);
      assert.deepEqual(await lookup(named.resolver, 'www.shop.cholau-test.vn'), ['192.0.2.2']);
      assert.deepEqual(await lookup(named.resolver, 'shopee.vn'), ['192.0.2.3']);

      // The probe, against a resolver that loaded this serial, finds every blocked domain blocked ...
      const { probeResolver } = await import('../src/modules/blocklist/blocklist.probe.ts');
      const clean = await probeResolver(testApp.database.db, named.address, { landingHost: null });
      assert.deepEqual(clean.still_resolving, []);
      assert.equal(clean.blocked, clean.checked);
      assert.ok(clean.checked >= 2);
      // ... and, once lazada.vn is blocked too and the resolver has not reloaded, reports it.
      await setStatus('DEMO-TMDT-0002', 'blocked');
      await eventuallyWithin(5_000, async () =>
        (await get('/feeds/blocklist.hosts')).body.includes('lazada.vn') ? true : undefined,
      );
      const stale = await probeResolver(testApp.database.db, named.address, { landingHost: null });
      assert.deepEqual(stale.still_resolving, [{ domain: 'lazada.vn', addresses: ['192.0.2.4'] }]);
    } finally {
      await named.stop();
    }
    await setStatus('DEMO-TMDT-0002', 'registered');
  });

  it('a walled garden answers the landing host for blocked names, and probe counts it as blocked', {
    skip: !NAMED && 'named is not installed (Debian bind9)',
  }, async () => {
    const serial = Number((await get('/feeds/blocklist.rpz')).headers['x-blocklist-serial']);
    const landingHost = 'canhbao.ecomgov-test.vn';
    const rpzText = (await feedBytes(testApp.database, 'rpz', { zone: ZONE, landingHost }, serial)).toString();
    const named = await startNamed({
      rpzZone: ZONE,
      rpzText,
      zones: {
        'ecomgov-test.vn': localZone('ecomgov-test.vn', '192.0.2.9'),
        [DEMO_BLOCKED]: localZone(DEMO_BLOCKED, '192.0.2.1'),
        'shopee.vn': localZone('shopee.vn', '192.0.2.3'),
      },
    });
    try {
      assert.deepEqual(await lookup(named.resolver, DEMO_BLOCKED), ['192.0.2.9']);
      assert.deepEqual(await lookup(named.resolver, `shop.${DEMO_BLOCKED}`), ['192.0.2.9']);
      assert.deepEqual(await lookup(named.resolver, 'shopee.vn'), ['192.0.2.3']);
      const { probeResolver } = await import('../src/modules/blocklist/blocklist.probe.ts');
      const report = await probeResolver(testApp.database.db, named.address, { landingHost });
      assert.deepEqual(report.still_resolving, []);
      assert.equal(report.blocked, report.checked);
    } finally {
      await named.stop();
    }
  });
});

describe('the public feeds are rate limited (FEED_RATE_LIMIT)', () => {
  it('answers 429 past the limit, per client address', async () => {
    const limited = await startTestApp({ env: { FEED_RATE_LIMIT: 2 } });
    try {
      const statuses = [];
      for (const url of ['/feeds/blocklist.rpz', '/feeds/blocklist.rpz', '/feeds/blocklist.rpz']) {
        statuses.push((await limited.app.inject({ method: 'GET', url, remoteAddress: '198.51.100.7' })).statusCode);
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      const other = await limited.app.inject({
        method: 'GET',
        url: '/feeds/blocklist.rpz',
        remoteAddress: '198.51.100.8',
      });
      assert.equal(other.statusCode, 200);
    } finally {
      await limited.close();
    }
  });
});

describe('ecomgov blocklist export and verify (the CLI)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-blocklist-cli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    delete env.FEED_SIGNING_KEY_DIR;
    return new Promise((resolve) => {
      const child = spawn(
        process.execPath,
        [path.resolve('bin/ecomgov.js'), '--data', path.join(dir, 'data'), ...args],
        {
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('writes FILE and FILE.sig; verify accepts them and refuses a changed file', async () => {
    const csv = path.join(dir, 'register.csv');
    fs.writeFileSync(
      csv,
      'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until\n,Chặn Thử,sales,blocked,false,chanthu-cli.vn,,,,,\n,Mở Thử,sales,unregistered,false,mothu-cli.vn,,,,,\n',
    );
    const imported = await runCli(['registry', 'import', csv]);
    assert.equal(imported.code, 0, imported.stderr);
    const out = path.join(dir, 'blocklist.rpz');
    const exported = await runCli([
      'blocklist',
      'export',
      '--format',
      'rpz',
      '--zone',
      'rpz.test.invalid',
      '--out',
      out,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const zone = fs.readFileSync(out, 'utf8');
    assert.match(zone, /^\$ORIGIN rpz\.test\.invalid\.$/m);
    assert.match(zone, /^chanthu-cli\.vn CNAME \.$/m);
    assert.doesNotMatch(zone, /mothu-cli/);
    assert.ok(fs.existsSync(`${out}.sig`));
    // The key was made in the data folder, outside the repository.
    assert.ok(fs.existsSync(path.join(dir, 'data', 'feed-signing-key.ed25519.pem')));
    const ok = await runCli(['blocklist', 'verify', out, `${out}.sig`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /signature valid/);
    fs.appendFileSync(out, 'evil.example CNAME rpz-passthru.\n');
    const bad = await runCli(['blocklist', 'verify', out, `${out}.sig`]);
    assert.equal(bad.code, 1);
    if (NAMED) {
      // `blocklist probe` against a resolver that loaded the exported zone: nothing still resolves (exit 0) ...
      const zones = { 'chanthu-cli.vn': localZone('chanthu-cli.vn', '192.0.2.21') };
      const named = await startNamed({ rpzZone: 'rpz.test.invalid', rpzText: zone, zones });
      try {
        const probe = await runCli(['blocklist', 'probe', '--resolver', named.address]);
        assert.equal(probe.code, 0, probe.stdout + probe.stderr);
        assert.match(probe.stdout, /1 blocked domains asked .*, 1 blocked, 0 still resolved/);
      } finally {
        await named.stop();
      }
      // ... and against one without the policy, it names the domain and exits 1.
      const unfiltered = await startNamed({
        rpzZone: 'rpz.test.invalid',
        rpzText: '$TTL 60\n@ IN SOA localhost. hostmaster.localhost. ( 1 3600 600 86400 60 )\n@ IN NS localhost.\n',
        zones,
      });
      try {
        const probe = await runCli(['blocklist', 'probe', '--resolver', unfiltered.address, '--json']);
        assert.equal(probe.code, 1, probe.stderr);
        const report = JSON.parse(probe.stdout) as { still_resolving: unknown[] };
        assert.deepEqual(report.still_resolving, [{ domain: 'chanthu-cli.vn', addresses: ['192.0.2.21'] }]);
      } finally {
        await unfiltered.stop();
      }
    }
    const wrongFormat = await runCli(['blocklist', 'export', '--format', 'bind']);
    assert.equal(wrongFormat.code, 2);
    assert.match(wrongFormat.stderr, /--format/);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { normalizeHost } from '../src/core/hosts.ts';
import { CheckIndex } from '../src/modules/check/check.index.ts';
import type { PlatformSnapshot } from '../src/modules/registry/index.ts';
import type { RegistryRow } from '../src/modules/registry/registry.csv.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { createTestDatabase } from './support/database.ts';
import { loadPlatformSnapshots, registryRow as row } from './support/registry.ts';

const CONTEXT = { actor: 'test:check-index' };

const ROWS: RegistryRow[] = [
  row({
    line: 2,
    registrationNo: 'IDX-0001',
    name: 'Chợ Đêm Sài Gòn',
    kind: 'marketplace',
    status: 'registered',
    crossBorder: true,
    validUntil: '2031-06-30',
    domains: ['chodem-saigon.vn', 'chodem-saigon.com'],
    androidApps: ['vn.chodem.app'],
    iosApps: ['1234567890'],
  }),
  // Same brand key as the first: the registered one keeps the name.
  row({ line: 3, name: 'CHỢ ĐÊM sài gòn!', status: 'expired', domains: ['cho-dem-cu.vn'] }),
  row({ line: 4, name: 'Tab\there, line\nbreak, "quoted" and back\\slash', domains: ['odd-name.vn'] }),
  row({ line: 5, name: 'Ünïcödé Ⅻ ﬁ 𝐀 Ǆ', registrationNo: 'IDX-0005', domains: ['unicode-name.vn'] }),
];

function host(domain: string) {
  return normalizeHost(domain);
}

// Packed on this thread (a small register) and on a worker (a large one), the index must be the same.
for (const thread of ['this', 'worker'] as const) {
  describe(`the check index loaded from the database, packed on ${thread} thread`, () => {
    let database: Database;
    let snapshots: Map<string, PlatformSnapshot>;
    const fromDatabase = new CheckIndex();
    const fromSnapshots = new CheckIndex();

    before(async () => {
      database = await createTestDatabase();
      await importRegistryRows(database, ROWS, CONTEXT);
      snapshots = await loadPlatformSnapshots(database);
      await fromDatabase.replaceAllFromDatabase(database, { thread });
      fromSnapshots.replaceAll(snapshots.values());
    });
    after(async () => {
      await database.close();
    });

    it('finds every platform by each identity, as the snapshots say', () => {
      assert.equal(fromDatabase.size, ROWS.length);
      for (const snapshot of snapshots.values()) {
        // A lookup gives the platform without its identity lists: all a check answer tells.
        const { domains, androidApps, iosApps, ...summary } = snapshot;
        for (const domain of domains) {
          assert.deepEqual(fromDatabase.findByHost(host(domain)), summary, domain);
          assert.deepEqual(fromDatabase.findByHost(host(`m.${domain}`)), summary, `m.${domain}`);
        }
        for (const app of androidApps) assert.deepEqual(fromDatabase.findByAndroidApp(app), summary);
        for (const app of iosApps) assert.deepEqual(fromDatabase.findByIosApp(app), summary);
      }
    });

    it('answers names as the index built from snapshots does, the registered platform first', () => {
      for (const { name } of ROWS) {
        assert.deepEqual(fromDatabase.findByName(name), fromSnapshots.findByName(name), name);
        assert.ok(fromDatabase.findByName(name), name);
      }
      assert.equal(fromDatabase.findByName('cho dem sai gon')?.status, 'registered');
      assert.equal(fromDatabase.findByName('nothing like it'), undefined);
      assert.equal(fromDatabase.findByHost(host('not-registered.vn')), undefined);
    });

    it('finds the same look-alikes', () => {
      for (const lookalike of ['chodem-saigon.net', 'chodem-saigon-sale.vn', 'chodemsaigon.vn', 'chodem-saiogn.vn']) {
        const match = fromDatabase.findLookalike(host(lookalike));
        assert.ok(match, lookalike);
        assert.deepEqual(match, fromSnapshots.findLookalike(host(lookalike)), lookalike);
      }
    });
  });
}

describe('CheckIndex.update', () => {
  const registered: PlatformSnapshot = {
    id: 'p-1',
    registrationNo: 'R-1',
    name: 'Sàn Mẫu',
    kind: 'marketplace',
    status: 'registered',
    crossBorder: false,
    validUntil: null,
    domains: ['sanmau.vn', 'sanmau.com'],
    androidApps: [],
    iosApps: ['111'],
  };
  const other: PlatformSnapshot = {
    ...registered,
    id: 'p-2',
    status: 'notified',
    domains: ['sanmau2.vn'],
    iosApps: [],
  };

  it('replaces a changed platform and forgets a deleted one', () => {
    const index = new CheckIndex();
    index.replaceAll([registered, other]);
    assert.equal(index.findByName('san mau')?.id, 'p-1');
    assert.equal(index.findLookalike(host('sanmau-sale.vn'))?.platformId, 'p-1');

    index.update(['p-1'], [{ ...registered, status: 'revoked', domains: ['sanmau.net'] }]);
    assert.equal(index.size, 2);
    assert.equal(index.findByHost(host('sanmau.vn')), undefined);
    assert.equal(index.findByHost(host('sanmau.net'))?.status, 'revoked');
    assert.equal(index.findByIosApp('111')?.status, 'revoked');
    // A changed platform is removed and added again: a name it held is free again and it takes it back, as before
    // the index was packed. A revoked platform is no look-alike target.
    assert.equal(index.findByName('San Mau')?.id, 'p-1');
    assert.equal(index.findLookalike(host('sanmau-sale.vn')), undefined);

    index.update(['p-2'], []);
    assert.equal(index.size, 1);
    assert.equal(index.findByHost(host('sanmau2.vn')), undefined);
  });
});

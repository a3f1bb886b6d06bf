import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../src/core/db.ts';
import { loadPlatformSnapshotsByIds, type PlatformSnapshot } from '../src/modules/registry/index.ts';
import type { RegistryRow } from '../src/modules/registry/registry.csv.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { createTestDatabase } from './support/database.ts';
import { loadPlatformSnapshots, registryRow as row } from './support/registry.ts';

const CONTEXT = { actor: 'test:snapshots' };

const ROWS: RegistryRow[] = [
  row({
    line: 2,
    registrationNo: 'SNAP-0001',
    name: 'Chợ Ảnh Chụp',
    kind: 'marketplace',
    status: 'registered',
    crossBorder: true,
    domains: ['chop-anh.vn', 'chop-anh.com', 'chop-anh.net'],
    androidApps: ['vn.chopanh.app', 'vn.chopanh.lite'],
    iosApps: ['1500000001'],
    validUntil: '2031-06-30',
  }),
  // Names are free text to the database: separators, quotes and escapes must come back unchanged.
  row({
    line: 3,
    name: 'Tab\there, line\nbreak, "quoted" and back\\slash',
    status: 'pending',
    domains: ['odd-name.vn'],
  }),
  row({ line: 4, registrationNo: 'SNAP-0003', name: 'Không tên miền', status: 'notified', iosApps: ['1500000003'] }),
  row({ line: 5, name: 'Sàn Không Ứng Dụng 🛒', status: 'unregistered', domains: ['khong-ung-dung.vn'] }),
];

function byId(snapshots: Iterable<PlatformSnapshot>): Map<string, PlatformSnapshot> {
  return new Map([...snapshots].map((snapshot) => [snapshot.id, snapshot]));
}

describe('loading the register for the check index', () => {
  let database: Database;
  before(async () => {
    database = await createTestDatabase();
    await importRegistryRows(database, ROWS, CONTEXT);
  });
  after(async () => {
    await database.close();
  });

  it('reads every platform as the per-platform query does, identities in their listed order', async () => {
    const all = await loadPlatformSnapshots(database);
    const one = byId(await loadPlatformSnapshotsByIds(database.db, [...all.keys()]));
    assert.equal(all.size, ROWS.length);
    for (const [id, snapshot] of all) assert.deepEqual({ ...snapshot }, { ...one.get(id) }, `platform ${id}`);
    const shop = [...all.values()].find((snapshot) => snapshot.registrationNo === 'SNAP-0001');
    assert.deepEqual(shop?.domains, ['chop-anh.vn', 'chop-anh.com', 'chop-anh.net']);
    assert.deepEqual(shop?.androidApps, ['vn.chopanh.app', 'vn.chopanh.lite']);
    assert.equal(shop?.validUntil, '2031-06-30');
    assert.equal(shop?.crossBorder, true);
  });

  it('keeps names with tabs, line breaks, quotes and backslashes intact', async () => {
    const names = [...(await loadPlatformSnapshots(database)).values()].map((snapshot) => snapshot.name).sort();
    assert.deepEqual(names, ROWS.map((entry) => entry.name).sort());
  });

  it('follows the listed order of identities when the table holds them in another order', async () => {
    // Updated rows move to the end of the table: positions 2, 1, 0 stored in the order vn, com, net.
    await sql`UPDATE platform_identities SET position = 2 - position
              WHERE value IN ('chop-anh.vn', 'chop-anh.com', 'chop-anh.net')`.execute(database.db);
    const shop = [...(await loadPlatformSnapshots(database)).values()].find(
      (snapshot) => snapshot.registrationNo === 'SNAP-0001',
    );
    assert.deepEqual(shop?.domains, ['chop-anh.net', 'chop-anh.com', 'chop-anh.vn']);
  });
});

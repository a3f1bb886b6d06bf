import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { AppError } from '../src/core/errors.ts';
import { getStatusHistory } from '../src/modules/registry/index.ts';
import { searchPlatforms } from '../src/modules/registry/registry.search.ts';
import { exportRegistry, importRegistryFile } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testDatabaseKind } from './support/database.ts';
import { issueText } from './support/errors.ts';

const HEADER =
  'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until,legacy_id';
const ROWS = [
  'TEST-0001,Chợ Phiên Test,marketplace,registered,false,chophien-test.vn|www.chophien-test.com.vn,vn.chophien.test,1234567890,Công ty TNHH Chợ Phiên,0106773786,2030-12-31,WebDetails/90001',
  'TEST-0002,Nhà Sách Bình Minh Test,sales,notified,false,nhasach-binhminh.vn,,,Công ty CP Bình Minh,0309532909,,',
  ',Pending Shop Test,sales,pending,false,pending-shop.vn,,,,,,',
];

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-registry-'));
function writeCsv(name: string, lines: string[]): string {
  const file = path.join(tempDir, name);
  fs.writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
  return file;
}

async function exportText(testApp: TestApp): Promise<string> {
  let text = '';
  await exportRegistry(testApp.database.db, (chunk) => {
    text += chunk;
  });
  return text;
}

async function countRows(testApp: TestApp, table: 'platforms' | 'platform_status_history' | 'platform_identities') {
  const result = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)}`.execute(
    testApp.database.db,
  );
  return result.rows[0]?.n ?? 0;
}

describe(`registry (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ demo: false });
  });
  after(async () => {
    await testApp.close();
    fs.rmSync(tempDir, { recursive: true, force: true });
  });

  it('imports a file and exports it back row for row', async () => {
    const counts = await importRegistryFile(testApp.database, writeCsv('first.csv', ROWS), { actor: 'test' });
    assert.equal(counts.created, 3);
    assert.equal(counts.updated, 0);
    const exported = (await exportText(testApp)).trim().split('\n');
    assert.equal(exported[0], HEADER);
    assert.deepEqual(
      new Set(exported.slice(1)),
      new Set(ROWS.map((row) => row.replace('www.chophien-test.com.vn', 'chophien-test.com.vn'))),
    );
  });

  it('changes nothing when the same file is imported twice', async () => {
    const historyBefore = await countRows(testApp, 'platform_status_history');
    const counts = await importRegistryFile(testApp.database, writeCsv('again.csv', ROWS), { actor: 'test' });
    assert.deepEqual(
      { created: counts.created, updated: counts.updated, unchanged: counts.unchanged },
      { created: 0, updated: 0, unchanged: 3 },
    );
    assert.equal(await countRows(testApp, 'platform_status_history'), historyBefore);
    assert.equal(await countRows(testApp, 'platforms'), 3);
  });

  it('updates the platform that has the registration number, and records the status change', async () => {
    const changed = ROWS[0]!.replace(',registered,', ',suspended,').replace('Chợ Phiên Test', 'Chợ Phiên Test Mới');
    const counts = await importRegistryFile(testApp.database, writeCsv('update.csv', [changed]), { actor: 'test' });
    assert.equal(counts.updated, 1);
    const { platforms } = await searchPlatforms(testApp.database.db, { q: 'TEST-0001', limit: 5, offset: 0 });
    assert.equal(platforms[0]?.name, 'Chợ Phiên Test Mới');
    assert.equal(platforms[0]?.status, 'suspended');
    const history = await getStatusHistory(testApp.database.db, platforms[0]!.id);
    assert.deepEqual(
      history.map((change) => [change.from_status, change.to_status]),
      [
        [null, 'registered'],
        ['registered', 'suspended'],
      ],
    );
  });

  it('updates the platform that owns an identity when the row has no registration number yet', async () => {
    const approved = 'TEST-0003,Pending Shop Test,sales,notified,false,pending-shop.vn|pending-shop.com,,,,,,';
    const counts = await importRegistryFile(testApp.database, writeCsv('approve.csv', [approved]), { actor: 'test' });
    assert.deepEqual([counts.created, counts.updated], [0, 1]);
    const { platforms } = await searchPlatforms(testApp.database.db, { q: 'pending-shop.com', limit: 5, offset: 0 });
    assert.equal(platforms[0]?.registration_no, 'TEST-0003');
    assert.deepEqual(platforms[0]?.domains, ['pending-shop.vn', 'pending-shop.com']);
  });

  it('stores nothing when any row is invalid, and names every bad line and field', async () => {
    const before = await exportText(testApp);
    const file = writeCsv('invalid.csv', [
      'TEST-0100,Good Row,sales,notified,false,good-row.vn,,,,,,',
      'TEST-0101,Bad Tax,sales,notified,false,bad-tax.vn,,,Org,0106773787,,',
      'TEST-0102,Bad Kind,shop,notified,false,bad-kind.vn,,,,,,',
    ]);
    await assert.rejects(importRegistryFile(testApp.database, file, { actor: 'test' }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'invalid_input');
      assert.deepEqual(
        error.issues.map((issue) => [issue.line, issue.field]),
        [
          [3, 'tax_code'],
          [4, 'kind'],
        ],
      );
      return true;
    });
    assert.equal(await exportText(testApp), before);
  });

  it('refuses a domain that already belongs to a platform the file does not describe', async () => {
    const before = await exportText(testApp);
    const file = writeCsv('taken.csv', [
      'TEST-0200,Thief Shop,sales,notified,false,thief.vn|nhasach-binhminh.vn,,,,,,',
    ]);
    await assert.rejects(importRegistryFile(testApp.database, file, { actor: 'test' }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.issues[0]?.line, 2);
      assert.equal(error.issues[0]?.field, 'domains');
      assert.match(issueText(error.issues[0]), /nhasach-binhminh\.vn already belongs to "Nhà Sách Bình Minh Test"/);
      return true;
    });
    assert.equal(await exportText(testApp), before);
  });

  it('moves a domain from a platform the file describes to a new platform in the same file', async () => {
    const file = writeCsv('move.csv', [
      'TEST-0002,Nhà Sách Bình Minh Test,sales,notified,false,nhasach-binhminh.vn,,,Công ty CP Bình Minh,0309532909,,',
      'TEST-0300,Mover Shop Test,sales,notified,false,mover-shop.vn,,,,,,',
    ]);
    await importRegistryFile(testApp.database, file, { actor: 'test' });
    const moved = writeCsv('moved.csv', [
      'TEST-0002,Nhà Sách Bình Minh Test,sales,notified,false,nhasach-binhminh.vn,,,Công ty CP Bình Minh,0309532909,,',
      'TEST-0300,Mover Shop Test,sales,notified,false,mover-shop.com,,,,,,',
      'TEST-0301,Mover Shop Test Mới,sales,notified,false,mover-shop.vn,,,,,,',
    ]);
    const counts = await importRegistryFile(testApp.database, moved, { actor: 'test' });
    assert.deepEqual([counts.created, counts.updated], [1, 1]);
    const { platforms } = await searchPlatforms(testApp.database.db, { q: 'mover-shop.vn', limit: 5, offset: 0 });
    assert.deepEqual(
      platforms.map((platform) => [platform.registration_no, platform.domains]),
      [['TEST-0301', ['mover-shop.vn']]],
    );
  });

  it('reports a file that cannot be read with its name', async () => {
    await assert.rejects(
      importRegistryFile(testApp.database, path.join(tempDir, 'missing.csv'), { actor: 'test' }),
      /missing\.csv/,
    );
  });

  it('finds platforms by name regardless of case and Vietnamese diacritics', async () => {
    for (const query of ['nha sach binh minh', 'NHÀ SÁCH', 'binh minh']) {
      const { platforms } = await searchPlatforms(testApp.database.db, { q: query, limit: 5, offset: 0 });
      assert.deepEqual(
        platforms.map((platform) => platform.name),
        ['Nhà Sách Bình Minh Test'],
        `query ${query}`,
      );
    }
  });

  it('finds a platform by one of its domains, given as a URL', async () => {
    const { platforms } = await searchPlatforms(testApp.database.db, {
      q: 'https://www.chophien-test.com.vn/',
      limit: 5,
      offset: 0,
    });
    assert.equal(platforms[0]?.registration_no, 'TEST-0001');
  });

  it('serves search, detail and a 404 in the API error shape', async () => {
    const list = await testApp.app.inject({ url: '/api/v1/platforms?q=chophien' });
    assert.equal(list.statusCode, 200);
    const body = list.json();
    assert.equal(body.total, 1);
    assert.equal(body.platforms[0].law_type, 'intermediary');
    assert.equal(body.platforms[0].organisation.tax_code, '0106773786');

    const detail = await testApp.app.inject({ url: `/api/v1/platforms/${body.platforms[0].id}` });
    assert.equal(detail.statusCode, 200);
    assert.equal(detail.json().status_history.length, 2);

    const missing = await testApp.app.inject({ url: '/api/v1/platforms/00000000-0000-4000-8000-000000000000' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'not_found');

    const badLimit = await testApp.app.inject({ url: '/api/v1/platforms?limit=100000' });
    assert.equal(badLimit.statusCode, 400);
    assert.equal(badLimit.json().error.code, 'invalid_input');
    assert.equal(badLimit.json().error.field, 'limit');
  });

  it('shows the public record page of a registration number in both languages', async () => {
    const vi = await testApp.app.inject({ url: '/r/TEST-0002' });
    assert.equal(vi.statusCode, 200);
    assert.match(vi.body, /Nhà Sách Bình Minh Test/);
    assert.match(vi.body, /Đã thông báo/);
    const en = await testApp.app.inject({ url: '/r/TEST-0002?lang=en' });
    assert.match(en.body, /Notified/);
    const missing = await testApp.app.inject({ url: '/r/NO-SUCH-NUMBER' });
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /text\/html/);
  });
});

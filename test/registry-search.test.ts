import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { readEnvironment } from '../src/core/config.ts';
import { foldForSearch } from '../src/core/text.ts';
import { type SearchTracer, searchPlatforms } from '../src/modules/registry/registry.search.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

const REGISTER = [
  ...Array.from({ length: 7 }, () => registryRow({ name: 'Trùng Tên Test' })),
  ...Array.from({ length: 2 }, () => registryRow({ name: 'Trùng Tên Test Hà Nội' })),
  ...Array.from({ length: 6 }, () => registryRow({ name: 'Shop Trùng Tên Test' })),
  registryRow({ name: 'Chợ Trung-Tên-Test' }),
  registryRow({ name: 'Trung Tâm Test' }),
  // Holds the piece of "trung ten test" that the trigram index looks up ("trungtent"), not the whole query.
  registryRow({ name: 'Trùng Tên Tét Khác' }),
  registryRow({ name: 'Nhà Sách Khác' }),
  registryRow({ name: 'TT-0003 Chính Hãng', registrationNo: 'TT-0003' }),
  registryRow({ name: 'TT-0003 Outlet' }),
  registryRow({ name: 'Shop TT-0003 Fan' }),
  registryRow({ name: 'Đại lý TT 0003' }),
  registryRow({ name: 'Cửa hàng Miền Tây', domains: ['mientay-test.vn'] }),
];

interface ListBody {
  total: number | null;
  platforms: { id: string; name: string }[];
  next_cursor: string | null;
}

describe(`registry search (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ demo: false });
    await importRegistryRows(testApp.database, REGISTER, { actor: 'test' });
  });
  after(async () => {
    await testApp.close();
  });

  async function list(query: Record<string, string>): Promise<ListBody> {
    const response = await testApp.app.inject({ url: `/api/v1/platforms?${new URLSearchParams(query)}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  }

  /** Every page of a query through next_cursor. */
  async function allPages(query: Record<string, string>): Promise<ListBody[]> {
    const pages = [await list(query)];
    for (let cursor = pages[0]?.next_cursor; cursor; cursor = pages.at(-1)?.next_cursor) {
      pages.push(await list({ ...query, cursor }));
      assert.ok(pages.length < 50, 'paging does not end');
    }
    return pages;
  }

  async function idsNamed(...names: string[]): Promise<string[]> {
    const rows = await sql<{ id: string }>`SELECT id FROM platforms WHERE name IN (${sql.join(names)})`.execute(
      testApp.database.db,
    );
    return rows.rows.map((row) => row.id);
  }

  const byNameThenId = (a: { name: string; id: string }, b: { name: string; id: string }) =>
    Buffer.compare(Buffer.from(foldForSearch(a.name)), Buffer.from(foldForSearch(b.name))) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('pages through every match exactly once: names starting with the query by name then id, then the others by id', async () => {
    const pages = await allPages({ q: 'trùng tên test', limit: '4' });
    assert.deepEqual(
      pages.map((page) => page.platforms.length),
      [4, 4, 4, 4],
    );
    assert.equal(pages[0]?.total, null);
    assert.equal(pages.at(-1)?.next_cursor, null);
    const results = pages.flatMap((page) => page.platforms);
    assert.equal(new Set(results.map((platform) => platform.id)).size, results.length);

    const starting = results.slice(0, 9);
    assert.deepEqual(
      starting.map((platform) => platform.name),
      [...Array(7).fill('Trùng Tên Test'), 'Trùng Tên Test Hà Nội', 'Trùng Tên Test Hà Nội'],
    );
    assert.deepEqual(starting, [...starting].sort(byNameThenId));
    const holding = results.slice(9);
    assert.deepEqual(
      holding.map((platform) => platform.id),
      (await idsNamed('Shop Trùng Tên Test', 'Chợ Trung-Tên-Test')).sort(),
    );

    const plain = (await allPages({ q: 'trung ten test', limit: '4' })).flatMap((page) => page.platforms);
    assert.deepEqual(plain, results);
    const whole = await list({ q: 'TRÙNG TÊN TEST' });
    assert.equal(whole.total, 16);
    assert.equal(whole.next_cursor, null);
    assert.deepEqual(whole.platforms, results);
  });

  it('lists the platform with the registration number first, and only once', async () => {
    const pages = await allPages({ q: 'TT-0003', limit: '1' });
    const names = pages.flatMap((page) => page.platforms.map((platform) => platform.name));
    assert.deepEqual(names.slice(0, 2), ['TT-0003 Chính Hãng', 'TT-0003 Outlet']);
    assert.deepEqual(new Set(names.slice(2)), new Set(['Shop TT-0003 Fan', 'Đại lý TT 0003']));
    assert.equal(names.length, 4);
    assert.equal((await list({ q: 'TT-0003' })).total, 4);
  });

  it('finds a platform by a host typed as a URL before any name', async () => {
    const page = await list({ q: 'https://www.mientay-test.vn/' });
    assert.equal(page.platforms[0]?.name, 'Cửa hàng Miền Tây');
  });

  it('matches a one- or two-letter query against the start of names only', async () => {
    for (const q of ['tr', 'T', 'đ']) {
      const page = await list({ q, limit: '100' });
      const folded = foldForSearch(q);
      const expected = REGISTER.filter((row) => foldForSearch(row.name).startsWith(folded)).length;
      assert.ok(expected > 0);
      assert.equal(page.total, expected, `query ${q}`);
      assert.ok(
        page.platforms.every((platform) => foldForSearch(platform.name).startsWith(folded)),
        `query ${q}`,
      );
    }
    const everything = await list({ q: '', limit: '100' });
    assert.equal(everything.total, REGISTER.length);
  });

  it('still takes a small offset, after the cursor', async () => {
    const first = await list({ q: 'trung ten test', limit: '6' });
    const skipped = await list({ q: 'trung ten test', limit: '3', offset: '2' });
    assert.deepEqual(skipped.platforms, first.platforms.slice(2, 5));
    const second = await list({ q: 'trung ten test', limit: '3', cursor: first.next_cursor ?? '' });
    const secondSkipped = await list({ q: 'trung ten test', limit: '1', offset: '2', cursor: first.next_cursor ?? '' });
    assert.deepEqual(secondSkipped.platforms, second.platforms.slice(2, 3));
  });

  it('refuses a deep offset and a cursor it did not write, naming the field', async () => {
    for (const [query, field] of [
      [{ q: 'test', offset: '101' }, 'offset'],
      [{ q: 'test', cursor: 'bm90IGEgY3Vyc29y' }, 'cursor'],
      [
        { q: 'test', cursor: Buffer.from('[3,"x","00000000-0000-4000-8000-000000000000"]').toString('base64url') },
        'cursor',
      ],
    ] as const) {
      const response = await testApp.app.inject({ url: `/api/v1/platforms?${new URLSearchParams(query)}` });
      assert.equal(response.statusCode, 400, JSON.stringify(query));
      assert.equal(response.json().error.code, 'invalid_input');
      assert.equal(response.json().error.field, field);
    }
    const page = await testApp.app.inject({ url: '/platforms?q=test&offset=500&lang=vi' });
    assert.equal(page.statusCode, 400);
    assert.match(page.body, /offset/);
  });

  it('links the next page of the list page through its cursor, and back to the first', async () => {
    const first = await testApp.app.inject({ url: '/platforms?q=trung+ten+test&limit=10&lang=vi' });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /10 kết quả trên trang này/);
    const next = /<a href="([^"]+)" rel="next">Trang sau →<\/a>/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(next?.includes('cursor='), 'a next link with a cursor');
    assert.doesNotMatch(first.body, /Trang đầu/);
    const second = await testApp.app.inject({ url: `${next}&lang=en` });
    assert.equal(second.statusCode, 200);
    assert.match(second.body, /6 results on this page/);
    assert.match(second.body, /← First page/);
    assert.doesNotMatch(second.body, /rel="next"/);
    const all = await testApp.app.inject({ url: '/platforms?q=trung+ten+test&lang=en' });
    assert.match(all.body, /16 results/);
  });

  it('answers every statement of every kind of search from an index, never a sequential scan', async () => {
    const steps = new Set<string>();
    const seqScans: string[] = [];
    // Sequential scans are off while explaining, so that an index path is taken wherever one exists (on a table this
    // small a sequential scan would otherwise be the cheaper plan); the setting is restored for the search itself.
    const trace: SearchTracer = async (trx, statement) => {
      const before = await sql<{ value: string }>`SELECT current_setting('enable_seqscan') AS value`.execute(trx);
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const explained = await sql<{ plan: unknown }>`EXPLAIN (FORMAT JSON) ${statement.query}`.execute(trx);
      await sql`SELECT set_config('enable_seqscan', ${before.rows[0]?.value ?? 'on'}, true)`.execute(trx);
      steps.add(statement.step);
      const text = JSON.stringify(explained.rows[0]);
      if (text.includes('"Seq Scan"')) seqScans.push(`${statement.step}: ${text}`);
    };
    const queries = ['trùng tên test', 'tr', 'T', '', 'TT-0003', 'mientay-test.vn', 'không có đâu', 'shop'];
    for (const q of queries) {
      let page = await searchPlatforms(testApp.database.db, { q, limit: 2 }, { trace });
      for (let pages = 1; page.next_cursor && pages < 4; pages++) {
        page = await searchPlatforms(testApp.database.db, { q, limit: 2, cursor: page.next_cursor }, { trace });
      }
    }
    assert.deepEqual(seqScans, []);
    assert.deepEqual([...steps].sort(), ['identifiers', 'name_prefix', 'name_trigrams', 'name_window']);
  });
});

describe(`registry search rate limit (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  const limit = readEnvironment({}).SEARCH_RATE_LIMIT;
  before(async () => {
    testApp = await startTestApp({ demo: false, searchRateLimitPerMinute: limit });
  });
  after(async () => {
    await testApp.close();
  });

  it('answers 429 rate_limited past SEARCH_RATE_LIMIT (60) searches a minute from one IP, on the API and the page', async () => {
    assert.equal(limit, 60);
    for (const url of ['/api/v1/platforms?q=shop', '/platforms?q=shop']) {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < limit; attempt++) {
        statuses.push((await testApp.app.inject({ url, remoteAddress: '198.51.100.20' })).statusCode);
      }
      assert.deepEqual(new Set(statuses), new Set([200]), url);
      const refused = await testApp.app.inject({ url, remoteAddress: '198.51.100.20' });
      assert.equal(refused.statusCode, 429, url);
      if (url.startsWith('/api/')) {
        assert.equal(refused.json().error.code, 'rate_limited');
        assert.match(refused.json().error.message, /rate limit of 60 requests per minute/);
      }
      const otherClient = await testApp.app.inject({ url, remoteAddress: '198.51.100.21' });
      assert.equal(otherClient.statusCode, 200, url);
    }
  });
});

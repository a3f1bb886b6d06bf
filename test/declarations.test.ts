import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import { importDeclarations } from '../src/modules/declarations/declarations.import.ts';
import { DECLARATION_COLUMNS } from '../src/modules/declarations/declarations.rows.ts';
import {
  buildDeclarationsReport,
  rescreenDeclarations,
  reviewGatheringPoint,
  setStandard,
  writeFlagsNdjson,
} from '../src/modules/declarations/declarations.service.ts';
import { registerDeclarationsCli } from '../src/modules/declarations/index.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, createPartnerToken, formBody, loginAs } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';

type Fields = Partial<Record<(typeof DECLARATION_COLUMNS)[number], string | number>>;

let serial = 0;
/** A valid declaration with what the test gives: a registered platform (shopee.vn), a described good. */
function declaration(fields: Fields = {}): Record<string, string | number> {
  serial++;
  return {
    declaration_no: `T${serial}`,
    declared_at: '2025-03-10T10:00:00+07:00',
    platform: 'shopee.vn',
    seller: `seller ${serial}`,
    hs_code: '330499',
    description: 'Son môi',
    quantity: 1,
    value_vnd: 200000,
    origin_country: 'CN',
    consignee_name: `Người nhận ${serial}`,
    consignee_phone: `09${String(10000000 + serial).slice(-8)}`,
    consignee_address: `${serial} Lê Lợi, Phường Bến Nghé, TP.HCM`,
    tracking_no: `TR${serial}`,
    ...fields,
  };
}

function csvOf(rows: ReadonlyArray<Record<string, string | number>>): string {
  const quote = (value: string | number) => {
    const text = String(value);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return `${DECLARATION_COLUMNS.join(',')}\n${rows.map((row) => DECLARATION_COLUMNS.map((c) => quote(row[c] ?? '')).join(',')).join('\n')}\n`;
}

describe('declarations', () => {
  let testApp: TestApp;
  let index: CheckIndex;
  let stopIndex: () => Promise<void>;
  const run = (text: string | Buffer, source = `test:${serial++}`, batchSize?: number) =>
    importDeclarations(testApp.database, Readable.from([Buffer.from(text)]), { source, index, batchSize });
  const flagsOf = async (no: string) => {
    const rows = await sql<{ flag: string; reason: Record<string, unknown> }>`
      SELECT flag, reason FROM declaration_flags WHERE declaration_no = ${no} ORDER BY flag`.execute(
      testApp.database.db,
    );
    return Object.fromEntries(rows.rows.map((row) => [row.flag, row.reason]));
  };

  before(async () => {
    testApp = await startTestApp();
    ({ index, stop: stopIndex } = await startCheckIndex(testApp.database));
  });
  after(async () => {
    await stopIndex();
    await testApp.close();
  });

  it('stores valid rows and reports each rejected row by line, field and reason', async () => {
    const good = declaration();
    const csv = csvOf([
      good,
      declaration({ declared_at: '10/03/2025' }),
      declaration({ hs_code: '12' }),
      declaration({ consignee_phone: 'call me' }),
      declaration({ value_vnd: '12.5' }),
    ]);
    const summary = await run(csv, 'file:rejects.csv');
    assert.equal(summary.stored, 1);
    assert.deepEqual(
      summary.rejections.map((r) => [r.line, r.field]),
      [
        [3, 'declared_at'],
        [4, 'hs_code'],
        [5, 'consignee_phone'],
        [6, 'value_vnd'],
      ],
    );
    // Again: nothing stored twice, the rejections not counted twice.
    const again = await run(csv, 'file:rejects.csv');
    assert.equal(again.stored, 0);
    assert.equal(again.duplicates, 1);
    const report = await buildDeclarationsReport(testApp.database.db);
    const rejected = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM declaration_rejections WHERE source = 'file:rejects.csv'`.execute(
      testApp.database.db,
    );
    assert.equal(rejected.rows[0]?.n, 4);
    assert.ok(report.rejected >= 4);
  });

  it('counts lines across chunk boundaries, blank lines and quoted line breaks when it names a rejected row', async () => {
    const header = DECLARATION_COLUMNS.join(',');
    const rowText = (row: Record<string, string | number>) => csvOf([row]).slice(header.length + 1, -1);
    // Line 1 the header, 2–4 the first row (two quoted line breaks), 5 blank, 6 the bad quantity, 7 blank, 8 good, 9 bad.
    const text = Buffer.from(
      [
        header,
        rowText(declaration({ description: 'Áo thun\nmàu đỏ\nsize M' })),
        '',
        rowText(declaration({ quantity: '0' })),
        '',
        rowText(declaration()),
        rowText(declaration({ origin_country: 'Trung Quốc' })),
        '',
      ].join('\n'),
    );
    const chunks = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.subarray(i * 7, i * 7 + 7));
    const summary = await importDeclarations(testApp.database, Readable.from(chunks), {
      source: `test:${serial++}`,
      index,
    });
    assert.deepEqual(
      summary.rejections.map((r) => [r.line, r.field]),
      [
        [6, 'quantity'],
        [9, 'origin_country'],
      ],
    );
    assert.equal(summary.stored, 2);
  });

  it('stores text as given, tabs, backslashes and line breaks included (the server path COPYs it)', async () => {
    const odd = declaration({ description: 'Áo\tthun \\N "size M"\nmàu đỏ\\', seller: '\\N' });
    await run(csvOf([odd]));
    const stored = await sql<{ description: string; seller: string; consignee_phone: string }>`
      SELECT description, seller, consignee_phone FROM declarations WHERE declaration_no = ${String(odd.declaration_no)}`.execute(
      testApp.database.db,
    );
    assert.deepEqual(stored.rows[0], {
      description: odd.description,
      seller: '\\N',
      consignee_phone: odd.consignee_phone,
    });
  });

  it('refuses a file without the contract columns, naming the column', async () => {
    await assert.rejects(
      run('declaration_no,declared_at\nX,2025-01-01T00:00:00Z\n'),
      (error: Error & { field?: string }) => {
        assert.equal(error.field, 'platform');
        return true;
      },
    );
  });

  it('reads NDJSON and gzip, the same fields', async () => {
    const rows = [declaration(), declaration({ quantity: 'two' })];
    const ndjson = rows.map((row) => JSON.stringify(row)).join('\n');
    const summary = await run(zlib.gzipSync(ndjson));
    assert.equal(summary.format, 'ndjson');
    assert.equal(summary.gzip, true);
    assert.equal(summary.stored, 1);
    assert.deepEqual(summary.rejections, [{ line: 2, field: 'quantity', reason: 'not a whole number of at least 1' }]);
  });

  it('leaves whole batches only when the input breaks off, and a re-run completes the file', async () => {
    // Vague descriptions, so every row has a flag to store with it (or not, when the row was stored before).
    const rows = Array.from({ length: 25 }, () =>
      declaration({ declared_at: '2025-04-02T08:00:00+07:00', description: 'quà tặng' }),
    );
    const csv = csvOf(rows);
    const cut = csv.indexOf(`\n${rows[12]?.declaration_no},`);
    const broken = new Readable({
      read() {
        this.push(Buffer.from(csv.slice(0, cut + 1)));
        this.destroy(new Error('connection lost'));
      },
    });
    await assert.rejects(importDeclarations(testApp.database, broken, { source: 'file:cut.csv', index, batchSize: 5 }));
    const numbers = rows.map((row) => String(row.declaration_no));
    const stored = async () =>
      (
        await sql<{
          n: number;
        }>`SELECT count(*)::int AS n FROM declarations WHERE declaration_no = ANY(${numbers})`.execute(
          testApp.database.db,
        )
      ).rows[0]?.n;
    const partial = (await stored()) ?? 0;
    assert.equal(partial % 5, 0, `whole batches of 5 only, found ${partial}`);
    assert.ok(partial > 0 && partial <= 12, `some whole batches stored before the break, found ${partial}`);
    // Batches of 7 across the 5 stored before: a batch partly stored sends only its new rows and their flags.
    const rerun = await run(csv, 'file:cut.csv', 7);
    assert.equal(rerun.stored, 25 - partial);
    assert.equal(rerun.duplicates, partial);
    assert.equal(await stored(), 25);
    const flagged = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM declaration_flags
      WHERE flag = 'vague_description' AND declaration_no = ANY(${numbers})`.execute(testApp.database.db);
    assert.equal(flagged.rows[0]?.n, 25);
  });

  it('flags goods bought through an unregistered platform, through the check', async () => {
    const temu = declaration({ platform: 'https://www.temu.com/vn/goods.html?x=1' });
    const shopee = declaration({ platform: 'shopee.vn' });
    await run(csvOf([temu, shopee]));
    const flags = await flagsOf(String(temu.declaration_no));
    assert.equal(flags.unregistered_platform?.verdict, 'unregistered');
    assert.equal(flags.unregistered_platform?.platform, 'Temu');
    assert.equal((await flagsOf(String(shopee.declaration_no))).unregistered_platform, undefined);
  });

  it('flags a split shipment: one consignee however the phone is spelled, one seller, one day in Vietnam', async () => {
    const base = { seller: 'Split Seller', consignee_name: 'Trần Thị B', value_vnd: 400000 };
    const parcels = [
      declaration({ ...base, consignee_phone: '0987 654 321', declared_at: '2025-03-20T00:30:00+07:00' }),
      declaration({ ...base, consignee_phone: '+84 987-654-321', declared_at: '2025-03-20T12:00:00+07:00' }),
      // 23:30 in Vietnam is still the 20th (16:30 UTC).
      declaration({ ...base, consignee_phone: '(+84) 987.654.321', declared_at: '2025-03-20T16:30:00Z' }),
      // The next day in Vietnam: not part of it.
      declaration({ ...base, consignee_phone: '0987654321', declared_at: '2025-03-20T17:30:00Z' }),
    ];
    await run(csvOf(parcels));
    const reason = (await flagsOf(String(parcels[0]?.declaration_no))).split_shipment;
    assert.equal(reason?.parcels, 3);
    assert.equal(reason?.total_vnd, 1200000);
    assert.equal((reason?.rule as { effective_from: string } | undefined)?.effective_from, '2025-02-18');
    assert.equal((await flagsOf(String(parcels[3]?.declaration_no))).split_shipment, undefined);
  });

  it('cites the rule in force on the day: before 18 February 2025 the exemption of Decision 78/2010', async () => {
    const base = { seller: 'Old Seller', consignee_phone: '0911111111', value_vnd: 600000 };
    const parcels = [
      declaration({ ...base, declared_at: '2025-01-05T09:00:00+07:00' }),
      declaration({ ...base, declared_at: '2025-01-05T10:00:00+07:00' }),
    ];
    await run(csvOf(parcels));
    const rule = (await flagsOf(String(parcels[0]?.declaration_no))).split_shipment?.rule as { provision: string };
    assert.match(rule.provision, /78\/2010\/QĐ-TTg/);
  });

  it('flags goods under a technical regulation, undervalued goods and vague descriptions', async () => {
    const jeans = declaration({ hs_code: '62034200' });
    const history = Array.from({ length: 20 }, () => declaration({ hs_code: '851671', value_vnd: 500000 }));
    const cheap = declaration({ hs_code: '85167100', value_vnd: 20000 });
    const gift = declaration({ description: 'Quà tặng' });
    await run(csvOf([jeans, ...history, cheap, gift]));
    const standard = (await flagsOf(String(jeans.declaration_no))).needs_standard as {
      standards: Array<{ code: string }>;
    };
    assert.equal(standard.standards[0]?.code, 'QCVN 01:2017/BCT');
    const undervalued = (await flagsOf(String(cheap.declaration_no))).undervalued;
    assert.equal(undervalued?.median_unit_value_vnd, 500000);
    assert.equal((await flagsOf(String(history[0]?.declaration_no))).undervalued, undefined);
    assert.equal((await flagsOf(String(gift.declaration_no))).vague_description?.why, 'generic word "Quà tặng"');
  });

  it('screens with a regulation added to the catalogue, from its date, and audits the change', async () => {
    // Stored before the regulation exists: flagged only once screened again.
    const bag = declaration({ hs_code: '420292', declared_at: '2025-03-05T10:00:00+07:00' });
    await run(csvOf([bag]));
    assert.equal((await flagsOf(String(bag.declaration_no))).needs_standard, undefined);
    await setStandard(
      testApp.database,
      { actor: 'user:science' },
      {
        code: 'QCVN TEST:2025/BCT',
        title_vi: 'Quy chuẩn thử',
        title_en: 'Test regulation',
        issuing_body: 'Bộ Công Thương',
        instrument: 'Thông tư thử',
        hs_prefixes: ['4202'],
        hs_mapping_status: 'unverified',
        source_url: 'https://example.invalid/qcvn',
        source_status: 'unverified',
        effective_from: '2025-03-01',
        effective_to: null,
        note: '',
      },
    );
    const before = declaration({ hs_code: '420221', declared_at: '2025-02-28T10:00:00+07:00' });
    const from = declaration({ hs_code: '420221', declared_at: '2025-03-01T10:00:00+07:00' });
    await run(csvOf([before, from]));
    assert.equal((await flagsOf(String(before.declaration_no))).needs_standard, undefined);
    const reason = (await flagsOf(String(from.declaration_no))).needs_standard as {
      standards: Array<{ code: string }>;
    };
    assert.equal(reason.standards[0]?.code, 'QCVN TEST:2025/BCT');
    await assert.rejects(
      setStandard(
        testApp.database,
        { actor: 'user:science' },
        {
          code: 'QCVN BAD',
          title_vi: 'x',
          title_en: 'x',
          issuing_body: 'x',
          instrument: 'x',
          hs_prefixes: ['42a'],
          hs_mapping_status: 'unverified',
          source_url: 'x',
          source_status: 'unverified',
          effective_from: '2025-03-01',
          effective_to: null,
          note: '',
        },
      ),
      (error: Error & { field?: string }) => error.field === 'hs',
    );
    await rescreenDeclarations(testApp.database);
    const after = (await flagsOf(String(bag.declaration_no))).needs_standard as {
      standards: Array<{ code: string; hs_prefix: string }>;
    };
    assert.deepEqual(
      after.standards.map((s) => [s.code, s.hs_prefix]),
      [['QCVN TEST:2025/BCT', '4202']],
    );
    assert.equal(
      ((await flagsOf(String(from.declaration_no))).needs_standard as { standards: Array<{ code: string }> })
        .standards[0]?.code,
      'QCVN TEST:2025/BCT',
    );
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_events WHERE entity_type = 'standard'`.execute(testApp.database.db);
    assert.deepEqual(audit.rows, [{ action: 'standard.create' }]);
  });

  it('ranks gathering points: one address spelled many ways, many consignees, unregistered platforms', async () => {
    const spellings = [
      'Số 15 Đường số 7, KCN Tân Tạo, P. Tân Tạo A, Q. Bình Tân, TP.HCM',
      '15 duong so 7 khu cong nghiep tan tao phuong tan tao a quan binh tan thanh pho ho chi minh',
      '15, Đ. Số 7, Khu Công Nghiệp Tân Tạo, Phường Tân Tạo A, Quận Bình Tân, TP Hồ Chí Minh',
      '15 đường số 7 - KCN Tân Tạo - p.Tân Tạo A - q.Bình Tân - Sài Gòn',
    ];
    const parcels = Array.from({ length: 24 }, (_, i) =>
      declaration({
        platform: i % 2 ? 'temu.com' : 'shein.com',
        consignee_address: spellings[i % 4] as string,
        declared_at: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00+07:00`,
      }),
    );
    await run(csvOf(parcels));
    const report = await buildDeclarationsReport(testApp.database.db);
    assert.deepEqual(Object.keys(report), ['declarations', 'rejected', 'flags', 'gathering_points']);
    assert.deepEqual(Object.keys(report.flags).sort(), [
      'needs_standard',
      'split_shipment',
      'undervalued',
      'unregistered_platform',
      'vague_description',
    ]);
    const point = report.gathering_points[0];
    assert.deepEqual(point, {
      address: '15 duong so 7, kcn tan tao, p. tan tao a, tp ho chi minh',
      parcels: 24,
      consignees: 24,
      platforms: ['SHEIN', 'Temu'],
      first_seen: '2025-03-01',
      last_seen: '2025-03-24',
      status: 'suspected',
    });
    const review = {
      addressKey: point.address,
      status: 'confirmed' as const,
      unitId: 'market_management',
      note: 'kho hàng',
    };
    const { caseId } = await reviewGatheringPoint(testApp.database, { actor: 'user:test' }, review);
    const confirmed = await buildDeclarationsReport(testApp.database.db);
    assert.equal(confirmed.gathering_points[0]?.status, 'confirmed');
    // Confirming opens one inspection case for the unit; confirming again does not open another.
    assert.ok(caseId);
    const opened = await sql<{ title: string; unit_id: string; current_step: string }>`
      SELECT title, unit_id, current_step FROM cases WHERE id = ${caseId}`.execute(testApp.database.db);
    assert.deepEqual(opened.rows[0], {
      title: `Điểm tập kết nghi vấn: ${point.address}`,
      unit_id: 'market_management',
      current_step: 'plan',
    });
    assert.deepEqual(await reviewGatheringPoint(testApp.database, { actor: 'user:test' }, review), { caseId: null });
    const audit = await sql<{ action: string }>`
      SELECT action FROM audit_events WHERE entity_type = 'gathering_point'`.execute(testApp.database.db);
    assert.deepEqual(audit.rows, [{ action: 'gathering_point.confirmed' }, { action: 'gathering_point.confirmed' }]);
  });

  it('prints one NDJSON line per flagged declaration, filtered by flag', async () => {
    const chunks: Buffer[] = [];
    await writeFlagsNdjson(testApp.database, 'vague_description', (chunk) => chunks.push(chunk));
    const lines = Buffer.concat(chunks)
      .toString('utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.ok(lines.length >= 1);
    for (const line of lines) {
      assert.deepEqual(Object.keys(line), ['declaration_no', 'flags', 'reasons']);
      assert.ok(line.flags.includes('vague_description'));
      assert.ok(line.reasons.vague_description);
    }
  });

  it('takes a streamed CSV body from a partner with declarations:write, and answers the report to officers only', async () => {
    const token = await createPartnerToken(testApp.database, ['declarations:write']);
    const rows = [declaration(), declaration({ hs_code: 'x' })];
    const response = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      payload: csvOf(rows),
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.equal(body.stored, 1);
    assert.deepEqual(body.rejections, [{ line: 3, field: 'hs_code', reason: 'not an HS code of 6 to 10 digits' }]);
    const json = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(rows[0]),
    });
    assert.equal(json.statusCode, 400);
    assert.equal(json.json().error.field, 'content-type');
    const anonymous = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/declarations',
      payload: csvOf(rows),
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(anonymous.statusCode, 401);
    const report = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/declarations/report',
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(report.statusCode, 403);
  });

  it('draws imports by week, platform, HS chapter and origin for a period, each table with its CSV', async () => {
    const at = (day: string) => `${day}T10:00:00+07:00`;
    await run(
      csvOf([
        declaration({
          platform: 'temu.com',
          hs_code: '620520',
          origin_country: 'CN',
          value_vnd: 100000,
          declared_at: at('2031-03-03'),
        }),
        declaration({
          platform: 'temu.com',
          hs_code: '620520',
          origin_country: 'CN',
          value_vnd: 200000,
          declared_at: at('2031-03-09'),
        }),
        declaration({
          platform: 'shopee.vn',
          hs_code: '851671',
          origin_country: 'US',
          value_vnd: 300000,
          declared_at: at('2031-03-10'),
        }),
        declaration({
          platform: '',
          hs_code: '851671',
          origin_country: 'CN',
          value_vnd: 400000,
          declared_at: at('2031-03-16'),
        }),
        // Outside the period.
        declaration({ platform: 'temu.com', hs_code: '620520', origin_country: 'CN', declared_at: at('2031-03-17') }),
      ]),
    );
    const officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'import_export' }),
    );
    const get = (url: string) => testApp.app.inject({ url, headers: { cookie: officer.cookie } });
    const page = await get('/workbench/declarations?from=03/03/2031&to=16/03/2031');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-share="50\.0%"/, 'two of four parcels through Temu, which is unregistered');
    assert.match(page.body, /<tr data-key="2031-03-03">.*?03\/03\/2031.*?<td data-label="Bưu kiện">2<\/td>/s);
    assert.match(page.body, /<tr data-key="Temu">/);
    assert.match(page.body, /<svg aria-hidden="true"/);
    const english = await get('/workbench/declarations?from=2031-03-03&to=2031-03-16&lang=en');
    assert.match(english.body, /By HS chapter/);
    const csv = (table: string) =>
      get(`/workbench/declarations/dashboard.csv?table=${table}&from=03/03/2031&to=16/03/2031`);
    const weeks = await csv('weeks');
    assert.match(String(weeks.headers['content-type']), /text\/csv/);
    assert.equal(
      weeks.body
        .replace(/^\uFEFF/, '')
        .trim()
        .replace(/\r/g, ''),
      [
        'week_start,parcels,value_vnd,unregistered_parcels,unregistered_share',
        '2031-03-03,2,300000,2,1',
        '2031-03-10,2,700000,0,0',
      ].join('\n'),
    );
    assert.match((await csv('chapters')).body, /\n62,2,300000,2,1\r?\n85,2,700000,0,0/);
    assert.match((await csv('origins')).body, /\nCN,3,700000,2,0\.6667\r?\nUS,1,300000,0,0/);
    const platforms = (await csv('platforms')).body;
    assert.match(platforms, /\nTemu,2,300000,2,1/);
    assert.match(platforms, /\n,1,400000,0,0/, 'a declaration without a platform is its own row');
    const bad = await get('/workbench/declarations?from=31/02/2031');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /31\/02\/2031/);
    assert.equal((await get('/workbench/declarations/dashboard.csv?table=nope')).statusCode, 400);
  });

  it('shows the workbench page in both languages, exports the points as CSV, and lets Market Management decide with CSRF', async () => {
    const parcels = Array.from({ length: 20 }, (_, i) =>
      declaration({
        platform: 'temu.com',
        consignee_address: i % 2 ? '9 Lê Lợi, Phường 7, Quận 3, TP.HCM' : 'số 9 le loi p.7 q.3 tp ho chi minh',
        declared_at: '2025-05-05T09:00:00+07:00',
      }),
    );
    await run(csvOf(parcels));
    const address = '9 le loi, p. 7, q. 3, tp ho chi minh';
    const market = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'market_management' }),
    );
    const customs = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'import_export' }),
    );
    const page = await testApp.app.inject({ url: '/workbench/declarations', headers: { cookie: market.cookie } });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Điểm nghi tập kết/);
    assert.ok(page.body.includes(address), 'the point is listed');
    const english = await testApp.app.inject({
      url: '/workbench/declarations?lang=en',
      headers: { cookie: customs.cookie },
    });
    assert.match(english.body, /Suspected gathering points/);
    assert.doesNotMatch(english.body, /gathering-points\/review/, 'no decision form for Customs');
    const csv = await testApp.app.inject({
      url: '/workbench/declarations/gathering-points.csv',
      headers: { cookie: customs.cookie },
    });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /^\uFEFFaddress,parcels,consignees/);
    const review = (session: { cookie: string; csrf: string }, csrf: string) =>
      testApp.app.inject({
        method: 'POST',
        url: '/workbench/declarations/gathering-points/review',
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ _csrf: csrf, address, status: 'dismissed', note: 'nhà dân' }),
      });
    assert.equal((await review(market, 'wrong')).statusCode, 403);
    assert.equal((await review(customs, customs.csrf)).statusCode, 403);
    const done = await review(market, market.csrf);
    assert.equal(done.statusCode, 303);
    const report = await buildDeclarationsReport(testApp.database.db);
    assert.equal(report.gathering_points.find((p) => p.address === address)?.status, 'dismissed');
  });
  it('takes a rule change from a day as a new row: a two-day split-shipment window from then, one day before', async () => {
    const cli = (args: string[]) => runCliInProcess(testApp.database, registerDeclarationsCli, args);
    const refused = async (args: string[], field: string) => {
      const result = await cli(['declarations', 'rules', 'set', ...args]);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.error?.field, field, args.join(' '));
    };
    await refused(['split_shipment', '--param', 'window_days=0', '--from', '2030-01-01'], 'params.window_days');
    await refused(['split_shipment', '--param', 'window_days=1.5', '--from', '2030-01-01'], 'params.window_days');
    await refused(['split_shipment', '--param', 'colour=red', '--from', '2030-01-01'], 'params.colour');
    await refused(['split_shipment', '--param', 'window_days', '--from', '2030-01-01'], 'param');
    await refused(['nope', '--param', 'window_days=2'], 'code');
    await refused(['split_shipment', '--param', 'window_days=2', '--from', '01/01/2030'], 'from');
    await refused(['split_shipment', '--status', 'sure'], 'status');
    const set = await cli([
      '--json',
      'declarations',
      'rules',
      'set',
      'split_shipment',
      '--param',
      'window_days=2',
      '--from',
      '2030-01-01',
      '--note',
      'Thử nghiệm: cửa sổ hai ngày',
    ]);
    assert.equal(set.code, 0, set.error?.message);
    const rows = (await cli(['--json', 'declarations', 'rules'])).stdout;
    const split = (
      JSON.parse(rows) as Array<{
        code: string;
        params: Record<string, unknown>;
        effective_from: string;
        effective_to: string | null;
      }>
    ).filter((rule) => rule.code === 'split_shipment');
    assert.deepEqual(
      split.map((rule) => [rule.effective_from, rule.effective_to, rule.params.window_days, rule.params.threshold_vnd]),
      [
        ['2010-11-30', '2025-02-17', 1, 1_000_000],
        ['2025-02-18', '2029-12-31', 1, 1_000_000],
        ['2030-01-01', null, 2, 1_000_000],
      ],
    );
    // The same two parcels a day apart, before and after the change.
    const pair = (seller: string, first: string, second: string) => [
      declaration({ seller, consignee_phone: '0933333333', value_vnd: 600000, declared_at: first }),
      declaration({ seller, consignee_phone: '0933333333', value_vnd: 600000, declared_at: second }),
    ];
    const before = pair('Window Seller', '2029-12-20T10:00:00+07:00', '2029-12-21T10:00:00+07:00');
    const after = pair('Window Seller', '2030-01-10T10:00:00+07:00', '2030-01-11T22:00:00+07:00');
    const apart = pair('Window Seller', '2030-02-10T10:00:00+07:00', '2030-02-12T10:00:00+07:00');
    await run(csvOf([...before, ...after, ...apart]));
    for (const parcel of [...before, ...apart]) {
      assert.equal((await flagsOf(String(parcel.declaration_no))).split_shipment, undefined);
    }
    for (const parcel of after) {
      const reason = (await flagsOf(String(parcel.declaration_no))).split_shipment;
      assert.deepEqual(
        [reason?.window_days, reason?.parcels, reason?.total_vnd, reason?.day],
        [2, 2, 1_200_000, '2030-01-10'],
      );
    }
    // A parcel over the threshold inside the window ends it: the split is no longer hiding anything.
    const big = declaration({
      seller: 'Window Seller',
      consignee_phone: '0933333333',
      value_vnd: 1_500_000,
      declared_at: '2030-01-11T08:00:00+07:00',
    });
    await run(csvOf([big]));
    assert.equal((await flagsOf(String(after[0]?.declaration_no))).split_shipment, undefined);
    const audit = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM audit_events WHERE action = 'declaration_rule.set'`.execute(testApp.database.db);
    assert.equal(audit.rows[0]?.n, 1);
  });
});

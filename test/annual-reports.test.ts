import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { annualReportDeadline, annualReportFields } from '../src/modules/applications/annual-reports.ts';
import { registerApplicationsCli } from '../src/modules/applications/index.ts';
import { type ApplicationsTestEnv, startApplicationsTestApp } from './support/applications.ts';
import { createAccount, formBody, loginAs, randomTaxCode, type TestAccount, type TestSession } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';

/**
 * The periodic report of registered platforms (issue 10, `legal_procedures` row `periodic_report`): before 15 January
 * the owner reports the previous year's figures; when it is due and what it contains are data citing their sources.
 */

const FIELDS = [
  'visits',
  'sellers_total',
  'sellers_new',
  'products_total',
  'products_new',
  'orders_total',
  'orders_successful',
  'orders_failed',
] as const;

const VALID_FIGURES: Record<(typeof FIELDS)[number], string> = {
  visits: '1.250.000',
  sellers_total: '3200',
  sellers_new: '410',
  products_total: '85000',
  products_new: '12000',
  orders_total: '64000',
  orders_successful: '60000',
  orders_failed: '4000',
};

interface Actor {
  account: TestAccount;
  session: TestSession;
}

describe(`annual reports of registered platforms (${testDatabaseKind})`, () => {
  let env: ApplicationsTestEnv;
  let owner: Actor;
  let otherBusiness: Actor;
  let ideaOfficer: Actor;
  const ownerTaxCode = randomTaxCode();
  let ownMarketplace: string;
  let ownSalesSite: string;
  let silentMarketplace: string;
  let newMarketplace: string;

  async function actor(options: Parameters<typeof createAccount>[1]): Promise<Actor> {
    const account = await createAccount(env.database, options);
    return { account, session: await loginAs(env.app, account) };
  }

  function post(who: Actor, url: string, fields: Record<string, string>) {
    return env.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: who.session.cookie },
      payload: formBody({ ...fields, _csrf: who.session.csrf }),
    });
  }

  function postJson(who: Actor, url: string, body: unknown) {
    return env.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.session.cookie, 'x-csrf-token': who.session.csrf },
      payload: body as Record<string, unknown>,
    });
  }

  function get(who: Actor, url: string) {
    return env.app.inject({ method: 'GET', url, headers: { cookie: who.session.cookie } });
  }

  async function platform(
    organisationId: string,
    values: { kind: string; status: string; validFrom: string; name: string },
  ): Promise<string> {
    const row = await env.database.db
      .insertInto('platforms')
      .values({
        registration_no: `${values.kind === 'sales' ? 'TB' : 'DK'}-2024-${String(randomInt(10_000, 99_999))}`,
        name: values.name,
        name_key: values.name.toLowerCase(),
        kind: values.kind,
        status: values.status,
        cross_border: false,
        organisation_id: organisationId,
        valid_from: values.validFrom,
        valid_until: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function organisation(name: string, taxCode: string): Promise<string> {
    const row = await env.database.db
      .insertInto('organisations')
      .values({ name, name_key: name.toLowerCase(), tax_code: taxCode, country: 'VN' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function reportsOf(platformId: string) {
    return env.database.db.selectFrom('annual_reports').selectAll().where('platform_id', '=', platformId).execute();
  }

  before(async () => {
    env = await startApplicationsTestApp([]);
    owner = await actor({ kind: 'business', taxCode: ownerTaxCode, organisationName: 'Công ty CP Sàn Sen Hồng' });
    otherBusiness = await actor({ kind: 'business' });
    ideaOfficer = await actor({ kind: 'officer', unitId: 'idea', role: 'officer' });
    const own = await organisation('Công ty CP Sàn Sen Hồng', ownerTaxCode);
    const other = await organisation('Công ty TNHH Chợ Mây', randomTaxCode());
    ownMarketplace = await platform(own, {
      kind: 'marketplace',
      status: 'registered',
      validFrom: '2024-03-01',
      name: 'Sàn Sen Hồng',
    });
    ownSalesSite = await platform(own, {
      kind: 'sales',
      status: 'notified',
      validFrom: '2024-03-01',
      name: 'Cửa hàng Sen Hồng',
    });
    silentMarketplace = await platform(other, {
      kind: 'marketplace',
      status: 'suspended',
      validFrom: '2023-06-01',
      name: 'Chợ Mây',
    });
    newMarketplace = await platform(other, {
      kind: 'social',
      status: 'registered',
      validFrom: '2026-01-05',
      name: 'Mạng Mây Mới',
    });
    // 10:00 on 10 January 2026 in Vietnam: the 2025 report is due, not yet late.
    env.clock.now = new Date('2026-01-10T03:00:00Z');
  });
  after(async () => {
    await env?.close();
  });

  it('reads the deadline and the fields as data, effective-dated, with their sources marked unverified', async () => {
    const deadline = await annualReportDeadline(env.database.db, 2025);
    assert.deepEqual(
      [deadline.namedDay, deadline.lastDay, deadline.namedDayIncluded, deadline.source_status],
      ['2026-01-15', '2026-01-14', false, 'unverified'],
    );
    assert.match(deadline.provision, /Nghị định 52\/2013\/NĐ-CP/);
    const fields = await annualReportFields(env.database.db, 2025);
    assert.deepEqual(
      fields.map((field) => field.code),
      [...FIELDS],
    );
    assert.ok(fields.every((field) => field.source_status === 'unverified' && field.source_url.startsWith('https://')));
    // Decree 85/2021 took effect on 1 January 2022: no rule for the reports of 2020.
    await assert.rejects(annualReportDeadline(env.database.db, 2020), { code: 'invalid_input', field: 'year' });
  });

  it('lets the owner file the last year’s report on its form, refusing bad figures by field, audited', async () => {
    const url = `/business/platforms/${ownMarketplace}/annual-reports`;
    assert.equal((await get(otherBusiness, url)).statusCode, 404);
    const page = await get(owner, url);
    assert.equal(page.statusCode, 200, page.body);
    for (const code of FIELDS) assert.match(page.body, new RegExp(`name="figures\\.${code}"`));
    assert.match(page.body, /trước ngày 15\/01\/2026/);

    const figuresOf = (figures: Record<string, string>) =>
      Object.fromEntries(Object.entries(figures).map(([code, value]) => [`figures.${code}`, value]));
    const withoutTotal = await post(owner, url, { year: '2025', ...figuresOf({ ...VALID_FIGURES, orders_total: '' }) });
    assert.equal(withoutTotal.statusCode, 400, withoutTotal.body);
    assert.match(withoutTotal.body, /id="figures\.orders_total-error"/);
    const partsOverWhole = await post(owner, url, {
      year: '2025',
      ...figuresOf({ ...VALID_FIGURES, orders_failed: '9000' }),
    });
    assert.equal(partsOverWhole.statusCode, 400);
    assert.match(partsOverWhole.body, /không thể lớn hơn/);
    const negative = await post(owner, url, { year: '2025', ...figuresOf({ ...VALID_FIGURES, visits: '-5' }) });
    assert.equal(negative.statusCode, 400);
    assert.match(negative.body, /id="figures\.visits-error"/);
    assert.equal((await reportsOf(ownMarketplace)).length, 0, 'nothing stored from a refused form');

    const filed = await post(owner, url, { year: '2025', ...figuresOf(VALID_FIGURES), note: 'Số liệu từ hệ thống' });
    assert.equal(filed.statusCode, 303, filed.body);
    const [stored] = await reportsOf(ownMarketplace);
    assert.equal(stored?.year, 2025);
    assert.equal(stored?.figures.visits, 1_250_000);
    assert.equal(stored?.amended_at, null);
    const audit = await env.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor'])
      .where('entity_id', '=', stored?.id ?? '')
      .execute();
    assert.deepEqual(
      audit.map((event) => event.action),
      ['annual_report.file'],
    );
    assert.equal(audit[0]?.actor, `user:${owner.account.id}`);
  });

  it('refuses a year not over, a year without a rule, and a platform that does not report', async () => {
    const body = { figures: Object.fromEntries(FIELDS.map((code) => [code, 0])) };
    const current = await postJson(owner, `/api/v1/platforms/${ownMarketplace}/annual-reports`, {
      ...body,
      year: 2026,
    });
    assert.equal(current.statusCode, 400);
    assert.equal(current.json().error.field, 'year');
    const tooOld = await postJson(owner, `/api/v1/platforms/${ownMarketplace}/annual-reports`, { ...body, year: 2020 });
    assert.equal(tooOld.statusCode, 400);
    assert.equal(tooOld.json().error.field, 'year');
    const sales = await postJson(owner, `/api/v1/platforms/${ownSalesSite}/annual-reports`, { ...body, year: 2025 });
    assert.equal(sales.statusCode, 409, sales.body);
    const unknown = await postJson(owner, `/api/v1/platforms/${ownMarketplace}/annual-reports`, {
      year: 2025,
      figures: { ...body.figures, gmv_usd: 5 },
    });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.field, 'figures.gmv_usd');
    assert.equal((await reportsOf(ownSalesSite)).length, 0);
  });

  it('refuses a report of a year that ended before the platform was registered', async () => {
    const ownNew = await platform(
      (
        await env.database.db
          .selectFrom('organisations')
          .select('id')
          .where('tax_code', '=', ownerTaxCode)
          .executeTakeFirstOrThrow()
      ).id,
      { kind: 'auction', status: 'registered', validFrom: '2026-01-02', name: 'Đấu giá Sen Hồng' },
    );
    const refused = await postJson(owner, `/api/v1/platforms/${ownNew}/annual-reports`, {
      year: 2025,
      figures: Object.fromEntries(FIELDS.map((code) => [code, 0])),
    });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().error.field, 'year');
    assert.match((await get(owner, `/business/platforms/${ownNew}/annual-reports`)).body, /không báo cáo năm này/);
  });

  it('shows the Agency who reported on time, late or not at all; a correction keeps the first filing time', async () => {
    // 09:00 on 15 January 2026 in Vietnam: "trước ngày 15/01" has passed.
    env.clock.now = new Date('2026-01-15T02:00:00Z');
    const late = await postJson(owner, `/api/v1/platforms/${ownMarketplace}/annual-reports`, {
      year: 2024,
      figures: Object.fromEntries(FIELDS.map((code) => [code, 0])),
    });
    assert.equal(late.statusCode, 201, late.body);
    assert.equal(late.json().on_time, false);

    const corrected = await postJson(owner, `/api/v1/platforms/${ownMarketplace}/annual-reports`, {
      year: 2025,
      figures: { ...Object.fromEntries(FIELDS.map((code) => [code, 10])), orders_total: 30, visits: 1_300_000 },
    });
    assert.equal(corrected.statusCode, 201, corrected.body);
    assert.equal(corrected.json().on_time, true, 'first filed on 10 January');
    assert.equal(corrected.json().figures.visits, 1_300_000);
    assert.ok(corrected.json().amended_at);

    const overview = await get(ideaOfficer, '/api/v1/admin/annual-reports?year=2025');
    assert.equal(overview.statusCode, 200, overview.body);
    const answer = overview.json() as {
      counts: Record<string, number>;
      platforms: Array<{ id: string; state: string }>;
    };
    const stateOf = (id: string) => answer.platforms.find((row) => row.id === id)?.state;
    assert.equal(stateOf(ownMarketplace), 'filed_on_time');
    assert.equal(stateOf(silentMarketplace), 'overdue', 'a suspended platform still owes its report');
    assert.equal(stateOf(newMarketplace), undefined, 'registered after the year ended');
    assert.equal(stateOf(ownSalesSite), undefined, 'a notified sales site does not report');

    const page = await get(ideaOfficer, '/workbench/annual-reports?year=2025&state=overdue');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Chợ Mây/);
    assert.doesNotMatch(page.body, /data-state="filed_on_time"/);
    const csv = await get(ideaOfficer, '/workbench/annual-reports?year=2025&format=csv');
    assert.equal(csv.statusCode, 200);
    const [header, ...lines] = csv.body.trim().split(/\r?\n/);
    assert.match(header ?? '', /^year,registration_no,platform,organisation,tax_code,platform_status,report_state/);
    assert.ok(lines.some((line) => line.includes('Sàn Sen Hồng') && line.includes('Đã báo cáo đúng hạn')));
    assert.ok(lines.some((line) => line.includes('Chợ Mây') && line.includes('Quá hạn, chưa báo cáo')));

    assert.equal((await get(owner, '/workbench/annual-reports')).statusCode, 403);
    const audit = await env.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', '=', 'annual_report')
      .execute();
    assert.deepEqual(audit.map((event) => event.action).sort(), [
      'annual_report.amend',
      'annual_report.file',
      'annual_report.file',
    ]);
  });

  it('lets an administrator add or close a field of the report with `grounds set`, from its date only', async () => {
    const added = await runCliInProcess(env.database, registerApplicationsCli, [
      'grounds',
      'set',
      'transaction_value',
      '--kind',
      'annual_report_field',
      '--label-vi',
      'Tổng giá trị giao dịch (đồng)',
      '--label-en',
      'Value of transactions (VND)',
      '--provision',
      'Thông tư 47/2014/TT-BCT, Điều 20',
      '--source-url',
      'https://example.gov.vn/mau-bao-cao',
      '--effective-from',
      '2026-01-01',
    ]);
    assert.equal(added.code, 0, added.error?.message);
    const codes = async (year: number) => (await annualReportFields(env.database.db, year)).map((field) => field.code);
    assert.ok((await codes(2025)).includes('transaction_value'), 'read on 1 January 2026');
    assert.ok(!(await codes(2024)).includes('transaction_value'));
  });

  it('prints a year’s states on the command line', async () => {
    const run = (args: string[]) => runCliInProcess(env.database, registerApplicationsCli, args);
    const listed = await run(['annual-reports', 'status', '--year', '2025', '--state', 'overdue', '--json']);
    assert.equal(listed.code, 0, listed.error?.message);
    const answer = JSON.parse(listed.stdout) as { counts: Record<string, number>; platforms: Array<{ id: string }> };
    assert.equal(answer.counts.filed_on_time, 1);
    assert.deepEqual(
      answer.platforms.map((row) => row.id),
      [silentMarketplace],
    );
    const wrong = await run(['annual-reports', 'status', '--state', 'late']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.error?.message ?? '', /--state/);
  });
});

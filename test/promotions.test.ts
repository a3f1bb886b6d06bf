import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findOffendingOffers, recordObservedOffers } from '../src/modules/promotions/price-history.ts';
import { registerPromotionsCli } from '../src/modules/promotions/promotions.cli.ts';
import { type CheckAnswer, type Programme, RULE_CODES } from '../src/modules/promotions/promotions.schemas.ts';
import { checkPromotionProgramme, listPromotionRules } from '../src/modules/promotions/promotions.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, formBody, loginAs, type TestSession } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';

type GoodsInput = Programme['goods'][number];

/** A discount programme in March 2025 (after Decree 128, outside every concentrated wave), overridable. */
function programme(overrides: Partial<Programme> = {}, goods: Partial<GoodsInput>[] = [{}]): Programme {
  return {
    form: 'discount',
    starts_on: '2025-03-10',
    ends_on: '2025-03-19',
    provinces: ['Hà Nội'],
    online: true,
    ...overrides,
    goods: goods.map((item, index) => ({
      name: `Áo khoác ${index + 1}`,
      brand: 'Acme',
      category: 'clothing',
      price_before_vnd: 1_000_000,
      promo_price_vnd: 600_000,
      ...item,
    })),
  };
}

const rulesOf = (answer: CheckAnswer): string[] => answer.violations.map((violation) => violation.rule).sort();

describe(`promotion rules (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let officer: TestSession;
  const check = (input: unknown) => checkPromotionProgramme(testApp.database.db, input);

  before(async () => {
    testApp = await startTestApp({ demo: false });
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'officer' }),
    );
  });
  after(async () => {
    await testApp.close();
  });

  it('seeds every rule with a citation, a source and a source status; unverified rows say so', async () => {
    const rows = await listPromotionRules(testApp.database.db);
    const codes = new Set(rows.map((row) => row.code));
    for (const code of RULE_CODES) assert.ok(codes.has(code), code);
    for (const row of rows) {
      assert.notEqual(row.citation, '');
      assert.match(row.source_url, /^https?:\/\//);
      if (row.source_status === 'unverified') assert.match(row.note, /UNVERIFIED/, `${row.code} ${row.effective_from}`);
    }
  });

  describe('discount_cap', () => {
    it('refuses a 60% discount outside a concentrated promotion, citing Decree 128 after 1 Dec 2024', async () => {
      const answer = await check(programme({}, [{ promo_price_vnd: 400_000 }]));
      assert.equal(answer.compliant, false);
      assert.deepEqual(rulesOf(answer), ['discount_cap']);
      assert.match(answer.violations[0]?.citation ?? '', /128\/2024/);
      assert.deepEqual(answer.violations[0]?.goods, ['Áo khoác 1']);
      assert.match(answer.violations[0]?.message.vi ?? '', /60%/);
    });

    it('cites Decree 81 alone for a programme before 1 Dec 2024', async () => {
      const answer = await check(
        programme({ starts_on: '2024-09-10', ends_on: '2024-09-19', registered_with: 'provincial_dot' }, [
          { promo_price_vnd: 400_000 },
        ]),
      );
      assert.deepEqual(rulesOf(answer), ['discount_cap']);
      assert.doesNotMatch(answer.violations[0]?.citation ?? '', /128\/2024/);
    });

    it('allows exactly 50%', async () => {
      assert.equal((await check(programme({}, [{ promo_price_vnd: 500_000 }]))).compliant, true);
    });

    for (const category of ['fresh_food', 'price_stabilised', 'closing_down']) {
      it(`has no cap for ${category}`, async () => {
        assert.equal((await check(programme({}, [{ category, promo_price_vnd: 100_000 }]))).compliant, true);
      });
    }

    it('allows up to 100% in a concentrated programme', async () => {
      const answer = await check(programme({ concentrated_programme: true }, [{ promo_price_vnd: 0 }]));
      assert.equal(answer.compliant, true);
    });

    it('allows up to 100% inside the Tết wave, computed from the lunar calendar (Tết 2026 is 17 February)', async () => {
      // The wave is 18/01–16/02/2026.
      const inside = await check(
        programme({ starts_on: '2026-01-18', ends_on: '2026-02-16' }, [{ promo_price_vnd: 100_000 }]),
      );
      assert.equal(inside.compliant, true);
      const dayAfter = await check(
        programme({ starts_on: '2026-01-18', ends_on: '2026-02-17' }, [{ promo_price_vnd: 100_000 }]),
      );
      // 17/02 is Tết itself, a holiday of the concentrated periods: still concentrated.
      assert.equal(dayAfter.compliant, true);
      const dayBefore = await check(
        programme({ starts_on: '2026-01-17', ends_on: '2026-02-10' }, [{ promo_price_vnd: 100_000 }]),
      );
      assert.deepEqual(rulesOf(dayBefore), ['discount_cap']);
    });

    it('reaches back into December for an early Tết (2025: the wave starts 30/12/2024)', async () => {
      const answer = await check(
        programme({ starts_on: '2024-12-30', ends_on: '2025-01-10' }, [{ promo_price_vnd: 200_000 }]),
      );
      assert.equal(answer.compliant, true);
    });
  });

  describe('gift_value_cap', () => {
    const gift = (value: number, overrides: Partial<Programme> = {}) =>
      programme({ form: 'gift', ...overrides }, [{ promo_price_vnd: undefined, gift_value_vnd: value }]);

    it('refuses a gift worth more than 50% of the price', async () => {
      const answer = await check(gift(600_000));
      assert.deepEqual(rulesOf(answer), ['gift_value_cap']);
    });
    it('allows 50%, and 100% in a concentrated programme', async () => {
      assert.equal((await check(gift(500_000))).compliant, true);
      assert.equal((await check(gift(900_000, { concentrated_programme: true }))).compliant, true);
    });
    it('exempts "other" forms (Law on Commerce Art. 92(9)) from 1 Dec 2024 only', async () => {
      const other = (starts_on: string, ends_on: string) =>
        programme({ form: 'other', starts_on, ends_on, registered_with: 'moit' }, [
          { promo_price_vnd: undefined, gift_value_vnd: 700_000 },
        ]);
      assert.deepEqual(rulesOf(await check(other('2024-11-10', '2024-11-19'))), ['gift_value_cap']);
      assert.equal((await check(other('2025-03-10', '2025-03-19'))).compliant, true);
    });
  });

  describe('annual_days_cap', () => {
    it('refuses a brand past 120 discount days a year (Decree 81), counting the days before', async () => {
      const answer = await check(programme({ prior_discount_days_this_year: { Acme: 115 } }));
      assert.deepEqual(rulesOf(answer), ['annual_days_cap']);
      assert.match(answer.violations[0]?.message.en ?? '', /125 discount days in 2025/);
      assert.equal((await check(programme({ prior_discount_days_this_year: { Acme: 110 } }))).compliant, true);
    });
    it('applied 90 days under Decree 37/2006, before Decree 81 took effect on 15/07/2018', async () => {
      const old = programme({
        starts_on: '2018-03-10',
        ends_on: '2018-03-19',
        prior_discount_days_this_year: { Acme: 85 },
      });
      assert.deepEqual(rulesOf(await check(old)), ['annual_days_cap']);
      const later = programme({
        starts_on: '2018-08-10',
        ends_on: '2018-08-19',
        prior_discount_days_this_year: { Acme: 85 },
        registered_with: 'provincial_dot',
      });
      assert.equal((await check(later)).compliant, true);
    });
    it('does not count concentrated days', async () => {
      const wave = programme({
        starts_on: '2026-01-20',
        ends_on: '2026-02-10',
        prior_discount_days_this_year: { Acme: 115 },
      });
      assert.equal((await check(wave)).compliant, true);
    });
  });

  describe('prohibited_goods', () => {
    it('refuses tobacco, and spirits at or above the alcohol threshold', async () => {
      const answer = await check(
        programme({}, [
          { name: 'Thuốc lá', category: 'tobacco', promo_price_vnd: 900_000 },
          { name: 'Rượu vodka', category: 'alcohol', alcohol_percent: 40, promo_price_vnd: 900_000 },
          { name: 'Bia', category: 'alcohol', alcohol_percent: 5, promo_price_vnd: 900_000 },
        ]),
      );
      assert.deepEqual(rulesOf(answer), ['prohibited_goods']);
      assert.deepEqual(answer.violations[0]?.goods, ['Thuốc lá', 'Rượu vodka']);
    });
    it('refuses breast-milk substitutes', async () => {
      const answer = await check(programme({}, [{ category: 'breast_milk_substitute', promo_price_vnd: 900_000 }]));
      assert.deepEqual(rulesOf(answer), ['prohibited_goods']);
    });
    it('refuses goods used as promotional items that may not be (a bottle of spirits given with a phone)', async () => {
      const gift = (giftCategory: string) =>
        programme({ form: 'gift' }, [
          {
            name: 'Điện thoại',
            category: 'electronics',
            promo_price_vnd: undefined,
            gift_value_vnd: 100_000,
            gift_category: giftCategory,
          },
        ]);
      const refused = await check(gift('alcohol'));
      assert.deepEqual(rulesOf(refused), ['prohibited_goods']);
      assert.match(refused.violations[0]?.message.en ?? '', /may not be used as promotional items/);
      assert.deepEqual(rulesOf(await check(gift('household'))), []);
    });
  });

  describe('lucky_draw_registration', () => {
    const draw = (overrides: Partial<Programme>) =>
      programme({ form: 'lucky_draw', prize_value_vnd: 500_000_000, ...overrides }, [{ promo_price_vnd: undefined }]);

    it('requires registration with the Ministry for two or more provinces', async () => {
      const missing = await check(draw({ provinces: ['Hà Nội', 'Huế'] }));
      assert.deepEqual(rulesOf(missing), ['lucky_draw_registration']);
      assert.match(missing.violations[0]?.message.en ?? '', /Ministry/);
      const wrong = await check(draw({ provinces: ['Hà Nội', 'Huế'], registered_with: 'provincial_dot' }));
      assert.deepEqual(rulesOf(wrong), ['lucky_draw_registration']);
      assert.equal((await check(draw({ provinces: ['Hà Nội', 'Huế'], registered_with: 'moit' }))).compliant, true);
    });
    it('requires the provincial Department for one province', async () => {
      const missing = await check(draw({}));
      assert.match(missing.violations[0]?.message.en ?? '', /provincial Department/);
      assert.equal((await check(draw({ registered_with: 'provincial_dot' }))).compliant, true);
    });
    it('treats an online draw naming no province as nationwide', async () => {
      const answer = await check(draw({ provinces: [], registered_with: 'provincial_dot' }));
      assert.deepEqual(rulesOf(answer), ['lucky_draw_registration']);
    });
    it('exempts prizes under VND 100 million', async () => {
      assert.equal((await check(draw({ prize_value_vnd: 50_000_000 }))).compliant, true);
    });
  });

  describe('notification', () => {
    it('required a notification of a discount worth VND 100 million or more before 1 Dec 2024, not after', async () => {
      const goods = Array.from({ length: 250 }, () => ({ promo_price_vnd: 600_000 }));
      const before = await check(programme({ starts_on: '2024-11-10', ends_on: '2024-11-19' }, goods));
      assert.deepEqual(rulesOf(before), ['notification']);
      assert.equal((await check(programme({}, goods))).compliant, true);
    });
    it('still requires it of a contest after 1 Dec 2024', async () => {
      const contest = programme({ form: 'contest', prize_value_vnd: 200_000_000 }, [{ promo_price_vnd: undefined }]);
      assert.deepEqual(rulesOf(await check(contest)), ['notification']);
      assert.equal((await check({ ...contest, registered_with: 'provincial_dot' })).compliant, true);
    });
  });

  describe('reference_price', () => {
    it('refuses a "before" price above every price charged in the 30 days before', async () => {
      const answer = await check(
        programme({}, [
          {
            price_before_vnd: 1_000_000,
            promo_price_vnd: 700_000,
            price_history: [
              { date: '2025-02-15', price_vnd: 690_000 },
              { date: '2025-03-05', price_vnd: 700_000 },
              { date: '2025-01-01', price_vnd: 1_000_000 }, // older than 30 days: not counted
            ],
          },
        ]),
      );
      assert.deepEqual(rulesOf(answer), ['reference_price']);
      assert.match(answer.violations[0]?.message.en ?? '', /highest 700/);
    });
    it('accepts a "before" price charged within the 30 days', async () => {
      const answer = await check(
        programme({}, [{ promo_price_vnd: 700_000, price_history: [{ date: '2025-03-05', price_vnd: 1_000_000 }] }]),
      );
      assert.equal(answer.compliant, true);
    });
  });

  describe('price history', () => {
    const offer = (price: number, list: number | null = null) => ({
      product_key: 'SKU-1',
      name: 'Tai nghe',
      price_vnd: price,
      list_price_vnd: list,
    });
    const record = (day: string, price: number, list: number | null = null, evidenceId: string | null = null) =>
      recordObservedOffers(testApp.database.db, {
        url: 'https://WWW.Shop.example/p/1',
        observedAt: new Date(`${day}T09:00:00+07:00`),
        evidenceId,
        offers: [offer(price, list)],
      });

    it('records offers once, and lists an offer whose "before" price was never charged in the 30 days before', async () => {
      assert.equal(await record('2025-05-01', 300_000), 1);
      assert.equal(await record('2025-05-01', 300_000), 0);
      await record('2025-05-20', 320_000);
      await record('2025-06-01', 299_000, 590_000, 'ev-1');
      const offending = await findOffendingOffers(testApp.database);
      assert.equal(offending.length, 1);
      assert.equal(offending[0]?.observation.domain, 'shop.example');
      assert.equal(offending[0]?.observation.evidence_id, 'ev-1');
      assert.deepEqual(
        offending[0]?.violations.map((violation) => violation.rule),
        ['reference_price'],
      );
    });

    it('lists an offer past the discount cap, and drops a product once it is seen again without the claim', async () => {
      await recordObservedOffers(testApp.database.db, {
        url: 'https://deal.example/x',
        observedAt: new Date('2025-06-02T09:00:00+07:00'),
        offers: [{ product_key: 'X', name: '90% off', price_vnd: 100_000, list_price_vnd: 1_000_000 }],
      });
      const rules = (await findOffendingOffers(testApp.database)).map((found) => [
        found.observation.product_key,
        found.violations.map((violation) => violation.rule).join(','),
      ]);
      assert.deepEqual(rules, [
        ['X', 'discount_cap'],
        ['SKU-1', 'reference_price'],
      ]);
      await record('2025-06-03', 299_000);
      assert.deepEqual(
        (await findOffendingOffers(testApp.database)).map((found) => found.observation.product_key),
        ['X'],
      );
    });

    it('refuses a price that is not a positive whole number, naming the offer', async () => {
      await assert.rejects(record('2025-06-04', -5), /offers\.0\.price_vnd/);
    });
  });

  describe('the workbench page', () => {
    const get = (url: string, session: TestSession | null = officer) =>
      testApp.app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });
    const postForm = (programmeText: string) =>
      testApp.app.inject({
        method: 'POST',
        url: '/workbench/promotions/check?lang=en',
        headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ programme: programmeText, _csrf: officer.csrf }),
      });

    it('lists the offending offers with their evidence, in Vietnamese and English', async () => {
      await recordObservedOffers(testApp.database.db, {
        url: 'https://deal.example/y',
        observedAt: new Date('2025-06-05T09:00:00+07:00'),
        evidenceId: 'ev-2',
        offers: [{ product_key: 'Y', name: 'Máy xay', price_vnd: 450_000, list_price_vnd: 900_000 }],
      });
      await recordObservedOffers(testApp.database.db, {
        url: 'https://deal.example/y',
        observedAt: new Date('2025-05-20T09:00:00+07:00'),
        offers: [{ product_key: 'Y', name: 'Máy xay', price_vnd: 460_000, list_price_vnd: null }],
      });
      const vi = await get('/workbench/promotions');
      assert.equal(vi.statusCode, 200);
      assert.match(vi.body, /Khuyến mại vi phạm/);
      assert.match(vi.body, /href="\/workbench\/evidence\/ev-2"/);
      assert.match(vi.body, /data-rule="discount_cap"/);
      const en = await get('/workbench/promotions?lang=en');
      assert.match(en.body, /Unlawful promotions/);
      assert.match(en.body, /is above every price charged in the 30 days before/);
    });

    it('checks a pasted programme and shows each violation with its provision', async () => {
      const response = await postForm(JSON.stringify(programme({}, [{ promo_price_vnd: 100_000 }])));
      assert.equal(response.statusCode, 200);
      assert.match(response.body, /data-compliant="false"/);
      assert.match(response.body, /Discount of 90%/);
      assert.match(response.body, /128\/2024/);
    });

    it('shows the problem of a bad paste beside the field, keeping what was typed', async () => {
      const broken = await postForm('{ "form": ');
      assert.equal(broken.statusCode, 400);
      assert.match(broken.body, /not valid JSON/);
      assert.match(broken.body, /\{ &quot;form&quot;:<\/textarea>/);
      const wrong = await postForm(JSON.stringify({ ...programme(), form: 'raffle' }));
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /form: /);
    });

    it('exports the offending offers as CSV', async () => {
      const response = await get('/workbench/promotions/offers.csv');
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-disposition']), /attachment/);
      assert.match(response.body.split('\n')[0] ?? '', /^seen_at,domain,url/);
      assert.match(response.body, /deal\.example/);
    });

    it('sends an anonymous visitor to sign in', async () => {
      assert.equal((await get('/workbench/promotions', null)).statusCode, 303);
    });
  });

  describe('the API', () => {
    const post = (payload: unknown, session: TestSession | null = officer) =>
      testApp.app.inject({
        method: 'POST',
        url: '/api/v1/promotions/check',
        headers: session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {},
        payload: payload as object,
      });

    it('answers the issue’s shape', async () => {
      const response = await post(programme({}, [{ promo_price_vnd: 100_000 }]));
      assert.equal(response.statusCode, 200);
      const body = response.json() as CheckAnswer;
      assert.equal(body.compliant, false);
      assert.deepEqual(Object.keys(body.violations[0] ?? {}).sort(), ['citation', 'goods', 'message', 'rule']);
    });
    it('names the field path of a bad value', async () => {
      const response = await post(programme({}, [{}, { promo_price_vnd: 2_000_000 }]));
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.field, 'goods.1.promo_price_vnd');
      const missing = await post({ ...programme(), starts_on: undefined });
      assert.equal(missing.json().error.field, 'starts_on');
    });
    it('refuses anonymous callers', async () => {
      assert.equal((await post(programme(), null)).statusCode, 401);
    });
  });

  describe('the CLI', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-promotions-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const run = (args: string[]) => runCliInProcess(testApp.database, registerPromotionsCli, args);

    it('checks a file and prints the answer as JSON', async () => {
      const file = path.join(dir, 'programme.json');
      fs.writeFileSync(file, JSON.stringify(programme({}, [{ promo_price_vnd: 100_000 }])));
      const result = await run(['promotions', 'check', file, '--json']);
      assert.equal(result.code, 0);
      assert.equal((JSON.parse(result.stdout) as CheckAnswer).violations[0]?.rule, 'discount_cap');
    });
    it('exits 2 naming the file and the field', async () => {
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, JSON.stringify({ ...programme(), form: 'raffle' }));
      const result = await run(['promotions', 'check', file, '--json']);
      assert.equal(result.code, 2);
      assert.match(result.error?.message ?? '', /bad\.json: form/);
      fs.writeFileSync(file, '{ "form": ');
      assert.match((await run(['promotions', 'check', file])).error?.message ?? '', /bad\.json: not valid JSON/);
    });
    it('lets an administrator amend a rule from a day on: results change from that day only (audited)', async () => {
      const set = await run([
        'promotions',
        'rules',
        'set',
        'discount_cap',
        '--from',
        '2026-06-01',
        '--params',
        '{"cap_percent":30,"concentrated_cap_percent":100,"exempt_categories":["fresh_food"]}',
        '--citation',
        'Test amendment',
        '--source-url',
        'https://example.test/amendment',
        '--json',
      ]);
      assert.equal(set.code, 0, set.error?.message);
      const may = programme({ starts_on: '2026-05-10', ends_on: '2026-05-19' }, [{ promo_price_vnd: 600_000 }]);
      const july = programme({ starts_on: '2026-07-10', ends_on: '2026-07-19' }, [{ promo_price_vnd: 600_000 }]);
      assert.equal((await check(may)).compliant, true);
      const answer = await check(july);
      assert.deepEqual(rulesOf(answer), ['discount_cap']);
      assert.equal(answer.violations[0]?.citation, 'Test amendment');
      const rows = (await listPromotionRules(testApp.database.db)).filter((row) => row.code === 'discount_cap');
      assert.equal(rows.find((row) => row.effective_from === '2024-12-01')?.effective_to, '2026-05-31');
      const audit = await testApp.database.db
        .selectFrom('audit_events')
        .select('entity_id')
        .where('action', '=', 'promotion_rule.set')
        .execute();
      assert.deepEqual(
        audit.map((row) => row.entity_id),
        ['discount_cap@2026-06-01'],
      );
      const bad = await run(['promotions', 'rules', 'set', 'discount_cap', '--params', '{"cap_percent":300}']);
      assert.equal(bad.code, 2);
      assert.match(bad.error?.message ?? '', /params/);
    });
  });
});

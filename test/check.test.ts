import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow as row } from './support/registry.ts';

describe(`check API and pages (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  const check = async (input: string) => {
    const response = await testApp.app.inject({ url: `/api/v1/check?${new URLSearchParams({ input })}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };

  before(async () => {
    testApp = await startTestApp();
  });
  after(async () => {
    await testApp.close();
  });

  it('answers health', async () => {
    const response = await testApp.app.inject({ url: '/api/v1/health' });
    assert.deepEqual(response.json(), { status: 'ok' });
    assert.ok(response.headers['x-request-id']);
  });

  it('says Temu is not registered, from any of its URLs', async () => {
    const answer = await check('https://m.temu.com/vn/goods.html?x=1');
    assert.equal(answer.type, 'domain');
    assert.equal(answer.normalized, 'temu.com');
    assert.equal(answer.verdict, 'unregistered');
    assert.equal(answer.platform.name, 'Temu');
    assert.equal(answer.platform.cross_border, true);
    assert.equal(answer.lookalike_of, null);
    assert.deepEqual(answer.advisories, []);
    assert.match(answer.explanation.vi, /chưa thông báo, đăng ký/);
    assert.match(answer.explanation.en, /not registered/);
  });

  it('treats a subdomain of a registered domain as registered, and a different registrable domain as not', async () => {
    assert.equal((await check('shopee.vn')).verdict, 'registered');
    assert.equal((await check('HTTPS://Mall.Shopee.VN./sale')).verdict, 'registered');
    const other = await check('shopee.vn.example.com');
    assert.equal(other.verdict, 'lookalike');
    assert.equal(other.lookalike_of.platform, 'Shopee');
    assert.equal(other.lookalike_of.technique, 'subdomain');
  });

  it('names the look-alike technique for an imitation of a registered domain', async () => {
    const answer = await check('shoppee.vn');
    assert.equal(answer.verdict, 'lookalike');
    assert.equal(answer.lookalike_of.domain, 'shopee.vn');
    assert.equal(answer.lookalike_of.technique, 'repetition');
  });

  it('says unknown for an unrelated domain', async () => {
    const answer = await check('example-bakery-hanoi.com');
    assert.equal(answer.verdict, 'unknown');
    assert.equal(answer.platform, null);
  });

  it('recognises Google Play and App Store links and platform names', async () => {
    const android = await check('https://play.google.com/store/apps/details?id=com.shopee.vn&hl=vi');
    assert.equal(android.type, 'android_app');
    assert.equal(android.verdict, 'registered');
    const ios = await check('https://apps.apple.com/vn/app/shopee/id959841449');
    assert.equal(ios.type, 'ios_app');
    assert.equal(ios.normalized, '959841449');
    assert.equal(ios.verdict, 'registered');
    const name = await check('temu');
    assert.equal(name.type, 'name');
    assert.equal(name.verdict, 'unregistered');
  });

  it('keeps sites on a shared hosting suffix apart (a.myshopify.com is not b.myshopify.com)', async () => {
    await importRegistryRows(
      testApp.database,
      [row({ name: 'Cửa Hàng A Test', registrationNo: 'TEST-MYSHOP-A', domains: ['a-test-shop.myshopify.com'] })],
      { actor: 'test' },
    );
    await eventually(async () => assert.equal((await check('a-test-shop.myshopify.com')).verdict, 'notified'));
    assert.notEqual((await check('b-test-shop.myshopify.com')).verdict, 'notified');
  });

  it('follows register changes without a restart', async () => {
    assert.equal((await check('cua-hang-moi-test.vn')).verdict, 'unknown');
    await importRegistryRows(
      testApp.database,
      [
        row({
          name: 'Cửa Hàng Mới Test',
          registrationNo: 'TEST-NEW-1',
          domains: ['cua-hang-moi-test.vn'],
          status: 'blocked',
        }),
      ],
      { actor: 'test' },
    );
    await eventually(async () => assert.equal((await check('cua-hang-moi-test.vn')).verdict, 'blocked'));
  });

  it('marks a registration whose validity has passed as expired', async () => {
    await importRegistryRows(
      testApp.database,
      [
        row({
          name: 'Old Shop Test',
          registrationNo: 'TEST-OLD-1',
          domains: ['old-shop-test.vn'],
          validUntil: '2020-01-31',
        }),
      ],
      { actor: 'test' },
    );
    await eventually(async () => assert.equal((await check('old-shop-test.vn')).verdict, 'expired'));
  });

  it('rejects bad input with 400 invalid_input and never a stack trace', async () => {
    for (const input of ['', ' ', 'x'.repeat(2049), 'javascript:alert(1)', 'ftp://shopee.vn', 'http://']) {
      const response = await testApp.app.inject({ url: `/api/v1/check?${new URLSearchParams({ input })}` });
      assert.equal(response.statusCode, 400, `input ${JSON.stringify(input.slice(0, 30))}`);
      const body = response.json();
      assert.equal(body.error.code, 'invalid_input');
      assert.ok(body.error.message.length > 0);
      assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
    }
    const missing = await testApp.app.inject({ url: '/api/v1/check' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.field, 'input');
  });

  it('publishes an OpenAPI 3.1 document and its docs page', async () => {
    const document = (await testApp.app.inject({ url: '/api/openapi.json' })).json();
    assert.equal(document.openapi, '3.1.0');
    assert.ok(document.paths['/api/v1/check']);
    assert.ok(document.paths['/api/v1/platforms/{id}']);
    // Every schema a path refers to is in the document.
    const text = JSON.stringify(document);
    for (const [, name] of text.matchAll(/#\/components\/schemas\/([\w-]+)/g)) {
      assert.ok(document.components?.schemas?.[name!], `component ${name} is referenced but missing`);
    }
    const docs = await testApp.app.inject({ url: '/api/docs' });
    assert.ok([200, 302].includes(docs.statusCode));
  });

  it('renders the verdict page with the warning, in Vietnamese and English, escaping the input', async () => {
    const vi = await testApp.app.inject({ url: '/check?input=temu.com' });
    assert.equal(vi.statusCode, 200);
    assert.match(vi.body, /data-verdict="unregistered"/);
    assert.match(vi.body, /Chưa thông báo, đăng ký với Bộ Công Thương/);
    const en = await testApp.app.inject({ url: '/check?input=temu.com&lang=en' });
    assert.match(en.body, /Not notified or registered with the Ministry of Industry and Trade/);
    const hostile = await testApp.app.inject({
      url: `/check?${new URLSearchParams({ input: '<script>alert(1)</script>' })}`,
    });
    assert.doesNotMatch(hostile.body, /<script>alert/);
    const empty = await testApp.app.inject({ url: '/check?input=' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /error-summary/);
  });
});

describe('check rate limit', () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ rateLimitPerMinute: 3, demo: false });
  });
  after(async () => {
    await testApp.close();
  });

  it('answers 429 rate_limited past CHECK_RATE_LIMIT requests a minute from one IP', async () => {
    const statuses: number[] = [];
    let last: { error: { code: string } } | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await testApp.app.inject({
        url: '/api/v1/check?input=shopee.vn',
        remoteAddress: '198.51.100.7',
      });
      statuses.push(response.statusCode);
      last = response.json();
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.equal(last?.error.code, 'rate_limited');
    const otherClient = await testApp.app.inject({
      url: '/api/v1/check?input=shopee.vn',
      remoteAddress: '198.51.100.8',
    });
    assert.equal(otherClient.statusCode, 200);
  });
});

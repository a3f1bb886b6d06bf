import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from 'htmlparser2';
import { SaxesParser } from 'saxes';
import { listAuditEvents } from '../src/core/audit.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { createAccount, formBody, loginAs, type TestSession } from './support/auth.ts';
import { testDatabaseKind } from './support/database.ts';

/**
 * Advisories (issue 11): the officers' workflow (draft → published → withdrawn, audited), who may do it, escaping of
 * hostile text, the check's answers and page listing a platform's advisories, and the Atom and RSS feeds read back by
 * a strict XML parser (saxes) and a feed parser (htmlparser2's `parseFeed`) and checked against RFC 4287 / RSS 2.0.
 */

const PORTAL = 'http://portal.example:8080';
const HOSTILE_TITLE = 'Cảnh báo <script>alert(1)</script> ]]> & "q" \u0001end';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const FIELDS = {
  kind: 'warning',
  severity: 'danger',
  title_vi: 'Temu chưa đăng ký với Bộ Công Thương',
  title_en: 'Temu is not registered with the Ministry',
  body_vi: 'Đoạn một.\n\nĐoạn hai <b>đậm</b>?',
  body_en: 'Paragraph one.\n\nParagraph two.',
  platforms: 'https://m.temu.com/vn\n',
};

/** Parses the XML strictly (well-formedness, namespaces): throws on the first error. */
function parseXmlStrictly(xml: string): Array<{ name: string; attributes: Record<string, string>; text: string }> {
  const parser = new SaxesParser({ xmlns: true });
  const elements: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  const open: Array<{ name: string; attributes: Record<string, string>; text: string }> = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, attribute] of Object.entries(tag.attributes)) {
      attributes[name] = typeof attribute === 'string' ? attribute : attribute.value;
    }
    const element = { name: tag.local ?? tag.name, attributes, text: '' };
    elements.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    const top = open.at(-1);
    if (top) top.text += text;
  });
  parser.on('closetag', () => {
    open.pop();
  });
  parser.write(xml).close();
  return elements;
}

describe(`advisories (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let officer: TestSession;
  let mediaOfficer: TestSession;
  let viewer: TestSession;
  let marketOfficer: TestSession;

  before(async () => {
    testApp = await startTestApp({ env: { PORTAL_URL: PORTAL } });
    const database = testApp.database;
    officer = await loginAs(
      testApp.app,
      await createAccount(database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    mediaOfficer = await loginAs(
      testApp.app,
      await createAccount(database, { kind: 'officer', unitId: 'newspaper', role: 'officer' }),
    );
    viewer = await loginAs(
      testApp.app,
      await createAccount(database, { kind: 'officer', unitId: 'idea', role: 'viewer' }),
    );
    marketOfficer = await loginAs(
      testApp.app,
      await createAccount(database, { kind: 'officer', unitId: 'market_management', role: 'officer' }),
    );
  });
  after(async () => {
    await testApp?.close();
  });

  const get = (url: string, who?: TestSession, headers: Record<string, string> = {}) =>
    testApp.app.inject({ method: 'GET', url, headers: { ...(who ? { cookie: who.cookie } : {}), ...headers } });
  const postForm = (who: TestSession, url: string, fields: Record<string, string>) =>
    testApp.app.inject({
      method: 'POST',
      url,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: formBody({ ...fields, _csrf: who.csrf }),
    });
  const check = async (input: string) =>
    (await get(`/api/v1/check?${new URLSearchParams({ input })}`)).json() as {
      platform: { id: string } | null;
      advisories: Array<{ id: string; title: string; published_at: string }>;
    };
  async function createDraft(who: TestSession, fields: Record<string, string> = FIELDS): Promise<string> {
    const response = await postForm(who, '/workbench/advisories', fields);
    assert.equal(response.statusCode, 303, response.body.slice(0, 500));
    const id = /\/workbench\/advisories\/([0-9a-f-]{36})\?done=created/.exec(String(response.headers.location))?.[1];
    assert.ok(id, String(response.headers.location));
    return id;
  }

  it('takes an advisory from draft to published to withdrawn, each step audited, the check following', async () => {
    const id = await createDraft(officer);
    // A draft is nobody's business but the officers'.
    assert.equal((await get(`/advisories/${id}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/advisories/${id}`)).statusCode, 404);
    assert.ok(!(await get('/feeds/advisories.atom')).body.includes(id));
    assert.deepEqual((await check('temu.com')).advisories, []);
    const draftPage = await get(`/workbench/advisories/${id}`, officer);
    assert.equal(draftPage.statusCode, 200);
    assert.match(draftPage.body, /data-state="draft"/);

    assert.equal((await postForm(officer, `/workbench/advisories/${id}/publish`, {})).statusCode, 303);
    const published = (await get(`/api/v1/advisories/${id}`)).json() as { status: string; published_at: string };
    assert.equal(published.status, 'published');
    assert.equal('created_by' in published, false, 'the public API does not name the officer');
    const answer = await eventually(async () => {
      const found = await check('https://m.temu.com/vn/goods.html');
      assert.equal(found.advisories.length, 1);
      return found;
    });
    assert.deepEqual(answer.advisories, [{ id, title: FIELDS.title_vi, published_at: published.published_at }]);
    // By app id and by name too: every answer about the platform.
    assert.deepEqual((await check('com.einnovation.temu')).advisories, answer.advisories);
    assert.deepEqual((await check('Temu')).advisories, answer.advisories);
    // Another platform has none.
    assert.deepEqual((await check('shein.com')).advisories, []);
    const checkPage = await get('/check?input=temu.com&lang=en');
    assert.match(checkPage.body, new RegExp(`<a href="/advisories/${id}">${FIELDS.title_en}</a>`));

    // Publishing twice is a conflict; withdrawing needs a reason.
    assert.equal((await postForm(officer, `/workbench/advisories/${id}/publish`, {})).statusCode, 409);
    const noReason = await postForm(officer, `/workbench/advisories/${id}/withdraw`, { reason: '  ' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /id="withdraw-reason-error"/);
    const withdrawn = await postForm(mediaOfficer, `/workbench/advisories/${id}/withdraw`, {
      reason: 'Temu đã hoàn tất thủ tục',
    });
    assert.equal(withdrawn.statusCode, 303);
    const gone = await get(`/advisories/${id}`);
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /Temu đã hoàn tất thủ tục/);
    await eventually(async () => assert.deepEqual((await check('temu.com')).advisories, []));
    assert.ok(!(await get('/feeds/advisories.rss')).body.includes(id));
    assert.equal((await postForm(officer, `/workbench/advisories/${id}`, FIELDS)).statusCode, 409);

    const events = await listAuditEvents(testApp.database.db, { entityType: 'advisory', entityId: id });
    assert.deepEqual(events.map((event) => event.action).reverse(), [
      'advisory.create',
      'advisory.publish',
      'advisory.withdraw',
    ]);
    assert.ok(events.every((event) => event.actor.startsWith('user:')));
    assert.deepEqual((events[0]?.changes as { reason?: string } | undefined)?.reason, 'Temu đã hoàn tất thủ tục');
  });

  it('lets only officers of the E-Commerce Agency and the media units write, and says which field is wrong', async () => {
    assert.equal((await get('/workbench/advisories/new', viewer)).statusCode, 403);
    assert.equal((await postForm(marketOfficer, '/workbench/advisories', FIELDS)).statusCode, 403);
    assert.equal((await get('/workbench/advisories/new', mediaOfficer)).statusCode, 200);
    const anonymous = await testApp.app.inject({ method: 'GET', url: '/workbench/advisories' });
    assert.equal(anonymous.statusCode, 303);

    const bad = await postForm(officer, '/workbench/advisories', {
      ...FIELDS,
      severity: 'apocalyptic',
      title_en: '',
      platforms: 'temu.com\nno-such-platform.example',
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /id="advisory-severity-error"|id="advisory-severity"[^>]*>\s*<legend>[\s\S]*field-error/);
    assert.match(bad.body, /id="advisory-title_en-error"/);
    const unknownPlatform = await postForm(officer, '/workbench/advisories', {
      ...FIELDS,
      platforms: 'temu.com\nno-such-platform.example',
    });
    assert.equal(unknownPlatform.statusCode, 400);
    assert.match(unknownPlatform.body, /id="advisory-platforms-error"[^>]*>[^<]*Dòng 2: “no-such-platform.example”/);
    // Nothing was half-written.
    const list = await get('/workbench/advisories?status=draft', officer);
    assert.doesNotMatch(list.body, /no-such-platform/);
  });

  it('escapes hostile text on pages and in both feeds, which parse strictly and meet their specs', async () => {
    const id = await createDraft(mediaOfficer, {
      ...FIELDS,
      title_vi: HOSTILE_TITLE,
      title_en: HOSTILE_TITLE,
      body_vi: 'Nội dung <img src=x onerror=alert(1)> ]]> &amp;',
      platforms: 'shein.com',
    });
    assert.equal((await postForm(mediaOfficer, `/workbench/advisories/${id}/publish`, {})).statusCode, 303);
    const second = await createDraft(officer, { ...FIELDS, platforms: '' });
    assert.equal((await postForm(officer, `/workbench/advisories/${second}/publish`, {})).statusCode, 303);

    const page = await get(`/advisories/${id}`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /<script>alert|<img src=x/);
    assert.match(page.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt; \]\]&gt; &amp; &quot;q&quot;/);
    assert.match(page.body, /&amp;amp;/);
    const list = await get('/advisories?lang=en');
    assert.equal(list.statusCode, 200);
    assert.doesNotMatch(list.body, /<script>alert/);

    const expectedTitle = HOSTILE_TITLE.replace('\u0001', '');
    for (const lang of ['vi', 'en'] as const) {
      const atom = await get(`/feeds/advisories.atom${lang === 'en' ? '?lang=en' : ''}`);
      assert.equal(atom.statusCode, 200);
      assert.match(String(atom.headers['content-type']), /^application\/atom\+xml/);
      const elements = parseXmlStrictly(atom.body);
      const root = elements[0];
      assert.equal(root?.name, 'feed');
      const feedId = elements.find((element) => element.name === 'id')?.text ?? '';
      assert.match(feedId, /^urn:uuid:[0-9a-f-]{36}$/);
      const entryIds = elements
        .filter((element) => element.name === 'id')
        .slice(1)
        .map((element) => element.text);
      assert.equal(new Set(entryIds).size, entryIds.length, 'entry ids are unique');
      for (const entryId of entryIds) assert.match(entryId, /^urn:uuid:[0-9a-f-]{36}$/);
      assert.ok(entryIds.includes(`urn:uuid:${id}`) && entryIds.includes(`urn:uuid:${second}`));
      for (const element of elements.filter((candidate) => ['updated', 'published'].includes(candidate.name))) {
        assert.match(element.text, RFC3339, element.name);
        assert.ok(!Number.isNaN(Date.parse(element.text)));
      }
      for (const link of elements.filter((element) => element.name === 'link')) {
        assert.ok(link.attributes.href?.startsWith(`${PORTAL}/`), link.attributes.href);
        assert.ok(['self', 'alternate'].includes(link.attributes.rel ?? ''), 'every link says its relation');
      }
      const parsed = parseFeed(atom.body);
      assert.equal(parsed?.type, 'atom');
      assert.equal(parsed?.id, feedId);
      const hostile = parsed?.items.find((item) => item.id === `urn:uuid:${id}`);
      assert.equal(hostile?.title, expectedTitle);
      assert.equal(hostile?.link, `${PORTAL}/advisories/${id}${lang === 'en' ? '?lang=en' : ''}`);

      const rss = await get(`/feeds/advisories.rss${lang === 'en' ? '?lang=en' : ''}`);
      assert.equal(rss.statusCode, 200);
      const rssElements = parseXmlStrictly(rss.body);
      assert.equal(rssElements[0]?.name, 'rss');
      assert.equal(rssElements[0]?.attributes.version, '2.0');
      const guids = rssElements.filter((element) => element.name === 'guid');
      assert.equal(new Set(guids.map((guid) => guid.text)).size, guids.length);
      for (const guid of guids) {
        assert.equal(guid.attributes.isPermaLink, 'false');
        assert.match(guid.text, /^urn:uuid:[0-9a-f-]{36}$/);
      }
      for (const date of rssElements.filter((element) => ['pubDate', 'lastBuildDate'].includes(element.name))) {
        assert.match(date.text, RFC822, date.name);
      }
      for (const link of rssElements.filter((element) => element.name === 'link')) {
        assert.ok((link.text || link.attributes.href || '').startsWith(`${PORTAL}/`), link.text);
      }
      const rssParsed = parseFeed(rss.body);
      assert.equal(rssParsed?.type, 'rss');
      const rssItem = rssParsed?.items.find(
        (item) => item.link === `${PORTAL}/advisories/${id}${lang === 'en' ? '?lang=en' : ''}`,
      );
      assert.equal(rssItem?.title, expectedTitle);
      assert.ok(rssItem?.pubDate && !Number.isNaN(rssItem.pubDate.getTime()));
    }
  });

  it('keeps ids stable across edits, moves updated, and answers conditional requests with 304', async () => {
    const id = await createDraft(officer, { ...FIELDS, platforms: '1688.com' });
    assert.equal((await postForm(officer, `/workbench/advisories/${id}/publish`, {})).statusCode, 303);
    const first = await get('/feeds/advisories.atom');
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers['last-modified']);
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    assert.match(lastModified, RFC822);
    assert.equal((await get('/feeds/advisories.atom', undefined, { 'if-none-match': etag })).statusCode, 304);
    assert.equal(
      (await get('/feeds/advisories.atom', undefined, { 'if-modified-since': lastModified })).statusCode,
      304,
    );
    const updatedBefore = parseFeed(first.body)?.items.find((item) => item.id === `urn:uuid:${id}`);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    const edited = await postForm(officer, `/workbench/advisories/${id}`, {
      ...FIELDS,
      title_vi: 'Tiêu đề đã sửa',
      platforms: '1688.com',
    });
    assert.equal(edited.statusCode, 303);
    const next = await get('/feeds/advisories.atom', undefined, { 'if-none-match': etag });
    assert.equal(next.statusCode, 200);
    assert.notEqual(next.headers.etag, etag);
    const entry = parseFeed(next.body)?.items.find((item) => item.id === `urn:uuid:${id}`);
    assert.equal(entry?.title, 'Tiêu đề đã sửa');
    const updatedOf = (xml: string) =>
      new RegExp(`<id>urn:uuid:${id}</id>[\\s\\S]*?<updated>([^<]+)</updated>`).exec(xml)?.[1] ?? '';
    assert.ok(Date.parse(updatedOf(next.body)) > Date.parse(updatedOf(first.body)));
    assert.ok(updatedBefore);
    await eventually(async () => {
      const answer = await check('1688.com');
      assert.equal(answer.advisories.find((advisory) => advisory.id === id)?.title, 'Tiêu đề đã sửa');
    });
  });
});

describe(`advisories: the public endpoints are rate limited (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  before(async () => {
    testApp = await startTestApp({ demo: false, env: { ADVISORIES_RATE_LIMIT: 3 } });
  });
  after(async () => {
    await testApp?.close();
  });

  it('answers 429 past ADVISORIES_RATE_LIMIT requests a minute from one address', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await testApp.app.inject({ url: '/feeds/advisories.rss', remoteAddress: '203.0.113.9' });
      statuses.push(response.statusCode);
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    const other = await testApp.app.inject({ url: '/advisories', remoteAddress: '203.0.113.10' });
    assert.equal(other.statusCode, 200);
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { type CheckIndex, startCheckIndex } from '../src/modules/check/index.ts';
import { assessPage } from '../src/modules/monitor/classify.ts';
import { monitorAssessmentSchema } from '../src/modules/monitor/monitor.schemas.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/**
 * Page classification of the monitor (issue 12, DESIGN.md "Badge" and "Monitor answer"): the fixture pages of
 * src/modules/monitor/fixtures against a register seeded here, badges verified through the register without fetching.
 */

const FIXTURES = path.join(import.meta.dirname, '../src/modules/monitor/fixtures');
const PORTAL_URL = 'https://portal.example';
const NOW = new Date('2026-12-04T03:00:00Z');

function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

describe(`monitor page classification (${testDatabaseKind})`, () => {
  let database: Database;
  let index: CheckIndex;
  let stop: () => Promise<void>;

  before(async () => {
    database = await createTestDatabase();
    await importRegistryRows(
      database,
      [
        registryRow({ line: 2, name: 'Giày Đẹp', registrationNo: 'TB-2026-00101', domains: ['shopgiay.vn'] }),
        registryRow({
          line: 3,
          name: 'Điện Máy Cũ',
          registrationNo: 'TB-2016-00042',
          legacyId: 'WebDetails/12345',
          domains: ['dienmaycu.com.vn'],
        }),
        registryRow({
          line: 4,
          name: 'Mỹ Phẩm Cũ',
          registrationNo: 'TB-2020-00007',
          status: 'revoked',
          domains: ['myphamcu.vn'],
        }),
        registryRow({
          line: 5,
          name: 'Đồ Cũ Hết Hạn',
          registrationNo: 'TB-2019-00003',
          validUntil: '2025-12-31',
          domains: ['docu-hethan.vn'],
        }),
        registryRow({
          line: 6,
          name: 'Điện Thoại Xịn',
          kind: 'marketplace',
          status: 'registered',
          registrationNo: 'DK-2026-00055',
          domains: ['dienthoaixin.vn'],
        }),
      ],
      { actor: 'test' },
    );
    ({ index, stop } = await startCheckIndex(database));
  });

  after(async () => {
    await stop?.();
    await database?.close();
  });

  async function assess(html: string, url: string) {
    const answer = await assessPage(database.db, index, { html, url }, { portalUrl: PORTAL_URL, now: NOW });
    // Every answer matches the contract's schema.
    assert.deepEqual(monitorAssessmentSchema.parse(answer), answer);
    return answer;
  }

  it('a Vietnamese shop with its own genuine badge is compliant', async () => {
    const answer = await assess(fixture('shop-genuine-badge.html'), 'https://www.shopgiay.vn/giay-da');
    assert.equal(answer.classification, 'compliant');
    assert.deepEqual(answer.signals.badge, {
      present: true,
      link: 'https://portal.example/r/TB-2026-00101',
      genuine: true,
      reason: 'record notified for shopgiay.vn',
    });
    assert.equal(answer.registry.verdict, 'notified');
    assert.ok(answer.signals.ecommerce.evidence.includes('259.000₫'));
    assert.ok(answer.signals.targets_vietnam.evidence.includes('lang=vi'));
    assert.deepEqual(
      answer.reasons.map((reason) => reason.code),
      ['registry_notified', 'badge_genuine'],
    );
  });

  it('a subdomain of the registered domain inherits its record', async () => {
    const answer = await assess(fixture('shop-genuine-badge.html'), 'https://m.shopgiay.vn/');
    assert.equal(answer.classification, 'compliant');
    assert.equal(answer.signals.badge.genuine, true);
  });

  it('a copied badge image without a link is a fake badge', async () => {
    const answer = await assess(fixture('shop-copied-badge.html'), 'https://giaydep-re.vn/');
    assert.equal(answer.classification, 'fake_badge');
    assert.equal(answer.signals.badge.present, true);
    assert.equal(answer.signals.badge.genuine, false);
    assert.equal(answer.signals.badge.link, null);
    assert.match(answer.signals.badge.reason ?? '', /without a link/);
    assert.equal(answer.reasons[0]?.code, 'badge_no_link');
  });

  it("a badge linking to another site's record is a fake badge", async () => {
    const answer = await assess(fixture('shop-other-site-badge.html'), 'https://myphamgiare.com/');
    assert.equal(answer.classification, 'fake_badge');
    assert.equal(answer.signals.badge.link, 'https://portal.example/r/TB-2026-00101');
    assert.equal(answer.signals.badge.reason, 'record covers another domain (shopgiay.vn)');
    assert.equal(answer.registry.verdict, 'unknown');
  });

  it("an old-portal badge is verified through the record's legacy id", async () => {
    const answer = await assess(fixture('shop-legacy-badge.html'), 'https://dienmaycu.com.vn/');
    assert.equal(answer.classification, 'compliant');
    assert.equal(answer.signals.badge.link, 'http://online.gov.vn/Home/WebDetails/12345');
    assert.equal(answer.signals.badge.genuine, true);
    // The same badge on another domain, or a legacy id the register does not hold, is fake.
    const copied = await assess(fixture('shop-legacy-badge.html'), 'https://dienmay-gia.vn/');
    assert.equal(copied.classification, 'fake_badge');
    assert.match(copied.signals.badge.reason ?? '', /another domain/);
    const unknown = await assess(
      fixture('shop-legacy-badge.html').replace('WebDetails/12345', 'WebDetails/99999'),
      'https://dienmaycu.com.vn/',
    );
    assert.equal(unknown.classification, 'fake_badge');
    assert.equal(unknown.signals.badge.reason, 'no record old-portal WebDetails/99999 in the register');
  });

  it('a badge of a revoked or expired record is fake even on its own domain', async () => {
    const revoked = await assess(
      fixture('shop-other-site-badge.html').replaceAll('TB-2026-00101', 'TB-2020-00007'),
      'https://myphamcu.vn/',
    );
    assert.equal(revoked.classification, 'fake_badge');
    assert.equal(revoked.signals.badge.reason, 'record is revoked');
    assert.equal(revoked.registry.verdict, 'revoked');
    const expired = await assess(
      fixture('shop-other-site-badge.html').replaceAll('TB-2026-00101', 'TB-2019-00003'),
      'https://docu-hethan.vn/',
    );
    assert.equal(expired.classification, 'fake_badge');
    assert.equal(expired.signals.badge.reason, 'record expired on 2025-12-31');
  });

  it('a Vietnamese shop not in the register is unregistered e-commerce; registered, it is compliant', async () => {
    const answer = await assess(fixture('shop-unregistered.html'), 'https://dienthoai-xachtay.vn/');
    assert.equal(answer.classification, 'unregistered_ecommerce');
    assert.deepEqual(answer.signals.badge, { present: false, link: null, genuine: null, reason: null });
    assert.deepEqual(
      answer.reasons.map((reason) => reason.code),
      ['ecommerce', 'targets_vietnam', 'registry_unknown'],
    );
    const registered = await assess(fixture('shop-unregistered.html'), 'https://dienthoaixin.vn/');
    assert.equal(registered.classification, 'compliant');
    assert.equal(registered.registry.platform?.registration_no, 'DK-2026-00055');
  });

  it('a selling page claiming registration in words is a fake badge unless the register backs it', async () => {
    const claiming = fixture('shop-unregistered.html').replace(
      '</body>',
      '<footer>Website đã thông báo với Bộ Công Thương</footer></body>',
    );
    const answer = await assess(claiming, 'https://dienthoai-xachtay.vn/');
    assert.equal(answer.classification, 'fake_badge');
    assert.equal(answer.reasons[0]?.code, 'claim_unbacked');
    assert.deepEqual(answer.signals.badge, {
      present: false,
      link: null,
      genuine: null,
      reason:
        'registration claimed in the text ("đã thông báo với Bộ Công Thương"), not backed by the register for this domain',
    });
    assert.equal((await assess(claiming, 'https://dienthoaixin.vn/')).classification, 'compliant');
    // A page that does not sell (news about registration) claims nothing for itself.
    const news = fixture('blog.html').replace('</article>', '<p>Shop X đã thông báo Bộ Công Thương.</p></article>');
    assert.equal((await assess(news, 'https://bepnhamai.vn/')).classification, 'not_ecommerce');
  });

  it('a Vietnamese blog is not e-commerce', async () => {
    const answer = await assess(fixture('blog.html'), 'https://bepnhamai.vn/pho-bo');
    assert.equal(answer.classification, 'not_ecommerce');
    assert.equal(answer.signals.ecommerce.value, false);
    assert.equal(answer.signals.targets_vietnam.value, true);
  });

  it('a foreign-only English store is not aimed at Vietnam', async () => {
    const answer = await assess(fixture('foreign-store.html'), 'https://maple-outdoor.example.com/');
    assert.equal(answer.classification, 'not_targeting_vietnam');
    assert.equal(answer.signals.ecommerce.value, true);
    assert.deepEqual(answer.signals.targets_vietnam, { value: false, evidence: [] });
  });

  it('a cross-border store with a VND currency switch and a Vietnamese carrier is unregistered e-commerce', async () => {
    const answer = await assess(fixture('cross-border-store.html'), 'https://globalgadgets.example.com/');
    assert.equal(answer.classification, 'unregistered_ecommerce');
    assert.deepEqual(answer.signals.targets_vietnam.evidence, ['currency option VND', 'Ninja Van']);
    // The currency switch alone is one kind of supporting signal: not enough.
    const switchOnly = await assess(
      fixture('cross-border-store.html').replace('with Ninja Van', 'by air'),
      'https://globalgadgets.example.com/',
    );
    assert.equal(switchOnly.classification, 'not_targeting_vietnam');
  });

  it('a Chinese store is e-commerce not aimed at Vietnam', async () => {
    const answer = await assess(fixture('chinese-store.html'), 'https://youxuan.example.cn/');
    assert.equal(answer.classification, 'not_targeting_vietnam');
    assert.ok(answer.signals.ecommerce.evidence.includes('加入购物车'));
  });

  it('a fake badge wins over the register: a registered site showing another record is flagged', async () => {
    const answer = await assess(fixture('shop-other-site-badge.html'), 'https://dienthoaixin.vn/');
    assert.equal(answer.registry.verdict, 'registered');
    assert.equal(answer.classification, 'fake_badge');
  });
});

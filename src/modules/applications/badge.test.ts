import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Platform } from '../registry/index.ts';
import { badgeSnippet, isHostCovered, judgeBadge, refererHost, renderBadgeSvg } from './badge.ts';

function buildPlatform(overrides: Partial<Platform> = {}): Platform {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    registration_no: 'TB-2026-00001',
    name: 'Nhà Sách Bình Minh',
    kind: 'sales',
    law_type: 'direct_sales',
    status: 'notified',
    cross_border: false,
    valid_from: '2026-01-05',
    valid_until: null,
    legacy_id: null,
    organisation: { name: 'Công ty CP Bình Minh', tax_code: '0309532909', country: 'VN' },
    domains: ['nhasach-binhminh.vn', 'binhminh.com.vn'],
    android_apps: [],
    ios_apps: [],
    created_at: '2026-01-05T00:00:00.000Z',
    updated_at: '2026-01-05T00:00:00.000Z',
    ...overrides,
  };
}

const NOW = new Date('2026-06-01T05:00:00Z');

describe('isHostCovered', () => {
  it('covers the domain itself and its subdomains, not a look-alike suffix', () => {
    const domains = ['shop.vn'];
    assert.equal(isHostCovered('shop.vn', domains), true);
    assert.equal(isHostCovered('m.shop.vn', domains), true);
    assert.equal(isHostCovered('myshop.vn', domains), false);
    assert.equal(isHostCovered('shop.vn.evil.com', domains), false);
  });
});

describe('judgeBadge', () => {
  it('says valid for a current record on one of its domains or a subdomain', () => {
    assert.equal(judgeBadge(buildPlatform(), 'nhasach-binhminh.vn', NOW).reason, 'valid');
    assert.equal(judgeBadge(buildPlatform(), 'm.binhminh.com.vn', NOW).valid, true);
  });

  it('names each reason a badge is not genuine', () => {
    assert.equal(judgeBadge(undefined, 'x.vn', NOW).reason, 'unknown_number');
    assert.equal(judgeBadge(buildPlatform(), 'other-shop.vn', NOW).reason, 'domain_not_covered');
    assert.equal(judgeBadge(buildPlatform({ status: 'revoked' }), 'nhasach-binhminh.vn', NOW).reason, 'revoked');
    assert.equal(judgeBadge(buildPlatform({ status: 'suspended' }), 'nhasach-binhminh.vn', NOW).reason, 'suspended');
    assert.equal(judgeBadge(buildPlatform({ status: 'expired' }), 'nhasach-binhminh.vn', NOW).reason, 'expired');
    assert.equal(judgeBadge(buildPlatform({ status: 'pending' }), 'nhasach-binhminh.vn', NOW).reason, 'not_current');
    // Terminated at the owner's request: the contract's `revoked`, in its own words.
    const terminated = judgeBadge(buildPlatform({ status: 'terminated' }), 'nhasach-binhminh.vn', NOW);
    assert.equal(terminated.reason, 'revoked');
    assert.match(terminated.message.vi, /chấm dứt hoạt động theo đề nghị của chủ sở hữu/);
  });

  it('treats a registration past its end date as expired before the nightly job marks it', () => {
    const lapsed = buildPlatform({ status: 'registered', valid_until: '2026-05-31' });
    assert.equal(judgeBadge(lapsed, 'nhasach-binhminh.vn', NOW).reason, 'expired');
    // The last day of validity still counts, in Vietnam time (05:00 UTC is noon in Hanoi).
    const lastDay = buildPlatform({ status: 'registered', valid_until: '2026-06-01' });
    assert.equal(judgeBadge(lastDay, 'nhasach-binhminh.vn', NOW).reason, 'valid');
  });

  it('judges the domain before the status: a copied badge is reported as copied', () => {
    assert.equal(judgeBadge(buildPlatform({ status: 'revoked' }), 'copycat.vn', NOW).reason, 'domain_not_covered');
  });
});

describe('renderBadgeSvg', () => {
  it('shows the status in Vietnamese and English, the number, and the colour of the status', () => {
    const svg = renderBadgeSvg(buildPlatform(), {
      registrationNo: 'TB-2026-00001',
      portalHost: 'portal.test',
      now: NOW,
    });
    assert.match(svg, /ĐÃ THÔNG BÁO BỘ CÔNG THƯƠNG/);
    assert.match(svg, /Notified · Ministry of Industry and Trade/);
    assert.match(svg, /TB-2026-00001/);
    assert.match(svg, /#00703c/);
    const revoked = renderBadgeSvg(buildPlatform({ status: 'revoked' }), {
      registrationNo: 'x',
      portalHost: 'p',
      now: NOW,
    });
    assert.match(revoked, /ĐÃ BỊ HỦY BỎ ĐĂNG KÝ/);
    assert.match(revoked, /#b3160b/);
    const terminated = renderBadgeSvg(buildPlatform({ status: 'terminated' }), {
      registrationNo: 'x',
      portalHost: 'p',
      now: NOW,
    });
    assert.match(terminated, /ĐÃ CHẤM DỨT HOẠT ĐỘNG/);
    assert.match(terminated, /#b3160b/);
  });

  it('escapes every text it prints', () => {
    const svg = renderBadgeSvg(undefined, { registrationNo: '<script>"&', portalHost: 'a<b', now: NOW });
    assert.doesNotMatch(svg, /<script>/);
    assert.match(svg, /&lt;script&gt;&quot;&amp;/);
    assert.match(svg, /a&lt;b/);
    assert.match(svg, /KHÔNG CÓ TRONG DANH SÁCH/);
  });

  it('says "not valid on this site" when shown on a domain the record does not cover', () => {
    const svg = renderBadgeSvg(buildPlatform(), {
      registrationNo: 'TB-2026-00001',
      portalHost: 'portal.test',
      shownOnHost: 'copycat.vn',
      now: NOW,
    });
    assert.match(svg, /KHÔNG HỢP LỆ TRÊN TRANG NÀY/);
  });
});

describe('refererHost', () => {
  it('gives the normalised host of another site and nothing for the portal itself', () => {
    assert.equal(refererHost('https://WWW.Shop.vn/cart?x=1', ['portal.test']), 'shop.vn');
    assert.equal(refererHost('http://portal.test/r/TB-1', ['portal.test']), undefined);
    assert.equal(refererHost('not a url', ['portal.test']), undefined);
    assert.equal(refererHost(undefined, ['portal.test']), undefined);
  });
});

describe('badgeSnippet', () => {
  it('is the markup of DESIGN.md, with the portal URL and the encoded number', () => {
    assert.equal(
      badgeSnippet('https://portal.example/', 'TB-2026-00001', 'notified'),
      '<a href="https://portal.example/r/TB-2026-00001"><img src="https://portal.example/badge/TB-2026-00001.svg" alt="Đã thông báo Bộ Công Thương"></a>',
    );
    assert.match(badgeSnippet('http://p', 'DK-2026-00001', 'registered'), /alt="Đã đăng ký Bộ Công Thương"/);
  });
});

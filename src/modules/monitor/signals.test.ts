import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractSignals, isVietnamesePhone, MAX_DEPTH, MAX_HTML_CHARS, vndAmount } from './signals.ts';

const URL = 'https://shop.example.com/';

function page(body: string, lang = 'en'): string {
  return `<!doctype html><html lang="${lang}"><body>${body}</body></html>`;
}

describe('monitor signals: VND prices', () => {
  const spellings: Array<[string, number]> = [
    ['259.000₫', 259_000],
    ['259.000 ₫', 259_000],
    ['8.990.000 VNĐ', 8_990_000],
    ['8.990.000 vnđ', 8_990_000],
    ['₫129.000', 129_000],
    ['₫ 129.000', 129_000],
    ['349.000 đ', 349_000],
    ['349.000đ', 349_000],
    ['259,000 VND', 259_000],
    ['VND 259,000', 259_000],
    ['1.290.000 đồng', 1_290_000],
    ['45000đ', 45_000],
    ['1 290 000 ₫', 1_290_000],
    ['259.000 Đ', 259_000],
  ];
  for (const [written, amount] of spellings) {
    it(`reads "${written}"`, () => {
      const signals = extractSignals(page(`<p>Giá: ${written}</p>`), URL);
      assert.deepEqual(signals.vndPrices, [written]);
      assert.equal(vndAmount(written), amount);
      assert.ok(signals.targetsVietnam.supporting.includes('vnd'));
    });
  }

  const notPrices = [
    'giao trong 2.000 đến 3.000 phút', // "đến" is a word, not the currency
    'mã 1.2.3.4.5 đặc biệt',
    'năm 2026 đẹp',
    'USD 259,000',
    '259.000 VNDX',
    'phiên bản 12.000.000.000.000.000 đ', // more groups than any price has
  ];
  for (const text of notPrices) {
    it(`does not read "${text}" as a VND price`, () => {
      assert.deepEqual(extractSignals(page(`<p>${text}</p>`), URL).vndPrices, []);
    });
  }
});

describe('monitor signals: Vietnamese phone numbers', () => {
  const phones = [
    '0912 345 678',
    '0912.345.678',
    '0912-345-678',
    '0912345678',
    '091 234 5678',
    '+84 912-345-678',
    '+84912345678',
    '(+84) 912.345.678',
    '(84) 912 345 678',
    '84 912 345 678',
    '0387 123 456',
    '024 3826 4567',
    '028.3822.1234',
    '+84 236-382-1234',
    '1900 1234',
    '1900 123 456',
    '1800.1234',
    '1900-6035',
  ];
  for (const written of phones) {
    it(`reads "${written}"`, () => {
      const signals = extractSignals(page(`<p>Hotline: ${written}.</p>`), URL);
      assert.deepEqual(signals.phones, [written]);
      assert.ok(isVietnamesePhone(written));
      assert.ok(signals.targetsVietnam.supporting.includes('phone'));
    });
  }

  const notPhones = [
    '0112 345 678', // no mobile range starts 01 any more
    '(555) 010-4477',
    '+1 415 555 0100',
    '+849123456789012',
    '10.912.345.678', // an address, not a number
    '2026-12-04 09:30',
    '12345678901234',
  ];
  for (const text of notPhones) {
    it(`does not read "${text}" as a Vietnamese phone number`, () => {
      assert.deepEqual(extractSignals(page(`<p>${text}</p>`), URL).phones, []);
    });
  }

  it('reads tel: links', () => {
    const signals = extractSignals(page('<a href="tel:+84912345678">Gọi</a>'), URL);
    assert.deepEqual(signals.phones, ['+84912345678']);
  });
});

describe('monitor signals: language, places and badges', () => {
  it('counts hreflang vi, og:locale and a .vn domain as strong signs of Vietnam', () => {
    const alternate = extractSignals(
      '<html lang="en"><head><link rel="alternate" hreflang="vi-VN" href="/vi/"></head></html>',
      URL,
    );
    assert.deepEqual(alternate.targetsVietnam.strong, ['hreflang']);
    assert.deepEqual(alternate.targetsVietnam.evidence, ['hreflang=vi-VN']);
    const locale = extractSignals('<html><head><meta property="og:locale" content="vi_VN"></head></html>', URL);
    assert.deepEqual(locale.targetsVietnam.evidence, ['og:locale=vi_VN']);
    const domain = extractSignals(page('<p>Hello</p>'), 'https://www.example.com.vn/');
    assert.deepEqual(domain.targetsVietnam.evidence, ['domain .vn (example.com.vn)']);
  });

  it('tells Vietnamese text from French with accents', () => {
    const vietnamese = 'Chúng tôi cam kết hàng chính hãng, đổi trả miễn phí trong bảy ngày, giao hàng tận nơi. '.repeat(
      3,
    );
    const french =
      'Nous livrons rapidement à domicile, la qualité est garantie et le délai de rétractation est respecté. '.repeat(
        3,
      );
    assert.ok(extractSignals(page(`<p>${vietnamese}</p>`), URL).targetsVietnam.strong.includes('vietnamese_text'));
    assert.deepEqual(extractSignals(page(`<p>${french}</p>`), URL).targetsVietnam.strong, []);
  });

  it('names provinces after the 2025 merger and the former ones, as written, in NFC', () => {
    // Decomposed (NFD) input comes out composed.
    const signals = extractSignals(page('<p>Địa chỉ: Thuận An, Bình Dương'.normalize('NFD')), URL);
    assert.deepEqual(signals.targetsVietnam.evidence, ['Bình Dương']);
    assert.equal(signals.targetsVietnam.evidence[0], 'Bình Dương'.normalize('NFC'));
    // "Hue" in English is a colour, not the city.
    assert.deepEqual(extractSignals(page('<p>A warm hue of red</p>'), URL).targetsVietnam.evidence, []);
  });

  it('ignores text in scripts and styles', () => {
    const signals = extractSignals(
      page('<script>var s = "Thêm vào giỏ hàng 259.000₫";</script><style>/* Mua ngay */</style>'),
      URL,
    );
    assert.deepEqual(signals.ecommerce.evidence, []);
    assert.deepEqual(signals.vndPrices, []);
  });

  it('finds a portal badge only on the portal host, and the link around it', () => {
    const html = page(
      '<a href="https://evil.example/r/TB-1"><img src="https://evil.example/badge/TB-1.svg"></a>' +
        '<a href="https://portal.example/gov/r/TB-2026-1"><span><img src="https://portal.example/gov/badge/TB-2026-1.svg"></span></a>',
    );
    const signals = extractSignals(html, URL, { portalUrl: 'https://portal.example/gov' });
    assert.deepEqual(signals.badge.images, [
      {
        src: 'https://portal.example/gov/badge/TB-2026-1.svg',
        alt: '',
        href: 'https://portal.example/gov/r/TB-2026-1',
      },
    ]);
    assert.deepEqual(signals.badge.links, [
      {
        kind: 'portal',
        href: 'https://portal.example/gov/r/TB-2026-1',
        registrationNo: 'TB-2026-1',
        wrapsBadgeImage: true,
      },
    ]);
  });

  it('finds old-portal badges by image name, alt text or link (AppDetails too), case-insensitively', () => {
    const html = page(
      '<img src="/LogoCCDVSaleNoti/logoCCDV.png">' +
        '<a href="https://www.online.gov.vn/home/appdetails/0042">Đã đăng ký Bộ Công Thương</a>' +
        '<img src="/x.png" alt="ĐÃ THÔNG BÁO BỘ CÔNG THƯƠNG">',
    );
    const signals = extractSignals(html, URL);
    assert.equal(signals.badge.images.length, 2);
    assert.deepEqual(
      signals.badge.links.map((link) => (link.kind === 'legacy' ? link.legacyId : link.registrationNo)),
      ['AppDetails/42'],
    );
  });

  it('an ordinary image or shields.io badge is no registration badge', () => {
    const signals = extractSignals(
      page('<img src="https://img.shields.io/badge/build-passing.svg"><img src="/logo.png">'),
      URL,
      {
        portalUrl: 'https://portal.example',
      },
    );
    assert.equal(signals.badge.present, false);
  });
});

describe('monitor signals: hostile input', () => {
  /** Runs the extraction and returns its time in ms; the bound is generous for a shared 2-core machine. */
  function timed(html: string): number {
    const start = performance.now();
    extractSignals(html, URL, { portalUrl: 'https://portal.example' });
    return performance.now() - start;
  }
  const MB = 1024 * 1024;
  const BOUND_MS = 1500;

  const inputs: Array<[string, () => string]> = [
    ['1 MB of nested tags', () => '<div><a href="/r/x"><span>'.repeat(MB / 26)],
    ['1 MB of unclosed tags', () => '<b<i<u'.repeat(MB / 6)],
    ['1 MB of unmatched closing tags under deep nesting', () => `${'<div>'.repeat(250)}${'</x>'.repeat(MB / 4)}`],
    ['1 MB of open divs, each with a closed span', () => '<div><span></span>'.repeat(MB / 18)],
    [
      'a 1 MB attribute',
      () => `<a href="https://portal.example/r/${'x'.repeat(MB)}"><img alt="${'Đ'.repeat(MB)}"></a>`,
    ],
    ['a 1 MB text of digits', () => page('9'.repeat(MB))],
    ['a 1 MB run of digits and dots', () => page('1.'.repeat(MB / 2))],
    ['a 1 MB run of groups of three', () => page('000.'.repeat(MB / 4))],
    ['a 1 MB run of digits and spaces', () => page('0 9'.repeat(MB / 3))],
    ['a 1 MB run of +84', () => page('+84'.repeat(MB / 3))],
    ['1 MB of dong signs', () => page('₫1'.repeat(MB / 2))],
    ['1 MB of JSON-LD nesting', () => `<script type="application/ld+json">${'['.repeat(MB)}</script>`],
    ['1 MB of one Vietnamese word', () => page('đ'.repeat(MB))],
    ['1 MB of COD without word breaks', () => page('COD'.repeat(MB / 3))],
  ];
  for (const [name, make] of inputs) {
    it(`reads ${name} in bounded time`, () => {
      const html = make();
      const elapsed = timed(html);
      assert.ok(elapsed < BOUND_MS, `${name}: ${elapsed.toFixed(0)} ms`);
    });
  }

  it('reads a page nested as deep as real ones to its end, and stops past MAX_DEPTH', () => {
    const badge = '<a href="http://online.gov.vn/Home/WebDetails/1"><img src="/logoSaleNoti.png"></a>';
    const deep = (depth: number) =>
      page(`${'<div><section>'.repeat(depth / 2)}<p>Mua ngay</p>${'</section></div>'.repeat(depth / 2)}${badge}`);
    const read = extractSignals(deep(200), URL);
    assert.equal(read.truncated, false);
    assert.equal(read.badge.links.length, 1);
    const cut = extractSignals(deep(MAX_DEPTH + 2), URL);
    assert.equal(cut.truncated, true);
    assert.equal(cut.badge.present, false);
  });

  it('cuts pages larger than the limit', () => {
    const html = page(`<p>Thêm vào giỏ hàng</p>${' '.repeat(MAX_HTML_CHARS)}<p>259.000₫</p>`);
    const signals = extractSignals(html, URL);
    assert.equal(signals.truncated, true);
    assert.deepEqual(signals.vndPrices, []);
    assert.deepEqual(signals.ecommerce.evidence, ['Thêm vào giỏ hàng']);
  });
});

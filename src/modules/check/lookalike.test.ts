import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeHost } from '../../core/hosts.ts';
import { createLookalikeIndex, type LookalikeIndex, type LookalikeTechnique, skeletonOf } from './lookalike.ts';

const TARGETS = [
  { platformId: 'p-shopee', platformName: 'Shopee', domain: 'shopee.vn' },
  { platformId: 'p-lazada', platformName: 'Lazada', domain: 'lazada.vn' },
  { platformId: 'p-tiki', platformName: 'Tiki', domain: 'tiki.vn' },
  { platformId: 'p-sendo', platformName: 'Sendo', domain: 'sendo.vn' },
  { platformId: 'p-tiktok', platformName: 'TikTok Shop', domain: 'tiktok.com' },
  // A long key, for the techniques that only apply to long keys (bitsquatting).
  { platformId: 'p-tgdd', platformName: 'Thế Giới Di Động', domain: 'thegioididong.com' },
];

function buildIndex(): LookalikeIndex {
  const index = createLookalikeIndex();
  for (const target of TARGETS) {
    index.add(target);
    index.addBrandName(target.platformId, target.platformName, target.domain);
  }
  return index;
}

const index = buildIndex();

function assertLookalike(host: string, technique: LookalikeTechnique, domain: string): void {
  const match = index.find(normalizeHost(host));
  assert.ok(match, `${host} should be a look-alike of ${domain}`);
  assert.equal(match.technique, technique, `technique for ${host}`);
  assert.equal(match.domain, domain, `imitated domain for ${host}`);
}

function assertNotLookalike(host: string): void {
  const match = index.find(normalizeHost(host));
  assert.equal(match, undefined, `${host} should not be a look-alike, got ${JSON.stringify(match)}`);
}

describe('look-alike techniques', () => {
  it('addition: a character appended', () => {
    assertLookalike('lazadas.vn', 'addition', 'lazada.vn');
    assertLookalike('shopeex.com', 'addition', 'shopee.vn');
    assertNotLookalike('tikis.vn'); // brands of 4 letters or fewer get no edits
  });

  it('bitsquatting: one bit flipped', () => {
    assertLookalike('thegioidilong.com', 'bitsquatting', 'thegioididong.com'); // d (0x64) → l (0x6c)
    assertNotLookalike('shmpee.vn'); // o → m is a bit flip too, but 6-letter keys get none
  });

  it('homoglyph: digits, Cyrillic, Greek and accented letters that look like the brand', () => {
    assertLookalike('sh0pee.vn', 'homoglyph', 'shopee.vn');
    assertLookalike('ѕһорее.vn', 'homoglyph', 'shopee.vn'); // Cyrillic ѕ һ о р е е
    assertLookalike('lαzαdα.vn', 'homoglyph', 'lazada.vn'); // Greek α
    assertLookalike('shopée.vn', 'homoglyph', 'shopee.vn');
    assertLookalike('t1ki.vn', 'homoglyph', 'tiki.vn'); // short brands do get homoglyphs
    assertNotLookalike('g00gle.com');
  });

  it('homoglyph: an I typed for an l, read as i once the host is lower-cased', () => {
    const glyphs = createLookalikeIndex();
    glyphs.add({ platformId: 'p-cho', platformName: 'Chợ Phố Online', domain: 'chophoonline.vn' });
    const match = glyphs.find(normalizeHost('chophoonIine.vn'));
    assert.equal(match?.domain, 'chophoonline.vn');
    assert.equal(match?.technique, 'homoglyph');
    assert.equal(glyphs.find(normalizeHost('chophoonline.vn')), undefined);
  });

  // One case per pair of dnstwist's glyphs_ascii table (confusables.ts), as [registered domain, look-alike]: the
  // key's letter, then what the look-alike shows in its place.
  const DNSTWIST_ASCII_GLYPHS: ReadonlyArray<readonly [string, string, string]> = [
    ['0 → o', 'shop0vn.vn', 'shopovn.vn'],
    ['1 → l', 'so1ution.vn', 'solution.vn'],
    ['1 → i', 'so1ution.vn', 'soiution.vn'],
    ['3 → 8', 'shop365.vn', 'shop865.vn'],
    ['6 → 9', 'shop365.vn', 'shop395.vn'],
    ['8 → 3', 'top1888.vn', 'top1388.vn'],
    ['9 → 6', 'may1990.vn', 'may1690.vn'],
    ['b → d', 'bibomart.com.vn', 'bidomart.com.vn'],
    ['b → lb', 'bibomart.com.vn', 'bilbomart.com.vn'],
    ['c → e', 'nhacuatoi.vn', 'nhaeuatoi.vn'],
    ['d → b', 'sendo.vn', 'senbo.vn'],
    ['d → cl', 'sendo.vn', 'senclo.vn'],
    ['d → dl', 'sendo.vn', 'sendlo.vn'],
    ['e → c', 'shopee.vn', 'shopce.vn'],
    ['g → q', 'fahasago.vn', 'fahasaqo.vn'],
    ['h → lh', 'tinhte.vn', 'tinlhte.vn'],
    ['i → 1', 'tiki.vn', 't1ki.vn'],
    ['i → l', 'tiki.vn', 'tlki.vn'],
    ['k → lc', 'shopkeeper.vn', 'shoplceeper.vn'],
    ['l → 1', 'lazada.vn', '1azada.vn'],
    ['l → i', 'chophoonline.vn', 'chophooniine.vn'],
    ['m → n', 'vinamilk.vn', 'vinanilk.vn'],
    ['m → nn', 'vinamilk.vn', 'vinannilk.vn'],
    ['m → rn', 'vinamilk.vn', 'vinarnilk.vn'],
    ['n → m', 'hoanghamobile.com', 'hoamghamobile.com'],
    ['n → r', 'hoanghamobile.com', 'hoarghamobile.com'],
    ['o → 0', 'shopee.vn', 'sh0pee.vn'],
    ['q → g', 'sequoia.vn', 'seguoia.vn'],
    ['u → v', 'tuoitre.vn', 'tvoitre.vn'],
    ['v → u', 'vinaviet.vn', 'vinauiet.vn'],
    ['w → vv', 'kawaii.vn', 'kavvaii.vn'],
    ['rn → m', 'modern.vn', 'modem.vn'],
    ['cl → d', 'uniclo.vn', 'unido.vn'],
  ];

  it("homoglyph: every pair of dnstwist's ASCII table", () => {
    const glyphs = createLookalikeIndex();
    for (const domain of new Set(DNSTWIST_ASCII_GLYPHS.map(([, registered]) => registered))) {
      glyphs.add({ platformId: `p-${domain}`, platformName: domain, domain });
    }
    for (const [pair, registered, lookalike] of DNSTWIST_ASCII_GLYPHS) {
      const match = glyphs.find(normalizeHost(lookalike));
      assert.equal(match?.domain, registered, `${pair}: ${lookalike} imitates ${registered}`);
      assert.equal(match?.technique, 'homoglyph', `${pair}: technique for ${lookalike}`);
    }
  });

  it('homoglyph: a merely similar letter only inside a key of 5 letters or more, and only one', () => {
    const glyphs = createLookalikeIndex();
    for (const domain of ['temu.com', 'sendo.vn', 'shopee.vn', 'dantri.com.vn', 'lazada.vn']) {
      glyphs.add({ platformId: `p-${domain}`, platformName: domain, domain });
    }
    assert.equal(glyphs.find(normalizeHost('tenu.com')), undefined); // m → n in a 4-letter key
    assert.equal(glyphs.find(normalizeHost('bantri.vn')), undefined); // d → b as the first letter
    assert.equal(glyphs.find(normalizeHost('shopec.vn')), undefined); // e → c as the last letter
    assert.equal(glyphs.find(normalizeHost('lazaba.vn'))?.technique, 'homoglyph'); // d → b inside
    assert.equal(glyphs.find(normalizeHost('serbo.vn')), undefined); // two similar letters: n → r, d → b
    // Identities have no such limits: 0 for o as the last letter, I for l in the first.
    assert.equal(glyphs.find(normalizeHost('send0.vn'))?.technique, 'homoglyph');
    assert.equal(glyphs.find(normalizeHost('Iazada.vn'))?.technique, 'homoglyph');
  });

  it('hyphenation: a hyphen inserted', () => {
    assertLookalike('laz-ada.vn', 'hyphenation', 'lazada.vn');
    assertLookalike('shop-ee.com', 'hyphenation', 'shopee.vn');
    assertNotLookalike('ti-ki.vn');
  });

  it('insertion: a keyboard-adjacent character inserted', () => {
    assertLookalike('lazsada.vn', 'insertion', 'lazada.vn'); // s beside a
    assertLookalike('shopwee.vn', 'insertion', 'shopee.vn'); // w beside e
    assertNotLookalike('shopxee.vn'); // x is not beside p or e
  });

  it('omission: a character left out', () => {
    assertLookalike('shope.vn', 'omission', 'shopee.vn');
    assertLookalike('lazda.vn', 'omission', 'lazada.vn');
    assertNotLookalike('send.com'); // sendo is too short to lose a letter
    assertNotLookalike('hopee.vn'); // the first letter is kept by every interior edit
  });

  it('repetition: a character doubled', () => {
    assertLookalike('shoppee.vn', 'repetition', 'shopee.vn');
    assertLookalike('shopeee.vn', 'repetition', 'shopee.vn');
    assertLookalike('lazadaa.vn', 'repetition', 'lazada.vn');
    assertNotLookalike('tikki.vn');
  });

  it('replacement: a character replaced by a neighbouring key', () => {
    assertLookalike('lazafa.vn', 'replacement', 'lazada.vn'); // d → f
    assertLookalike('shopre.vn', 'replacement', 'shopee.vn'); // e → r
    assertNotLookalike('wiki.vn');
    assertNotLookalike('ahopee.vn'); // first letter changed: not an interior edit
  });

  it('transposition: two adjacent characters swapped', () => {
    assertLookalike('lzaada.vn', 'transposition', 'lazada.vn');
    assertLookalike('shoepe.vn', 'transposition', 'shopee.vn');
    assertNotLookalike('itki.vn');
  });

  it('vowel-swap: a vowel replaced by another', () => {
    assertLookalike('lazeda.vn', 'vowel-swap', 'lazada.vn');
    assertLookalike('shopie.vn', 'vowel-swap', 'shopee.vn');
    assertNotLookalike('toki.vn');
    assertNotLookalike('sendu.vn'); // last letter changed
  });

  it('tld-swap: the same label under another public suffix', () => {
    assertLookalike('shopee.com', 'tld-swap', 'shopee.vn');
    assertLookalike('shopee.com.vn', 'tld-swap', 'shopee.vn');
    assertLookalike('tiki.com', 'tld-swap', 'tiki.vn');
    assertLookalike('shopee.myshopify.com', 'tld-swap', 'shopee.vn');
    assertNotLookalike('shopee.vn');
  });

  it('subdomain: the brand as a subdomain of another domain', () => {
    assertLookalike('shopee.vn.example.com', 'subdomain', 'shopee.vn');
    assertLookalike('shopee.evil.top', 'subdomain', 'shopee.vn');
    assertLookalike('tiki.evil.top', 'subdomain', 'tiki.vn');
    assertLookalike('shopee-sale.evil.top', 'subdomain', 'shopee.vn');
    assertNotLookalike('shop.evil.top');
    assertNotLookalike('mail.google.com');
  });

  it('dictionary: the brand beside lure words', () => {
    assertLookalike('shopee-sale.vn', 'dictionary', 'shopee.vn');
    assertLookalike('sale-shopee.com', 'dictionary', 'shopee.vn');
    assertLookalike('shopeevn.com', 'dictionary', 'shopee.vn');
    assertLookalike('khuyenmai-lazada2025.vn', 'dictionary', 'lazada.vn');
    assertLookalike('tiki-freeship.vn', 'dictionary', 'tiki.vn');
    assertLookalike('ѕһорее-login.com', 'dictionary', 'shopee.vn');
    assertNotLookalike('tikisale.vn'); // a short brand only as a whole hyphen-separated token
    assertNotLookalike('shopee-banhmi.vn'); // banhmi is no lure word
  });

  it('matches a platform name used as a domain', () => {
    assertLookalike('tiktokshop.vn', 'dictionary', 'tiktok.com');
    assertLookalike('tiktokshoop.vn', 'repetition', 'tiktok.com');
    assertLookalike('thegioididong.vn', 'tld-swap', 'thegioididong.com');
  });
});

describe('createLookalikeIndex', () => {
  it('finds nothing for registered domains, their subdomains, IP addresses and unrelated sites', () => {
    for (const host of ['shopee.vn', 'm.shopee.vn', 'www.lazada.vn', 'tiktok.com', '203.0.113.5']) {
      assertNotLookalike(host);
    }
    for (const host of ['google.com', 'vnexpress.net', 'dantri.com.vn', 'emu.com', 'shop.vn', 'sen.vn']) {
      assertNotLookalike(host);
    }
  });

  it('prefers the more specific technique: a doubled letter over a letter appended', () => {
    assertLookalike('lazadaa.vn', 'repetition', 'lazada.vn');
  });

  it('reports the target under the same public suffix first, then the shortest domain', () => {
    const shared = createLookalikeIndex();
    shared.add({ platformId: 'p-my', platformName: 'Shopee Malaysia', domain: 'shopee.com.my' });
    shared.add({ platformId: 'p-vn', platformName: 'Shopee', domain: 'shopee.vn' });
    shared.add({ platformId: 'p-co', platformName: 'Shopee Colombia', domain: 'shopee.com.co' });
    assert.equal(shared.find(normalizeHost('shoppee.com.my'))?.domain, 'shopee.com.my');
    assert.equal(shared.find(normalizeHost('shoppee.vn'))?.domain, 'shopee.vn');
    assert.equal(shared.find(normalizeHost('shoppee.top'))?.domain, 'shopee.vn');
    assert.equal(shared.find(normalizeHost('shopee.com.my')), undefined);
  });

  it('indexes a registered host by its registrable domain', () => {
    const hosts = createLookalikeIndex();
    hosts.add({ platformId: 'p', platformName: 'Shopee', domain: 'https://m.shopee.vn/' });
    assert.equal(hosts.find(normalizeHost('shopee.vn')), undefined);
    assert.equal(hosts.find(normalizeHost('shoppee.vn'))?.domain, 'shopee.vn');
  });

  it('counts targets, ignores duplicates, and forgets a removed platform', () => {
    const small = createLookalikeIndex();
    small.add({ platformId: 'p1', platformName: 'Shopee', domain: 'shopee.vn' });
    small.add({ platformId: 'p1', platformName: 'Shopee', domain: 'shopee.vn' });
    small.add({ platformId: 'p1', platformName: 'Shopee', domain: 'shopee.com.my' });
    small.addBrandName('p1', 'Shopee Mall', 'shopee.vn');
    small.add({ platformId: 'p2', platformName: 'Lazada', domain: 'lazada.vn' });
    assert.equal(small.size, 3);
    assert.equal(small.find(normalizeHost('shopeemall.com'))?.platformName, 'Shopee Mall');

    small.removePlatform('p1');
    assert.equal(small.size, 1);
    assert.equal(small.find(normalizeHost('shoppee.vn')), undefined);
    assert.equal(small.find(normalizeHost('shopeemall.com')), undefined);
    assert.equal(small.find(normalizeHost('lazadaa.vn'))?.platformId, 'p2');

    small.add({ platformId: 'p1', platformName: 'Shopee', domain: 'shopee.vn' });
    assert.equal(small.find(normalizeHost('shoppee.vn'))?.platformId, 'p1');
  });

  it('finds every interior omission of every key, however many keys the filters were grown for', () => {
    // The omission technique first asks a filter of every key's deletions: it must never say no to a real one.
    const many = createLookalikeIndex();
    // 5,000 distinct keys of 6 to 14 letters and digits, spread by a multiplicative hash of their number.
    const keys = new Set<string>();
    for (let i = 0; keys.size < 5_000; i++) {
      const spread = `${(Math.imul(i + 1, 0x9e3779b1) >>> 0).toString(36)}${(Math.imul(i + 1, 0x85ebca6b) >>> 0).toString(36)}`;
      keys.add(spread.slice(0, 6 + (i % 10)));
    }
    let platform = 0;
    for (const key of keys) many.add({ platformId: `p${platform++}`, platformName: key, domain: `${key}.vn` });
    for (const key of [...keys].slice(0, 300)) {
      for (let at = 1; at < key.length - 1; at++) {
        const omitted = `${key.slice(0, at)}${key.slice(at + 1)}.vn`;
        const match = many.find(normalizeHost(omitted));
        assert.ok(match, `${omitted} leaves a letter out of ${key}.vn`);
      }
    }
  });

  it('ignores keys of one or two letters', () => {
    const short = createLookalikeIndex();
    short.add({ platformId: 'p', platformName: 'A', domain: 'a.myshopify.com' });
    assert.equal(short.size, 0);
    assert.equal(short.find(normalizeHost('a.vn')), undefined);
  });
});

describe('skeletonOf', () => {
  it('maps look-alike characters and sequences to the ASCII they imitate', () => {
    assert.equal(skeletonOf('ѕһорее'), 'shopee');
    assert.equal(skeletonOf('rnomo'), 'momo');
    assert.equal(skeletonOf('vvatsons'), 'watsons');
    assert.equal(skeletonOf('c1ienmayxanh'), 'dienmayxanh'); // 1 → l, then cl → d
    assert.equal(skeletonOf('điện-máy'), 'dien-may');
    assert.equal(skeletonOf('chophooniine'), skeletonOf('chophoonline')); // i (a lower-cased I), l and 1 are one letter
    assert.equal(skeletonOf('1azada'), 'iazada');
  });
});

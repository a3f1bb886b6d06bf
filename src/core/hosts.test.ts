import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from './errors.ts';
import { hostProblem, normalizeHost, parentDomains, tryNormalizeHost } from './hosts.ts';

function assertInvalidHost(raw: string, reason: RegExp): void {
  assert.throws(
    () => normalizeHost(raw),
    (error) =>
      isAppError(error) && error.code === 'invalid_input' && error.field === 'input' && reason.test(error.message),
  );
  assert.equal(tryNormalizeHost(raw), undefined);
}

describe('normalizeHost', () => {
  it('says what is wrong with a host in Vietnamese too', () => {
    assert.throws(
      () => normalizeHost('shop..vn', 'domains'),
      (error) =>
        isAppError(error) &&
        error.field === 'domains' &&
        error.text.vi ===
          '"shop..vn" không phải tên máy chủ hợp lệ: có nhãn rỗng (hai dấu chấm liền nhau, hoặc dấu chấm ở đầu)' &&
        error.text.en ===
          '"shop..vn" is not a valid host name: it has an empty label (two dots in a row, or a leading dot)',
    );
    assert.deepEqual(hostProblem('shop .vn'), {
      vi: 'có khoảng trắng, điều tên máy chủ không được có',
      en: 'it contains white space, which a host name cannot',
    });
    assert.equal(hostProblem('shop.vn'), undefined);
  });

  it('lower-cases and drops a trailing dot and a leading www', () => {
    const host = normalizeHost('WWW.Shopee.VN.');
    assert.equal(host.host, 'shopee.vn');
    assert.equal(host.registrableDomain, 'shopee.vn');
    assert.equal(host.publicSuffix, 'vn');
    assert.equal(host.label, 'shopee');
    assert.deepEqual(host.subdomainLabels, []);
  });

  it('keeps the subdomain labels left of the registrable domain', () => {
    const host = normalizeHost('m.shopee.vn');
    assert.equal(host.host, 'm.shopee.vn');
    assert.equal(host.registrableDomain, 'shopee.vn');
    assert.equal(host.label, 'shopee');
    assert.deepEqual(host.subdomainLabels, ['m']);
  });

  it('strips userinfo, port, scheme and path', () => {
    const host = normalizeHost('https://user:pw@m.shop.vn:8443/x?y#z');
    assert.equal(host.host, 'm.shop.vn');
    assert.equal(host.registrableDomain, 'shop.vn');
    assert.equal(normalizeHost('user@shop.vn:80').host, 'shop.vn');
  });

  it('splits at the Public Suffix List, private section included', () => {
    const a = normalizeHost('a.myshopify.com');
    const b = normalizeHost('b.myshopify.com');
    assert.equal(a.registrableDomain, 'a.myshopify.com');
    assert.equal(a.publicSuffix, 'myshopify.com');
    assert.equal(a.label, 'a');
    assert.notEqual(a.registrableDomain, b.registrableDomain);
    assert.equal(normalizeHost('shop.com.vn').registrableDomain, 'shop.com.vn');
  });

  it('maps Unicode and punycode spellings of an IDN to the same ASCII host', () => {
    const fromPunycode = normalizeHost('xn--bcher-kva.example');
    const fromUnicode = normalizeHost('BÜCHER.example');
    assert.equal(fromUnicode.host, 'xn--bcher-kva.example');
    assert.deepEqual(fromUnicode, fromPunycode);
    assert.equal(fromUnicode.unicodeHost, 'bücher.example');
  });

  it('converts Vietnamese host names to punycode', () => {
    const host = normalizeHost('thương-mại.vn');
    assert.match(host.host, /^xn--[a-z0-9-]+\.vn$/);
    assert.equal(host.unicodeHost, 'thương-mại.vn');
    assert.equal(host.registrableDomain, host.host);
  });

  it('decodes percent-encoding', () => {
    assert.equal(normalizeHost('%73hopee.vn').host, 'shopee.vn');
  });

  it('accepts IP addresses as their own registrable domain', () => {
    const v4 = normalizeHost('203.0.113.5:8080');
    assert.equal(v4.host, '203.0.113.5');
    assert.equal(v4.registrableDomain, '203.0.113.5');
    assert.equal(v4.isIp, true);
    assert.equal(normalizeHost('[2001:DB8::1]:443').registrableDomain, '2001:db8::1');
  });

  it('accepts an unlisted top-level domain by the default rule, and says it is unlisted', () => {
    const host = normalizeHost('shop.example');
    assert.equal(host.registrableDomain, 'shop.example');
    assert.equal(host.isListedSuffix, false);
    assert.equal(normalizeHost('shopee.vn').isListedSuffix, true);
  });

  it('tolerates an underscore in a subdomain but not in the registrable domain', () => {
    assert.equal(normalizeHost('_dmarc.shop.vn').registrableDomain, 'shop.vn');
    assertInvalidHost('a_b.com', /registrable domain contains "_"/);
  });

  it('reports the field it is given', () => {
    assert.throws(
      () => normalizeHost('vn', 'domains'),
      (error) => isAppError(error) && error.field === 'domains',
    );
  });
});

describe('normalizeHost refuses what is not a host', () => {
  it('refuses an empty host', () => {
    assertInvalidHost('', /empty/);
    assertInvalidHost('https://', /empty/);
  });

  it('refuses a public suffix alone', () => {
    assertInvalidHost('vn', /public suffix/);
    assertInvalidHost('com.vn', /public suffix/);
    assertInvalidHost('github.io', /public suffix/);
  });

  it('refuses a single label', () => {
    assertInvalidHost('localhost', /not a registrable domain/);
  });

  it('refuses empty labels, edge hyphens and long labels', () => {
    assertInvalidHost('a..b.com', /empty label/);
    assertInvalidHost('..', /empty label/);
    assertInvalidHost('-shop.vn', /hyphen/);
    assertInvalidHost(`${'a'.repeat(64)}.com`, /longer than 63/);
    assertInvalidHost(`${'a.'.repeat(127)}com`, /longer than 253/);
  });

  it('refuses spaces and other characters no host holds', () => {
    assertInvalidHost('exa mple.com', /white space/);
    assertInvalidHost('shop*.vn', /"\*"/);
    assertInvalidHost('shop%.vn', /"%"/);
  });

  it('refuses malformed punycode and percent-encoding that is not UTF-8', () => {
    assertInvalidHost('xn--zz.com', /IDN/);
    assertInvalidHost('%ff.vn', /IDN/);
  });

  it('refuses bad ports and numeric hosts that are not IP addresses', () => {
    assertInvalidHost('shop.vn:99999', /not a port/);
    assertInvalidHost('shop.vn:http', /not a port/);
    assertInvalidHost('1.2.3', /IP address/);
    assertInvalidHost('[not-ipv6]', /not an IPv6 address/);
  });

  it('refuses URLs of other schemes', () => {
    assertInvalidHost('ftp://shop.vn', /only http and https/);
  });
});

describe('parentDomains', () => {
  it('lists the parents nearest first, down to the second level', () => {
    assert.deepEqual(parentDomains('a.b.shop.vn'), ['b.shop.vn', 'shop.vn']);
    assert.deepEqual(parentDomains('shop.vn'), []);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError } from '../../core/errors.ts';
import { type CheckInput, parseCheckInput } from './input.ts';

function hostOf(input: string): string {
  const parsed = parseCheckInput(input);
  assert.equal(parsed.type, 'domain', `${input} should read as a domain`);
  return parsed.type === 'domain' ? parsed.host.host : '';
}

function assertInvalid(input: string, message: RegExp): void {
  assert.throws(
    () => parseCheckInput(input),
    (error) =>
      isAppError(error) && error.code === 'invalid_input' && error.field === 'input' && message.test(error.message),
  );
}

describe('parseCheckInput says what is wrong in both languages', () => {
  it('names the problem of a malformed address in Vietnamese and English', () => {
    assert.throws(
      () => parseCheckInput('http://[::1/'),
      (error) =>
        isAppError(error) &&
        error.text.en ===
          '"http://[::1/" is not a valid web address: its host name is invalid: an IPv6 address is missing its closing "]".' &&
        error.text.vi ===
          '"http://[::1/" không phải địa chỉ web hợp lệ: tên máy chủ không hợp lệ: địa chỉ IPv6 thiếu dấu "]" đóng.',
    );
    assert.throws(
      () => parseCheckInput('   '),
      (error) => isAppError(error) && /^Chưa nhập gì/.test(error.text.vi) && /^Input is empty/.test(error.message),
    );
  });
});

describe('parseCheckInput reads web addresses', () => {
  it('reads a URL as its host, without user, port or path', () => {
    const parsed = parseCheckInput('https://user:pw@m.shop.vn:8443/x');
    assert.equal(parsed.type, 'domain');
    assert.equal(parsed.type === 'domain' && parsed.host.host, 'm.shop.vn');
    assert.equal(parsed.type === 'domain' && parsed.host.registrableDomain, 'shop.vn');
  });

  it('reads a bare host, with or without www, case, trailing dot, port or path', () => {
    assert.equal(hostOf('WWW.Shopee.VN.'), 'shopee.vn');
    assert.equal(hostOf('  shopee.vn  '), 'shopee.vn');
    assert.equal(hostOf('shopee.vn:8080'), 'shopee.vn');
    assert.equal(hostOf('shopee.vn/search?q=áo thun'), 'shopee.vn');
    assert.equal(hostOf('https://shopee.vn/search?q=áo thun'), 'shopee.vn');
  });

  it('reads Unicode host names as punycode and decodes percent-encoding', () => {
    assert.match(hostOf('thương-mại.vn'), /^xn--.+\.vn$/);
    assert.equal(hostOf('http://%73hopee.vn/'), 'shopee.vn');
  });

  it('reads hosts under the reserved example and test domains', () => {
    assert.equal(hostOf('shop.example'), 'shop.example');
  });

  it('reads an IP address, in a URL or bare, as a domain', () => {
    assert.equal(hostOf('http://203.0.113.5/x'), '203.0.113.5');
    assert.equal(hostOf('203.0.113.5'), '203.0.113.5');
  });

  it('reads play.google.com pages other than an app page as the domain google.com', () => {
    const parsed = parseCheckInput('https://play.google.com/store/apps/dev?id=123');
    assert.equal(parsed.type === 'domain' && parsed.host.registrableDomain, 'google.com');
  });
});

describe('parseCheckInput reads app-store links and app ids', () => {
  const android = (packageId: string): CheckInput => ({ type: 'android_app', packageId });
  const ios = (appId: string): CheckInput => ({ type: 'ios_app', appId });

  it('reads a Google Play link as its package id', () => {
    assert.deepEqual(
      parseCheckInput('https://play.google.com/store/apps/details?id=com.shopee.vn&hl=vi'),
      android('com.shopee.vn'),
    );
    assert.deepEqual(parseCheckInput('market://details?id=com.shopee.vn'), android('com.shopee.vn'));
  });

  it('reads an App Store link, on apps.apple.com or itunes.apple.com, as its numeric id', () => {
    assert.deepEqual(parseCheckInput('https://apps.apple.com/vn/app/shopee/id959841449'), ios('959841449'));
    assert.deepEqual(parseCheckInput('https://itunes.apple.com/vn/app/id959841449?mt=8'), ios('959841449'));
  });

  it('reads a bare id-prefixed number and an ios: hint as an iOS app', () => {
    assert.deepEqual(parseCheckInput('id959841449'), ios('959841449'));
    assert.deepEqual(parseCheckInput('ios:959841449'), ios('959841449'));
  });

  it('reads a reverse-DNS package id starting with com., net. or org. as an Android app', () => {
    assert.deepEqual(parseCheckInput('com.shopee.vn'), android('com.shopee.vn'));
    assert.deepEqual(parseCheckInput('com.lazada.android'), android('com.lazada.android'));
  });

  it('reads a package id with an unlisted last label as an Android app when it starts with a top-level domain', () => {
    assert.deepEqual(parseCheckInput('com.zing.zalo'), android('com.zing.zalo'));
    assert.deepEqual(parseCheckInput('vn.zing.zalopay'), android('vn.zing.zalopay'));
  });

  it('reads a host starting with a country label as a domain, not an app', () => {
    assert.equal(hostOf('vn.shopee.app'), 'vn.shopee.app');
  });

  it('forces an Android app with the android:, app: and package: hints', () => {
    assert.deepEqual(parseCheckInput('android:com.shopee.vn'), android('com.shopee.vn'));
    assert.deepEqual(parseCheckInput('app: com.lazada.vn'), android('com.lazada.vn'));
    assert.deepEqual(parseCheckInput('package:vn.shopee.app'), android('vn.shopee.app'));
  });
});

describe('parseCheckInput reads names', () => {
  it('reads text that is no address as a name, NFC and with single spaces', () => {
    assert.deepEqual(parseCheckInput('Temu'), { type: 'name', name: 'Temu' });
    assert.deepEqual(parseCheckInput('  TikTok   Shop '), { type: 'name', name: 'TikTok Shop' });
    assert.deepEqual(parseCheckInput('Sa\u0300n Shopee'), { type: 'name', name: 'Sàn Shopee' });
  });

  it('reads digits alone as a name, since brands are numbers too', () => {
    assert.deepEqual(parseCheckInput('1688'), { type: 'name', name: '1688' });
  });

  it('reads a dotted word without a known top-level domain as a name', () => {
    assert.deepEqual(parseCheckInput('Dr.Nguyen'), { type: 'name', name: 'Dr.Nguyen' });
  });

  it('reads a word with a colon or a slash but no host as a name', () => {
    assert.deepEqual(parseCheckInput('TikTok: Shop'), { type: 'name', name: 'TikTok: Shop' });
    assert.deepEqual(parseCheckInput('TikTok/Shop'), { type: 'name', name: 'TikTok/Shop' });
  });
});

describe('parseCheckInput refuses what it cannot check', () => {
  it('refuses empty input', () => {
    assertInvalid('', /empty/);
    assertInvalid(' \n\t ', /empty/);
  });

  it('refuses input longer than 2,048 characters', () => {
    assertInvalid(`https://shopee.vn/${'a'.repeat(2048)}`, /2048/);
    assert.equal(hostOf(`https://shopee.vn/${'a'.repeat(2000)}`), 'shopee.vn');
  });

  it('refuses links of other schemes than http and https', () => {
    assertInvalid('javascript:alert(1)', /only http and https.*"javascript:"/i);
    assertInvalid('ftp://x', /"ftp:"/);
    assertInvalid('file:///etc/passwd', /"file:"/);
    assertInvalid('data:text/html,hi', /"data:"/);
    assertInvalid('mailto:shop@shopee.vn', /"mailto:"/);
  });

  it('refuses URLs without a usable host, saying what is wrong', () => {
    assertInvalid('http://', /no host name/);
    assertInvalid('https://exa mple.com', /host name contains a space/);
    assertInvalid('http://-shop.vn/', /hyphen/);
    assertInvalid('http://com.vn', /public suffix/);
  });

  it('refuses a bare host that is malformed or a public suffix', () => {
    assertInvalid('shopee..vn', /empty label/);
    assertInvalid('com.vn', /public suffix/);
    assertInvalid('localhost:3000', /not a registrable domain/);
  });

  it('refuses input without letters or digits', () => {
    assertInvalid('!!!', /no letters or digits/);
    assertInvalid('..', /no letters or digits/);
  });

  it('refuses control characters', () => {
    assertInvalid('shop\u0000.vn', /control characters/);
  });

  it('refuses app links and hints without a valid app id', () => {
    assertInvalid('https://play.google.com/store/apps/details?hl=vi', /no app id/);
    assertInvalid('https://play.google.com/store/apps/details?id=1abc', /not an Android package id/);
    assertInvalid('android:shopee', /not an Android package id/);
    assertInvalid('ios:shopee', /not an App Store app id/);
  });
});

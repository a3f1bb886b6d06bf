import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkServeExposure, chooseLogFormat, isLoopbackHost, readEnvironment } from './config.ts';
import { AppError } from './errors.ts';

describe('TRUST_PROXY', () => {
  it('reads addresses and CIDR ranges separated by commas; unset trusts no proxy', () => {
    assert.deepEqual(readEnvironment({}).TRUST_PROXY, []);
    assert.deepEqual(readEnvironment({ TRUST_PROXY: ' 10.0.0.0/8, ::1,192.0.2.7 , 2001:db8::/32' }).TRUST_PROXY, [
      '10.0.0.0/8',
      '::1',
      '192.0.2.7',
      '2001:db8::/32',
    ]);
  });

  it('refuses a range of every address', () => {
    assert.throws(
      () => readEnvironment({ TRUST_PROXY: '0.0.0.0/0' }),
      /TRUST_PROXY: "0\.0\.0\.0\/0" would trust every address/,
    );
    assert.throws(() => readEnvironment({ TRUST_PROXY: '::/0' }), /TRUST_PROXY: "::\/0" would trust every address/);
  });

  for (const bad of ['10.0.0.0/33', '2001:db8::/129', 'true', '*', 'proxy.example', '10.0.0.0/8/1', '10.0.0.0/x']) {
    it(`refuses "${bad}" with an error naming TRUST_PROXY and the entry`, () => {
      assert.throws(
        () => readEnvironment({ TRUST_PROXY: `127.0.0.1,${bad}` }),
        (error: unknown) => {
          assert.ok(error instanceof AppError);
          assert.equal(error.code, 'invalid_input');
          assert.equal(error.field, 'TRUST_PROXY');
          assert.match(error.message, /^environment variable TRUST_PROXY: ".*" is not an IP address or CIDR range/);
          assert.ok(error.message.includes(`"${bad}"`), error.message);
          assert.match(error.text.vi, /^biến môi trường TRUST_PROXY: ".*" không phải địa chỉ IP hay dải CIDR/);
          return true;
        },
      );
    });
  }
});

describe('serving other machines', () => {
  it('tells loopback hosts from the others', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1']) {
      assert.equal(isLoopbackHost(host), true, host);
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', '192.168.1.20', '2001:db8::1', 'portal.example', '128.0.0.1']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
  });

  it('refuses a reachable host unless PORTAL_URL is https or --insecure is given', () => {
    assert.equal(checkServeExposure('127.0.0.1', undefined, false), false);
    assert.equal(checkServeExposure('0.0.0.0', 'https://portal.example.gov.vn', false), false);
    assert.equal(checkServeExposure('0.0.0.0', 'http://portal.example', true), true);
    assert.throws(
      () => checkServeExposure('0.0.0.0', 'http://portal.example', false),
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'invalid_input' &&
        error.field === 'PORTAL_URL' &&
        /PORTAL_URL is http:\/\/portal\.example\. .*--insecure/.test(error.message) &&
        /PORTAL_URL .*--insecure/.test(error.text.vi),
    );
  });
});

describe('the log format', () => {
  it('is readable on a terminal, JSON otherwise, unless LOG_FORMAT says', () => {
    assert.equal(chooseLogFormat(undefined, true), 'pretty');
    assert.equal(chooseLogFormat(undefined, false), 'json');
    assert.equal(chooseLogFormat('json', true), 'json');
    assert.equal(chooseLogFormat('pretty', false), 'pretty');
    assert.equal(readEnvironment({ LOG_FORMAT: 'pretty' }).LOG_FORMAT, 'pretty');
    assert.throws(() => readEnvironment({ LOG_FORMAT: 'yaml' }), /environment variable LOG_FORMAT/);
  });
});

describe('REQUIRE_TOTP', () => {
  it('requires two-step verification of administrators and heads of units unless told otherwise', () => {
    assert.deepEqual(readEnvironment({}).REQUIRE_TOTP, ['admin', 'head']);
  });

  it('reads a list, in any case and spacing, and none for nobody', () => {
    assert.deepEqual(readEnvironment({ REQUIRE_TOTP: ' Admin , officer' }).REQUIRE_TOTP, ['admin', 'officer']);
    assert.deepEqual(readEnvironment({ REQUIRE_TOTP: 'none' }).REQUIRE_TOTP, []);
  });

  it('refuses a kind that cannot enrol, or an empty value, naming the variable', () => {
    for (const value of ['admin,business', ' ']) {
      assert.throws(
        () => readEnvironment({ REQUIRE_TOTP: value }),
        (error: unknown) =>
          error instanceof AppError && error.field === 'REQUIRE_TOTP' && /REQUIRE_TOTP/.test(error.message),
      );
    }
  });
});

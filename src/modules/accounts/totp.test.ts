import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { acceptTotpCode, generateTotpCode, generateTotpSecret, totpUri } from './totp.ts';

/** RFC 6238 by hand (HMAC-SHA1, dynamic truncation), to check the library against the standard. */
function rfc6238(secretBase32: string, timestampMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secretBase32.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timestampMs / 1000 / 30)));
  const digest = createHmac('sha1', key).update(counter).digest();
  const offset = (digest[digest.length - 1] as number) & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

describe('TOTP', () => {
  it('computes the codes RFC 6238 defines (the RFC’s SHA-1 test vector)', () => {
    // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s → 94287082 (8 digits); 6 digits → 287082.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    assert.equal(generateTotpCode(secret, 59_000), '287082');
    assert.equal(generateTotpCode(secret, 1_111_111_109_000), rfc6238(secret, 1_111_111_109_000));
  });

  it('accepts the current code and one step of drift, and refuses older ones', () => {
    const secret = generateTotpSecret();
    const now = Date.now();
    assert.ok(acceptTotpCode(secret, generateTotpCode(secret, now), null, now) !== undefined);
    assert.ok(acceptTotpCode(secret, generateTotpCode(secret, now - 30_000), null, now) !== undefined);
    assert.equal(acceptTotpCode(secret, generateTotpCode(secret, now - 120_000), null, now), undefined);
  });

  it('refuses a code whose time step was used already', () => {
    const secret = generateTotpSecret();
    const now = Date.now();
    const code = generateTotpCode(secret, now);
    const step = acceptTotpCode(secret, code, null, now);
    assert.ok(step !== undefined);
    assert.equal(acceptTotpCode(secret, code, step, now), undefined);
  });

  it('ignores spaces in a typed code and refuses anything but six digits', () => {
    const secret = generateTotpSecret();
    const now = Date.now();
    const code = generateTotpCode(secret, now);
    assert.ok(acceptTotpCode(secret, `${code.slice(0, 3)} ${code.slice(3)}`, null, now) !== undefined);
    assert.equal(acceptTotpCode(secret, 'abcdef', null, now), undefined);
    assert.equal(acceptTotpCode(secret, `${code}0`, null, now), undefined);
  });

  it('gives an otpauth:// URI naming the issuer, the account and the secret', () => {
    const secret = generateTotpSecret();
    const uri = new URL(totpUri(secret, 'officer@moit.gov.vn'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'ecomgov');
    assert.match(decodeURIComponent(uri.pathname), /officer@moit\.gov\.vn/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeTaxCodeCheckDigit, validateTaxCode } from './tax-code.ts';

function reasonOf(code: string): string {
  const result = validateTaxCode(code);
  assert.equal(result.ok, false, `${code} should be rejected`);
  return result.ok ? '' : result.reason.en;
}

describe('validateTaxCode', () => {
  it('says why a code is refused in Vietnamese too', () => {
    const result = validateTaxCode('0106773787');
    assert.deepEqual(
      result.ok ? undefined : result.reason.vi,
      'Mã số doanh nghiệp không hợp lệ: 0106773787 sai chữ số kiểm tra, chữ số thứ mười là 7 nhưng theo chín chữ số đầu phải là 6 (có chữ số bị gõ nhầm)',
    );
    const short = validateTaxCode('010677378');
    assert.match(short.ok ? '' : short.reason.vi, /cần 10 chữ số trước phần chi nhánh, đã nhập 9/);
  });

  it('accepts real enterprise codes', () => {
    for (const code of ['0106773786', '0309532909', '0101243150']) {
      assert.deepEqual(validateTaxCode(code), { ok: true, normalized: code });
    }
  });

  it('accepts a check digit of 0 when the weighted sum leaves remainder 10', () => {
    // 0101243150: S = 175, 175 mod 11 = 10, so the tenth digit is 0.
    assert.equal(computeTaxCodeCheckDigit('010124315'), 0);
    assert.equal(validateTaxCode('0101243150').ok, true);
  });

  it('rejects a code with one digit altered and says which check digit was expected', () => {
    assert.match(reasonOf('0106773787'), /fails the checksum: its tenth digit is 7, the first nine digits require 6/);
    assert.match(reasonOf('0106773886'), /fails the checksum/);
    assert.match(reasonOf('0309532901'), /require 9/);
  });

  it('rejects two swapped neighbouring digits', () => {
    assert.match(reasonOf('0106737786'), /fails the checksum/);
  });

  it('rejects every code whose first nine digits have a weighted sum divisible by 11', () => {
    // 010000005: S = 29 + 5·3 = 44 ≡ 0 (mod 11): no tenth digit makes it valid.
    assert.equal(computeTaxCodeCheckDigit('010000005'), undefined);
    for (let digit = 0; digit <= 9; digit++) {
      assert.match(reasonOf(`010000005${digit}`), /no check digit exists/);
    }
  });

  it('rejects wrong lengths', () => {
    assert.match(reasonOf('010677378'), /10 digits before any branch suffix, found 9/);
    assert.match(reasonOf('01067737861'), /found 11/);
    assert.match(reasonOf('010677378-001'), /found 9/);
  });

  it('rejects letters and other characters', () => {
    assert.match(reasonOf('01067737a6'), /must be 10 digits/);
    assert.match(reasonOf('0106773786/001'), /must be 10 digits/);
    assert.match(reasonOf('MST 0106773786'), /must be 10 digits/);
  });

  it('rejects an empty code', () => {
    assert.match(reasonOf('   '), /empty/);
  });

  it('accepts a branch code and keeps its suffix', () => {
    assert.deepEqual(validateTaxCode('0101243150-001'), { ok: true, normalized: '0101243150-001' });
    assert.deepEqual(validateTaxCode('0101243150-999'), { ok: true, normalized: '0101243150-999' });
  });

  it('rejects branch suffix 000 and suffixes that are not three digits', () => {
    assert.match(reasonOf('0101243150-000'), /no branch 000/);
    assert.match(reasonOf('0101243150-01'), /3 digits/);
    assert.match(reasonOf('0101243150-0001'), /3 digits/);
    assert.match(reasonOf('0101243150-'), /3 digits/);
  });

  it('checks the main code of a branch code too', () => {
    assert.match(reasonOf('0101243151-001'), /fails the checksum/);
  });

  it('normalises common spellings to the canonical form', () => {
    assert.deepEqual(validateTaxCode('  0106773786 '), { ok: true, normalized: '0106773786' });
    assert.deepEqual(validateTaxCode('0101243150 - 001'), { ok: true, normalized: '0101243150-001' });
    assert.deepEqual(validateTaxCode('0101243150 – 001'), { ok: true, normalized: '0101243150-001' });
    assert.deepEqual(validateTaxCode('0101 243 150'), { ok: true, normalized: '0101243150' });
    assert.deepEqual(validateTaxCode('0101243150001'), { ok: true, normalized: '0101243150-001' });
  });
});

describe('computeTaxCodeCheckDigit', () => {
  it('returns the tenth digit of real codes', () => {
    assert.equal(computeTaxCodeCheckDigit('010677378'), 6);
    assert.equal(computeTaxCodeCheckDigit('030953290'), 9);
  });

  it('returns undefined for input that is not nine digits', () => {
    assert.equal(computeTaxCodeCheckDigit('01067737'), undefined);
    assert.equal(computeTaxCodeCheckDigit('01067737x'), undefined);
  });

  it('agrees with validateTaxCode on every prefix it answers for', () => {
    for (let n = 100_000_000; n < 100_002_000; n++) {
      const firstNine = String(n).padStart(9, '0');
      const digit = computeTaxCodeCheckDigit(firstNine);
      if (digit === undefined) continue;
      assert.equal(validateTaxCode(`${firstNine}${digit}`).ok, true);
      assert.equal(validateTaxCode(`${firstNine}${(digit + 1) % 10}`).ok, false);
    }
  });
});

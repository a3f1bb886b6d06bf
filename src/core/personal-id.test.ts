import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskPersonalIdNumber, publicTaxCode, validatePersonalIdNumber } from './personal-id.ts';

const TODAY = '2026-12-04';

function reasonOf(code: string): string {
  const result = validatePersonalIdNumber(code, TODAY);
  assert.equal(result.ok, false, `${code} should be refused`);
  return result.ok ? '' : result.reason.en;
}

describe('personal identification numbers', () => {
  it('accepts 12 digits with a place code, a century-and-sex digit and a birth year that has happened', () => {
    assert.deepEqual(validatePersonalIdNumber('001 085 000123', TODAY), { ok: true, normalized: '001085000123' });
    assert.equal(validatePersonalIdNumber('079190012345', TODAY).ok, true); // HCMC, female, 1990
    assert.equal(validatePersonalIdNumber('035299000123', TODAY).ok, false); // male, born 2099: not yet
    assert.equal(validatePersonalIdNumber('035199000123', TODAY).ok, true); // Hà Nam, female, 1999
  });

  it('refuses what the structure does not allow, naming why', () => {
    assert.match(reasonOf(''), /empty/);
    assert.match(reasonOf('07919001234'), /exactly 12 digits/);
    assert.match(reasonOf('0791900123456'), /exactly 12 digits/);
    assert.match(reasonOf('07919001234a'), /exactly 12 digits/);
    assert.match(reasonOf('000190012345'), /cannot be 000/);
    assert.match(reasonOf('079490012345'), /2100 or later/);
    assert.match(reasonOf('079930012345'), /2100 or later/);
    assert.match(reasonOf('079227012345'), /birth year 2027, after this year/);
    assert.equal(validatePersonalIdNumber('079226012345', TODAY).ok, true);
  });

  it('masks a personal number to its first three and last two digits; enterprise codes stay whole', () => {
    assert.equal(maskPersonalIdNumber('079190012345'), '079*******45');
    assert.equal(publicTaxCode('079190012345'), '079*******45');
    assert.equal(publicTaxCode('0309532909'), '0309532909');
    assert.equal(publicTaxCode('0309532909-001'), '0309532909-001');
    assert.equal(publicTaxCode(null), null);
  });
});

/**
 * Vietnamese enterprise tax codes (mã số thuế doanh nghiệp): ten digits, or ten digits, a dash and a
 * three-digit branch suffix (a dependent unit of the enterprise: 0101243150-001).
 *
 * The tenth digit is a check digit: S = Σ wᵢ·dᵢ over the first nine digits with weights
 * 31, 29, 23, 19, 17, 13, 7, 5, 3; the check digit is 10 − (S mod 11) — 0 when S mod 11 = 10 —
 * and nine digits with S mod 11 = 0 have no valid check digit at all (the tax authority never issues them).
 */

import { type Refusal, refusal as refused } from './i18n.ts';

/** A valid code, or why it is refused in both languages (written when read). */
export type TaxCodeResult = { ok: true; normalized: string } | Refusal;

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

/** Already-canonical codes skip the lenient clean-up (the hot path of a million-row import). */
const CANONICAL = /^\d{10}(?:-\d{3})?$/;

/** Dashes people paste from word processors, besides the ASCII hyphen-minus. */
const DASHES = /[\u2010-\u2015\u2212]/g;

/**
 * The check digit for the first nine digits of a tax code, or undefined when no valid code starts
 * with them (S mod 11 = 0). Test-data generators use it to build codes that pass validation.
 */
export function computeTaxCodeCheckDigit(firstNine: string): number | undefined {
  if (!/^\d{9}$/.test(firstNine)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (WEIGHTS[i] as number) * (firstNine.charCodeAt(i) - 48);
  const remainder = sum % 11;
  // remainder 10 gives check digit 0, as the rule says; remainder 0 would need a check digit of 10.
  return remainder === 0 ? undefined : 10 - remainder;
}

/**
 * Validates a tax code and returns its canonical spelling (`0101243150`, `0101243150-001`).
 *
 * Lenient about spelling, strict about content: surrounding and inner white space is ignored,
 * typographic dashes count as `-`, and thirteen digits without a dash are read as a branch code
 * (some e-invoice systems store them so; a 12-digit citizen ID cannot be mistaken for one).
 */
export function validateTaxCode(code: string): TaxCodeResult {
  let text = code;
  if (!CANONICAL.test(text)) {
    text = code.replace(/\s+/g, '').replace(DASHES, '-');
    if (/^\d{13}$/.test(text)) text = `${text.slice(0, 10)}-${text.slice(10)}`;
  }
  if (text === '') return refused(() => ({ vi: 'Chưa nhập mã số doanh nghiệp', en: 'The tax code is empty.' }));
  const match = /^(\d+)(?:-(\d*))?$/.exec(text);
  if (!match) {
    return refused(() => ({
      vi: `Mã số doanh nghiệp không hợp lệ: "${code.trim()}" phải gồm 10 chữ số, hoặc 10 chữ số, dấu "-" và 3 chữ số của chi nhánh (0101243150-001)`,
      en: `Invalid tax code: "${code.trim()}" must be 10 digits, or 10 digits, "-" and a 3-digit branch number (0101243150-001).`,
    }));
  }
  const main = match[1] as string;
  const branch = match[2];
  if (main.length !== 10) {
    return refused(() => ({
      vi: `Mã số doanh nghiệp không hợp lệ: cần 10 chữ số trước phần chi nhánh, đã nhập ${main.length}`,
      en: `Invalid tax code: it must have 10 digits before any branch suffix, found ${main.length}.`,
    }));
  }
  if (branch !== undefined) {
    if (branch.length !== 3) {
      return refused(() => ({
        vi: `Mã số doanh nghiệp không hợp lệ: phần chi nhánh phải gồm 3 chữ số (001–999), đã nhập "${branch}"`,
        en: `Invalid tax code: the branch suffix must be 3 digits (001–999), found "${branch}".`,
      }));
    }
    if (branch === '000') {
      return refused(() => ({
        vi: 'Mã số doanh nghiệp không hợp lệ: không có chi nhánh 000 (chi nhánh được đánh số 001–999)',
        en: 'Invalid tax code: there is no branch 000 (branches are numbered 001–999).',
      }));
    }
  }
  const expected = computeTaxCodeCheckDigit(main.slice(0, 9));
  if (expected === undefined) {
    return refused(() => ({
      vi: `Mã số doanh nghiệp không hợp lệ: không có mã nào bắt đầu bằng chín chữ số của ${main} (tổng có trọng số chia hết cho 11, không có chữ số kiểm tra)`,
      en: `Invalid tax code: no code starts with the nine digits of ${main} (no check digit exists: their weighted sum is divisible by 11).`,
    }));
  }
  const actual = main.charCodeAt(9) - 48;
  if (actual !== expected) {
    return refused(() => ({
      vi: `Mã số doanh nghiệp không hợp lệ: ${main} sai chữ số kiểm tra, chữ số thứ mười là ${actual} nhưng theo chín chữ số đầu phải là ${expected} (có chữ số bị gõ nhầm)`,
      en: `Invalid tax code: ${main} fails the checksum: its tenth digit is ${actual}, the first nine digits require ${expected} (a digit is mistyped).`,
    }));
  }
  return { ok: true, normalized: branch === undefined ? main : `${main}-${branch}` };
}

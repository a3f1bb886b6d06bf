/**
 * The personal identification number (số định danh cá nhân) of a Vietnamese citizen: twelve digits, set by the
 * Ministry of Public Security (Law on Identification 2023 Art. 12; structure in Decree 137/2015/NĐ-CP Art. 13, now
 * Decree 70/2024/NĐ-CP): three digits for the province (or the country) where the birth was registered, one digit
 * for the century of birth and sex (0/1: 1900–1999 male/female, 2/3: 2000–2099, 4/5: 2100–2199, …), two digits for
 * the year of birth, six random digits. From 1 July 2025 it serves as the personal tax code of individuals and
 * business individuals (Law on Tax Administration 38/2019/QH14 Art. 35 cl. 7; Circular 86/2024/TT-BTC Art. 38
 * cl. 2, Art. 5 cl. 5). Sources: https://tlalaw.vn/tax-simplification-through-personal-identification-numbers.tla ,
 * https://en.sggp.org.vn/tax-codes-phased-out-as-citizen-ids-mandated-from-july-1-2025-post117404.html ,
 * https://lawfirm.vn/what-is-the-personal-identification-number-in-vietnam/ ,
 * https://mediamart.vn/meo-vat-doi-song/tra-cuu-ma-dinh-danh-ca-nhan-moi-nhat (century and sex codes).
 *
 * There is no check digit, so only the structure is checked: twelve digits; a place code other than 000 (the
 * province codes run 001–096, but citizens whose birth was registered abroad carry a country code, whose list we do
 * not hold, so other codes are not refused); a century-and-sex digit of a birth year that has happened: 0–3
 * (1900–2099), and for 2/3 a year of birth not after this year. A person born in the 2100s cannot file today.
 *
 * The number is personal data: pages, the API, the exports and the badge show it masked (`maskPersonalIdNumber`).
 */

import { type Refusal, refusal as refused } from './i18n.ts';
import { type TaxCodeResult, validateTaxCode } from './tax-code.ts';

export type PersonalIdResult = { ok: true; normalized: string } | Refusal;

/** Twelve digits: what a personal identification number looks like (an enterprise code has 10, or 10 + 3). */
export function looksLikePersonalIdNumber(code: string | null | undefined): code is string {
  return typeof code === 'string' && /^\d{12}$/.test(code);
}

/** Checks the structure of a personal identification number (spaces ignored) as of `today` (YYYY-MM-DD). */
export function validatePersonalIdNumber(code: string, today: string): PersonalIdResult {
  const text = code.replace(/[\s.]+/g, '');
  if (text === '') {
    return refused(() => ({
      vi: 'Chưa nhập số định danh cá nhân',
      en: 'The personal identification number is empty.',
    }));
  }
  if (!/^\d{12}$/.test(text)) {
    return refused(() => ({
      vi: `Số định danh cá nhân phải gồm đúng 12 chữ số, đã nhập "${code.trim().slice(0, 40)}"`,
      en: `A personal identification number has exactly 12 digits, found "${code.trim().slice(0, 40)}".`,
    }));
  }
  if (text.startsWith('000')) {
    return refused(() => ({
      vi: 'Số định danh cá nhân không hợp lệ: ba chữ số đầu (mã tỉnh hoặc quốc gia nơi đăng ký khai sinh) không thể là 000',
      en: 'Invalid personal identification number: the first three digits (the province or country of birth registration) cannot be 000.',
    }));
  }
  const centuryAndSex = text.charCodeAt(3) - 48;
  const year = Number(text.slice(4, 6));
  if (centuryAndSex > 3) {
    return refused(() => ({
      vi: `Số định danh cá nhân không hợp lệ: chữ số thứ tư (${centuryAndSex}) là mã thế kỷ sinh từ năm 2100 trở đi`,
      en: `Invalid personal identification number: its fourth digit (${centuryAndSex}) means a birth in 2100 or later.`,
    }));
  }
  const birthYear = (centuryAndSex < 2 ? 1900 : 2000) + year;
  if (birthYear > Number(today.slice(0, 4))) {
    return refused(() => ({
      vi: `Số định danh cá nhân không hợp lệ: chữ số thứ tư đến thứ sáu cho năm sinh ${birthYear}, sau năm nay`,
      en: `Invalid personal identification number: digits four to six give the birth year ${birthYear}, after this year.`,
    }));
  }
  return { ok: true, normalized: text };
}

/** The first three and last two digits, the rest hidden: 001*******34. */
export function maskPersonalIdNumber(code: string): string {
  return `${code.slice(0, 3)}${'*'.repeat(code.length - 5)}${code.slice(-2)}`;
}

/**
 * A tax code as shown to anyone but an officer: an enterprise code in full (it is public), an individual's personal
 * identification number masked.
 */
export function publicTaxCode(code: string | null): string | null {
  return looksLikePersonalIdNumber(code) ? maskPersonalIdNumber(code) : code;
}

/**
 * An enterprise tax code (checksum verified), or twelve digits read as an individual's personal identification number
 * (structure checked): what an account's claim and a filing accept. Whether an individual may do what is asked is
 * the caller's rule.
 */
export function validateTaxCodeOrPersonalId(code: string, today: string): TaxCodeResult {
  const compact = code.replace(/[\s.]+/g, '');
  return looksLikePersonalIdNumber(compact) ? validatePersonalIdNumber(compact, today) : validateTaxCode(code);
}

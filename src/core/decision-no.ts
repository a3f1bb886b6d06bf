import { toNfc } from './text.ts';

/**
 * Numbers of administrative decisions as Vietnamese bodies write them: `1234/QĐ-BCT`, `56/QĐ-TMĐT`,
 * `12/QĐ-XPHC`: a number, "/QĐ-" and the issuer's abbreviation (parts separated by hyphens).
 */
const DECISION_NO = /^\d{1,6}\/QĐ-[A-ZĐ0-9]{1,20}(?:-[A-ZĐ0-9]{1,20}){0,3}$/u;

/** The number as stored: NFC, no spaces, upper case, "QD" typed without its diacritic restored to "QĐ". */
export function normalizeDecisionNo(value: string): string {
  return toNfc(value).trim().replace(/\s+/g, '').toUpperCase().replace('/QD-', '/QĐ-');
}

/** Whether `value` (already normalized) has the shape of a decision number. */
export function isDecisionNo(value: string): boolean {
  return DECISION_NO.test(value);
}

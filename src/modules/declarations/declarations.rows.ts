import { boundedMemo } from '../../core/memo.ts';
import { foldForSearch } from '../../core/text.ts';
import { addressKey } from './address.ts';

/** The columns of DESIGN.md "Declarations CSV", in order; NDJSON objects carry the same names. */
export const DECLARATION_COLUMNS = [
  'declaration_no',
  'declared_at',
  'platform',
  'seller',
  'hs_code',
  'description',
  'quantity',
  'value_vnd',
  'origin_country',
  'consignee_name',
  'consignee_phone',
  'consignee_address',
  'tracking_no',
] as const;

export type DeclarationColumn = (typeof DECLARATION_COLUMNS)[number];

/** A valid row, with the keys screening groups by. */
export interface DeclarationRow {
  declarationNo: string;
  declaredAt: string;
  /** The day in Asia/Ho_Chi_Minh (YYYY-MM-DD). */
  declaredOn: string;
  platform: string;
  seller: string;
  hsCode: string;
  description: string;
  quantity: number;
  valueVnd: number;
  originCountry: string;
  consigneeName: string;
  consigneePhone: string | null;
  consigneeAddress: string;
  /** The normalised phone, else "na:" + folded name + address key (one consignee however spelled). */
  consigneeKey: string;
  addressKey: string;
  trackingNo: string;
  /** Filled by screening while reading: the platform as the register knows it, and whether it is not compliant. */
  platformName: string | null;
  unregistered: boolean;
}

export interface RowRejection {
  line: number;
  field: string;
  reason: string;
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const VIETNAM_OFFSET_MS = 7 * 3600_000;
const MAX_TEXT = 1000;

/**
 * A Vietnamese phone number in any common spelling ("0912 345 678", "+84 912-345-678", "(+84) 912.345.678",
 * "84912345678") → "0912345678"; undefined when it is not one (10 digits after the leading 0, or 11 for the old
 * landline numbers).
 */
export function normalizePhone(text: string): string | undefined {
  if (!/^[\d\s().+\-/]{8,24}$/.test(text)) return undefined;
  let digits = text.replace(/\D/g, '');
  if (text.trim().startsWith('+') || /^\(\+?84\)/.test(text.trim())) {
    if (!digits.startsWith('84')) return undefined;
    digits = `0${digits.slice(2)}`;
  } else if (digits.startsWith('84') && digits.length === 11) {
    digits = `0${digits.slice(2)}`;
  }
  if (!digits.startsWith('0') || digits.startsWith('00')) return undefined;
  return digits.length === 10 || digits.length === 11 ? digits : undefined;
}

/**
 * Address keys by address as written: the same addresses recur (that is what a gathering point is), and the key costs
 * more than the rest of a row's validation (measured: validation at 28k rows/s with the key, most of it the key).
 */
const cachedAddressKey = boundedMemo(200_000, addressKey);

/** The day of an instant in Vietnam (UTC+7 all year, no daylight saving), by day number: a file spans few days. */
const vietnamDayOf = boundedMemo(100_000, (dayNumber: number) =>
  new Date(dayNumber * 86_400_000).toISOString().slice(0, 10),
);

function vietnamDay(ms: number): string {
  return vietnamDayOf(Math.floor((ms + VIETNAM_OFFSET_MS) / 86_400_000));
}

/**
 * Validates one record (values by column) into a row, or says which field is wrong and why. Cheap on purpose: it
 * runs a million times per import.
 */
export function validateDeclaration(
  values: Record<DeclarationColumn, string>,
  line: number,
): DeclarationRow | RowRejection {
  const reject = (field: DeclarationColumn, reason: string): RowRejection => ({ line, field, reason });
  for (const column of DECLARATION_COLUMNS) {
    const value = values[column];
    if (typeof value !== 'string') return reject(column, 'missing');
    if (value.length > MAX_TEXT) return reject(column, `longer than ${MAX_TEXT} characters`);
  }
  const declarationNo = values.declaration_no.trim();
  if (declarationNo === '') return reject('declaration_no', 'required');
  if (declarationNo.length > 64) return reject('declaration_no', 'longer than 64 characters');
  const declaredAt = values.declared_at.trim();
  const iso = ISO_WITH_OFFSET.exec(declaredAt);
  const ms = iso ? Date.parse(declaredAt) : Number.NaN;
  if (!iso || Number.isNaN(ms) || Number(iso[2]) > 12 || Number(iso[3]) > 31 || Number(iso[4]) > 23) {
    return reject('declared_at', 'not an ISO 8601 date and time with an offset (2025-03-01T09:30:00+07:00)');
  }
  const hsCode = values.hs_code.trim().replace(/\./g, '');
  if (!/^\d{6,10}$/.test(hsCode)) return reject('hs_code', 'not an HS code of 6 to 10 digits');
  const quantityText = values.quantity.trim();
  const quantity = Number(quantityText);
  if (!/^\d{1,9}$/.test(quantityText) || quantity < 1) return reject('quantity', 'not a whole number of at least 1');
  const valueText = values.value_vnd.trim();
  if (!/^\d{1,15}$/.test(valueText)) return reject('value_vnd', 'not a whole number of VND (digits only)');
  const origin = values.origin_country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(origin)) return reject('origin_country', 'not a two-letter ISO 3166 country code');
  const consigneeName = values.consignee_name.trim();
  if (consigneeName === '') return reject('consignee_name', 'required');
  const consigneeAddress = values.consignee_address.trim();
  if (consigneeAddress === '') return reject('consignee_address', 'required');
  const phoneText = values.consignee_phone.trim();
  let consigneePhone: string | null = null;
  if (phoneText !== '') {
    const phone = normalizePhone(phoneText);
    if (phone === undefined) return reject('consignee_phone', 'not a Vietnamese phone number');
    consigneePhone = phone;
  }
  const key = cachedAddressKey(consigneeAddress);
  return {
    declarationNo,
    declaredAt: new Date(ms).toISOString(),
    declaredOn: vietnamDay(ms),
    platform: values.platform.trim(),
    seller: values.seller.trim(),
    hsCode,
    description: values.description.trim(),
    quantity,
    valueVnd: Number(valueText),
    originCountry: origin,
    consigneeName,
    consigneePhone,
    consigneeAddress,
    consigneeKey: consigneePhone ?? `na:${foldForSearch(consigneeName)}|${key}`,
    addressKey: key,
    trackingNo: values.tracking_no.trim(),
    platformName: null,
    unregistered: false,
  };
}

const VAGUE_WORDS = new Set([
  'gift',
  'gifts',
  'sample',
  'samples',
  'hang mau',
  'mau',
  'qua tang',
  'qua',
  'hang hoa',
  'goods',
  'item',
  'items',
  'other',
  'others',
  'misc',
  'khac',
  'hang',
  'do dung',
  'product',
  'products',
  'san pham',
  'n/a',
  'na',
  'none',
]);

/**
 * Why a description says nothing of the goods ("gift", "sample", "hàng mẫu", "quà tặng", empty, digits or
 * punctuation only), or undefined when it is usable.
 */
export function vagueDescriptionReason(description: string): string | undefined {
  const folded = foldForSearch(description)
    .replace(/[^a-z0-9/ ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (folded === '') return 'empty';
  if (/^[\d /]+$/.test(folded)) return 'digits only';
  if (VAGUE_WORDS.has(folded)) return `generic word "${description.trim()}"`;
  if (folded.length < 3) return 'too short';
  return undefined;
}

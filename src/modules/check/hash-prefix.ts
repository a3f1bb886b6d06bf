/**
 * The privacy-preserving offline check (issue 11), after Google Safe Browsing's hash-prefix lists ("Safe Browsing
 * APIs (v4) — URLs and hashing", https://developers.google.com/safe-browsing/v4/urls-hashing): a client holds the
 * 4-byte SHA-256 prefixes of every expression of the register, hashes the expressions of the URL it meets, and only
 * on a prefix hit asks for the full hashes of that prefix — the server never learns the URL, only a 4-byte prefix
 * shared with other expressions.
 *
 * Expressions follow Safe Browsing's host-suffix idea restricted to what the online check answers: the host of the
 * input canonicalised as the check does (`normalizeHost`: lower case, IDN → punycode, no trailing dot, no leading
 * "www."), then each parent suffix down to the registrable domain (Public Suffix List via tldts), so a subdomain
 * inherits its platform's verdict and another registrable domain does not; paths and queries play no part, since the
 * register lists hosts. Apps are the expressions `android:<package id>` and `ios:<App Store id>`. Names and
 * look-alikes cannot be checked from hashes: the offline answer for them is `unknown`, and says so.
 */
import { sha256Hex } from '../../core/hash.ts';
import type { Localized } from '../../core/i18n.ts';
import type { PlatformKind, PlatformStatus } from '../registry/index.ts';
import { VERDICT_CLASSES } from './check.schemas.ts';
import { type CheckAnswer, explain, type Verdict } from './check.service.ts';
import { type CheckInput, parseCheckInput } from './input.ts';

/** Bytes of a prefix: Safe Browsing's shortest, 2^32 values against ≈ 10^6 expressions (few false hits). */
export const HASH_PREFIX_BYTES = 4;
export const HASH_PREFIX_HEX_LENGTH = HASH_PREFIX_BYTES * 2;
/** The file `ecomgov check export-offline` writes and `ecomgov check --offline` reads. */
export const OFFLINE_LIST_FORMAT = 'ecomgov-offline-check/1';

export { VERDICT_CLASSES };
export type VerdictClass = (typeof VERDICT_CLASSES)[number];

export type IdentityKind = 'domain' | 'android_app' | 'ios_app';

/** The canonical expression of an identity of the register. */
export function identityExpression(kind: IdentityKind, value: string): string {
  if (kind === 'android_app') return `android:${value}`;
  if (kind === 'ios_app') return `ios:${value}`;
  return value.toLowerCase().replace(/\.+$/, '');
}

export function prefixOf(fullHash: string): string {
  return fullHash.slice(0, HASH_PREFIX_HEX_LENGTH);
}

/**
 * The expressions to look up for an input, most specific first: for a host, itself then each parent suffix down to
 * its registrable domain (as the online check's `findByHost` walks them); for an app, its one expression; for a
 * name, none (names are not hashed: a consumer's spelling of a name is not canonical).
 */
export function lookupExpressions(input: CheckInput): string[] {
  switch (input.type) {
    case 'domain': {
      const expressions: string[] = [];
      let candidate = input.host.host;
      for (;;) {
        expressions.push(candidate);
        if (candidate.length <= input.host.registrableDomain.length) return expressions;
        const dot = candidate.indexOf('.');
        if (dot < 0) return expressions;
        candidate = candidate.slice(dot + 1);
      }
    }
    case 'android_app':
      return [identityExpression('android_app', input.packageId)];
    case 'ios_app':
      return [identityExpression('ios_app', input.appId)];
    case 'name':
      return [];
  }
}

/** What a full hash stands for: the verdict class and the platform, as `GET /api/v1/full-hashes` answers it. */
export interface FullHashEntry {
  hash: string;
  verdict: VerdictClass;
  platform: { id: string; name: string; registration_no: string | null; kind: string; status: string };
}

export interface PrefixEntry {
  prefix: string;
  verdict: VerdictClass;
}

/** A downloaded list: the prefixes a client keeps, and the full hashes it would otherwise ask for on a hit. */
export interface OfflineList {
  format: typeof OFFLINE_LIST_FORMAT;
  version: number;
  generated_at: string;
  prefix_bytes: number;
  prefixes: PrefixEntry[];
  full_hashes: FullHashEntry[];
}

export interface OfflineCheckAnswer {
  input: string;
  type: CheckAnswer['type'];
  normalized: string;
  verdict: Verdict;
  platform: FullHashEntry['platform'] | null;
  list_version: number;
  explanation: Localized;
}

const OFFLINE_LIMITS: Record<'name' | 'domain', Localized> = {
  name: {
    vi: 'Tra cứu ngoại tuyến chỉ so khớp mã băm của tên miền và mã ứng dụng; không tra được theo tên. Hãy kiểm tra trực tuyến để tìm theo tên.',
    en: 'The offline check matches hashes of domains and app ids only; it cannot look up names. Check online to search by name.',
  },
  domain: {
    vi: 'Tra cứu ngoại tuyến không phát hiện được trang giả mạo (tên miền giống tên miền đã đăng ký): hãy kiểm tra trực tuyến nếu nghi ngờ.',
    en: 'The offline check cannot detect look-alikes (domains imitating registered ones): check online if in doubt.',
  },
};

/** Prefix set and full-hash map of a list, built once per list. */
export class OfflineChecker {
  private readonly prefixes: Set<string>;
  private readonly fullHashes: Map<string, FullHashEntry>;

  constructor(readonly list: OfflineList) {
    this.prefixes = new Set(list.prefixes.map((entry) => entry.prefix));
    this.fullHashes = new Map(list.full_hashes.map((entry) => [entry.hash, entry]));
  }

  /** The verdict for an input from the list alone; the same verdict as the online check for domains and apps. */
  check(rawInput: string): OfflineCheckAnswer {
    const input = parseCheckInput(rawInput);
    const normalized =
      input.type === 'domain'
        ? input.host.registrableDomain
        : input.type === 'android_app'
          ? input.packageId
          : input.type === 'ios_app'
            ? input.appId
            : input.name;
    let hit: FullHashEntry | undefined;
    for (const expression of lookupExpressions(input)) {
      const hash = sha256Hex(expression);
      // As a client would: only a prefix hit makes it look at (or, online, ask for) the full hashes.
      if (!this.prefixes.has(prefixOf(hash))) continue;
      hit = this.fullHashes.get(hash);
      if (hit) break;
    }
    if (!hit) {
      const unknown = explain('unknown', { platform: undefined, lookalike: null, normalized });
      const limit = OFFLINE_LIMITS[input.type === 'name' ? 'name' : 'domain'];
      return {
        input: rawInput,
        type: input.type,
        normalized,
        verdict: 'unknown',
        platform: null,
        list_version: this.list.version,
        explanation:
          input.type === 'domain'
            ? { vi: `${unknown.vi} ${limit.vi}`, en: `${unknown.en} ${limit.en}` }
            : input.type === 'name'
              ? limit
              : unknown,
      };
    }
    const platform = hit.platform;
    return {
      input: rawInput,
      type: input.type,
      normalized,
      verdict: hit.verdict,
      platform,
      list_version: this.list.version,
      explanation: explain(hit.verdict, {
        platform: {
          name: platform.name,
          registrationNo: platform.registration_no,
          kind: platform.kind as PlatformKind,
          status: platform.status as PlatformStatus,
        },
        lookalike: null,
        normalized,
      }),
    };
  }
}

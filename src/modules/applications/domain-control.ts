/**
 * Proof that an applicant controls a domain: the application's token published at
 * `https://DOMAIN/.well-known/ecomgov-verification.txt`, or a DNS TXT record `ecomgov-verification=<token>` on
 * the domain. The web check goes through safeFetch, so a domain pointing at our own network is refused.
 *
 * A failed check has two faces. The applicant learns only its category (`failures`: not reachable, token not
 * found, DNS record not found): the applicant chooses the domain and what it resolves to, so any more (the
 * address connected to, a port, the connection's error, another server's HTTP status, the DNS answer) would let
 * a business probe our network through us. The `detail` says what happened, for officers and the audit trail.
 */
import dns from 'node:dns';
import type { Localized } from '../../core/i18n.ts';
import { type SafeFetchOptions, safeFetch } from '../../core/safe-fetch.ts';

export const VERIFICATION_PATH = '/.well-known/ecomgov-verification.txt';
export const TXT_PREFIX = 'ecomgov-verification=';

export interface DomainCheckOptions {
  /** 'https' in production; tests serve the token over plain http. */
  scheme?: 'https' | 'http';
  /** A port other than the scheme's (tests). */
  port?: number | undefined;
  /** curl-style HOST:PORT:ADDRESS mappings (tests). */
  resolve?: readonly string[];
  /** Lifts the SSRF address rules, for all or the listed addresses (tests only). */
  allowPrivate?: boolean | readonly string[];
  /** Host lookup for the web check (tests); node:dns otherwise. */
  lookup?: SafeFetchOptions['lookup'];
  /** TXT lookup (tests); node:dns otherwise. */
  resolveTxt?: (domain: string) => Promise<string[][]>;
  timeoutMs?: number | undefined;
  /** false: check the web file only (no DNS query). */
  dns?: boolean | undefined;
}

/** Why a check failed, as the applicant is told. */
export const DOMAIN_CHECK_FAILURES = ['unreachable', 'token_not_found', 'dns_record_not_found'] as const;
export type DomainCheckFailure = (typeof DOMAIN_CHECK_FAILURES)[number];

const FAILURE_TEXT: Record<DomainCheckFailure, Localized> = {
  unreachable: { vi: 'không truy cập được tệp xác minh', en: 'the verification file is not reachable' },
  token_not_found: {
    vi: 'tệp xác minh không có mã xác minh',
    en: 'the verification token was not found in the file',
  },
  dns_record_not_found: {
    vi: 'không tìm thấy bản ghi DNS TXT có mã xác minh',
    en: 'no DNS TXT record with the token was found',
  },
};

/** A failed check recorded before its categories were (see the migration that added them). */
const NOT_PROVED: Localized = { vi: 'chưa chứng minh được, hãy kiểm tra lại', en: 'not proved yet, check again' };

/** What the applicant is told of a failed check: its categories, nothing the check met on the way. */
export function describeDomainCheckFailures(failures: readonly DomainCheckFailure[]): Localized {
  const texts = failures.length > 0 ? failures.map((failure) => FAILURE_TEXT[failure]) : [NOT_PROVED];
  const sentence = (parts: string[]) => {
    const text = parts.join('; ');
    return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
  };
  return { vi: sentence(texts.map((text) => text.vi)), en: sentence(texts.map((text) => text.en)) };
}

export interface DomainCheckResult {
  domain: string;
  verified: boolean;
  method: 'http' | 'dns' | null;
  /** Why it failed, for the applicant (empty when verified). */
  failures: DomainCheckFailure[];
  /** What was found, in English, with addresses and errors: for officers and the audit trail, never the applicant. */
  detail: string;
}

export function verificationUrl(domain: string, options: DomainCheckOptions = {}): string {
  const scheme = options.scheme ?? 'https';
  return `${scheme}://${domain}${options.port ? `:${options.port}` : ''}${VERIFICATION_PATH}`;
}

/** Whether a published file holds the token: a line that is the token, or `ecomgov-verification=<token>`. */
export function fileHoldsToken(text: string, token: string): boolean {
  return text.split(/\r?\n/).some((line) => {
    const trimmed = line.trim();
    return trimmed === token || trimmed === `${TXT_PREFIX}${token}`;
  });
}

async function systemResolveTxt(domain: string): Promise<string[][]> {
  const resolver = new dns.promises.Resolver({ timeout: 3_000, tries: 2 });
  return resolver.resolveTxt(domain);
}

async function checkByWeb(domain: string, token: string, options: DomainCheckOptions): Promise<DomainCheckResult> {
  const url = verificationUrl(domain, options);
  const failed = (failure: DomainCheckFailure, detail: string): DomainCheckResult => ({
    domain,
    verified: false,
    method: null,
    failures: [failure],
    detail,
  });
  try {
    const response = await safeFetch(url, {
      resolve: options.resolve,
      allowPrivate: options.allowPrivate,
      lookup: options.lookup,
      maxBytes: 4096,
      truncate: true,
      maxRedirects: 3,
      timeoutMs: options.timeoutMs ?? 8_000,
    });
    if (response.status !== 200)
      return failed('token_not_found', `${url}: HTTP ${response.status} from ${response.ip}`);
    if (fileHoldsToken(response.body.toString('utf8'), token)) {
      return { domain, verified: true, method: 'http', failures: [], detail: `token found at ${url}` };
    }
    return failed('token_not_found', `${url} (${response.ip}) does not contain the token`);
  } catch (error) {
    return failed('unreachable', `${url}: ${(error as Error).message}`);
  }
}

async function checkByDns(domain: string, token: string, options: DomainCheckOptions): Promise<DomainCheckResult> {
  const failed = (detail: string): DomainCheckResult => ({
    domain,
    verified: false,
    method: null,
    failures: ['dns_record_not_found'],
    detail,
  });
  try {
    const records = await (options.resolveTxt ?? systemResolveTxt)(domain);
    const texts = records.map((chunks) => chunks.join(''));
    if (texts.some((text) => text.trim() === `${TXT_PREFIX}${token}`)) {
      return {
        domain,
        verified: true,
        method: 'dns',
        failures: [],
        detail: `TXT record ${TXT_PREFIX}… found on ${domain}`,
      };
    }
    return failed(`no TXT record ${TXT_PREFIX}<token> on ${domain} (found: ${JSON.stringify(texts).slice(0, 200)})`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return failed(
      code === 'ENODATA' || code === 'ENOTFOUND'
        ? `no TXT record on ${domain}`
        : `DNS lookup of ${domain} failed: ${(error as Error).message}`,
    );
  }
}

/** Tries the web file first, then DNS; reports both failures when neither holds the token. */
export async function checkDomainControl(
  domain: string,
  token: string,
  options: DomainCheckOptions = {},
): Promise<DomainCheckResult> {
  const web = await checkByWeb(domain, token, options);
  if (web.verified || options.dns === false) return web;
  const txt = await checkByDns(domain, token, options);
  if (txt.verified) return txt;
  return {
    domain,
    verified: false,
    method: null,
    failures: [...web.failures, ...txt.failures],
    detail: `${web.detail}; ${txt.detail}`,
  };
}

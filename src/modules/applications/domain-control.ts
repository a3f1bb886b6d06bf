/**
 * Proof that an applicant controls a domain: the application's token published at
 * `https://DOMAIN/.well-known/ecomgov-verification.txt`, or a DNS TXT record `ecomgov-verification=<token>` on
 * the domain. The web check goes through safeFetch, so a domain pointing at our own network is refused.
 */
import dns from 'node:dns';
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

export interface DomainCheckResult {
  domain: string;
  verified: boolean;
  method: 'http' | 'dns' | null;
  /** What was found, in English, for the applicant and the officer. */
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
      return { domain, verified: false, method: null, detail: `${url}: HTTP ${response.status}` };
    if (fileHoldsToken(response.body.toString('utf8'), token)) {
      return { domain, verified: true, method: 'http', detail: `token found at ${url}` };
    }
    return { domain, verified: false, method: null, detail: `${url} does not contain the token` };
  } catch (error) {
    return { domain, verified: false, method: null, detail: (error as Error).message };
  }
}

async function checkByDns(domain: string, token: string, options: DomainCheckOptions): Promise<DomainCheckResult> {
  try {
    const records = await (options.resolveTxt ?? systemResolveTxt)(domain);
    const texts = records.map((chunks) => chunks.join(''));
    if (texts.some((text) => text.trim() === `${TXT_PREFIX}${token}`)) {
      return { domain, verified: true, method: 'dns', detail: `TXT record ${TXT_PREFIX}… found on ${domain}` };
    }
    return { domain, verified: false, method: null, detail: `no TXT record ${TXT_PREFIX}<token> on ${domain}` };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail =
      code === 'ENODATA' || code === 'ENOTFOUND'
        ? `no TXT record on ${domain}`
        : `DNS lookup of ${domain} failed: ${(error as Error).message}`;
    return { domain, verified: false, method: null, detail };
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
  return { domain, verified: false, method: null, detail: `${web.detail}; ${txt.detail}` };
}

/**
 * Host names as the register and the check compare them: ASCII (punycode), lower case, no trailing dot, no
 * leading "www.", split at the registrable domain by the Public Suffix List including its private section
 * (so a.myshopify.com and b.myshopify.com are different sites).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { invalidInput } from './errors.ts';
import type { Localized } from './i18n.ts';

export interface NormalizedHost {
  /** ASCII (punycode), lower case, no trailing dot, no leading "www.". */
  host: string;
  /** The same host with IDN labels in Unicode (equal to `host` when it has none). */
  unicodeHost: string;
  /** ASCII; the IP literal itself for an IP address. */
  registrableDomain: string;
  /** "vn", "com.vn", "myshopify.com"; empty for an IP address. */
  publicSuffix: string;
  /** The registrable domain's first label: "shopee" for m.shopee.vn, "a" for a.myshopify.com; empty for an IP. */
  label: string;
  /** Labels left of the registrable domain: ["m"] for m.shopee.vn. */
  subdomainLabels: string[];
  isIp: boolean;
  /**
   * Whether the public suffix is on the Public Suffix List. Unlisted top-level labels ("shop.example") still
   * normalise, by the list's default rule; bare user input needs a listed suffix to count as a host.
   */
  isListedSuffix: boolean;
}

// Why these limits: RFC 1035 (63 octets a label, 253 characters a name in text form without the final dot).
const MAX_LABEL_LENGTH = 63;
const MAX_HOST_LENGTH = 253;

const TLDTS_OPTIONS = {
  allowPrivateDomains: true,
  // We extract and validate the host ourselves (with reasons for the error message); tldts only splits it.
  extractHostname: false,
  validateHostname: false,
  detectIp: false,
  mixedInputs: false,
} as const;

// A whole host of LDH labels (underscores tolerated: they appear in real subdomains and browsers resolve them).
const ASCII_HOST_PATTERN = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PLAIN_ASCII_HOST_PATTERN = /^[A-Za-z0-9._-]+$/;
const PERCENT_RUN_PATTERN = /(?:%[0-9a-fA-F]{2})+/g;
const URL_SCHEME_PATTERN = /^https?:\/\//i;
const OTHER_URL_SCHEME_PATTERN = /^(?!https?:)[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Why a text is not a host, in both languages, written when asked: bulk imports validate a million hosts and keep
 * the reasons of the first bad rows only.
 */
type HostReason = () => Localized;

/**
 * Normalises a host, an authority ("user@host:port") or an http(s) URL to its host.
 * @throws AppError invalid_input (on `field`) naming what is wrong.
 */
export function normalizeHost(raw: string, field = 'input'): NormalizedHost {
  const result = analyzeHost(raw);
  if (typeof result === 'function') {
    const reason = result();
    throw invalidInput(
      {
        vi: `"${shorten(raw)}" không phải tên máy chủ hợp lệ: ${reason.vi}`,
        en: `"${shorten(raw)}" is not a valid host name: ${reason.en}`,
      },
      field,
    );
  }
  return result;
}

/** As normalizeHost, but returns undefined instead of throwing: for bulk validation. */
export function tryNormalizeHost(raw: string): NormalizedHost | undefined {
  const result = analyzeHost(raw);
  return typeof result === 'function' ? undefined : result;
}

/** What is wrong with `raw` as a host name ("it has an empty label…"), in both languages; undefined when nothing. */
export function hostProblem(raw: string): Localized | undefined {
  const result = analyzeHost(raw);
  return typeof result === 'function' ? result() : undefined;
}

const IS_EMPTY: HostReason = () => ({ vi: 'để trống', en: 'it is empty' });

/** Returns the normalised host, or the reason it is not one (no exceptions: bulk imports call this per row). */
function analyzeHost(raw: string): NormalizedHost | HostReason {
  const text = raw.trim();
  if (OTHER_URL_SCHEME_PATTERN.test(text)) {
    return () => ({ vi: 'chỉ nhận địa chỉ http và https', en: 'only http and https URLs are accepted' });
  }
  const authority = extractAuthority(text);
  if (authority === '') return IS_EMPTY;

  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const hostOrReason = stripPort(hostAndPort);
  if (hostOrReason.reason !== undefined) return hostOrReason.reason;

  let host = hostOrReason.host;
  if (host.includes('%')) host = percentDecode(host);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return IS_EMPTY;

  if (looksLikeIpAddress(host) && (isIPv4(host) || isIPv6(host))) return ipHost(host.toLowerCase());

  const asciiHost = toAsciiHost(host);
  if (asciiHost === undefined) return () => describeInvalidCharacters(host);
  if (!isAsciiHost(asciiHost)) return () => describeAsciiHostProblem(asciiHost);
  return splitAtRegistrableDomain(asciiHost);
}

/** A cheap pre-check: net.isIPv6 runs a long regular expression, too slow to try on every host of a bulk import. */
function looksLikeIpAddress(host: string): boolean {
  return host.includes(':') || /\d$/.test(host);
}

/** Drops an http(s) scheme and any path, query or fragment, leaving "user@host:port". */
function extractAuthority(text: string): string {
  const withoutScheme = URL_SCHEME_PATTERN.test(text) ? text.slice(text.indexOf('//') + 2) : text;
  const end = withoutScheme.search(/[/?#\\]/);
  return end === -1 ? withoutScheme : withoutScheme.slice(0, end);
}

function stripPort(
  hostAndPort: string,
): { host: string; reason?: undefined } | { host?: undefined; reason: HostReason } {
  if (hostAndPort.startsWith('[')) {
    const close = hostAndPort.indexOf(']');
    if (close === -1) {
      return {
        reason: () => ({ vi: 'địa chỉ IPv6 thiếu dấu "]" đóng', en: 'an IPv6 address is missing its closing "]"' }),
      };
    }
    const rest = hostAndPort.slice(close + 1);
    if (rest !== '' && !isPort(rest.slice(1))) return notAPort(rest);
    const address = hostAndPort.slice(1, close);
    if (isIPv6(address)) return { host: address };
    return {
      reason: () => ({ vi: `"${address}" không phải địa chỉ IPv6`, en: `"${address}" is not an IPv6 address` }),
    };
  }
  const colon = hostAndPort.indexOf(':');
  // More than one colon: a bare IPv6 address, checked later.
  if (colon === -1 || hostAndPort.indexOf(':', colon + 1) !== -1) return { host: hostAndPort };
  const port = hostAndPort.slice(colon + 1);
  if (!isPort(port)) return notAPort(port);
  return { host: hostAndPort.slice(0, colon) };
}

function notAPort(text: string): { reason: HostReason } {
  return { reason: () => ({ vi: `"${text}" không phải số cổng`, en: `"${text}" is not a port` }) };
}

function isPort(text: string): boolean {
  return /^\d{1,5}$/.test(text) && Number(text) <= 65535;
}

/** Decodes %XX runs as UTF-8; bytes that are not UTF-8 become U+FFFD, which the IDN step then rejects. */
function percentDecode(text: string): string {
  return text.replace(PERCENT_RUN_PATTERN, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

/** Lower-cases and converts IDN labels (Unicode or punycode) to checked punycode; undefined when impossible. */
function toAsciiHost(host: string): string | undefined {
  // Fast path for the common case; labels starting "xn--" still go through domainToASCII to validate them.
  if (PLAIN_ASCII_HOST_PATTERN.test(host) && !host.toLowerCase().includes('xn--')) return host.toLowerCase();
  // domainToASCII silently truncates at characters a URL host cannot hold; refuse those first.
  if (/[\s/\\?#@:%*"<>|^`{}[\]]/.test(host)) return undefined;
  const ascii = domainToASCII(host);
  return ascii === '' ? undefined : ascii;
}

function containsCharacter(character: string): Localized {
  return /\s/.test(character)
    ? { vi: 'có khoảng trắng, điều tên máy chủ không được có', en: 'it contains white space, which a host name cannot' }
    : {
        vi: `có ký tự "${character}", điều tên máy chủ không được có`,
        en: `it contains "${character}", which a host name cannot`,
      };
}

function describeInvalidCharacters(host: string): Localized {
  const bad = host.match(/[\s/\\?#@:%*"<>|^`{}[\]]/);
  if (bad) return containsCharacter(bad[0]);
  return {
    vi: 'không phải tên miền quốc tế hóa (IDN) hợp lệ',
    en: 'it is not a valid internationalised (IDN) domain name',
  };
}

function isAsciiHost(host: string): boolean {
  return (
    host.length <= MAX_HOST_LENGTH &&
    ASCII_HOST_PATTERN.test(host) &&
    !/^\d+$/.test(host.slice(host.lastIndexOf('.') + 1))
  );
}

/** The slow path: explains why a host failed the pattern. */
function describeAsciiHostProblem(host: string): Localized {
  if (host.length > MAX_HOST_LENGTH) {
    return { vi: `dài quá ${MAX_HOST_LENGTH} ký tự`, en: `it is longer than ${MAX_HOST_LENGTH} characters` };
  }
  const labels = host.split('.');
  for (const label of labels) {
    if (label === '') {
      return {
        vi: 'có nhãn rỗng (hai dấu chấm liền nhau, hoặc dấu chấm ở đầu)',
        en: 'it has an empty label (two dots in a row, or a leading dot)',
      };
    }
    if (label.length > MAX_LABEL_LENGTH) {
      return {
        vi: `nhãn "${shorten(label)}" dài quá ${MAX_LABEL_LENGTH} ký tự`,
        en: `the label "${shorten(label)}" is longer than ${MAX_LABEL_LENGTH} characters`,
      };
    }
    if (label.startsWith('-') || label.endsWith('-')) {
      return {
        vi: `nhãn "${label}" bắt đầu hoặc kết thúc bằng dấu gạch ngang`,
        en: `the label "${label}" starts or ends with a hyphen`,
      };
    }
    const bad = label.match(/[^a-z0-9_-]/);
    if (bad) return containsCharacter(bad[0]);
  }
  const topLevel = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(topLevel)) {
    return {
      vi: 'trông như địa chỉ IP nhưng không phải địa chỉ IP hợp lệ',
      en: 'it looks like an IP address but is not a valid one',
    };
  }
  if (topLevel.includes('_')) return { vi: 'nhãn cấp cao nhất có dấu "_"', en: 'the top-level label contains "_"' };
  return { vi: 'không phải tên máy chủ hợp lệ', en: 'it is not a valid host name' };
}

function splitAtRegistrableDomain(asciiHost: string): NormalizedHost | HostReason {
  const parsed = parseDomain(asciiHost, TLDTS_OPTIONS);
  const registrableDomain = parsed.domain;
  const publicSuffix = parsed.publicSuffix ?? '';
  if (registrableDomain === null || parsed.domainWithoutSuffix === null) {
    return asciiHost === publicSuffix
      ? () => ({
          vi: `"${asciiHost}" là hậu tố công cộng, không phải tên miền đăng ký được`,
          en: `"${asciiHost}" is a public suffix, not a registrable domain`,
        })
      : () => ({ vi: `"${asciiHost}" không có tên miền đăng ký được`, en: `"${asciiHost}" has no registrable domain` });
  }
  if (registrableDomain.includes('_')) {
    return () => ({ vi: 'tên miền đăng ký có dấu "_"', en: 'the registrable domain contains "_"' });
  }

  let subdomainLabels = parsed.subdomain ? parsed.subdomain.split('.') : [];
  let host = asciiHost;
  if (subdomainLabels[0] === 'www') {
    host = host.slice(4);
    subdomainLabels = subdomainLabels.slice(1);
  }
  return {
    host,
    unicodeHost: host.includes('xn--') ? domainToUnicode(host) : host,
    registrableDomain,
    publicSuffix,
    label: parsed.domainWithoutSuffix,
    subdomainLabels,
    isIp: false,
    isListedSuffix: parsed.isIcann === true || parsed.isPrivate === true,
  };
}

function ipHost(address: string): NormalizedHost {
  return {
    host: address,
    unicodeHost: address,
    registrableDomain: address,
    publicSuffix: '',
    label: '',
    subdomainLabels: [],
    isIp: true,
    isListedSuffix: false,
  };
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/** How a stored (ASCII) host is shown to people: Unicode for IDN, so `xn--…` reads as written. */
export function displayHost(asciiHost: string): string {
  return asciiHost.includes('xn--') ? domainToUnicode(asciiHost) || asciiHost : asciiHost;
}

/** The parent domains of a name, nearest first, down to the second level: `a.b.shop.vn` → b.shop.vn, shop.vn. */
export function parentDomains(domain: string): string[] {
  const labels = domain.split('.');
  const parents: string[] = [];
  for (let index = 1; index < labels.length - 1; index++) parents.push(labels.slice(index).join('.'));
  return parents;
}

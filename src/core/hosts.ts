/**
 * Host names as the register and the check compare them: ASCII (punycode), lower case, no trailing dot, no
 * leading "www.", split at the registrable domain by the Public Suffix List including its private section
 * (so a.myshopify.com and b.myshopify.com are different sites).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { invalidInput } from './errors.ts';

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
 * Normalises a host, an authority ("user@host:port") or an http(s) URL to its host.
 * @throws AppError invalid_input (on `field`) naming what is wrong.
 */
export function normalizeHost(raw: string, field = 'input'): NormalizedHost {
  const result = analyzeHost(raw);
  if (typeof result === 'string') {
    throw invalidInput(`"${shorten(raw)}" is not a valid host name: ${result}`, field);
  }
  return result;
}

/** As normalizeHost, but returns undefined instead of throwing: for bulk validation. */
export function tryNormalizeHost(raw: string): NormalizedHost | undefined {
  const result = analyzeHost(raw);
  return typeof result === 'string' ? undefined : result;
}

/** Returns the normalised host, or the reason it is not one (no exceptions: bulk imports call this per row). */
function analyzeHost(raw: string): NormalizedHost | string {
  const text = raw.trim();
  if (OTHER_URL_SCHEME_PATTERN.test(text)) return 'only http and https URLs are accepted';
  const authority = extractAuthority(text);
  if (authority === '') return 'it is empty';

  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  const hostOrReason = stripPort(hostAndPort);
  if (hostOrReason.reason !== undefined) return hostOrReason.reason;

  let host = hostOrReason.host;
  if (host.includes('%')) host = percentDecode(host);
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '') return 'it is empty';

  if (looksLikeIpAddress(host) && (isIPv4(host) || isIPv6(host))) return ipHost(host.toLowerCase());

  const asciiHost = toAsciiHost(host);
  if (asciiHost === undefined) return describeInvalidCharacters(host);
  const reason = findAsciiHostProblem(asciiHost);
  if (reason !== undefined) return reason;
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

function stripPort(hostAndPort: string): { host: string; reason?: undefined } | { host?: undefined; reason: string } {
  if (hostAndPort.startsWith('[')) {
    const close = hostAndPort.indexOf(']');
    if (close === -1) return { reason: 'an IPv6 address is missing its closing "]"' };
    const rest = hostAndPort.slice(close + 1);
    if (rest !== '' && !isPort(rest.slice(1))) return { reason: `"${rest}" is not a port` };
    const address = hostAndPort.slice(1, close);
    return isIPv6(address) ? { host: address } : { reason: `"${address}" is not an IPv6 address` };
  }
  const colon = hostAndPort.indexOf(':');
  // More than one colon: a bare IPv6 address, checked later.
  if (colon === -1 || hostAndPort.indexOf(':', colon + 1) !== -1) return { host: hostAndPort };
  const port = hostAndPort.slice(colon + 1);
  if (!isPort(port)) return { reason: `"${port}" is not a port` };
  return { host: hostAndPort.slice(0, colon) };
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

function describeInvalidCharacters(host: string): string {
  const bad = host.match(/[\s/\\?#@:%*"<>|^`{}[\]]/);
  if (bad) return `it contains ${/\s/.test(bad[0]) ? 'white space' : `"${bad[0]}"`}, which a host name cannot`;
  return 'it is not a valid internationalised (IDN) domain name';
}

function findAsciiHostProblem(host: string): string | undefined {
  if (host.length > MAX_HOST_LENGTH) return `it is longer than ${MAX_HOST_LENGTH} characters`;
  if (ASCII_HOST_PATTERN.test(host) && !/^\d+$/.test(host.slice(host.lastIndexOf('.') + 1))) return undefined;
  return describeLabelProblem(host);
}

/** The slow path: explains why a host failed the pattern. */
function describeLabelProblem(host: string): string {
  const labels = host.split('.');
  for (const label of labels) {
    if (label === '') return 'it has an empty label (two dots in a row, or a leading dot)';
    if (label.length > MAX_LABEL_LENGTH)
      return `the label "${shorten(label)}" is longer than ${MAX_LABEL_LENGTH} characters`;
    if (label.startsWith('-') || label.endsWith('-')) return `the label "${label}" starts or ends with a hyphen`;
    const bad = label.match(/[^a-z0-9_-]/);
    if (bad) return `it contains "${bad[0]}", which a host name cannot`;
  }
  const topLevel = labels[labels.length - 1] ?? '';
  if (/^\d+$/.test(topLevel)) return 'it looks like an IP address but is not a valid one';
  if (topLevel.includes('_')) return 'the top-level label contains "_"';
  return 'it is not a valid host name';
}

function splitAtRegistrableDomain(asciiHost: string): NormalizedHost | string {
  const parsed = parseDomain(asciiHost, TLDTS_OPTIONS);
  const registrableDomain = parsed.domain;
  const publicSuffix = parsed.publicSuffix ?? '';
  if (registrableDomain === null || parsed.domainWithoutSuffix === null) {
    return asciiHost === publicSuffix
      ? `"${asciiHost}" is a public suffix, not a registrable domain`
      : `"${asciiHost}" has no registrable domain`;
  }
  if (registrableDomain.includes('_')) return 'the registrable domain contains "_"';

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

/**
 * HTTP(S) GET of a URL that someone outside gave us (a domain to verify, a site to crawl), without letting
 * that someone aim our server at our own network (SSRF):
 *
 * - the host is resolved first and every address checked: loopback, private, link-local, shared (CGNAT),
 *   multicast, documentation, benchmarking and reserved ranges are refused, IPv4 and IPv6 alike (IPv4-mapped,
 *   NAT64 and 6to4 addresses are judged by the IPv4 address inside);
 * - the connection goes to the address that was checked (a second DNS answer cannot rebind it), with the TLS
 *   server name and Host header of the URL, so certificates are verified as usual;
 * - each redirect is a new URL, checked again; redirects, body size and total time are limited;
 * - only http and https; no credentials in the URL.
 *
 * `resolve` maps HOST:PORT to an address as curl's `--resolve` does, and `allowPrivate` lifts the address
 * rules: both exist for tests (a local server standing in for a site) and must never be set from input.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import zlib from 'node:zlib';
import { AppError, type AppErrorCode } from './errors.ts';

export type SafeFetchFailure =
  | 'bad_url'
  | 'unsupported_scheme'
  | 'blocked_address'
  | 'dns_failure'
  | 'too_many_redirects'
  | 'too_large'
  | 'timeout'
  | 'network';

const SAFE_FETCH_ERROR_CODES: Record<SafeFetchFailure, AppErrorCode> = {
  bad_url: 'invalid_input',
  unsupported_scheme: 'invalid_input',
  blocked_address: 'forbidden',
  too_large: 'payload_too_large',
  // The remote side failed, not the caller: callers (domain checks, the crawler) record these as "unreachable".
  dns_failure: 'internal',
  too_many_redirects: 'internal',
  timeout: 'internal',
  network: 'internal',
};

/** A fetch that was refused or failed; `reason` says which rule or which failure. */
export class SafeFetchError extends AppError {
  readonly reason: SafeFetchFailure;
  constructor(reason: SafeFetchFailure, message: string, cause?: unknown) {
    // Technical detail (host, address, limit) for the CLI and the logs; pages never show it: domain control and
    // the crawler turn `reason` into their own words for the business.
    super(SAFE_FETCH_ERROR_CODES[reason], { vi: message, en: message }, { cause });
    this.name = 'SafeFetchError';
    this.reason = reason;
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface SafeFetchOptions {
  /** curl-style `HOST:PORT:ADDRESS` entries (IPv6 in brackets): connect there instead of asking DNS. */
  resolve?: readonly string[];
  /**
   * Lifts the address rules: `true` for every address, a list for those addresses only (a test server on
   * 127.0.0.1 while the rules still hold for everything else). Tests only.
   */
  allowPrivate?: boolean | readonly string[];
  /** Default 5. */
  maxRedirects?: number;
  /**
   * Bytes of body kept; a longer body fails with `too_large` unless `truncate` is set. Default 1 MiB. With `decode`,
   * the limit holds for the bytes transferred and again for the bytes decoded (a small gzip bomb stops there).
   */
  maxBytes?: number;
  /**
   * Ask for compressed bodies as a browser does (`Accept-Encoding: gzip, deflate, br`) and decode them: the result's
   * `body` is the content, each hop's `body` stays the bytes as transferred (what a WARC record keeps). Off by default:
   * `identity` is asked for and nothing is decoded.
   */
  decode?: boolean;
  truncate?: boolean;
  /** For the whole fetch, redirects included. Default 10 s. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Certificates (PEM) trusted instead of the system's for https: a test server's self-signed one. Tests only. */
  ca?: string | readonly string[];
  /** DNS lookup (all addresses of a host); node:dns by default. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
}

/**
 * One request and its answer as they went over the wire (the evidence module writes them as WARC records): the
 * address actually connected to, the request line and headers sent, the status line and headers received in their
 * order and spelling, the body (of a redirect: its first 64 KiB), and for https the server's certificate chain.
 */
export interface SafeFetchHop {
  url: string;
  /** The peer address of the connection (the checked address the connection was pinned to). */
  ip: string;
  startedAt: Date;
  request: { method: 'GET'; target: string; httpVersion: '1.1'; headers: Array<[string, string]> };
  response: { httpVersion: string; status: number; statusMessage: string; rawHeaders: Array<[string, string]> };
  body: Buffer;
  truncated: boolean;
  /** https: the certificates the server presented, leaf first, as PEM; empty for http. */
  certificates: string[];
}

export interface SafeFetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The final response's content: decoded when `decode` was asked and the server compressed it. */
  body: Buffer;
  /** The body was cut at the byte limit (transferred or decoded). */
  truncated: boolean;
  /** The address the final response came from. */
  ip: string;
  /** URLs of the redirects followed, in order. */
  redirects: string[];
  /** Every request made, the redirects' first, the final one last. */
  hops: SafeFetchHop[];
}

const DEFAULT_USER_AGENT = 'ecomgov (+https://online.gov.vn) safe-fetch';

// ---------------------------------------------------------------------------------------------------
// Address rules

interface Range {
  base: bigint;
  bits: number;
  width: 32 | 128;
}

function parseIpv4(address: string): bigint | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

function parseIpv6(address: string): bigint | undefined {
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone !== -1) text = text.slice(0, zone);
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two hextets.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || missing < 0) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  }
  return value;
}

function range(cidr: string): Range {
  const [address = '', bits = ''] = cidr.split('/');
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return { base: v4, bits: Number(bits), width: 32 };
  const v6 = parseIpv6(address);
  if (v6 === undefined) throw new Error(`bad range ${cidr}`);
  return { base: v6, bits: Number(bits), width: 128 };
}

function inRange(value: bigint, r: Range): boolean {
  const shift = BigInt(r.width - r.bits);
  return value >> shift === r.base >> shift;
}

/** IPv4 ranges that are not the public Internet (IANA special-purpose registry). */
const BLOCKED_V4 = [
  '0.0.0.0/8', // "this network"
  '10.0.0.0/8', // private
  '100.64.0.0/10', // shared address space (carrier-grade NAT)
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local (cloud metadata lives here)
  '172.16.0.0/12', // private
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation (TEST-NET-1)
  '192.88.99.0/24', // 6to4 relay anycast (deprecated)
  '192.168.0.0/16', // private
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24', // documentation (TEST-NET-2)
  '203.0.113.0/24', // documentation (TEST-NET-3)
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
].map(range);

/** IPv6: only global unicast (2000::/3) may be public, less these special ranges. */
const GLOBAL_UNICAST_V6 = range('2000::/3');
const BLOCKED_V6 = [
  '2001::/23', // IETF protocol assignments (Teredo 2001::/32 among them)
  '2001:db8::/32', // documentation
  '3fff::/20', // documentation (RFC 9637)
].map(range);
const EMBEDS_V4 = [
  { range: range('::ffff:0:0/96'), offset: 0n }, // IPv4-mapped
  { range: range('64:ff9b::/96'), offset: 0n }, // NAT64 well-known prefix
  { range: range('2002::/16'), offset: 80n }, // 6to4: the IPv4 address follows the prefix
];

/** Whether an IP address is on the public Internet (false for anything that is not an IP address). */
export function isPublicAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== undefined) return !BLOCKED_V4.some((r) => inRange(v4, r));
  const v6 = parseIpv6(address);
  if (v6 === undefined) return false;
  for (const embed of EMBEDS_V4) {
    if (inRange(v6, embed.range)) {
      const inner = (v6 >> embed.offset) & 0xffffffffn;
      return !BLOCKED_V4.some((r) => inRange(inner, r));
    }
  }
  return inRange(v6, GLOBAL_UNICAST_V6) && !BLOCKED_V6.some((r) => inRange(v6, r));
}

// ---------------------------------------------------------------------------------------------------
// Resolution

/** Parses curl-style `HOST:PORT:ADDRESS` entries into a map from `host:port` to the address. */
export function parseResolveEntries(entries: readonly string[] = []): Map<string, ResolvedAddress> {
  const map = new Map<string, ResolvedAddress>();
  for (const entry of entries) {
    const match = /^([^:]+):(\d{1,5}):(?:\[([0-9a-fA-F:.]+)\]|([0-9a-fA-F:.]+))$/.exec(entry.trim());
    const address = match?.[3] ?? match?.[4] ?? '';
    const family = isIP(address);
    if (!match || family === 0) {
      throw new AppError(
        'invalid_input',
        {
          vi: `--resolve "${entry}": cần dạng HOST:PORT:ADDRESS, ví dụ shop.example:443:127.0.0.1`,
          en: `--resolve "${entry}": expected HOST:PORT:ADDRESS, e.g. shop.example:443:127.0.0.1`,
        },
        { field: 'resolve' },
      );
    }
    map.set(`${(match[1] as string).toLowerCase()}:${Number(match[2])}`, { address, family: family as 4 | 6 });
  }
  return map;
}

async function systemLookup(hostname: string): Promise<ResolvedAddress[]> {
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({ address: answer.address, family: answer.family === 6 ? 6 : 4 }));
}

async function resolveTarget(
  url: URL,
  mapping: Map<string, ResolvedAddress>,
  options: SafeFetchOptions,
): Promise<ResolvedAddress> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  const mapped = mapping.get(`${host.toLowerCase()}:${port}`);
  if (literal !== 0) addresses = [{ address: host, family: literal as 4 | 6 }];
  else if (mapped) addresses = [mapped];
  else {
    try {
      addresses = await (options.lookup ?? systemLookup)(host);
    } catch (error) {
      throw new SafeFetchError('dns_failure', `cannot resolve ${host}: ${(error as Error).message}`, error);
    }
    if (addresses.length === 0) throw new SafeFetchError('dns_failure', `${host} has no address`);
  }
  if (options.allowPrivate !== true) {
    const allowed = new Set(options.allowPrivate || []);
    // Every answer must be public: with a mixed answer we could not tell which one a retry would get.
    const blocked = addresses.find(
      (candidate) => !isPublicAddress(candidate.address) && !allowed.has(candidate.address),
    );
    if (blocked) {
      throw new SafeFetchError(
        'blocked_address',
        `${host} resolves to ${blocked.address}, which is not a public Internet address; refused`,
      );
    }
  }
  return addresses[0] as ResolvedAddress;
}

// ---------------------------------------------------------------------------------------------------
// Fetching

interface Hop {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  location: string | undefined;
  record: SafeFetchHop;
}

/** Bytes of a redirect's body kept for the record (its text says "moved"; the limit only bounds a hostile one). */
const REDIRECT_BODY_LIMIT = 64 * 1024;

function pairs(raw: readonly string[]): Array<[string, string]> {
  const result: Array<[string, string]> = [];
  for (let index = 0; index + 1 < raw.length; index += 2) result.push([raw[index] as string, raw[index + 1] as string]);
  return result;
}

function pemOf(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The chain the TLS server presented, leaf first (each certificate once; a self-signed root ends it). */
function peerCertificates(socket: unknown): string[] {
  const tls = socket as Partial<TLSSocket> | null;
  if (!tls || typeof tls.getPeerCertificate !== 'function') return [];
  const chain: string[] = [];
  const seen = new Set<string>();
  let certificate: DetailedPeerCertificate | undefined = tls.getPeerCertificate(true);
  while (certificate?.raw && !seen.has(certificate.fingerprint256)) {
    seen.add(certificate.fingerprint256);
    chain.push(pemOf(certificate.raw));
    certificate = certificate.issuerCertificate;
  }
  return chain;
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError('bad_url', `"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SafeFetchError('unsupported_scheme', `only http and https URLs are fetched, not ${url.protocol}`);
  }
  if (url.username || url.password) throw new SafeFetchError('bad_url', 'a URL with credentials is not fetched');
  return url;
}

function requestOnce(
  url: URL,
  address: ResolvedAddress,
  options: SafeFetchOptions,
  signal: AbortSignal,
  maxBytes: number,
): Promise<Hop> {
  const client = url.protocol === 'https:' ? https : http;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const headers: Record<string, string> = {
    'user-agent': DEFAULT_USER_AGENT,
    accept: '*/*',
    'accept-encoding': options.decode ? ACCEPTED_ENCODINGS : 'identity',
    ...options.headers,
    host: url.host,
    // What Node sends without an agent anyway, written out so that the record of the request is complete.
    connection: 'close',
  };
  const target = `${url.pathname}${url.search}`;
  const startedAt = new Date();
  return new Promise<Hop>((resolve, reject) => {
    const request = client.request(
      {
        method: 'GET',
        protocol: url.protocol,
        hostname: host,
        port: url.port || undefined,
        path: target,
        headers,
        agent: false,
        signal,
        // The connection goes to the address that was checked, never to a second DNS answer.
        lookup: ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
          if (lookupOptions?.all) callback(null, [{ address: address.address, family: address.family }]);
          else callback(null, address.address, address.family);
        }) as unknown as typeof dns.lookup,
        ...(url.protocol === 'https:' && isIP(host) === 0 ? { servername: host } : {}),
        ...(url.protocol === 'https:' && options.ca ? { ca: options.ca as string | string[] } : {}),
      },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = status >= 300 && status < 400 ? response.headers.location : undefined;
        const record: SafeFetchHop = {
          url: url.href,
          ip: response.socket?.remoteAddress ?? address.address,
          startedAt,
          request: { method: 'GET', target, httpVersion: '1.1', headers: Object.entries(headers) },
          response: {
            httpVersion: response.httpVersion,
            status,
            statusMessage: response.statusMessage ?? '',
            rawHeaders: pairs(response.rawHeaders),
          },
          body: Buffer.alloc(0),
          truncated: false,
          certificates: url.protocol === 'https:' ? peerCertificates(response.socket) : [],
        };
        // A redirect's body is kept for the record up to a small limit, never refused for its size.
        const limit = location !== undefined ? REDIRECT_BODY_LIMIT : maxBytes;
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        const done = () => {
          record.body = Buffer.concat(chunks);
          record.truncated = truncated;
          resolve({ status, headers: response.headers, body: record.body, truncated, location, record });
        };
        response.on('data', (chunk: Buffer) => {
          if (truncated) return;
          size += chunk.length;
          if (size > limit) {
            truncated = true;
            chunks.push(chunk.subarray(0, chunk.length - (size - limit)));
            response.destroy();
            if (options.truncate || location !== undefined) done();
            else reject(new SafeFetchError('too_large', `${url.href}: the response is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', done);
        response.on('error', (error) => {
          if (!truncated) reject(error);
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const ACCEPTED_ENCODINGS = 'gzip, deflate, br';

/**
 * The content of a body sent with `Content-Encoding` gzip, deflate or br, decoded up to `maxBytes` (more is cut and
 * said so); an encoding not asked for is left as it is. A body cut at the transfer limit decodes as far as it goes.
 */
async function decodedBody(
  url: string,
  raw: Buffer,
  contentEncoding: string | undefined,
  maxBytes: number,
  truncate: boolean,
): Promise<{ content: Buffer; truncated: boolean }> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
      : encoding === 'deflate'
        ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : encoding === 'br'
          ? zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH })
          : undefined;
  if (!decoder || raw.length === 0) return { content: raw, truncated: false };
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (cut: boolean) => {
      if (settled) return;
      settled = true;
      if (cut && !truncate) {
        reject(new SafeFetchError('too_large', `${url}: the decoded response is larger than ${maxBytes} bytes`));
      } else {
        const content = Buffer.concat(chunks);
        resolve({ content: content.subarray(0, maxBytes), truncated: cut });
      }
    };
    decoder.on('data', (chunk: Buffer) => {
      if (settled) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) {
        finish(true);
        decoder.destroy();
      }
    });
    decoder.on('end', () => finish(false));
    decoder.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(new SafeFetchError('network', `${url}: the ${encoding} body could not be decoded: ${error.message}`));
    });
    decoder.end(raw);
  });
}

/** GETs `rawUrl` under the rules above; throws SafeFetchError when refused or failed. */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const mapping = parseResolveEntries(options.resolve);
  const maxRedirects = options.maxRedirects ?? 5;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const redirects: string[] = [];
  const hops: SafeFetchHop[] = [];
  let url = parseUrl(rawUrl);
  try {
    for (;;) {
      const target = await resolveTarget(url, mapping, options);
      if (controller.signal.aborted) throw new SafeFetchError('timeout', `${rawUrl}: no answer within ${timeoutMs} ms`);
      let hop: Hop;
      try {
        hop = await requestOnce(url, target, options, controller.signal, maxBytes);
      } catch (error) {
        if (error instanceof SafeFetchError) throw error;
        if (controller.signal.aborted) {
          throw new SafeFetchError('timeout', `${rawUrl}: no answer within ${timeoutMs} ms`, error);
        }
        throw new SafeFetchError('network', `${url.href}: ${(error as Error).message}`, error);
      }
      hops.push(hop.record);
      if (hop.location === undefined) {
        const content = options.decode
          ? await decodedBody(url.href, hop.body, hop.headers['content-encoding'], maxBytes, options.truncate === true)
          : { content: hop.body, truncated: false };
        return {
          url: rawUrl,
          finalUrl: url.href,
          status: hop.status,
          headers: hop.headers,
          body: content.content,
          truncated: hop.truncated || content.truncated,
          ip: hop.record.ip,
          redirects,
          hops,
        };
      }
      if (redirects.length >= maxRedirects) {
        throw new SafeFetchError('too_many_redirects', `${rawUrl}: more than ${maxRedirects} redirects`);
      }
      let next: URL;
      try {
        next = new URL(hop.location, url);
      } catch {
        throw new SafeFetchError('bad_url', `${url.href} redirects to "${hop.location}", which is not a URL`);
      }
      url = parseUrl(next.href);
      redirects.push(url.href);
    }
  } finally {
    clearTimeout(timer);
  }
}

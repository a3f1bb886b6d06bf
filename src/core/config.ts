import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';
import type { Localized } from './i18n.ts';
import { fieldIssuesOfZod } from './validation.ts';

/**
 * TRUST_PROXY: the reverse proxies in front of the app, as addresses or CIDR ranges separated by commas
 * ("10.0.0.0/8, ::1"). Only a request whose peer is one of them has its X-Forwarded-For and
 * X-Forwarded-Proto believed. Nothing else is accepted: `true` or `*` would let any client choose the
 * address that rate limits, sign-in lockouts and the audit trail record.
 */
const trustProxySchema = z
  .string()
  .optional()
  .transform((value, context) => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const problem = trustedProxyProblem(entry);
      if (problem) context.addIssue({ code: 'custom', message: problem.en, params: { text: problem } });
    }
    return entries;
  });

function trustedProxyProblem(entry: string): Localized | undefined {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix) > max) {
    return {
      vi: `"${entry}" không phải địa chỉ IP hay dải CIDR (ví dụ 10.0.0.0/8, ::1)`,
      en: `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8, ::1)`,
    };
  }
  if (prefix !== undefined && Number(prefix) === 0) {
    return { vi: `"${entry}" sẽ tin mọi địa chỉ`, en: `"${entry}" would trust every address` };
  }
  return undefined;
}

/**
 * Who must sign in with two-step verification (REQUIRE_TOTP): administrators, every officer, or officers of a
 * role. Businesses are not offered it.
 */
export const TOTP_REQUIREMENTS = ['admin', 'officer', 'head', 'viewer'] as const;
export type TotpRequirement = (typeof TOTP_REQUIREMENTS)[number];
export const DEFAULT_REQUIRE_TOTP: readonly TotpRequirement[] = ['admin', 'head'];

/** A DNS name of two labels or more, ASCII (IDNs as xn--), an optional trailing dot. */
const HOST_NAME = /^(?=.{1,254}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.?$/i;

/** Settings read from the environment once, validated, with the defaults DESIGN.md promises. */
const environmentSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORTAL_URL: z.url().optional(),
  /** Outgoing mail (smtp://user:pass@host:587, smtps://…); unset: messages are logged, not sent. */
  SMTP_URL: z.string().min(1).optional(),
  /** Sender of outgoing mail, e.g. "Cổng TMĐT <no-reply@example.gov.vn>". */
  MAIL_FROM: z.string().min(1).optional(),
  /** Requests per minute per IP on the public check; 0 turns the limit off (benchmarks do). */
  CHECK_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Requests per minute per IP on the hash-prefix list and full-hash look-ups (offline check); 0 turns the limit off. */
  HASH_PREFIX_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Requests per minute per IP on the public register search (API and page); 0 turns the limit off. */
  SEARCH_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Requests per minute per IP on the public advisories (list, pages, feeds, API); 0 turns the limit off. */
  ADVISORIES_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Requests per minute per IP on the public block pages (/blocks/…, /blocked, /appeals/…); 0 turns the limit off. */
  BLOCKS_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Requests per minute per IP on the public register of decisions (/decisions…, its dumps and API); 0 = off. */
  DECISIONS_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Appeals against blocks per hour per IP (the public appeal form); 0 turns the limit off. */
  APPEALS_RATE_LIMIT: z.coerce.number().int().min(0).default(10),
  /** Complaints per hour per client address, on the public form and the API each (DESIGN.md "Complaint"); 0 = off. */
  COMPLAINT_RATE_LIMIT: z.coerce.number().int().min(0).default(20),
  /** Comma-separated: `admin`, `officer` (every officer), `head`, `viewer`; `none` requires it of nobody. */
  REQUIRE_TOTP: z
    .string()
    .default(DEFAULT_REQUIRE_TOTP.join(','))
    .refine((value) => value.trim() !== '', 'empty: list who must use it, or write none')
    .transform((value) =>
      value.trim().toLowerCase() === 'none'
        ? []
        : value
            .split(',')
            .map((item) => item.trim().toLowerCase())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(TOTP_REQUIREMENTS))),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` (readable lines) or `json` (one JSON document a line); unset: pretty on a terminal, else JSON. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  TRUST_PROXY: trustProxySchema,
  /** Name of the blocklist's RPZ zone (`blocklist export --zone` overrides it). */
  BLOCKLIST_ZONE: z.string().regex(HOST_NAME, 'a DNS name such as rpz.example.vn').default('rpz.ecomgov.invalid'),
  /** Walled garden: blocked names answer a CNAME to this host (the landing page); unset: NXDOMAIN. */
  BLOCKLIST_LANDING_HOST: z.string().regex(HOST_NAME, 'a DNS name such as canhbao.example.vn').optional(),
  /** Folder of the feed signing key (Ed25519), made on first start; default: the data folder (--data). */
  FEED_SIGNING_KEY_DIR: z.string().min(1).optional(),
  /** Requests per minute per IP on the public feeds (/feeds/…); 0 turns the limit off. */
  FEED_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /**
   * The evidence store (captures as WARC, TLS chains, screenshots); default: `evidence` in the data folder (--data).
   * Servers that share a PostgreSQL database must share this folder too.
   */
  EVIDENCE_DIR: z.string().min(1).optional(),
  /**
   * Private or loopback addresses the monitor's queued scans may connect to (comma-separated IPs): a lab or a test
   * web. Empty by default, and never taken from a request: the SSRF guard refuses every private address.
   */
  MONITOR_ALLOW_PRIVATE: z
    .string()
    .optional()
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    )
    .pipe(z.array(z.ipv4().or(z.ipv6()))),
  /** Minutes after which a monitor scan still `running` is taken for abandoned by a dead worker and queued again. */
  MONITOR_SCAN_STALE_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'environment');
    const problem = fieldIssuesOfZod(parsed.error.issues.slice(0, 1), env)[0]?.message;
    throw new AppError(
      'invalid_input',
      {
        vi: `biến môi trường ${field}: ${problem ? problem.vi : 'không hợp lệ'}`,
        en: `environment variable ${field}: ${issue?.message}`,
      },
      { field },
    );
  }
  return parsed.data;
}

export const DEFAULT_DATA_DIR = './.ecomgov-data';

export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? DEFAULT_DATA_DIR);
}

export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when given; otherwise readable lines for a person at a terminal, JSON lines for a log collector. */
export function chooseLogFormat(given: LogFormat | undefined, isTerminal: boolean): LogFormat {
  return given ?? (isTerminal ? 'pretty' : 'json');
}

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost`, 127.0.0.0/8 or ::1 (also written as an IPv4-mapped or bracketed address): only this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  const family = net.isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Sign-in cookies are Secure only when PORTAL_URL is https (accounts.plugin.ts), so a server that other machines
 * can reach must have such a PORTAL_URL, or be told with `--insecure` that it serves a lab. Returns whether it
 * serves other machines without https (the caller then warns in its log).
 */
export function checkServeExposure(host: string, portalUrl: string | undefined, insecure: boolean): boolean {
  if (isLoopbackHost(host) || portalUrl?.startsWith('https:')) return false;
  if (insecure) return true;
  throw new AppError(
    'invalid_input',
    {
      vi: `máy khác truy cập được địa chỉ ${host}, nên PORTAL_URL phải là địa chỉ https:// công khai của cổng (để cookie đăng nhập có cờ Secure); PORTAL_URL hiện là ${portalUrl ?? 'chưa đặt'}. Môi trường thử nghiệm không có https: thêm --insecure.`,
      en: `other machines can reach ${host}, so PORTAL_URL must be the portal's public https:// address (so that sign-in cookies are Secure); PORTAL_URL is ${portalUrl ?? 'unset'}. For a lab without https, add --insecure.`,
    },
    { field: 'PORTAL_URL' },
  );
}

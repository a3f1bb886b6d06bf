/**
 * `blocklist probe`: asks a resolver (node:dns with that one server) for every blocked domain and reports those it
 * still resolves: an answer with addresses other than the landing host's. NXDOMAIN, an empty answer or the landing
 * host's addresses count as blocked; a timeout or SERVFAIL is reported apart.
 */
import { Resolver } from 'node:dns/promises';
import net from 'node:net';
import type { Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { listEntriesAt, readState } from './blocklist.repository.ts';

export interface ProbeReport {
  resolver: string;
  serial: number;
  checked: number;
  blocked: number;
  still_resolving: Array<{ domain: string; addresses: string[] }>;
  errors: Array<{ domain: string; code: string }>;
}

/** `IP`, `IP:PORT`, `[IPv6]:PORT` → the form `Resolver.setServers` takes. */
export function parseResolverAddress(text: string): string {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const [host, port] = bracketed
    ? [bracketed[1] ?? '', bracketed[2]]
    : net.isIPv6(text)
      ? [text, undefined]
      : (text.split(':') as [string, string | undefined]);
  const portNumber = port === undefined ? 53 : Number(port);
  if (!net.isIP(host) || !Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
    throw invalidInput(
      {
        vi: `--resolver: "${text}" không phải địa chỉ IP[:cổng] (ví dụ 127.0.0.1:5353)`,
        en: `--resolver: "${text}" is not an IP[:PORT] (e.g. 127.0.0.1:5353)`,
      },
      'resolver',
    );
  }
  return net.isIPv6(host) ? `[${host}]:${portNumber}` : `${host}:${portNumber}`;
}

const BLOCKED_CODES = new Set(['ENOTFOUND', 'ENODATA']);

export async function probeResolver(
  db: Db,
  resolverAddress: string,
  options: { landingHost: string | null; concurrency?: number; timeoutMs?: number },
): Promise<ProbeReport> {
  const server = parseResolverAddress(resolverAddress);
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2_000, tries: 2 });
  resolver.setServers([server]);
  const landing = options.landingHost?.replace(/\.$/, '').toLowerCase() ?? null;
  const { serial } = await readState(db);
  const report: ProbeReport = { resolver: server, serial, checked: 0, blocked: 0, still_resolving: [], errors: [] };

  // A walled garden answers with the landing host's addresses: those, asked of the same resolver, count as blocked.
  const landingAddresses = new Set(landing ? await resolver.resolve4(landing).catch(() => [] as string[]) : []);

  const probeOne = async (domain: string) => {
    report.checked++;
    try {
      const addresses = await resolver.resolve4(domain);
      if (addresses.length === 0 || addresses.every((address) => landingAddresses.has(address))) report.blocked++;
      else report.still_resolving.push({ domain, addresses });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
      if (BLOCKED_CODES.has(code)) report.blocked++;
      else report.errors.push({ domain, code });
    }
  };

  const concurrency = options.concurrency ?? 32;
  let after: string | null = null;
  for (;;) {
    const page = await listEntriesAt(db, serial, after, 1_000, 'block');
    if (page.length === 0) break;
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, page.length) }, async () => {
      while (next < page.length) {
        const row = page[next++];
        if (row) await probeOne(row.domain);
      }
    });
    await Promise.all(workers);
    after = page.at(-1)?.domain ?? null;
  }
  report.still_resolving.sort((a, b) => a.domain.localeCompare(b.domain));
  return report;
}

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const NAMED = ['/usr/sbin/named', '/usr/bin/named'].find((file) => fs.existsSync(file));
export const NAMED_CHECKZONE = ['/usr/bin/named-checkzone', '/usr/sbin/named-checkzone'].find((file) =>
  fs.existsSync(file),
);

/** named-checkzone's verdict on a zone file: exit code and what it printed. */
export function checkZone(zone: string, file: string): { code: number | null; output: string } {
  const result = spawnSync(NAMED_CHECKZONE as string, [zone, file], { encoding: 'utf8' });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningNamed {
  address: string;
  resolver: Resolver;
  dir: string;
  stop(): Promise<void>;
}

/**
 * A real BIND on 127.0.0.1 (a free port), recursive, with a response policy zone and local authoritative zones.
 * It is authoritative for the root too, so no query ever leaves this machine.
 */
export async function startNamed(options: {
  rpzZone: string;
  rpzText: string;
  /** zone name → zone file text, served authoritatively. */
  zones: Record<string, string>;
}): Promise<RunningNamed> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-named-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'rpz.zone'), options.rpzText);
  fs.writeFileSync(
    path.join(dir, 'root.zone'),
    '$TTL 60\n@ IN SOA localhost. hostmaster.localhost. ( 1 3600 600 86400 60 )\n@ IN NS localhost.\nlocalhost. IN A 127.0.0.1\n',
  );
  // A zone of its own to tell that named answers (the test's zones may all be under the policy).
  const zones = {
    'ready.ecomgov-test.invalid': localZone('ready.ecomgov-test.invalid', '192.0.2.254'),
    ...options.zones,
  };
  const zoneStanzas = Object.entries(zones).map(([name, text], index) => {
    fs.writeFileSync(path.join(dir, `local${index}.zone`), text);
    return `zone "${name}" { type primary; file "${path.join(dir, `local${index}.zone`)}"; };`;
  });
  fs.writeFileSync(
    path.join(dir, 'named.conf'),
    `options {
  directory "${dir}";
  pid-file "${path.join(dir, 'named.pid')}";
  listen-on port ${port} { 127.0.0.1; };
  listen-on-v6 { none; };
  recursion yes;
  allow-query { 127.0.0.1; };
  allow-recursion { 127.0.0.1; };
  dnssec-validation no;
  notify no;
  response-policy { zone "${options.rpzZone}"; } qname-wait-recurse no;
};
controls { };
zone "${options.rpzZone}" { type primary; file "${path.join(dir, 'rpz.zone')}"; allow-query { none; }; };
zone "." { type primary; file "${path.join(dir, 'root.zone')}"; };
${zoneStanzas.join('\n')}
`,
  );
  const child: ChildProcess = spawn(NAMED as string, ['-g', '-4', '-c', path.join(dir, 'named.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const address = `127.0.0.1:${port}`;
  const resolver = new Resolver({ timeout: 1_000, tries: 1 });
  resolver.setServers([address]);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`named exited: ${log}`);
    try {
      await resolver.resolveSoa('ready.ecomgov-test.invalid');
      // Answering is not enough: named loads the response policy after its zones ("rpz: …: reload done").
      if (!log.includes(`rpz: ${options.rpzZone}: reload done: success`)) throw new Error('policy not loaded yet');
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`named did not answer in 15 s: ${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    address,
    resolver,
    dir,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A zone serving `domain` and every name under it at one address. */
export function localZone(domain: string, address: string): string {
  return `$ORIGIN ${domain}.\n$TTL 60\n@ IN SOA localhost. hostmaster.localhost. ( 1 3600 600 86400 60 )\n@ IN NS localhost.\n@ IN A ${address}\n* IN A ${address}\n`;
}

/** What a resolver answers for a name: its addresses, or the DNS error code (ENOTFOUND is NXDOMAIN). */
export async function lookup(resolver: Resolver, name: string): Promise<string[] | string> {
  try {
    return await resolver.resolve4(name);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

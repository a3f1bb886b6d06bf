import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { selfSignedCertificate } from '../../test/support/tls.ts';
import { isPublicAddress, parseResolveEntries, SafeFetchError, type SafeFetchHop, safeFetch } from './safe-fetch.ts';

function refusedWith(reason: string) {
  return (error: unknown) => {
    assert.ok(error instanceof SafeFetchError, `expected SafeFetchError, got ${String(error)}`);
    assert.equal(error.reason, reason, error.message);
    return true;
  };
}

describe('isPublicAddress', () => {
  const cases: Array<[string, boolean]> = [
    ['8.8.8.8', true],
    ['1.1.1.1', true],
    ['172.32.0.1', true],
    ['127.0.0.1', false],
    ['127.255.255.254', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['172.31.255.255', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['192.0.2.10', false],
    ['198.18.0.1', false],
    ['224.0.0.251', false],
    ['239.255.255.250', false],
    ['240.0.0.1', false],
    ['255.255.255.255', false],
    ['2606:4700:4700::1111', true],
    ['2a00:1450:4001:82a::200e', true],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fe80::1%eth0', false],
    ['fc00::1', false],
    ['fd12:3456::1', false],
    ['ff02::1', false],
    ['2001:db8::1', false],
    ['2001:0:4136:e378::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:1', false],
    ['::ffff:8.8.8.8', true],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::808:808', true],
    ['2002:7f00:1::1', false],
    ['2002:808:808::1', true],
    ['not-an-address', false],
    ['1.2.3', false],
    ['1.2.3.256', false],
  ];
  for (const [address, expected] of cases) {
    it(`${expected ? 'accepts' : 'refuses'} ${address}`, () => {
      assert.equal(isPublicAddress(address), expected);
    });
  }
});

describe('parseResolveEntries', () => {
  it('reads curl-style HOST:PORT:ADDRESS entries, IPv6 in brackets', () => {
    const map = parseResolveEntries(['Shop.Example:8080:127.0.0.1', 'v6.example:443:[::1]']);
    assert.deepEqual(map.get('shop.example:8080'), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(map.get('v6.example:443'), { address: '::1', family: 6 });
  });

  it('refuses an entry without a port or with a host name as address', () => {
    assert.throws(() => parseResolveEntries(['shop.example:127.0.0.1']), /HOST:PORT:ADDRESS/);
    assert.throws(() => parseResolveEntries(['shop.example:80:localhost']), /HOST:PORT:ADDRESS/);
  });
});

describe('safeFetch against a local server', () => {
  let server: http.Server;
  let port: number;
  const seenHosts: string[] = [];

  before(async () => {
    server = http.createServer((request, response) => {
      seenHosts.push(request.headers.host ?? '');
      const url = new URL(request.url ?? '/', 'http://local');
      switch (url.pathname) {
        case '/token':
          response.end('abc123\n');
          return;
        case '/to-metadata':
          response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
          response.end();
          return;
        case '/to-private-name':
          response.writeHead(301, { location: `http://intranet.example:${port}/token` });
          response.end();
          return;
        case '/relative':
          response.writeHead(302, { location: '/token' });
          response.end();
          return;
        case '/loop':
          response.writeHead(302, { location: '/loop' });
          response.end();
          return;
        case '/big':
          response.end(Buffer.alloc(10_000, 'x'));
          return;
        case '/gzip-bomb':
          // 10 MB of zeros, about 10 kB on the wire; gzip only when asked, as servers do.
          if (String(request.headers['accept-encoding']).includes('gzip')) {
            response.writeHead(200, { 'content-encoding': 'gzip' });
            response.end(zlib.gzipSync(Buffer.alloc(10_000_000)));
          } else {
            response.end('identity');
          }
          return;
        case '/slow':
          return; // never answers
        default:
          response.writeHead(404);
          response.end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('refuses a loopback address unless allowPrivate is set', async () => {
    await assert.rejects(safeFetch(`http://127.0.0.1:${port}/token`), refusedWith('blocked_address'));
    const result = await safeFetch(`http://127.0.0.1:${port}/token`, { allowPrivate: true });
    assert.equal(result.body.toString(), 'abc123\n');
    assert.equal(result.ip, '127.0.0.1');
  });

  it('refuses a name whose DNS answer is private, and a mixed public and private answer', async () => {
    const lookup = async () => [{ address: '10.0.0.7', family: 4 as const }];
    await assert.rejects(safeFetch('http://internal.example/', { lookup }), refusedWith('blocked_address'));
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '127.0.0.1', family: 4 as const },
    ];
    await assert.rejects(safeFetch('http://rebind.example/', { lookup: mixed }), refusedWith('blocked_address'));
  });

  it('refuses a --resolve mapping to a private address unless allowPrivate is set', async () => {
    const resolve = [`shop.example:${port}:127.0.0.1`];
    await assert.rejects(safeFetch(`http://shop.example:${port}/token`, { resolve }), refusedWith('blocked_address'));
    const result = await safeFetch(`http://shop.example:${port}/token`, { resolve, allowPrivate: ['127.0.0.1'] });
    assert.equal(result.body.toString(), 'abc123\n');
    // The request names the site, not the address it was sent to.
    assert.equal(seenHosts.at(-1), `shop.example:${port}`);
  });

  it('applies a mapping only to its own host and port, as curl does', async () => {
    const lookup = async () => {
      throw new Error('no DNS in tests');
    };
    await assert.rejects(
      safeFetch(`http://shop.example:${port + 1}/token`, {
        resolve: [`shop.example:${port}:127.0.0.1`],
        allowPrivate: true,
        lookup,
      }),
      refusedWith('dns_failure'),
    );
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    await assert.rejects(
      safeFetch(`http://127.0.0.1:${port}/to-metadata`, { allowPrivate: ['127.0.0.1'] }),
      refusedWith('blocked_address'),
    );
  });

  it('checks a redirect again: a name that maps to a private address is refused', async () => {
    await assert.rejects(
      safeFetch(`http://shop.example:${port}/to-private-name`, {
        resolve: [`shop.example:${port}:127.0.0.1`, `intranet.example:${port}:192.168.1.10`],
        allowPrivate: ['127.0.0.1'],
      }),
      refusedWith('blocked_address'),
    );
  });

  it('follows a relative redirect and reports it', async () => {
    const result = await safeFetch(`http://127.0.0.1:${port}/relative`, { allowPrivate: true });
    assert.equal(result.body.toString(), 'abc123\n');
    assert.deepEqual(result.redirects, [`http://127.0.0.1:${port}/token`]);
    assert.equal(result.finalUrl, `http://127.0.0.1:${port}/token`);
  });

  it('stops after the redirect limit', async () => {
    await assert.rejects(
      safeFetch(`http://127.0.0.1:${port}/loop`, { allowPrivate: true, maxRedirects: 3 }),
      refusedWith('too_many_redirects'),
    );
  });

  it('refuses a body over the size limit, or truncates it when asked', async () => {
    await assert.rejects(
      safeFetch(`http://127.0.0.1:${port}/big`, { allowPrivate: true, maxBytes: 1000 }),
      refusedWith('too_large'),
    );
    const result = await safeFetch(`http://127.0.0.1:${port}/big`, {
      allowPrivate: true,
      maxBytes: 1000,
      truncate: true,
    });
    assert.equal(result.body.length, 1000);
    assert.equal(result.truncated, true);
  });

  it('asks for compression only when told to decode, and holds the byte limit on the decoded bytes too', async () => {
    const url = `http://127.0.0.1:${port}/gzip-bomb`;
    assert.equal((await safeFetch(url, { allowPrivate: true })).body.toString(), 'identity');
    await assert.rejects(
      safeFetch(url, { allowPrivate: true, decode: true, maxBytes: 100_000 }),
      refusedWith('too_large'),
    );
    const cut = await safeFetch(url, { allowPrivate: true, decode: true, maxBytes: 100_000, truncate: true });
    assert.equal(cut.body.length, 100_000);
    assert.equal(cut.truncated, true);
    assert.ok(cut.body.every((byte) => byte === 0));
    // The hop keeps the bytes as transferred, for the record.
    assert.ok((cut.hops[0]?.body.length ?? 0) < 100_000);
    assert.deepEqual(zlib.gunzipSync(cut.hops[0]?.body as Buffer).length, 10_000_000);
  });

  it('gives up after the time limit', async () => {
    const started = Date.now();
    await assert.rejects(
      safeFetch(`http://127.0.0.1:${port}/slow`, { allowPrivate: true, timeoutMs: 200 }),
      refusedWith('timeout'),
    );
    assert.ok(Date.now() - started < 2_000);
  });

  it('refuses other schemes and URLs with credentials', async () => {
    await assert.rejects(safeFetch('ftp://example.com/file'), refusedWith('unsupported_scheme'));
    await assert.rejects(safeFetch('file:///etc/passwd'), refusedWith('unsupported_scheme'));
    await assert.rejects(safeFetch('http://user:pass@example.com/'), refusedWith('bad_url'));
    await assert.rejects(safeFetch('not a url'), refusedWith('bad_url'));
  });
});

describe('safeFetch keeps a record of every hop', () => {
  let server: http.Server;
  let tlsServer: https.Server;
  let port: number;
  let tlsPort: number;
  const tls = selfSignedCertificate(['secure.example']);

  before(async () => {
    server = http.createServer((request, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, 'Found It', { Location: '/page', 'X-Trace': 'one' });
        response.end('moved to /page');
        return;
      }
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'X-Mixed-Case': 'Yes' });
      response.end('<p>trang</p>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    tlsServer = https.createServer({ key: tls.key, cert: tls.cert }, (_request, response) => response.end('secure'));
    await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    tlsPort = (tlsServer.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    tlsServer.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => tlsServer.close(resolve));
  });

  it('records the request sent, the raw answer, the address and the redirect body', async () => {
    const result = await safeFetch(`http://shop.example:${port}/moved`, {
      resolve: [`shop.example:${port}:127.0.0.1`],
      allowPrivate: ['127.0.0.1'],
    });
    assert.equal(result.hops.length, 2);
    const [redirect, final] = result.hops as [SafeFetchHop, SafeFetchHop];
    assert.equal(redirect.url, `http://shop.example:${port}/moved`);
    assert.equal(redirect.ip, '127.0.0.1');
    assert.equal(redirect.response.status, 302);
    assert.equal(redirect.response.statusMessage, 'Found It');
    assert.deepEqual(redirect.response.rawHeaders.slice(0, 2), [
      ['Location', '/page'],
      ['X-Trace', 'one'],
    ]);
    assert.equal(redirect.body.toString(), 'moved to /page');
    assert.equal(redirect.request.target, '/moved');
    assert.deepEqual(
      redirect.request.headers.find(([name]) => name === 'host'),
      ['host', `shop.example:${port}`],
    );
    assert.equal(final.url, `http://shop.example:${port}/page`);
    assert.equal(final.body.toString(), '<p>trang</p>');
    assert.ok(final.response.rawHeaders.some(([name, value]) => name === 'X-Mixed-Case' && value === 'Yes'));
    assert.deepEqual(final.certificates, []);
    assert.equal(result.ip, '127.0.0.1');
  });

  it('records the certificate chain of an https server, and refuses one it does not trust', async () => {
    const options = { resolve: [`secure.example:${tlsPort}:127.0.0.1`], allowPrivate: ['127.0.0.1'] };
    await assert.rejects(safeFetch(`https://secure.example:${tlsPort}/`, options), refusedWith('network'));
    const result = await safeFetch(`https://secure.example:${tlsPort}/`, { ...options, ca: tls.cert });
    assert.equal(result.body.toString(), 'secure');
    const chain = result.hops[0]?.certificates ?? [];
    assert.equal(chain.length, 1);
    assert.equal(new X509Certificate(chain[0] as string).fingerprint256, new X509Certificate(tls.cert).fingerprint256);
  });
});

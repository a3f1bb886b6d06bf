import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * A page of the fake web: a fixture file served as UTF-8 HTML (compressed with `encoding` when the client accepts it,
 * as servers do), a 301 to another host (same port), or `bomb` bytes of zeros sent gzipped (a few kB on the wire).
 */
export interface FakeSite {
  file?: string;
  redirect?: string;
  encoding?: 'gzip' | 'deflate' | 'br';
  bomb?: number;
}

function encoded(content: Buffer, encoding: 'gzip' | 'deflate' | 'br'): Buffer {
  return encoding === 'gzip'
    ? zlib.gzipSync(content)
    : encoding === 'deflate'
      ? zlib.deflateSync(content)
      : zlib.brotliCompressSync(content);
}

export interface FakeWeb {
  port: number;
  /** HOST:PORT:127.0.0.1 for every site, for --resolve or the API's `resolve`. */
  resolveEntries(): string[];
  close(): Promise<void>;
}

/**
 * A small fake web on 127.0.0.1 for the monitor's tests: virtual hosts picked by the Host header (reach them
 * through --resolve), fixtures read from `fixtures`, 404 for any other host.
 */
export async function startFakeWeb(fixtures: string, sites: Record<string, FakeSite>): Promise<FakeWeb> {
  let port = 0;
  const server = http.createServer((request, response) => {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    const site = sites[host];
    if (site?.redirect) {
      response.writeHead(301, { location: `${site.redirect}:${port}/` }).end();
    } else if (site?.bomb) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
      response.end(zlib.gzipSync(Buffer.alloc(site.bomb)));
    } else if (site?.file) {
      const content = fs.readFileSync(path.join(fixtures, site.file));
      const accepted = String(request.headers['accept-encoding'] ?? '');
      if (site.encoding && accepted.includes(site.encoding)) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': site.encoding });
        response.end(encoded(content, site.encoding));
      } else {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(content);
      }
    } else {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    port,
    resolveEntries: () => Object.keys(sites).map((host) => `${host}:${port}:127.0.0.1`),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

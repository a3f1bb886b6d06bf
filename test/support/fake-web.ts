import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** A page of the fake web: a fixture file served as UTF-8 HTML, or a 301 to another host (same port). */
export interface FakeSite {
  file?: string;
  redirect?: string;
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
    } else if (site?.file) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(fs.readFileSync(path.join(fixtures, site.file)));
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

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkDomainControl, describeDomainCheckFailures, fileHoldsToken, verificationUrl } from './domain-control.ts';

const TOKEN = '0123456789abcdef0123456789abcdef';

describe('fileHoldsToken', () => {
  it('accepts the token alone or as ecomgov-verification=<token> on a line of its own', () => {
    assert.equal(fileHoldsToken(`${TOKEN}\n`, TOKEN), true);
    assert.equal(fileHoldsToken(`other\r\necomgov-verification=${TOKEN}\r\n`, TOKEN), true);
    assert.equal(fileHoldsToken(`prefix${TOKEN}`, TOKEN), false);
    assert.equal(fileHoldsToken('', TOKEN), false);
  });
});

describe('checkDomainControl', () => {
  let server: http.Server;
  let port: number;
  const files = new Map<string, string>();
  const noDns = async () => {
    throw Object.assign(new Error('queryTxt ENOTFOUND'), { code: 'ENOTFOUND' });
  };

  before(async () => {
    server = http.createServer((request, response) => {
      const host = (request.headers.host ?? '').split(':')[0] ?? '';
      const body = files.get(host);
      if (request.url === '/.well-known/ecomgov-verification.txt' && body !== undefined) response.end(body);
      else if (request.url === '/.well-known/ecomgov-verification.txt' && host === 'moved.vn') {
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
        response.end();
      } else {
        response.writeHead(404);
        response.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const options = (domains: string[]) => ({
    scheme: 'http' as const,
    port,
    resolve: domains.map((domain) => `${domain}:${port}:127.0.0.1`),
    allowPrivate: ['127.0.0.1'],
    resolveTxt: noDns,
  });

  it('builds the https URL of the token file', () => {
    assert.equal(verificationUrl('shop.vn'), 'https://shop.vn/.well-known/ecomgov-verification.txt');
  });

  it('finds the token in the file the site publishes', async () => {
    files.set('shop-a.vn', `${TOKEN}\n`);
    const result = await checkDomainControl('shop-a.vn', TOKEN, options(['shop-a.vn']));
    assert.deepEqual([result.verified, result.method], [true, 'http']);
  });

  it('does not accept another token, and says what it found', async () => {
    files.set('shop-b.vn', 'ffffffffffffffffffffffffffffffff');
    const result = await checkDomainControl('shop-b.vn', TOKEN, options(['shop-b.vn']));
    assert.equal(result.verified, false);
    assert.match(result.detail, /does not contain the token/);
    assert.match(result.detail, /no TXT record on shop-b\.vn/);
  });

  it('falls back to the DNS TXT record', async () => {
    const result = await checkDomainControl('shop-c.vn', TOKEN, {
      ...options(['shop-c.vn']),
      resolveTxt: async (domain) => (domain === 'shop-c.vn' ? [['v=spf1 -all'], ['ecomgov-verification=', TOKEN]] : []),
    });
    assert.deepEqual([result.verified, result.method], [true, 'dns']);
  });

  it('refuses a site that resolves to a private address, without allowPrivate', async () => {
    files.set('shop-d.vn', TOKEN);
    const result = await checkDomainControl('shop-d.vn', TOKEN, { ...options(['shop-d.vn']), allowPrivate: false });
    assert.equal(result.verified, false);
    assert.match(result.detail, /not a public Internet address; refused/);
  });

  it('refuses to follow a redirect to a private address', async () => {
    const result = await checkDomainControl('moved.vn', TOKEN, options(['moved.vn']));
    assert.equal(result.verified, false);
    assert.match(result.detail, /169\.254\.169\.254/);
  });

  /** What the applicant is told, in both languages. */
  function applicantMessage(failures: Parameters<typeof describeDomainCheckFailures>[0]): string {
    const message = describeDomainCheckFailures(failures);
    return `${message.vi}\n${message.en}`;
  }

  it('tells the applicant "not reachable" for a private address, and the officer which address', async () => {
    files.set('shop-e.vn', TOKEN);
    const result = await checkDomainControl('shop-e.vn', TOKEN, { ...options(['shop-e.vn']), allowPrivate: false });
    assert.deepEqual(result.failures, ['unreachable', 'dns_record_not_found']);
    assert.match(result.detail, /127\.0\.0\.1/);
    const told = applicantMessage(result.failures);
    assert.match(told, /không truy cập được tệp xác minh/i);
    assert.match(told, /not reachable/);
    assert.doesNotMatch(told, /\d+\.\d+\.\d+\.\d+|:\d+|refused|ECONN/);
  });

  it('tells the applicant "not reachable" for a refused connection, without the port or the error', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await checkDomainControl('shop-f.vn', TOKEN, {
      ...options([]),
      port: closedPort,
      resolve: [`shop-f.vn:${closedPort}:127.0.0.1`],
    });
    assert.deepEqual(result.failures, ['unreachable', 'dns_record_not_found']);
    assert.match(result.detail, new RegExp(`${closedPort}`));
    const told = applicantMessage(result.failures);
    assert.doesNotMatch(told, new RegExp(`${closedPort}|127\\.0\\.0\\.1|ECONNREFUSED`));
  });

  it('tells the applicant only "not proved" of a check recorded without categories', () => {
    assert.deepEqual(describeDomainCheckFailures([]), {
      vi: 'Chưa chứng minh được, hãy kiểm tra lại',
      en: 'Not proved yet, check again',
    });
  });

  it('tells the applicant "token not found" when the site answers without it, not what the site answered', async () => {
    files.set('shop-g.vn', 'some other text');
    const result = await checkDomainControl('shop-g.vn', TOKEN, { ...options(['shop-g.vn']), dns: false });
    assert.deepEqual(result.failures, ['token_not_found']);
    assert.equal(
      applicantMessage(result.failures),
      'Tệp xác minh không có mã xác minh\nThe verification token was not found in the file',
    );
  });
});

import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { createLoggerSettings } from './logging.ts';

async function logThrough(format: 'json' | 'pretty', record: object, message: string): Promise<string> {
  const sink = new PassThrough();
  let written = '';
  sink.on('data', (chunk: Buffer) => {
    written += chunk.toString();
  });
  const settings = await createLoggerSettings('info', format, sink);
  const logger = pino(settings, settings.stream);
  logger.info(record, message);
  logger.flush();
  await new Promise((resolve) => setImmediate(resolve));
  return written;
}

const SECRETS = {
  req: { headers: { authorization: 'Bearer ecg_s3cret-token', cookie: 'ecomgov_session=s3cret-session' } },
  res: { headers: { 'set-cookie': 'ecomgov_session=s3cret-new-session; HttpOnly' } },
};

describe('the app log', () => {
  it('writes JSON lines by default', async () => {
    const written = await logThrough('json', {}, 'ecomgov is serving');
    const line = JSON.parse(written.trim());
    assert.equal(line.msg, 'ecomgov is serving');
    assert.equal(line.level, 30);
  });

  it('writes readable lines when pretty is chosen', async () => {
    const written = await logThrough('pretty', { database: 'pglite' }, 'ecomgov is serving');
    assert.doesNotMatch(written, /^\{/);
    assert.match(written, /INFO.*: ecomgov is serving/);
    assert.match(written, /database: "pglite"/);
  });

  for (const format of ['json', 'pretty'] as const) {
    it(`redacts authorization and cookie headers (${format})`, async () => {
      const written = await logThrough(format, SECRETS, 'request');
      assert.doesNotMatch(written, /s3cret/);
      assert.equal(written.match(/\[Redacted\]/g)?.length, 3, written);
    });
  }
});

import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * `ecomgov serve` as a real process: where it agrees to listen, and what its log looks like on a terminal
 * (through `script`, which gives the process a pseudo-terminal) and in a pipe.
 */

const BIN = path.resolve('bin/ecomgov.js');
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-serve-'));
let dataDirs = 0;

function freshDataDir(): string {
  dataDirs += 1;
  return path.join(tempDir, `data-${dataDirs}`);
}

function serveEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', ...extra };
  for (const name of ['DATABASE_URL', 'PORTAL_URL', 'HOST', 'PORT', 'LOG_FORMAT', 'TRUST_PROXY']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

interface Served {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first match of the pattern in what the process printed. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Served {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return {
    child,
    output: () => output,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} within 120 s in:\n${output}`)), 120_000);
        const check = () => {
          const match = pattern.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match);
          }
        };
        waiters.push(check);
        child.on('close', (code) => reject(new Error(`the server stopped (${code}):\n${output}`)));
        check();
      });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await closed;
    },
  };
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A server that starts instead of refusing would run forever.
    const timer = setTimeout(() => child.kill('SIGTERM'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('ecomgov serve', () => {
  after(() => fs.rmSync(tempDir, { recursive: true, force: true }));

  it('refuses to serve other machines without an https PORTAL_URL, naming PORTAL_URL and --insecure', async () => {
    const cases: Array<{ args: string[]; env: NodeJS.ProcessEnv }> = [
      { args: ['--host', '0.0.0.0'], env: {} },
      { args: ['--host', '192.0.2.10'], env: { PORTAL_URL: 'http://portal.example' } },
      { args: [], env: { HOST: '::', PORTAL_URL: 'http://portal.example' } },
    ];
    for (const { args, env } of cases) {
      const dataDir = freshDataDir();
      const result = await run(['--data', dataDir, 'serve', '--port', '0', '--no-demo', ...args], serveEnv(env));
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^error: .*PORTAL_URL must be the portal's public https:\/\/ address/);
      assert.match(result.stderr, /--insecure/);
      assert.equal(fs.existsSync(dataDir), false, 'refused before opening the database');
    }
  });

  it('serves other machines with --insecure, warning in its JSON log, and says where to open it', async () => {
    const served = start(
      process.execPath,
      [BIN, '--data', freshDataDir(), 'serve', '--host', '0.0.0.0', '--port', '0', '--no-demo', '--insecure'],
      serveEnv({}),
    );
    try {
      const [, port] = await served.waitFor(/ecomgov is serving: open http:\/\/localhost:(\d+)\//);
      const lines = served
        .output()
        .split('\n')
        .filter((line) => line.endsWith('}'))
        .map((line) => JSON.parse(line) as { level: number; msg: string });
      const warning = lines.find((line) => line.level === 40);
      assert.match(warning?.msg ?? '', /--insecure: serving 0\.0\.0\.0 without an https PORTAL_URL/);
      const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      assert.equal(health.status, 200);
      assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
    } finally {
      await served.stop();
    }
  });

  // One start only (a fresh data folder takes 5–25 s here): LOG_FORMAT's override is src/core/config.test.ts's.
  it('prints readable lines on a terminal', { skip: !hasScript && 'no `script`' }, async () => {
    const command = `'${process.execPath}' '${BIN}' --data '${freshDataDir()}' serve --port 0 --no-demo`;
    const pretty = start('script', ['-qec', command, '/dev/null'], serveEnv({}));
    try {
      const [line] = await pretty.waitFor(/.*ecomgov is serving: open http:\/\/127\.0\.0\.1:\d+\/.*/);
      // "[10:06:55] INFO: ecomgov is serving: open http://127.0.0.1:45217/", coloured.
      assert.match(line, /^\[\d\d:\d\d:\d\d\] .*INFO.*: .*ecomgov is serving/);
      assert.doesNotMatch(pretty.output(), /^\{"level"/m);
    } finally {
      await pretty.stop();
    }
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';

const BIN = path.resolve('bin/ecomgov.js');
const HEADER =
  'registration_no,name,kind,status,cross_border,domains,android_apps,ios_apps,org_name,tax_code,valid_until';

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-cli-'));
const dataDir = path.join(tempDir, 'data');

/**
 * Runs the real `ecomgov` command. Always on an embedded data folder: the CLI's own behaviour does not
 * depend on the database, and the server suite must not write into the server's default database.
 */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeCsv(name: string, rows: string[]): string {
  const file = path.join(tempDir, name);
  fs.writeFileSync(file, `${[HEADER, ...rows].join('\n')}\n`);
  return file;
}

describe('the ecomgov command', () => {
  after(() => fs.rmSync(tempDir, { recursive: true, force: true }));

  it('imports a registry file and prints the counts as JSON', async () => {
    const file = writeCsv('good.csv', [
      ',Temu,marketplace,unregistered,true,temu.com,com.einnovation.temu,,,,',
      'CLI-0001,Sàn Thử CLI,marketplace,registered,false,san-thu-cli.vn,,,Công ty TNHH Shopee,0106773786,2031-01-01',
    ]);
    const result = await runCli(['--data', dataDir, 'registry', 'import', file, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const body = JSON.parse(result.stdout);
    assert.equal(body.created, 2);
    assert.equal(body.rows, 2);
  });

  it('reports the progress of an import on stderr in lines a log keeps, and nothing with --json', async () => {
    const rows = Array.from(
      { length: 300 },
      (_, index) =>
        `PRG-${String(index).padStart(4, '0')},Cửa hàng tiến độ ${index},sales,notified,false,tien-do-${index}.vn,,,,,`,
    );
    const file = writeCsv('progress.csv', rows);
    // A data folder of its own: the other tests count the rows of the shared one.
    const progressData = path.join(tempDir, 'progress-data');
    const plain = await runCli(['--data', progressData, 'registry', 'import', file]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stderr,
      /^registry import: 300 rows \(100%\), matching rows to the register, checking for conflicts, \d+:\d\d so far$/m,
    );
    assert.match(plain.stderr, /^registry import: 300 rows \(100%\), writing the register, /m);
    assert.match(plain.stderr, /^registry import: 300 rows in \d+:\d\d$/m);
    assert.match(plain.stdout, /300 rows — 0 created, 0 updated, 300 unchanged|300 rows — 300 created/);
    const json = await runCli(['--data', progressData, 'registry', 'import', file, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotMatch(json.stderr, /registry import/);
    assert.equal(JSON.parse(json.stdout).unchanged, 300);
  });

  it('accepts the global options after the command as well as before it', async () => {
    const before = await runCli(['--data', dataDir, '--json', 'check', 'https://m.temu.com/vn/goods.html?x=1']);
    const afterCommand = await runCli(['check', 'https://m.temu.com/vn/goods.html?x=1', '--data', dataDir, '--json']);
    assert.equal(before.code, 0, before.stderr);
    assert.equal(afterCommand.code, 0, afterCommand.stderr);
    const answer = JSON.parse(afterCommand.stdout);
    assert.deepEqual(JSON.parse(before.stdout), answer);
    assert.equal(answer.verdict, 'unregistered');
    assert.equal(answer.normalized, 'temu.com');
    assert.equal(answer.platform.name, 'Temu');
  });

  it('prints a human verdict without --json', async () => {
    const result = await runCli(['--data', dataDir, 'check', 'san-thu-cli.vn']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /REGISTERED/);
    assert.match(result.stdout, /Sàn Thử CLI \(CLI-0001\)/);
  });

  it('exits 2 naming the line and field of every invalid row, and stores nothing', async () => {
    const file = writeCsv('bad.csv', [
      'CLI-0002,Good,sales,notified,false,good-cli.vn,,,,,',
      'CLI-0003,Bad Tax,sales,notified,false,bad-cli.vn,,,Org,0106773787,',
      'CLI-0004,Bad Date,sales,notified,false,bad-date-cli.vn,,,,,2025-02-30',
    ]);
    const result = await runCli(['--data', dataDir, 'registry', 'import', file]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /bad\.csv/);
    assert.match(result.stderr, /line 3, field tax_code/);
    assert.match(result.stderr, /line 4, field valid_until/);
    const exported = await runCli(['--data', dataDir, 'registry', 'export']);
    assert.doesNotMatch(exported.stdout, /good-cli\.vn/);
  });

  it('exports the register as CSV that imports back without changes', async () => {
    const out = path.join(tempDir, 'export.csv');
    const exported = await runCli(['--data', dataDir, 'registry', 'export', '--out', out]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /^registration_no,name,kind,status/);
    const reimport = await runCli(['--data', dataDir, '--json', 'registry', 'import', out]);
    assert.equal(reimport.code, 0, reimport.stderr);
    const counts = JSON.parse(reimport.stdout);
    assert.deepEqual([counts.created, counts.updated, counts.unchanged], [0, 0, 2]);
  });

  it('exits 2 on bad usage and bad input', async () => {
    assert.equal((await runCli(['--data', dataDir, 'no-such-command'])).code, 2);
    const empty = await runCli(['--data', dataDir, 'check', '']);
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /error:/);
    assert.equal((await runCli(['--data', dataDir, 'serve', '--port', 'abc'])).code, 2);
  });

  it('refuses a data folder held by a live process and takes over a stale lock', async () => {
    const lockedDir = path.join(tempDir, 'locked');
    fs.mkdirSync(lockedDir, { recursive: true });
    fs.writeFileSync(path.join(lockedDir, 'ecomgov.lock'), String(process.pid));
    const refused = await runCli(['--data', lockedDir, 'registry', 'export']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`in use by process ${process.pid}`));

    const staleDir = path.join(tempDir, 'stale');
    fs.mkdirSync(staleDir, { recursive: true });
    fs.writeFileSync(path.join(staleDir, 'ecomgov.lock'), '2147483646');
    const takenOver = await runCli(['--data', staleDir, 'registry', 'export']);
    assert.equal(takenOver.code, 0, takenOver.stderr);
    assert.equal(fs.existsSync(path.join(staleDir, 'ecomgov.lock')), false);
  });
});

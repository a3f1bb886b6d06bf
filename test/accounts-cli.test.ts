import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../src/core/db.ts';
import { registerAccountsCli, registerAuditCli } from '../src/modules/accounts/index.ts';
import { type CliRun, runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * The `ecomgov accounts …` and `ecomgov audit …` commands: in process on the test database (PGlite or
 * the server), and as a real process for what only a process shows: standard input, and the server's
 * log at trace level searched for the passwords that went through it.
 */

const CLI = path.resolve('src/bin/cli.ts');

/** Runs the accounts and audit commands in process on the test database. */
function runInProcess(database: Database, args: string[]): Promise<CliRun> {
  return runCliInProcess(
    database,
    (program, services) => {
      registerAccountsCli(program, services);
      registerAuditCli(program, services);
    },
    args,
  );
}

function runProcess(
  dataDir: string,
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent' };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data', dataDir, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe(`the accounts and audit commands (${testDatabaseKind})`, () => {
  let database: Database;
  let officerId = '';
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    await database.close();
  });

  it('generates a password when none is given, and prints it once', async () => {
    const result = await runInProcess(database, [
      'accounts',
      'create-officer',
      '--email',
      'Thanh.Tra@moit.gov.vn',
      '--unit',
      'inspectorate',
      '--role',
      'head',
      '--json',
    ]);
    assert.equal(result.code, 0, result.error?.message);
    const created = JSON.parse(result.stdout) as {
      account: { id: string; email: string; unit_id: string; role: string };
      password: string;
      must_enrol_totp: boolean;
    };
    assert.equal(created.must_enrol_totp, true, 'a head of unit must set up two-step verification');
    assert.deepEqual(
      [created.account.email, created.account.unit_id, created.account.role],
      ['thanh.tra@moit.gov.vn', 'inspectorate', 'head'],
    );
    assert.match(created.password, /^[A-Za-z2-9]{20}$/);
    officerId = created.account.id;
  });

  it('refuses a password on the command line, and an unknown unit, with exit 2', async () => {
    const onArgv = await runInProcess(database, [
      'accounts',
      'create-admin',
      '--email',
      'x@moit.gov.vn',
      '--password',
      'secret123456',
    ]);
    assert.equal(onArgv.code, 2);
    const unknownUnit = await runInProcess(database, [
      'accounts',
      'create-officer',
      '--email',
      'a@moit.gov.vn',
      '--unit',
      'atlantis',
      '--role',
      'head',
    ]);
    assert.equal(unknownUnit.code, 2);
    assert.equal(unknownUnit.error?.field, 'unit');
  });

  it('issues a token once, lists it without the token, and revokes it', async () => {
    const year = new Date().getFullYear() + 1;
    const created = await runInProcess(database, [
      'accounts',
      'token',
      'create',
      '--name',
      'Customs',
      '--scope',
      'declarations:write',
      '--scope',
      'check:read',
      '--expires',
      `${year}-12-31`,
      '--json',
    ]);
    assert.equal(created.code, 0, created.error?.message);
    const { token, api_token: apiToken } = JSON.parse(created.stdout) as {
      token: string;
      api_token: { id: string; scopes: string[]; expires_at: string };
    };
    assert.match(token, /^ecg_[\w-]{43}$/);
    assert.deepEqual(apiToken.scopes, ['declarations:write', 'check:read']);
    // Valid through the whole last day in Vietnam (UTC+7).
    assert.equal(apiToken.expires_at, `${year}-12-31T16:59:59.999Z`);
    const listed = await runInProcess(database, ['accounts', 'token', 'list']);
    assert.match(listed.stdout, /Customs/);
    assert.ok(!listed.stdout.includes(token));
    const revoked = await runInProcess(database, ['accounts', 'token', 'revoke', apiToken.id]);
    assert.equal(revoked.code, 0);
    assert.match(revoked.stdout, /revoked/);
    const badScope = await runInProcess(database, [
      'accounts',
      'token',
      'create',
      '--name',
      'x',
      '--scope',
      'all',
      '--expires',
      `${year}-01-01`,
    ]);
    assert.equal(badScope.code, 2);
  });

  it('lists the accounts', async () => {
    const result = await runInProcess(database, ['accounts', 'list']);
    assert.equal(result.code, 0);
    assert.match(result.stdout, /officer\tthanh\.tra@moit\.gov\.vn\tinspectorate\/head\tactive/);
  });

  it('exports the trail of one record as CSV', async () => {
    const result = await runInProcess(database, [
      'audit',
      'export',
      '--entity-type',
      'account',
      '--entity-id',
      officerId,
    ]);
    assert.equal(result.code, 0);
    const lines = result.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1] ?? '', /,cli:[^,]*,,,account\.created,account,/);
  });

  it('verifies the chain (exit 0), and names the altered event after tampering (exit 1)', async () => {
    const intact = await runInProcess(database, ['audit', 'verify']);
    assert.equal(intact.code, 0);
    assert.match(intact.stdout, /intact: \d+ events/);
    await database.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
      await sql`UPDATE audit_events SET changes = '{"role":"viewer"}' WHERE seq = 1`.execute(trx);
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
    });
    const broken = await runInProcess(database, ['audit', 'verify']);
    assert.equal(broken.code, 1);
    assert.match(broken.stdout, /BROKEN at event 1/);
    const json = await runInProcess(database, ['audit', 'verify', '--json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; eventId: number; problem: string };
    assert.deepEqual([report.ok, report.eventId, report.problem], [false, 1, 'altered']);
  });
});

describe('the ecomgov process', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-accounts-cli-'));
  const adminPassword = 'một mật khẩu bí mật 1';
  const wrongPassword = 'một mật khẩu sai 2';
  const businessPassword = 'một mật khẩu doanh nghiệp 3';
  let server: ChildProcess | undefined;
  let log = '';
  after(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.on('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates the first administrator with a password from standard input, printing no secret', async () => {
    const result = await runProcess(
      dataDir,
      ['accounts', 'create-admin', '--email', 'Admin@Moit.gov.vn', '--name', 'Quản trị', '--password-stdin'],
      `${adminPassword}\n`,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /created admin admin@moit\.gov\.vn/);
    assert.match(result.stdout, /two-step verification is required for this account .* at the first sign-in/);
    assert.ok(!result.stdout.includes(adminPassword) && !result.stderr.includes(adminPassword));
  });

  it('serves, and its log at trace level never contains a password that went through sign-in or sign-up', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'trace' };
    delete env.DATABASE_URL;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, '--data', dataDir, 'serve', '--port', '0', '--no-demo'],
      { env },
    );
    server = child;
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
        if (match?.[1]) resolve(match[1]);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
      });
      child.on('exit', (code) => reject(new Error(`the server stopped (${code}): ${log.slice(-2000)}`)));
    });
    const form = async (pathname: string, fields: Record<string, string>) => {
      const page = await fetch(`${baseUrl}/login`);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
      return fetch(`${baseUrl}${pathname}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...fields, _csrf: csrf }),
      });
    };
    assert.equal((await form('/login', { email: 'admin@moit.gov.vn', password: wrongPassword })).status, 401);
    const signedIn = await form('/login', { email: 'admin@moit.gov.vn', password: adminPassword });
    assert.equal(signedIn.status, 303);
    assert.equal(
      signedIn.headers.get('location'),
      '/account#totp',
      'the administrator must set up two-step verification',
    );
    const signup = await form('/signup', {
      organisation_name: 'Công ty Nhật Ký',
      tax_code: '0101243150',
      email: 'nhatky@example.vn',
      password: businessPassword,
    });
    assert.equal(signup.status, 200);
    assert.match(await signup.text(), /nhatky@example\.vn/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.match(log, /"url":"\/login"/, 'the log shows the requests');
    for (const secret of [adminPassword, wrongPassword, businessPassword]) {
      assert.ok(!log.includes(secret), `the log contains "${secret}"`);
      assert.ok(!log.includes(encodeURIComponent(secret)), `the log contains "${secret}" URL-encoded`);
    }
    assert.doesNotMatch(log, /ecomgov_session=/);
  });
});

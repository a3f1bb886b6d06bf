import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CHROMIUM_PATH } from '../src/core/chromium.ts';
import type { ActorContext } from '../src/core/context.ts';
import { exportCase } from '../src/modules/cases/cases.export.ts';
import { advanceCase, createCase, linkToCase } from '../src/modules/cases/cases.service.ts';
import { registerCasesCli } from '../src/modules/cases/index.ts';
import { captureEvidence } from '../src/modules/evidence/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from './support/app.ts';
import { createAccount, loginAs } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/**
 * A case's bundle (issue 15): summary as PDF and HTML, the evidence packages, the audit trail as CSV and JSON, and a
 * SHA256SUMS that `sha256sum -c` checks, and that fails once a file is altered.
 */

const INSPECTOR: ActorContext = { actor: 'user:inspector-export' };
const NOW = new Date('2026-12-03T03:00:00Z');
const hasChromium = fs.existsSync(CHROMIUM_PATH);

function unzipInto(zip: Buffer, prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.writeFileSync(path.join(dir, 'bundle.zip'), zip);
  execFileSync('unzip', ['-q', 'bundle.zip', '-d', 'out'], { cwd: dir });
  return path.join(dir, 'out');
}

const sha256sumCheck = (dir: string) => spawnSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' });

describe(`case bundle (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let evidenceStore: string;
  let caseId: string;
  let evidenceId: string;
  const temporary: string[] = [];

  before(async () => {
    evidenceStore = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-case-export-evidence-'));
    testApp = await startTestApp({ demo: false, env: { EVIDENCE_DIR: evidenceStore } });
    const database = testApp.database;
    await importRegistryRows(
      database,
      [
        registryRow({
          name: 'Chợ Đêm Trực Tuyến',
          status: 'unregistered',
          registrationNo: null,
          domains: ['cho-dem.test'],
          androidApps: [],
        }),
      ],
      { actor: 'test' },
    );
    const created = await createCase(
      database,
      { context: INSPECTOR, unitId: 'inspectorate' },
      { title: 'Kiểm tra sàn “Chợ Đêm” chưa đăng ký', summary: 'Theo phản ánh của người tiêu dùng ở Đà Nẵng.' },
      new Date('2026-11-01T03:00:00Z'),
    );
    caseId = created.id;
    await linkToCase(database, INSPECTOR, caseId, { kind: 'platform', ref: 'cho-dem.test', note: 'Sàn chính' }, NOW);
    const site = http.createServer((_request, response) => response.end('<html lang="vi">Giỏ hàng 99.000₫</html>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    try {
      const captured = await captureEvidence(database.db, evidenceStore, INSPECTOR, {
        url: `http://cho-dem.test:${port}/`,
        resolve: [`cho-dem.test:${port}:127.0.0.1`],
        allowPrivate: true,
      });
      evidenceId = captured.evidenceId;
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
    await linkToCase(database, INSPECTOR, caseId, { kind: 'evidence', ref: evidenceId }, NOW);
    await advanceCase(database, INSPECTOR, caseId, { on: '2026-11-02' }, NOW);
    await advanceCase(database, INSPECTOR, caseId, { on: '2026-11-03', document_no: '15/QĐ-TTr' }, NOW);
  });
  after(async () => {
    await testApp?.close();
    for (const dir of [evidenceStore, ...temporary]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a bundle that sha256sum -c verifies, with the summary, evidence package and audit trail', async (t) => {
    const bundle = await exportCase(testApp.database, INSPECTOR, caseId, { evidenceDir: evidenceStore, now: NOW });
    const dir = unzipInto(bundle.zip, 'ecomgov-case-bundle-');
    temporary.push(path.dirname(dir));
    const names = fs.readdirSync(dir, { recursive: true }).map(String).sort();
    for (const name of [
      'SHA256SUMS',
      'audit-trail.csv',
      'audit-trail.json',
      `evidence/${evidenceId}.zip`,
      'manifest.json',
      'summary.html',
    ]) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
    // SHA256SUMS names every other file.
    const listed = fs
      .readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.slice(66))
      .sort();
    assert.deepEqual(
      listed,
      names.filter((name) => name !== 'SHA256SUMS' && name !== 'evidence'),
    );
    const checked = sha256sumCheck(dir);
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);

    // The summary: Vietnamese text intact, days as dd/mm/yyyy, links, sanctions section.
    const summary = fs.readFileSync(path.join(dir, 'summary.html'), 'utf8');
    assert.match(summary, /<meta charset="utf-8">/);
    assert.match(summary, /Kiểm tra sàn “Chợ Đêm” chưa đăng ký/);
    assert.match(summary, /Theo phản ánh của người tiêu dùng ở Đà Nẵng\./);
    assert.match(summary, /Chợ Đêm Trực Tuyến/);
    assert.match(summary, /<td>02\/11\/2026<\/td>/, 'the plan completed on 02/11/2026');
    assert.match(summary, /<td>03\/11\/2026<\/td>/);
    assert.match(summary, /15\/QĐ-TTr/);
    assert.match(summary, /Quyết định xử phạt/);
    assert.ok(summary.includes(`evidence/${evidenceId}.zip`));

    // The evidence package is the evidence module's, whole, and checks itself.
    const evidenceDir = unzipInto(fs.readFileSync(path.join(dir, 'evidence', `${evidenceId}.zip`)), 'ecomgov-ev-');
    temporary.push(path.dirname(evidenceDir));
    const inner = spawnSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: evidenceDir, encoding: 'utf8' });
    assert.equal(inner.status, 0, inner.stdout + inner.stderr);

    // The audit trail: the case's events and the evidence's custody events, oldest first.
    const csv = fs.readFileSync(path.join(dir, 'audit-trail.csv'), 'utf8');
    assert.match(csv.split('\n')[0] ?? '', /^seq,occurred_at,actor,ip,request_id,action,entity_type,entity_id,changes/);
    for (const action of ['case.create', 'case.link', 'case.advance']) {
      assert.match(csv, new RegExp(`,${action.replace('.', '\\.')},case,${caseId},`));
    }
    for (const action of ['evidence.captured', 'evidence.attached', 'evidence.exported']) {
      assert.match(csv, new RegExp(`,${action.replace('.', '\\.')},evidence,${evidenceId},`));
    }
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'audit-trail.json'), 'utf8')) as {
      events: Array<{ seq: number; action: string }>;
    };
    assert.equal(json.events.length, csv.trim().split('\n').length - 1);
    assert.deepEqual(
      json.events.map((event) => event.seq),
      [...json.events.map((event) => event.seq)].sort((a, b) => a - b),
    );

    // The export is audited (with the bundle's hash) and is a custody event of the evidence.
    const audit = await testApp.database.db
      .selectFrom('audit_events')
      .select(['action', 'changes'])
      .where('entity_id', 'in', [caseId, evidenceId])
      .where('action', 'in', ['case.export', 'evidence.exported'])
      .execute();
    assert.equal(audit.filter((event) => event.action === 'evidence.exported').length, 1);
    const exported = audit.find((event) => event.action === 'case.export');
    assert.equal((exported?.changes as { sha256?: string } | undefined)?.sha256, bundle.sha256);

    // Altering any file makes the check fail.
    fs.appendFileSync(path.join(dir, 'audit-trail.csv'), '999,forged\n');
    const tampered = sha256sumCheck(dir);
    assert.notEqual(tampered.status, 0);
    assert.match(tampered.stdout, /audit-trail\.csv: FAILED/);

    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      pdf: { made: boolean; reason?: string };
    };
    assert.equal(manifest.pdf.made, bundle.pdf.made);
    if (!hasChromium) {
      t.skip(`no Chromium at ${CHROMIUM_PATH}: the PDF is not checked here (CI has Chromium)`);
      return;
    }
    assert.equal(bundle.pdf.made, true, bundle.pdf.made ? '' : bundle.pdf.reason);
    assert.equal(fs.readFileSync(path.join(dir, 'summary.pdf')).subarray(0, 5).toString('latin1'), '%PDF-');
  });

  it('says plainly when no PDF was made, the bundle still whole', async () => {
    const bundle = await exportCase(testApp.database, INSPECTOR, caseId, {
      evidenceDir: evidenceStore,
      chromiumPath: path.join(os.tmpdir(), 'no-such-chromium'),
    });
    assert.equal(bundle.pdf.made, false);
    assert.match(bundle.pdf.made ? '' : bundle.pdf.reason, /no Chromium at .*no-such-chromium/);
    const dir = unzipInto(bundle.zip, 'ecomgov-case-bundle-nopdf-');
    temporary.push(path.dirname(dir));
    assert.ok(!fs.existsSync(path.join(dir, 'summary.pdf')));
    assert.match(fs.readFileSync(path.join(dir, 'PDF-NOT-MADE.txt'), 'utf8'), /Không tạo được bản PDF/);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
      pdf: { made: boolean; reason: string };
    };
    assert.deepEqual([manifest.pdf.made, /no-such-chromium/.test(manifest.pdf.reason)], [false, true]);
    assert.equal(sha256sumCheck(dir).status, 0);
    fs.writeFileSync(path.join(dir, 'summary.html'), '<p>rewritten</p>');
    const tampered = sha256sumCheck(dir);
    assert.notEqual(tampered.status, 0);
    assert.match(tampered.stdout, /summary\.html: FAILED/);
  });

  it('serves the bundle to officers who read cases, on the API and from the case page, and refuses others', async () => {
    const reader = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'legal', role: 'viewer' }),
    );
    const page = await testApp.app.inject({
      method: 'GET',
      url: `/workbench/cases/${caseId}`,
      headers: { cookie: reader.cookie },
    });
    assert.equal(page.statusCode, 200);
    assert.ok(page.body.includes(`href="/workbench/cases/${caseId}/bundle.zip"`));
    for (const url of [`/api/v1/cases/${caseId}/export`, `/workbench/cases/${caseId}/bundle.zip`]) {
      const response = await testApp.app.inject({ method: 'GET', url, headers: { cookie: reader.cookie } });
      assert.equal(response.statusCode, 200, response.body.slice(0, 300));
      assert.equal(response.headers['content-type'], 'application/zip');
      assert.match(String(response.headers['content-disposition']), /attachment; filename="case-HS-\d{4}-\d{4}\.zip"/);
      assert.match(String(response.headers['x-case-export-pdf']), hasChromium ? /^made$/ : /^not made: /);
      assert.equal(response.rawPayload.subarray(0, 2).toString('latin1'), 'PK');
    }
    const unknown = await testApp.app.inject({
      method: 'GET',
      url: '/api/v1/cases/00000000-0000-4000-8000-000000000000/export',
      headers: { cookie: reader.cookie },
    });
    assert.equal(unknown.statusCode, 404);
    const outsider = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'newspaper', role: 'officer' }),
    );
    const refused = await testApp.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/export`,
      headers: { cookie: outsider.cookie },
    });
    assert.equal(refused.statusCode, 403);
  });

  it('writes the bundle from the command line', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-case-cli-')), 'bundle.zip');
    temporary.push(path.dirname(out));
    const previous = process.env.EVIDENCE_DIR;
    process.env.EVIDENCE_DIR = evidenceStore;
    try {
      const run = await runCliInProcess(testApp.database, registerCasesCli, [
        'cases',
        'export',
        caseId,
        '--out',
        out,
        '--json',
      ]);
      assert.equal(run.code, 0, run.error?.message);
      const printed = JSON.parse(run.stdout) as { sha256: string; pdf: { made: boolean } };
      assert.equal(printed.pdf.made, hasChromium);
      const dir = unzipInto(fs.readFileSync(out), 'ecomgov-case-cli-out-');
      temporary.push(path.dirname(dir));
      assert.equal(sha256sumCheck(dir).status, 0);
      const missing = await runCliInProcess(testApp.database, registerCasesCli, [
        'cases',
        'export',
        'not-a-case',
        '--out',
        `${out}.2`,
      ]);
      assert.notEqual(missing.code, 0);
      assert.ok(!fs.existsSync(`${out}.2`));
    } finally {
      if (previous === undefined) delete process.env.EVIDENCE_DIR;
      else process.env.EVIDENCE_DIR = previous;
    }
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listAuditEvents } from '../src/core/audit.ts';
import type { ActorContext } from '../src/core/context.ts';
import { todayInVietnam } from '../src/core/dates.ts';
import { addWorkingDays } from '../src/core/working-days.ts';
import { registerBlockingCli } from '../src/modules/blocking/blocking.cli.ts';
import {
  acceptAppeal,
  activateBlock,
  amendBlock,
  approveBlock,
  type Block,
  type BlockInput,
  decideBlock,
  fileAppeal,
  findActiveBlockForDomain,
  grantAppeal,
  liftBlock,
  liftExpiredBlocks,
  proposeBlock,
  rejectAppeal,
  returnBlock,
} from '../src/modules/blocking/blocking.service.ts';
import { loadWorkingCalendar } from '../src/modules/calendar/index.ts';
import { captureEvidence } from '../src/modules/evidence/index.ts';
import { setProcedure } from '../src/modules/procedures/procedures.service.ts';
import { findIdentityOwners, loadPlatformSnapshotsByIds } from '../src/modules/registry/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { eventually, startTestApp, type TestApp } from './support/app.ts';
import { anonymousForm, createAccount, formBody, loginAs, type TestSession } from './support/auth.ts';
import { runCliInProcess } from './support/cli.ts';
import { testDatabaseKind } from './support/database.ts';
import { registryRow } from './support/registry.ts';

/**
 * The blocking workflow (issue 11): every step and every refused step of the service on this database; the workbench
 * through HTTP as the roles that take each step (the permissions table test covers every role on every route); the
 * blocklist feeds carrying the decision; the public block page, the landing page and the appeals, with the deadlines
 * of the table of procedures.
 */

const PROPOSER: ActorContext = { actor: 'user:proposer' };
const LAWYER: ActorContext = { actor: 'user:lawyer' };
const HEAD: ActorContext = { actor: 'user:head' };

function daysAgo(days: number): string {
  return todayInVietnam(new Date(Date.now() - days * 86_400_000));
}

describe(`blocking (${testDatabaseKind})`, () => {
  let testApp: TestApp;
  let counter = 0;

  /** A platform of its own for each test: unregistered, with two domains and an Android app. */
  async function platform(status: 'unregistered' | 'notified' = 'unregistered') {
    counter += 1;
    const domain = `chan-thu-${counter}-${Date.now().toString(36)}.vn`;
    await importRegistryRows(
      testApp.database,
      [
        registryRow({
          name: `Shop chặn thử ${counter}`,
          status,
          registrationNo: status === 'notified' ? `TB-BLK-${Date.now().toString(36).toUpperCase()}-${counter}` : null,
          domains: [domain, `m.${domain}`],
          androidApps: [`vn.chanthu.app${counter}`],
        }),
      ],
      { actor: 'test' },
    );
    const owner = (await findIdentityOwners(testApp.database.db, [{ kind: 'domain', value: domain }]))[0];
    assert.ok(owner);
    return { id: owner.platformId, domain };
  }

  const input = (reference: string, extra: Partial<BlockInput> = {}): BlockInput => ({
    platform: reference,
    domains: [],
    android_apps: [],
    ios_apps: [],
    reason: 'Bán hàng giả mạo nhãn hiệu; không thông báo với Bộ Công Thương.',
    legal_basis: 'Điều 4 Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP)',
    evidence: ['https://evidence.example/capture/1', evidenceId],
    ...extra,
  });

  const statusOf = async (platformId: string) =>
    (await loadPlatformSnapshotsByIds(testApp.database.db, [platformId]))[0]?.status;

  /** A block taken to `active`; returns it with its platform. */
  async function activeBlock(decisionNo: string, status: 'unregistered' | 'notified' = 'unregistered') {
    const target = await platform(status);
    const db = testApp.database;
    const proposed = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input(target.domain));
    await approveBlock(db, LAWYER, proposed.id);
    await decideBlock(db, HEAD, proposed.id, { decision_no: decisionNo, decision_date: daysAgo(0) });
    const block = await activateBlock(db, HEAD, proposed.id);
    return { block, target };
  }

  async function assertConflict(promise: Promise<unknown>, field?: string) {
    await assert.rejects(promise, (error: { code?: string; field?: string }) => {
      assert.equal(error.code, 'conflict');
      if (field) assert.equal(error.field, field);
      return true;
    });
  }

  async function assertInvalid(promise: Promise<unknown>, field: string) {
    await assert.rejects(promise, (error: { code?: string; field?: string }) => {
      assert.equal(error.code, 'invalid_input');
      assert.equal(error.field, field);
      return true;
    });
  }

  /** A real capture of the evidence store (a page served on 127.0.0.1), which requests cite by id. */
  let evidenceId: string;
  let evidenceStore: string;

  before(async () => {
    testApp = await startTestApp();
    evidenceStore = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-blocking-evidence-'));
    const site = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        '<!doctype html><html lang="vi"><body><h1>Hàng hiệu giá rẻ</h1><p>Thêm vào giỏ hàng</p></body></html>',
      );
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    try {
      const captured = await captureEvidence(
        testApp.database.db,
        evidenceStore,
        { actor: 'test:blocking' },
        {
          url: `http://hang-gia-evidence.vn:${port}/`,
          resolve: [`hang-gia-evidence.vn:${port}:127.0.0.1`],
          allowPrivate: true,
        },
      );
      evidenceId = captured.evidenceId;
    } finally {
      await new Promise<void>((resolve) => site.close(() => resolve()));
    }
  });
  after(async () => {
    await testApp.close();
    fs.rmSync(evidenceStore, { recursive: true, force: true });
  });

  describe('the service', () => {
    it('takes a block proposed → approved → decided → active → lifted, audited, and restores the status', async () => {
      const target = await platform('notified');
      const db = testApp.database;
      const proposed = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input(target.domain));
      assert.equal(proposed.status, 'proposed');
      assert.deepEqual(proposed.domains, [target.domain, `m.${target.domain}`]);
      assert.equal(proposed.android_apps.length, 1);
      assert.deepEqual(proposed.evidence, ['https://evidence.example/capture/1', evidenceId]);

      const approved = await approveBlock(db, LAWYER, proposed.id, 'Đủ căn cứ.');
      assert.equal(approved.status, 'approved');
      assert.equal(approved.review_note, 'Đủ căn cứ.');

      const decided = await decideBlock(db, HEAD, proposed.id, {
        decision_no: ' 1234/qđ-bct ',
        decision_date: daysAgo(0),
      });
      assert.equal(decided.status, 'decided');
      assert.equal(decided.decision_no, '1234/QĐ-BCT');
      assert.equal(decided.effective_from, daysAgo(0), 'in effect from the decision date when not given');
      assert.equal(await statusOf(target.id), 'notified');

      const active = await activateBlock(db, HEAD, proposed.id);
      assert.equal(active.status, 'active');
      assert.equal(active.previous_status, 'notified');
      assert.equal(await statusOf(target.id), 'blocked');

      const lifted = await liftBlock(db, HEAD, proposed.id, { reason: 'complied', note: 'Đã gỡ hàng giả.' });
      assert.equal(lifted.status, 'lifted');
      assert.equal(lifted.lift_reason, 'complied');
      assert.equal(await statusOf(target.id), 'notified');

      // Newest first: read oldest first.
      const events = (await listAuditEvents(db.db, { entityType: 'block_request', entityId: proposed.id })).reverse();
      assert.deepEqual(
        events.map((event) => [event.action, event.actor]),
        [
          ['block.propose', 'user:proposer'],
          ['block.approve', 'user:lawyer'],
          ['block.decide', 'user:head'],
          ['block.activate', 'user:head'],
          ['block.lift', 'user:head'],
        ],
      );
    });

    it('returns a request with a reason; the amended request is proposed again', async () => {
      const target = await platform();
      const db = testApp.database;
      const proposed = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input(target.id));
      await assertInvalid(returnBlock(db, LAWYER, proposed.id, '   '), 'reason');
      const returned = await returnBlock(db, LAWYER, proposed.id, 'Thiếu chứng cứ thu thập.');
      assert.equal(returned.status, 'returned');
      assert.equal(returned.returned_reason, 'Thiếu chứng cứ thu thập.');
      // Returned: nothing but amending it.
      await assertConflict(approveBlock(db, LAWYER, proposed.id));
      await assertConflict(decideBlock(db, HEAD, proposed.id, { decision_no: '1/QĐ-BCT', decision_date: daysAgo(0) }));
      const amended = await amendBlock(db, PROPOSER, proposed.id, {
        ...input(target.id),
        domains: [`https://${target.domain}/shop`],
        evidence: ['https://evidence.example/capture/2'],
      });
      assert.equal(amended.status, 'proposed');
      assert.equal(amended.returned_reason, null);
      assert.deepEqual(amended.domains, [target.domain]);
      assert.deepEqual(amended.android_apps, []);
      assert.equal((await approveBlock(db, LAWYER, proposed.id)).status, 'approved');
      const actions = (await listAuditEvents(db.db, { entityType: 'block_request', entityId: proposed.id }))
        .reverse()
        .map((event) => event.action);
      assert.deepEqual(actions, ['block.propose', 'block.return', 'block.amend', 'block.approve']);
    });

    it('refuses every step out of order', async () => {
      const target = await platform();
      const db = testApp.database;
      const { id } = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input(target.domain));
      const decision = { decision_no: '77/QĐ-BCT', decision_date: daysAgo(0) };
      // proposed
      await assertConflict(decideBlock(db, HEAD, id, decision), 'status');
      await assertConflict(activateBlock(db, HEAD, id), 'status');
      await assertConflict(liftBlock(db, HEAD, id, { reason: 'complied' }), 'status');
      await assertConflict(amendBlock(db, PROPOSER, id, input(target.domain)), 'status');
      await approveBlock(db, LAWYER, id);
      // approved
      await assertConflict(approveBlock(db, LAWYER, id), 'status');
      await assertConflict(returnBlock(db, LAWYER, id, 'muộn'), 'status');
      await assertConflict(activateBlock(db, HEAD, id), 'status');
      await assertConflict(liftBlock(db, HEAD, id, { reason: 'expired' }), 'status');
      await decideBlock(db, HEAD, id, decision);
      // decided
      await assertConflict(decideBlock(db, HEAD, id, { ...decision, decision_no: '78/QĐ-BCT' }), 'status');
      await assertConflict(liftBlock(db, HEAD, id, { reason: 'complied' }), 'status');
      await assertConflict(approveBlock(db, LAWYER, id), 'status');
      await activateBlock(db, HEAD, id);
      // active
      await assertConflict(activateBlock(db, HEAD, id), 'status');
      await assertConflict(returnBlock(db, LAWYER, id, 'muộn'), 'status');
      await liftBlock(db, HEAD, id, { reason: 'expired' });
      // lifted
      await assertConflict(liftBlock(db, HEAD, id, { reason: 'expired' }), 'status');
      await assertConflict(activateBlock(db, HEAD, id), 'status');
      await assertConflict(amendBlock(db, PROPOSER, id, input(target.domain)), 'status');
      // An appeal granted is the only way to lift for that reason.
      await assertInvalid(liftBlock(db, HEAD, id, { reason: 'appeal_granted' as 'complied' }), 'reason');
    });

    it('validates the request, the decision number and dates, and allows one open request per platform', async () => {
      const target = await platform();
      const other = await platform();
      const db = testApp.database;
      const author = { context: PROPOSER, unitId: 'idea' };
      await assertInvalid(proposeBlock(db, author, input('no-such-platform.example')), 'platform');
      await assertInvalid(proposeBlock(db, author, input(target.domain, { domains: [other.domain] })), 'domains');
      await assertInvalid(
        proposeBlock(db, author, input(target.domain, { android_apps: ['com.other'] })),
        'android_apps',
      );
      await assertInvalid(proposeBlock(db, author, input(target.domain, { legal_basis: ' ' })), 'legal_basis');
      await assertInvalid(
        proposeBlock(db, author, input(target.domain, { evidence: ['javascript:alert(1)'] })),
        'evidence',
      );
      // An id must be a capture of the evidence store: a made-up one is refused naming its line.
      await assert.rejects(
        proposeBlock(
          db,
          author,
          input(target.domain, { evidence: [evidenceId, '6f1c0d3e-8b8a-4c1e-9a55-0b6f5e8f0a11', 'EV-2026-0001'] }),
        ),
        (error: { code?: string; field?: string; issues?: Array<{ line?: number }> }) => {
          assert.equal(error.code, 'invalid_input');
          assert.equal(error.field, 'evidence');
          assert.deepEqual(
            error.issues?.map((issue) => issue.line),
            [3],
          );
          return true;
        },
      );
      await assertInvalid(
        proposeBlock(db, author, input(target.domain, { evidence: ['6f1c0d3e-8b8a-4c1e-9a55-0b6f5e8f0a11'] })),
        'evidence',
      );
      const { id } = await proposeBlock(db, author, input(target.domain));
      await assertConflict(proposeBlock(db, author, input(`m.${target.domain}`)), 'platform');
      await approveBlock(db, LAWYER, id);
      for (const bad of ['1234', '1234/QĐ', 'QĐ-BCT', '12a/QĐ-BCT', '1234/CV-BCT', '1234/QĐ-']) {
        await assertInvalid(decideBlock(db, HEAD, id, { decision_no: bad, decision_date: daysAgo(0) }), 'decision_no');
      }
      await assertInvalid(
        decideBlock(db, HEAD, id, { decision_no: '9/QĐ-BCT', decision_date: daysAgo(-1) }),
        'decision_date',
      );
      // Not before the legal review it follows.
      await assertInvalid(
        decideBlock(db, HEAD, id, { decision_no: '9/QĐ-BCT', decision_date: daysAgo(1) }),
        'decision_date',
      );
      await assertInvalid(
        decideBlock(db, HEAD, id, { decision_no: '9/QĐ-BCT', decision_date: daysAgo(0), effective_from: daysAgo(1) }),
        'effective_from',
      );
      await assertInvalid(
        decideBlock(db, HEAD, id, {
          decision_no: '9/QĐ-BCT',
          decision_date: daysAgo(0),
          effective_from: daysAgo(-2),
          effective_to: daysAgo(-1),
        }),
        'effective_to',
      );
      // A decision number already recorded for another request.
      const first = await activeBlock('4321/QĐ-BCT');
      assert.equal(first.block.decision_no, '4321/QĐ-BCT');
      await assertConflict(
        decideBlock(db, HEAD, id, { decision_no: '4321/QĐ-BCT', decision_date: daysAgo(0) }),
        'decision_no',
      );
      // Not in effect yet: no activation before the day.
      await decideBlock(db, HEAD, id, {
        decision_no: '4322/QĐ-TMĐT',
        decision_date: daysAgo(0),
        effective_from: daysAgo(-3),
      });
      await assertConflict(activateBlock(db, HEAD, id), 'effective_from');
      assert.equal(await statusOf(target.id), 'unregistered');
    });

    it('lifts blocks whose decision expired, as expired, and leaves the others', async () => {
      const db = testApp.database;
      const target = await platform('notified');
      const { id } = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input(target.domain));
      await approveBlock(db, LAWYER, id);
      await decideBlock(db, HEAD, id, {
        decision_no: '5100/QĐ-BCT',
        decision_date: daysAgo(0),
        effective_to: daysAgo(-2),
      });
      await activateBlock(db, HEAD, id);
      const other = await activeBlock('5101/QĐ-BCT');
      // Two days later, it still holds (it ends that day); three days later, it has expired.
      assert.deepEqual(await liftExpiredBlocks(db, new Date(Date.now() + 2 * 86_400_000)), []);
      const lifted = await liftExpiredBlocks(db, new Date(Date.now() + 3 * 86_400_000));
      assert.deepEqual(lifted, [id]);
      assert.equal(await statusOf(target.id), 'notified');
      assert.equal(await statusOf(other.target.id), 'blocked');
      const last = (await listAuditEvents(db.db, { entityType: 'block_request', entityId: id }))[0];
      assert.equal(last?.actor, 'system:blocking-expiry');
      assert.equal((last?.changes as { reason?: string } | undefined)?.reason, 'expired');
    });

    it('records a decision for a platform imported as blocked; lifting gives it the status before the block', async () => {
      const db = testApp.database;
      const owner = (await findIdentityOwners(db.db, [{ kind: 'domain', value: 'hanghieugiasoc-demo.vn' }]))[0];
      assert.equal(owner?.status, 'blocked');
      const { id } = await proposeBlock(db, { context: PROPOSER, unitId: 'idea' }, input('hanghieugiasoc-demo.vn'));
      await approveBlock(db, LAWYER, id);
      await decideBlock(db, HEAD, id, { decision_no: '5200/QĐ-BCT', decision_date: daysAgo(0) });
      const active = await activateBlock(db, HEAD, id);
      // Imported blocked, with no status before in its history: it was a known platform that had not registered.
      assert.equal(active.previous_status, 'unregistered');
      assert.equal(await statusOf(owner?.platformId as string), 'blocked');
      const entry = await eventually(async () => {
        const json = (await testApp.app.inject({ method: 'GET', url: '/feeds/blocklist.json' })).json() as {
          entries: Array<Record<string, unknown>>;
        };
        const found = json.entries.find((candidate) => candidate.domain === 'hanghieugiasoc-demo.vn');
        assert.equal(found?.decision_no, '5200/QĐ-BCT');
        return found;
      });
      assert.equal(entry?.legal_basis, active.legal_basis);
      await liftBlock(db, HEAD, id, { reason: 'complied' });
      assert.equal(await statusOf(owner?.platformId as string), 'unregistered');
    });

    it('finds the active block covering a domain or its parent, and nothing for others', async () => {
      const { block, target } = await activeBlock('5000/QĐ-BCT');
      assert.equal((await findActiveBlockForDomain(testApp.database.db, target.domain))?.id, block.id);
      assert.equal(
        (await findActiveBlockForDomain(testApp.database.db, `https://a.b.${target.domain}/x`))?.id,
        block.id,
      );
      assert.equal(await findActiveBlockForDomain(testApp.database.db, 'unrelated-domain.vn'), undefined);
      assert.equal(await findActiveBlockForDomain(testApp.database.db, 'not a domain'), undefined);
    });
  });

  it('the public record page of a blocked platform names the decision; proposers get a link to propose a block', async () => {
    const { block } = await activeBlock('3100/QĐ-BCT', 'notified');
    const snapshot = (await loadPlatformSnapshotsByIds(testApp.database.db, [block.platform_id]))[0];
    const record = await testApp.app.inject({ method: 'GET', url: `/r/${snapshot?.registrationNo}` });
    assert.equal(record.statusCode, 200);
    assert.match(record.body, /Nền tảng này đang bị chặn theo Quyết định 3100\/QĐ-BCT/);
    assert.ok(record.body.includes(`href="/blocks/${block.id}"`));
    assert.doesNotMatch(record.body, /data-action="propose-block"/);
    const officer = await loginAs(
      testApp.app,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'idea', role: 'officer' }),
    );
    const asOfficer = await testApp.app.inject({
      method: 'GET',
      url: '/r/DEMO-TMDT-0003',
      headers: { cookie: officer.cookie },
    });
    assert.match(asOfficer.body, /href="\/workbench\/blocks\/new\?platform=[0-9a-f-]{36}" data-action="propose-block"/);
    assert.doesNotMatch(asOfficer.body, /đang bị chặn theo Quyết định/);
  });

  it('lists block requests on the command line, by status, as text or JSON', async () => {
    const { block } = await activeBlock('3000/QĐ-BCT');
    const text = await runCliInProcess(testApp.database, registerBlockingCli, ['blocks', 'list', '--status', 'active']);
    assert.equal(text.code, 0);
    assert.match(text.stdout, new RegExp(`${block.id}  active`));
    assert.match(text.stdout, /3000\/QĐ-BCT of \d{2}\/\d{2}\/\d{4}/);
    const json = await runCliInProcess(testApp.database, registerBlockingCli, ['--json', 'blocks', 'list']);
    const rows = JSON.parse(json.stdout) as Array<{ id: string; decision_no: string | null }>;
    assert.equal(rows.find((row) => row.id === block.id)?.decision_no, '3000/QĐ-BCT');
    const bad = await runCliInProcess(testApp.database, registerBlockingCli, ['blocks', 'list', '--status', 'x']);
    assert.equal(bad.code, 2);
  });

  describe('appeals', () => {
    it('gives an appeal the acceptance deadline of the table of procedures, and follows a change of the table', async () => {
      const { block } = await activeBlock('6000/QĐ-BCT');
      const db = testApp.database;
      const calendar = await loadWorkingCalendar(db.db);
      const now = new Date();
      const appeal = await fileAppeal(db, { actor: 'anonymous' }, block.id, {
        name: 'Nguyễn Văn A',
        email: 'A@Example.VN',
        decision_no: '6000/QĐ-BCT',
        grounds: 'Trang web của tôi đã gỡ hàng vi phạm.',
      });
      assert.match(appeal.reference, /^KN-\d{4}-[A-Z0-9]{8}$/);
      assert.equal(appeal.email, 'a@example.vn');
      assert.equal(appeal.acceptance_due_on, addWorkingDays(calendar, todayInVietnam(now), 10));

      await setProcedure(db, { actor: 'user:admin' }, 'appeal_acceptance', { workingDays: 5 });
      try {
        const second = await fileAppeal(db, { actor: 'anonymous' }, block.id, {
          name: 'Trần Thị B',
          email: 'b@example.vn',
          decision_no: '6000/qđ-bct',
          grounds: 'Khiếu nại.',
        });
        assert.equal(second.acceptance_due_on, addWorkingDays(calendar, todayInVietnam(now), 5));
        assert.notEqual(second.acceptance_due_on, appeal.acceptance_due_on);
      } finally {
        await setProcedure(db, { actor: 'user:admin' }, 'appeal_acceptance', { workingDays: 10 });
      }

      const accepted = await acceptAppeal(db, LAWYER, appeal.id);
      assert.equal(accepted.status, 'accepted');
      assert.equal(accepted.resolution_due_on, addWorkingDays(calendar, todayInVietnam(), 30));
      await assertConflict(acceptAppeal(db, LAWYER, appeal.id), 'status');
      const events = (await listAuditEvents(db.db, { entityType: 'block_appeal', entityId: appeal.id })).reverse();
      assert.deepEqual(
        events.map((event) => event.action),
        ['appeal.file', 'appeal.accept'],
      );
      // The appellant's name and address are not in the append-only trail.
      assert.doesNotMatch(JSON.stringify(events), /Nguyễn|example\.vn/);
    });

    it('refuses appeals of the wrong decision, of lifted blocks, and out-of-order handling', async () => {
      const { block } = await activeBlock('6100/QĐ-BCT');
      const db = testApp.database;
      const good = { name: 'C', email: 'c@example.vn', decision_no: '6100/QĐ-BCT', grounds: 'Lý do.' };
      await assertInvalid(
        fileAppeal(db, { actor: 'anonymous' }, block.id, { ...good, decision_no: '1/QĐ-BCT' }),
        'decision_no',
      );
      await assertInvalid(
        fileAppeal(db, { actor: 'anonymous' }, block.id, { ...good, email: 'not-an-email' }),
        'email',
      );
      await assertInvalid(fileAppeal(db, { actor: 'anonymous' }, block.id, { ...good, grounds: ' ' }), 'grounds');
      const appeal = await fileAppeal(db, { actor: 'anonymous' }, block.id, good);
      await assertConflict(grantAppeal(db, HEAD, appeal.id, 'chưa thụ lý'), 'status');
      const rejected = await rejectAppeal(db, LAWYER, appeal.id, 'Không thuộc thẩm quyền.');
      assert.equal(rejected.status, 'rejected');
      await assertConflict(rejectAppeal(db, LAWYER, appeal.id, 'lần hai'), 'status');
      await assertConflict(acceptAppeal(db, LAWYER, appeal.id), 'status');
      await liftBlock(db, HEAD, block.id, { reason: 'complied' });
      await assertConflict(fileAppeal(db, { actor: 'anonymous' }, block.id, good), 'decision_no');
    });

    it('an appeal granted lifts the block (appeal granted) and restores the platform', async () => {
      const { block, target } = await activeBlock('6200/QĐ-BCT', 'notified');
      const db = testApp.database;
      const appeal = await fileAppeal(db, { actor: 'anonymous' }, block.id, {
        name: 'D',
        email: 'd@example.vn',
        decision_no: '6200/QĐ-BCT',
        grounds: 'Nhầm nền tảng.',
      });
      await acceptAppeal(db, HEAD, appeal.id);
      const granted = await grantAppeal(db, HEAD, appeal.id, 'Khiếu nại đúng.');
      assert.equal(granted.status, 'granted');
      assert.equal(await statusOf(target.id), 'notified');
      const lifted = (await listAuditEvents(db.db, { entityType: 'block_request', entityId: block.id }))[0];
      assert.equal(lifted?.action, 'block.lift');
      assert.equal((lifted?.changes as { reason?: string } | undefined)?.reason, 'appeal_granted');
    });
  });

  describe('feeds', () => {
    it('carry the decision number, legal basis and effective dates of the active block, and drop them when lifted', async () => {
      const { block, target } = await activeBlock('7000/QĐ-BCT');
      const get = (url: string) => testApp.app.inject({ method: 'GET', url });
      const entry = await eventually(async () => {
        const json = (await get('/feeds/blocklist.json')).json() as { entries: Array<Record<string, unknown>> };
        const found = json.entries.find((candidate) => candidate.domain === target.domain);
        assert.ok(found, 'the domain is in the feed');
        return found;
      });
      assert.equal(entry.decision_no, '7000/QĐ-BCT');
      assert.equal(entry.legal_basis, block.legal_basis);
      assert.equal(entry.effective_from, block.effective_from);
      assert.equal(entry.effective_to, null);
      const csv = (await get('/feeds/blocklist.csv')).body;
      const line = csv.split('\n').find((row) => row.startsWith(`${target.domain},`));
      assert.ok(line?.includes('7000/QĐ-BCT'), line);
      assert.ok(line?.includes(block.effective_from ?? 'x'), line);

      await liftBlock(testApp.database, HEAD, block.id, { reason: 'complied' });
      await eventually(async () => {
        const json = (await get('/feeds/blocklist.json')).json() as { entries: Array<Record<string, unknown>> };
        assert.equal(
          json.entries.some((candidate) => candidate.domain === target.domain),
          false,
        );
      });
    });
  });

  describe('public pages', () => {
    let active: { block: Block; target: { id: string; domain: string } };
    before(async () => {
      active = await activeBlock('8000/QĐ-BCT');
    });

    it('shows an active block in Vietnamese and English with its decision, basis, domains and the appeal form', async () => {
      const vi = await testApp.app.inject({ method: 'GET', url: `/blocks/${active.block.id}` });
      assert.equal(vi.statusCode, 200);
      assert.match(vi.body, /<html lang="vi">/);
      assert.match(vi.body, /Quyết định chặn 8000\/QĐ-BCT/);
      assert.match(vi.body, /Nghị định 52\/2013\/NĐ-CP/);
      assert.ok(vi.body.includes(active.target.domain));
      assert.match(vi.body, /Cách khiếu nại/);
      assert.match(vi.body, /10 ngày làm việc/);
      assert.match(vi.body, /Luật Khiếu nại số 02\/2011\/QH13, Điều 27/);
      assert.match(vi.body, /action="\/blocks\/[0-9a-f-]+\/appeals#appeal-form"/);
      assert.match(vi.body, /name="_csrf" value="[^"]+"/);
      const en = await testApp.app.inject({ method: 'GET', url: `/blocks/${active.block.id}?lang=en` });
      assert.match(en.body, /<html lang="en">/);
      assert.match(en.body, /Blocking decision 8000\/QĐ-BCT/);
      assert.match(en.body, /How to appeal/);
      assert.match(en.body, /within 10 working days/);
    });

    it('answers a request not yet active, or no request, with a friendly 404 page', async () => {
      const target = await platform();
      const proposed = await proposeBlock(
        testApp.database,
        { context: PROPOSER, unitId: 'idea' },
        input(target.domain),
      );
      for (const url of [`/blocks/${proposed.id}`, '/blocks/00000000-0000-4000-8000-000000000000', '/blocks/x']) {
        const response = await testApp.app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 404, url);
        assert.match(response.body, /Không tìm thấy quyết định chặn/);
      }
    });

    it('the landing page finds the block of a blocked domain or its parent; other domains get a 404 page', async () => {
      const sub = await testApp.app.inject({
        method: 'GET',
        url: `/blocked?domain=${encodeURIComponent(`shop.${active.target.domain}`)}`,
      });
      assert.equal(sub.statusCode, 200);
      assert.match(sub.body, /Trang web này đã bị chặn/);
      assert.match(sub.body, /8000\/QĐ-BCT/);
      assert.ok(sub.body.includes(`href="/blocks/${active.block.id}#appeal-form"`));
      const en = await testApp.app.inject({ method: 'GET', url: `/blocked?domain=${active.target.domain}&lang=en` });
      assert.match(en.body, /This site is blocked/);
      const none = await testApp.app.inject({ method: 'GET', url: '/blocked?domain=shopee.vn' });
      assert.equal(none.statusCode, 404);
      assert.match(none.body, /Không tìm thấy quyết định chặn nào đang có hiệu lực đối với shopee\.vn/);
      const empty = await testApp.app.inject({ method: 'GET', url: '/blocked' });
      assert.equal(empty.statusCode, 404);
    });

    it('takes an appeal with the form (CSRF), shows its status by reference, and refuses a form without a token', async () => {
      const form = await anonymousForm(testApp.app);
      const fields = {
        name: 'Lê Văn E',
        email: 'e@example.vn',
        decision_no: '8000/QĐ-BCT',
        grounds: 'Tôi là chủ website và đã khắc phục.',
      };
      const post = (body: Record<string, string>, cookie = form.cookie) =>
        testApp.app.inject({
          method: 'POST',
          url: `/blocks/${active.block.id}/appeals`,
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
          payload: formBody(body),
        });
      const forged = await post(fields, '');
      assert.equal(forged.statusCode, 403);
      const wrong = await post({ ...fields, decision_no: '1/QĐ-BCT', _csrf: form.csrf });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Số quyết định bị khiếu nại phải là 8000\/QĐ-BCT/);
      assert.ok(wrong.body.includes('Lê Văn E'), 'what was typed is shown again');
      const filed = await post({ ...fields, _csrf: form.csrf });
      assert.equal(filed.statusCode, 303);
      const location = String(filed.headers.location);
      assert.match(location, /^\/appeals\/KN-\d{4}-[A-Z0-9]{8}\?filed=1$/);
      const status = await testApp.app.inject({ method: 'GET', url: location });
      assert.equal(status.statusCode, 200);
      assert.match(status.body, /Đã tiếp nhận/);
      assert.match(status.body, /Hạn thụ lý/);
      const calendar = await loadWorkingCalendar(testApp.database.db);
      const due = addWorkingDays(calendar, todayInVietnam(), 10).split('-').reverse().join('/');
      assert.ok(status.body.includes(due), due);
      assert.doesNotMatch(status.body, /e@example\.vn/);
      const en = await testApp.app.inject({ method: 'GET', url: `${location.split('?')[0]}?lang=en` });
      assert.match(en.body, /To be accepted by/);
      const unknown = await testApp.app.inject({ method: 'GET', url: '/appeals/KN-2026-AAAAAAAA' });
      assert.equal(unknown.statusCode, 404);
    });

    it('answers a request whose Host is a blocked name (the walled garden) with its landing page', async () => {
      const garden = await startTestApp({
        env: { BLOCKLIST_LANDING_HOST: 'canhbao.example.vn', PORTAL_URL: 'https://portal.example.vn' },
      });
      try {
        const db = garden.database;
        await importRegistryRows(
          db,
          [registryRow({ name: 'Vườn', status: 'unregistered', domains: ['vuon-e2e.vn'] })],
          {
            actor: 'test',
          },
        );
        // Another database: the evidence store's capture is not there, so this request cites an address only.
        const { id } = await proposeBlock(
          db,
          { context: PROPOSER, unitId: 'idea' },
          input('vuon-e2e.vn', { evidence: ['https://evidence.example/capture/1'] }),
        );
        await approveBlock(db, LAWYER, id);
        await decideBlock(db, HEAD, id, { decision_no: '8100/QĐ-BCT', decision_date: daysAgo(0) });
        await activateBlock(db, HEAD, id);
        const landed = await garden.app.inject({
          method: 'GET',
          url: '/san-pham/1',
          headers: { host: 'www.vuon-e2e.vn' },
        });
        assert.equal(landed.statusCode, 200);
        assert.match(landed.body, /Trang web này đã bị chặn/);
        assert.match(landed.body, /8100\/QĐ-BCT/);
        for (const host of ['portal.example.vn', 'canhbao.example.vn', 'shopee.vn', 'localhost:3000', '127.0.0.1']) {
          const own = await garden.app.inject({ method: 'GET', url: '/api/v1/health', headers: { host } });
          assert.equal(own.statusCode, 200, host);
          assert.equal(own.json().status, 'ok', host);
        }
      } finally {
        await garden.close();
      }
    });

    it('rate-limits the public pages and appeals when configured', async () => {
      const limited = await startTestApp({ demo: false, env: { BLOCKS_RATE_LIMIT: 2, APPEALS_RATE_LIMIT: 1 } });
      try {
        const codes: number[] = [];
        for (let index = 0; index < 3; index++) {
          codes.push((await limited.app.inject({ method: 'GET', url: '/blocked?domain=a.vn' })).statusCode);
        }
        assert.deepEqual(codes, [404, 404, 429]);
        // One appeal an hour from an address: the second is refused before the form is read.
        const appeal = () =>
          limited.app.inject({
            method: 'POST',
            url: '/blocks/00000000-0000-4000-8000-000000000000/appeals',
            remoteAddress: '192.0.2.77',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'name=x',
          });
        assert.notEqual((await appeal()).statusCode, 429);
        assert.equal((await appeal()).statusCode, 429);
      } finally {
        await limited.close();
      }
    });
  });

  describe('the workbench', () => {
    let officer: TestSession;
    let lawyer: TestSession;
    let head: TestSession;
    let legalHead: TestSession;

    before(async () => {
      const db = testApp.database;
      officer = await loginAs(
        testApp.app,
        await createAccount(db, { kind: 'officer', unitId: 'idea', role: 'officer' }),
      );
      lawyer = await loginAs(
        testApp.app,
        await createAccount(db, { kind: 'officer', unitId: 'legal', role: 'officer' }),
      );
      head = await loginAs(testApp.app, await createAccount(db, { kind: 'officer', unitId: 'idea', role: 'head' }));
      legalHead = await loginAs(
        testApp.app,
        await createAccount(db, { kind: 'officer', unitId: 'legal', role: 'head' }),
      );
    });

    const post = (session: TestSession, url: string, fields: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url,
        headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: formBody({ ...fields, _csrf: session.csrf }),
      });
    const get = (session: TestSession, url: string) =>
      testApp.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });

    it('takes a block through every step with the forms of the roles allowed, and refuses the others', async () => {
      const target = await platform();
      const form = await get(officer, `/workbench/blocks/new?platform=${target.domain}`);
      assert.equal(form.statusCode, 200);
      assert.ok(form.body.includes(`value="${target.domain}"`));
      assert.equal((await get(lawyer, '/workbench/blocks/new')).statusCode, 403);

      const invalid = await post(officer, '/workbench/blocks', {
        platform: target.domain,
        reason: '',
        legal_basis: '',
      });
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.body, /error-summary/);

      const proposed = await post(officer, '/workbench/blocks', {
        platform: target.domain,
        domains: target.domain,
        reason: 'Bán hàng giả.',
        legal_basis: 'Điều 4 Nghị định 52/2013/NĐ-CP',
        evidence: 'https://evidence.example/x',
      });
      assert.equal(proposed.statusCode, 303);
      const url = String(proposed.headers.location).split('?')[0] as string;
      assert.match(url, /^\/workbench\/blocks\/[0-9a-f-]{36}$/);

      // The officer may not review; the lawyer sees the review forms.
      assert.equal((await post(officer, `${url}/approve`, {})).statusCode, 403);
      const page = await get(lawyer, url);
      assert.match(page.body, /data-action="approve"/);
      assert.match(page.body, /data-action="return"/);
      assert.doesNotMatch(page.body, /data-action="decide"/);
      assert.equal((await post(lawyer, `${url}/return`, { reason: '' })).statusCode, 400);
      assert.equal((await post(lawyer, `${url}/return`, { reason: 'Cần thêm chứng cứ.' })).statusCode, 303);
      const returned = await get(officer, url);
      assert.match(returned.body, /Cần thêm chứng cứ\./);
      assert.match(returned.body, /data-action="amend"/);
      const amended = await post(officer, `${url}/amend`, {
        domains: `${target.domain}\nm.${target.domain}`,
        reason: 'Bán hàng giả; đã thu thập chứng cứ.',
        legal_basis: 'Điều 4 Nghị định 52/2013/NĐ-CP',
        evidence: `https://evidence.example/x\n${evidenceId}`,
      });
      assert.equal(amended.statusCode, 303);
      // The capture it cites links to the evidence item, with what was captured and the WARC's hash.
      const cited = await get(lawyer, url);
      assert.match(cited.body, new RegExp(`href="/workbench/evidence/${evidenceId}"`));
      assert.match(cited.body, /hang-gia-evidence\.vn/);
      assert.match(cited.body, /SHA-256 \(WARC\) <code>[0-9a-f]{64}<\/code>/);
      assert.equal((await post(legalHead, `${url}/approve`, { note: 'Đồng ý.' })).statusCode, 303);

      // Only the Agency's heads decide, activate and lift.
      const decision = { decision_no: '9100/QĐ-BCT', decision_date: daysAgo(0).split('-').reverse().join('/') };
      assert.equal((await post(officer, `${url}/decide`, decision)).statusCode, 403);
      assert.equal((await post(lawyer, `${url}/decide`, decision)).statusCode, 403);
      const bad = await post(head, `${url}/decide`, { ...decision, decision_no: '9100' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /1234\/QĐ-BCT/);
      assert.equal((await post(head, `${url}/decide`, decision)).statusCode, 303);
      assert.equal((await post(officer, `${url}/activate`, {})).statusCode, 403);
      assert.equal((await post(head, `${url}/activate`, {})).statusCode, 303);
      assert.equal(await statusOf(target.id), 'blocked');
      const wrongStep = await post(head, `${url}/approve`, {});
      assert.equal(wrongStep.statusCode, 403);

      const api = (await get(lawyer, '/api/v1/admin/blocks?status=active')).json() as Array<{
        id: string;
        decision_no: string;
      }>;
      assert.equal(api.find((row) => row.id === url.split('/').at(-1))?.decision_no, '9100/QĐ-BCT');
      const one = await get(head, `/api/v1/admin/blocks/${url.split('/').at(-1)}`);
      assert.equal((one.json() as { status: string }).status, 'active');
      const openapi = (await testApp.app.inject({ url: '/api/openapi.json' })).json() as {
        paths: Record<string, unknown>;
      };
      assert.ok(openapi.paths['/api/v1/admin/blocks/{id}']);
      const list = await get(lawyer, '/workbench/blocks?status=active');
      assert.equal(list.statusCode, 200);
      assert.ok(list.body.includes(target.domain));
      assert.doesNotMatch(
        (await get(lawyer, '/workbench/blocks?status=proposed')).body,
        new RegExp(`>${target.domain}<`),
      );

      // An appeal handled on the workbench: accepted, then granted: the block is lifted.
      const appeal = await fileAppeal(testApp.database, { actor: 'anonymous' }, url.split('/').at(-1) as string, {
        name: 'F',
        email: 'f@example.vn',
        decision_no: '9100/QĐ-BCT',
        grounds: 'Khiếu nại.',
      });
      const appeals = await get(lawyer, '/workbench/appeals');
      assert.ok(appeals.body.includes(appeal.reference));
      assert.equal((await post(officer, `/workbench/appeals/${appeal.id}/accept`, {})).statusCode, 403);
      assert.equal((await post(lawyer, `/workbench/appeals/${appeal.id}/accept`, {})).statusCode, 303);
      assert.equal((await post(lawyer, `/workbench/appeals/${appeal.id}/accept`, {})).statusCode, 409);
      assert.equal((await post(head, `/workbench/appeals/${appeal.id}/grant`, { reason: 'Đúng.' })).statusCode, 303);
      assert.equal(await statusOf(target.id), 'unregistered');
      const final = await get(head, url);
      assert.match(final.body, /Khiếu nại được chấp nhận/);
      assert.match(final.body, /Gỡ chặn/);
    });
  });
});

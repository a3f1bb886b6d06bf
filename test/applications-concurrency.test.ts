import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type pg from 'pg';
import type { Database } from '../src/core/db.ts';
import { isAppError } from '../src/core/errors.ts';
import { parseApplicationForm } from '../src/modules/applications/applications.schemas.ts';
import type { Applicant, ApplicationsContext } from '../src/modules/applications/applications.service.ts';
import { checkApplicationDomains, fileApplication } from '../src/modules/applications/filing.service.ts';
import { createApplicationsContext } from '../src/modules/applications/index.ts';
import { changeRegistrationStatus } from '../src/modules/applications/registration.service.ts';
import { approveApplication, rejectApplication } from '../src/modules/applications/review.service.ts';
import { createAccount, randomTaxCode } from './support/auth.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/**
 * Two officers acting on the same application or registration at the same moment. The embedded database has one
 * connection, so their transactions cannot overlap there: these run on the PostgreSQL server only.
 */
describe('decisions made at the same moment', { skip: testDatabaseKind !== 'postgres' }, () => {
  let database: Database;
  let context: ApplicationsContext;
  let applicant: Applicant;
  const txt = new Map<string, string[][]>();
  const officer = { actor: 'test:officer-a' };
  const otherOfficer = { actor: 'test:officer-b' };

  before(async () => {
    database = await createTestDatabase();
    const taxCode = randomTaxCode();
    const account = await createAccount(database, { kind: 'business', taxCode });
    applicant = {
      accountId: account.id,
      organisationId: account.organisationId as string,
      organisationTaxCode: taxCode,
    };
    context = createApplicationsContext(database, {
      log: { warn() {}, info() {} },
      domainCheck: {
        dns: true,
        lookup: async (hostname) => {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
        },
        resolveTxt: async (domain) => txt.get(domain) ?? [],
      },
    });
  });
  after(async () => {
    await database?.close();
  });

  /** A submitted application of `domain` with its domain proved, ready for a decision. */
  async function provedApplication(domain: string): Promise<string> {
    const filed = await fileApplication(
      context,
      applicant,
      parseApplicationForm({
        kind: 'sales',
        site_name: `Cửa hàng ${domain}`,
        org_name: 'Công ty Thử Nghiệm',
        tax_code: applicant.organisationTaxCode,
        country: 'VN',
        head_office_address: '1 Lý Thường Kiệt, Hà Nội',
        responsible_person: 'Nguyễn Văn An',
        responsible_phone: '0912 345 678',
        contact_email: `shop@${domain}`,
        primary_domain: domain,
        goods_categories: 'Sách',
      }),
      { actor: 'test:business' },
    );
    txt.set(domain, [[`ecomgov-verification=${filed.verification_token}`]]);
    const checked = await checkApplicationDomains(context, filed.id, officer);
    assert.equal(checked.application.domains[0]?.verified, true);
    return filed.id;
  }

  /** Holds `table`'s row `id` locked from a connection of its own until `release` is called. */
  async function holdRow(table: 'applications' | 'platforms', id: string) {
    const client: pg.PoolClient = await database.pool.connect();
    await client.query('BEGIN');
    await client.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE`, [id]);
    return {
      async release() {
        await client.query('COMMIT');
        client.release();
      },
    };
  }

  /** Waits until `count` transactions of this database wait for a lock: the decisions have reached the row. */
  async function waitForLockWaiters(count: number): Promise<void> {
    for (let attempt = 0; attempt < 500; attempt++) {
      const result = await database.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
      );
      if ((result.rows[0]?.n ?? 0) >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.fail(`${count} transaction(s) never waited for the row`);
  }

  /** Starts the actions one after the other, each once the previous one waits for the held row; then lets them go. */
  async function raceOn(table: 'applications' | 'platforms', id: string, actions: Array<() => Promise<unknown>>) {
    const held = await holdRow(table, id);
    const outcomes: Array<Promise<unknown>> = [];
    for (const [index, action] of actions.entries()) {
      outcomes.push(action());
      await waitForLockWaiters(index + 1);
    }
    await held.release();
    return Promise.allSettled(outcomes);
  }

  function isConflict(outcome: PromiseSettledResult<unknown>): boolean {
    return outcome.status === 'rejected' && isAppError(outcome.reason) && outcome.reason.code === 'conflict';
  }

  it('approves or rejects an application once: the second decision is a conflict', async () => {
    const id = await provedApplication('cung-luc.vn');
    const [approval, rejection] = await raceOn('applications', id, [
      () => approveApplication(context, id, '', officer),
      () => rejectApplication(context, id, 'Hồ sơ không đạt', otherOfficer),
    ]);
    assert.equal(approval?.status, 'fulfilled', String((approval as PromiseRejectedResult).reason));
    assert.ok(rejection && isConflict(rejection), String((rejection as PromiseRejectedResult).reason));
    const row = await database.db
      .selectFrom('applications')
      .select(['status', 'decided_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'approved', decided_by: officer.actor });
    const decisions = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_id', '=', id)
      .where('action', 'in', ['application.approve', 'application.reject'])
      .execute();
    assert.deepEqual(
      decisions.map((event) => event.action),
      ['application.approve'],
    );
  });

  it('does not let a reinstatement undo a cancellation made at the same moment', async () => {
    const id = await provedApplication('thu-hoi-cung-luc.vn');
    const approved = await approveApplication(context, id, '', officer);
    const platformId = approved.platform_id as string;
    const details = {
      reason: 'Bán hàng giả',
      legalBasis: 'Nghị định 52/2013/NĐ-CP (sửa đổi bởi Nghị định 85/2021/NĐ-CP)',
      grounds: ['prohibited_acts'],
    };
    await changeRegistrationStatus(context, platformId, 'suspend', details, officer);

    const [revocation, reinstatement] = await raceOn('platforms', platformId, [
      () => changeRegistrationStatus(context, platformId, 'cancel', details, officer),
      () => changeRegistrationStatus(context, platformId, 'reinstate', details, otherOfficer),
    ]);
    assert.equal(revocation?.status, 'fulfilled', String((revocation as PromiseRejectedResult).reason));
    assert.ok(reinstatement && isConflict(reinstatement), `the reinstatement was ${reinstatement?.status}`);
    const platform = await database.db
      .selectFrom('platforms')
      .select('status')
      .where('id', '=', platformId)
      .executeTakeFirstOrThrow();
    assert.equal(platform.status, 'revoked');
  });
});

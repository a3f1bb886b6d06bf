import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../src/core/db.ts';
import { parseApplicationForm } from '../src/modules/applications/applications.schemas.ts';
import { fileApplication } from '../src/modules/applications/filing.service.ts';
import { createApplicationsContext, registerApplicationsCli } from '../src/modules/applications/index.ts';
import { importRegistryRows } from '../src/modules/registry/registry.service.ts';
import { startTestSites, type TestSites } from './support/applications.ts';
import { createAccount } from './support/auth.ts';
import { type CliRun, runCliInProcess } from './support/cli.ts';
import { createTestDatabase, testDatabaseKind } from './support/database.ts';

/** Runs `ecomgov …` in process on the test database with the applications commands. */
function run(database: Database, args: string[]): Promise<CliRun> {
  return runCliInProcess(database, registerApplicationsCli, args);
}

describe(`ecomgov applications and ecomgov badge (${testDatabaseKind})`, () => {
  let database: Database;
  let sites: TestSites;
  let applicationId: string;
  let token: string;

  before(async () => {
    database = await createTestDatabase();
    sites = await startTestSites();
    await importRegistryRows(
      database,
      [
        {
          line: 2,
          registrationNo: 'DK-2026-09999',
          name: 'Sàn Thử',
          kind: 'marketplace',
          status: 'registered',
          crossBorder: false,
          domains: ['san-thu.vn'],
          androidApps: [],
          iosApps: [],
          orgName: null,
          taxCode: null,
          validUntil: '2030-12-31',
          legacyId: 'WebDetails/4242',
        },
      ],
      { actor: 'test' },
    );
    const business = await createAccount(database, { kind: 'business', taxCode: '0106773786' });
    const context = createApplicationsContext(database, {
      mailer: { delivers: false, send: async () => {}, close() {} },
      log: { warn() {} },
    });
    const filed = await fileApplication(
      context,
      { accountId: business.id, organisationId: business.organisationId as string, organisationTaxCode: '0106773786' },
      parseApplicationForm({
        kind: 'sales',
        site_name: 'Cửa Hàng Dòng Lệnh',
        org_name: 'Công ty Dòng Lệnh',
        tax_code: '0106773786',
        head_office_address: 'Hà Nội',
        responsible_person: 'Ngô Văn Lệnh',
        responsible_phone: '0987654321',
        contact_email: 'lenh@example.vn',
        primary_domain: 'dong-lenh.vn',
        goods_categories: 'Phần mềm',
      }),
      { actor: 'test' },
    );
    applicationId = filed.id;
    token = filed.verification_token;
  });
  after(async () => {
    await database.close();
    await sites.close();
  });

  it('verifies a badge by registration number and by old-portal record', async () => {
    const valid = await run(database, ['badge', 'verify', 'DK-2026-09999', 'https://m.san-thu.vn/', '--json']);
    assert.equal(valid.code, 0);
    assert.deepEqual(
      [JSON.parse(valid.stdout).valid, JSON.parse(valid.stdout).reason, JSON.parse(valid.stdout).domain],
      [true, 'valid', 'm.san-thu.vn'],
    );
    const copied = await run(database, ['badge', 'verify', 'DK-2026-09999', 'copy.vn']);
    assert.match(copied.stdout, /^INVALID: domain_not_covered/);
    const legacy = await run(database, ['badge', 'verify', 'WebDetails/4242', 'san-thu.vn', '--json']);
    assert.equal(JSON.parse(legacy.stdout).valid, true);
  });

  it('exits 2 naming the field when the domain is not a host name', async () => {
    const result = await run(database, ['badge', 'verify', 'DK-2026-09999', 'not a host']);
    assert.equal(result.code, 2);
    assert.equal(result.error?.field, 'domain');
  });

  it('lists the review queue with deadlines', async () => {
    const result = await run(database, ['applications', 'list', '--json']);
    assert.equal(result.code, 0);
    const listed = JSON.parse(result.stdout) as {
      total: number;
      applications: Array<{ id: string; domains_proved: string }>;
    };
    assert.equal(listed.total, 1);
    assert.deepEqual(
      listed.applications.map((item) => [item.id, item.domains_proved]),
      [[applicationId, '0/1']],
    );
    assert.equal((await run(database, ['applications', 'list', '--status', 'pending'])).code, 2);
  });

  it('checks an application’s domains, refusing a private address unless --allow-private is given', async () => {
    sites.tokens.set('dong-lenh.vn', token);
    const resolve = `dong-lenh.vn:${sites.port}:127.0.0.1`;
    // --no-dns: no query leaves the machine for this made-up domain.
    const args = [
      'applications',
      'check-domains',
      applicationId,
      '--resolve',
      resolve,
      '--http',
      '--port',
      String(sites.port),
      '--no-dns',
    ];
    const refused = await run(database, [...args, '--json']);
    assert.equal(refused.code, 0);
    assert.equal(JSON.parse(refused.stdout)[0].verified, false);
    assert.match(JSON.parse(refused.stdout)[0].detail, /not a public Internet address; refused/);
    const allowed = await run(database, [...args, '--allow-private']);
    assert.match(allowed.stdout, /dong-lenh\.vn: proved \(http\)/);
  });

  it('computes a review deadline across Tết', async () => {
    const result = await run(database, [
      'applications',
      'deadline',
      '--received',
      '2025-01-24T15:00:00+07:00',
      '--json',
    ]);
    assert.equal(JSON.parse(result.stdout).due_on, '2025-02-05');
    assert.equal((await run(database, ['applications', 'deadline', '--received', 'yesterday'])).code, 2);
  });
});

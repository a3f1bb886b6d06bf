/// <reference lib="dom" />
/**
 * Every form of the portal as its users see it, in headless Chromium, for a look after each change:
 *   npx tsx scripts/screenshots.ts [--out DIR] [--only NAME[,NAME…]]   (npm run screenshots -- --only signup)
 * The app runs in process on a fresh PGlite database with the demo register and directives; each page of PAGES is
 * shot as it loads, then after each of its submissions (empty or with invalid values, so the error summary and the
 * field errors show), in Vietnamese and English, on a phone and a desktop: `<name>-<state>-<lang>-<viewport>.png`.
 * A page that answers other than 200, or scrolls sideways on a phone, is reported on stderr (the exit code stays 0:
 * the pictures are what to look at).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { fileOrganisationClaim } from '../src/modules/accounts/organisations.service.ts';
import { loadDemoAdvisories } from '../src/modules/advisories/index.ts';
import { advanceCase, createCase, linkToCase } from '../src/modules/cases/cases.service.ts';
import { listOverdueTargets, submitComplaint } from '../src/modules/complaints/complaints.service.ts';
import { loadDemoDirectives } from '../src/modules/directives/index.ts';
import { startTestApp, type TestApp } from '../test/support/app.ts';
import { createAccount, loginAs, randomTaxCode, type TestSession } from '../test/support/auth.ts';
import { launchBrowser, VIEWPORTS } from '../test/support/browser.ts';

/** `claimant`: a business whose organisation is not verified yet. */
/** `task-officer`: an officer of the unit that owns `Fixtures.taskId` (the demo's idea tasks are all closed). */
type Who = 'public' | 'business' | 'claimant' | 'officer' | 'head' | 'admin' | 'task-officer' | 'inspector';

/** What the pages need that only exists once the app runs: ids made while setting up. */
interface Fixtures {
  applicationId: string;
  claimId: string;
  taskId: string;
  /** A registered marketplace of the business, which owes annual reports. */
  marketplaceId: string;
  /** The public id of a published decision (a demo warning). */
  decisionId: string;
  /** An inspection case at its report step, with a platform linked. */
  caseId: string;
  /** An open finding of the monitor (a fictional shop). */
  findingId: string;
}

interface Submission {
  /** Part of the file name: `<name>-<state>-…`. */
  state: string;
  /** The form to submit (CSS selector). */
  form: string;
  /** Values to type first, by CSS selector; the other fields stay as the page left them. */
  fill?: Record<string, string>;
}

interface PageRow {
  name: string;
  who: Who;
  path: string | ((fixtures: Fixtures) => string);
  /** Each starts again from the freshly loaded page. */
  submits: Submission[];
}

/** One row per form page; a new module adds its forms here. */
const PAGES: PageRow[] = [
  {
    name: 'login',
    who: 'public',
    path: '/login',
    submits: [
      {
        state: 'error',
        form: 'form[action="/login"]',
        fill: { '#email': 'sai-mat-khau@shots.example', '#password': 'không phải mật khẩu' },
      },
    ],
  },
  {
    name: 'signup',
    who: 'public',
    path: '/signup',
    submits: [
      { state: 'error', form: 'form[action="/signup"]', fill: { '#tax_code': '123', '#email': 'không-phải-email' } },
    ],
  },
  {
    name: 'account',
    // Businesses have no two-step verification section; an officer without it sees the enrolment form.
    who: 'officer',
    path: '/account',
    submits: [
      { state: 'error-password', form: 'form[action="/account/password"]' },
      { state: 'error-totp', form: 'form[action="/account/totp/start"]' },
    ],
  },
  {
    name: 'admin-accounts',
    who: 'admin',
    path: '/admin/accounts',
    submits: [
      {
        state: 'error',
        form: 'form[action="/admin/accounts/officers"]',
        fill: { '#officer-email': 'không-phải-email' },
      },
    ],
  },
  {
    name: 'filing',
    who: 'business',
    path: '/business/applications/new',
    submits: [{ state: 'error', form: 'main form[method="post"]' }],
  },
  {
    name: 'review',
    who: 'officer',
    path: ({ applicationId }) => `/workbench/applications/${applicationId}`,
    submits: [
      { state: 'error-supplement', form: 'form[action$="/request-supplement"]' },
      { state: 'error-reject', form: 'form[action$="/reject"]' },
    ],
  },
  {
    name: 'organisation-claim',
    who: 'claimant',
    path: '/business/organisation?notice=verify_first',
    submits: [{ state: 'error', form: 'form[action="/business/organisation"]' }],
  },
  { name: 'organisation-queue', who: 'officer', path: '/workbench/organisations', submits: [] },
  {
    name: 'organisation-decision',
    who: 'officer',
    path: ({ claimId }) => `/workbench/organisations/${claimId}`,
    submits: [
      { state: 'error-supplement', form: 'form.decision:has(input[value="request_supplement"])' },
      { state: 'error-reject', form: 'form.decision:has(input[value="reject"])' },
    ],
  },
  {
    name: 'directive-import',
    who: 'officer',
    path: '/workbench/directives/import',
    submits: [{ state: 'error', form: 'form[action="/workbench/directives/import"]' }],
  },
  { name: 'unit-tasks', who: 'officer', path: '/workbench/units/idea/tasks', submits: [] },
  {
    name: 'task',
    who: 'task-officer',
    path: ({ taskId }) => `/workbench/directive-tasks/${taskId}`,
    submits: [
      { state: 'error-report', form: 'form.report-form' },
      { state: 'error-extension', form: 'form.extension-form' },
    ],
  },
  {
    name: 'audit',
    who: 'head',
    path: '/workbench/audit',
    submits: [
      {
        state: 'filtered',
        form: 'form[action="/workbench/audit"]',
        fill: { '#entity_type': 'platform', '#entity_id': 'không-có' },
      },
    ],
  },
  {
    name: 'check',
    who: 'public',
    path: '/',
    submits: [{ state: 'error', form: 'form[action="/check"]', fill: { '#input': 'http://' } }],
  },
  { name: 'check-result', who: 'public', path: '/check?input=shoppee.vn', submits: [] },
  {
    name: 'platforms',
    who: 'public',
    path: '/platforms?q=',
    submits: [{ state: 'search', form: 'form[action="/platforms"]', fill: { 'input[name="q"]': 'sách' } }],
  },
  { name: 'admin-procedures', who: 'admin', path: '/admin/procedures', submits: [] },
  { name: 'admin-grounds', who: 'admin', path: '/admin/grounds', submits: [] },
  { name: 'advisories', who: 'public', path: '/advisories', submits: [] },
  {
    name: 'advisory-new',
    who: 'officer',
    path: '/workbench/advisories/new',
    submits: [{ state: 'error', form: 'form[action="/workbench/advisories"]' }],
  },
  { name: 'blocklist', who: 'officer', path: '/workbench/blocklist', submits: [] },
  {
    name: 'annual-report',
    who: 'business',
    path: ({ marketplaceId }) => `/business/platforms/${marketplaceId}/annual-reports`,
    submits: [{ state: 'error', form: 'form[action$="/annual-reports"]' }],
  },
  { name: 'annual-reports', who: 'officer', path: '/workbench/annual-reports', submits: [] },
  { name: 'decisions', who: 'public', path: '/decisions', submits: [] },
  {
    name: 'monitor',
    who: 'inspector',
    path: '/workbench/monitor',
    submits: [{ state: 'error', form: 'form[action="/workbench/monitor/scans"]', fill: { '#urls': 'ftp://x' } }],
  },
  {
    name: 'monitor-finding',
    who: 'inspector',
    path: ({ findingId }) => `/workbench/monitor/findings/${findingId}`,
    submits: [{ state: 'error-dismiss', form: 'form[action$="/dismiss"]' }],
  },
  {
    // The E-Commerce Agency's view: warning and block request, with the register fields for a site it does not hold.
    name: 'monitor-finding-agency',
    who: 'officer',
    path: ({ findingId }) => `/workbench/monitor/findings/${findingId}`,
    submits: [{ state: 'error-block', form: 'form[action$="/block-request"]' }],
  },
  {
    name: 'cases',
    who: 'inspector',
    path: '/workbench/cases',
    submits: [{ state: 'error', form: 'form[action="/workbench/cases"]' }],
  },
  {
    name: 'case',
    who: 'inspector',
    path: ({ caseId }) => `/workbench/cases/${caseId}`,
    submits: [{ state: 'error-advance', form: 'form[action$="/advance"]' }],
  },
  { name: 'decision', who: 'public', path: ({ decisionId }) => `/decisions/${decisionId}`, submits: [] },
  {
    name: 'promotions',
    who: 'officer',
    path: '/workbench/promotions',
    submits: [
      {
        state: 'error',
        form: 'form[action^="/workbench/promotions/check"]',
        fill: { '#programme': '{ "form": "raffle", "starts_on": "2025-03-10" }' },
      },
    ],
  },
  { name: 'declarations', who: 'officer', path: '/workbench/declarations', submits: [] },
  {
    name: 'complaint-new',
    who: 'public',
    path: '/complaints/new?target=https%3A%2F%2Fshoppee.vn',
    submits: [{ state: 'error', form: 'form[action="/complaints"]', fill: { '#target': '' } }],
  },
  { name: 'complained', who: 'public', path: '/complained', submits: [] },
  { name: 'complaints', who: 'officer', path: '/workbench/complaints', submits: [] },
  { name: 'business-complaints', who: 'business', path: '/business/complaints', submits: [] },
];

const LOCALES = ['vi', 'en'] as const;

function timestamp(): string {
  return new Date().toISOString().slice(0, 19).replace('T', '-').replaceAll(':', '');
}

/** Signed-in sessions for every kind of user, and the application and task the review pages show. */
async function setUp(testApp: TestApp): Promise<{ sessions: Record<Who, TestSession | null>; fixtures: Fixtures }> {
  const { database } = testApp;
  await loadDemoDirectives(database);
  await loadDemoAdvisories(database);
  const taxCode = randomTaxCode();
  const business = await createAccount(database, {
    kind: 'business',
    taxCode,
    organisationName: 'Công ty TNHH Ảnh Chụp Màn Hình',
    displayName: 'Lê Thị Ảnh',
  });
  const make = async (role: 'officer' | 'head', displayName: string) =>
    loginAs(testApp, await createAccount(database, { kind: 'officer', unitId: 'idea', role, displayName }));
  const sessions: Record<Who, TestSession | null> = {
    public: null,
    business: await loginAs(testApp, business),
    claimant: await loginAs(
      testApp,
      await createAccount(database, { kind: 'business', verified: false, displayName: 'Đỗ Văn Mới' }),
    ),
    officer: await make('officer', 'Nguyễn Thu Hà'),
    head: await make('head', 'Trần Minh'),
    admin: await loginAs(testApp, await createAccount(database, { kind: 'admin', displayName: 'Quản trị viên' })),
    'task-officer': null,
    inspector: await loginAs(
      testApp,
      await createAccount(database, {
        kind: 'officer',
        unitId: 'inspectorate',
        role: 'head',
        displayName: 'Vũ Thanh Tra',
      }),
    ),
  };

  // Declarations with a suspected gathering point, so the workbench page shows its tables filled.
  const adminSession = sessions.admin as TestSession;
  const header =
    'declaration_no,declared_at,platform,seller,hs_code,description,quantity,value_vnd,origin_country,consignee_name,consignee_phone,consignee_address,tracking_no';
  const lines = Array.from(
    { length: 24 },
    (_, i) =>
      `SHOT${i},2025-03-${String(1 + i).padStart(2, '0')}T09:00:00+07:00,${i % 2 ? 'temu.com' : 'shein.com'},Seller ${i % 3},620342,${i % 5 ? 'Áo thun nữ' : 'quà tặng'},1,${i % 4 ? 350000 : 15000},CN,Người nhận ${i},0912 000 ${String(100 + i)},"Số 15 Đường số 7, KCN Tân Tạo, P. Tân Tạo A, Q. Bình Tân, TP.HCM",VN${i}`,
  );
  const imported = await testApp.app.inject({
    method: 'POST',
    url: '/api/v1/declarations',
    headers: { cookie: adminSession.cookie, 'x-csrf-token': adminSession.csrf, 'content-type': 'text/csv' },
    payload: `${header}\n${lines.join('\n')}\n`,
  });
  if (imported.statusCode !== 200) throw new Error(`importing declarations failed: ${imported.body}`);

  // An application to review: filed as the business, through the API its own pages use.
  const businessSession = sessions.business as TestSession;
  const filed = await testApp.app.inject({
    method: 'POST',
    url: '/api/v1/applications',
    headers: { cookie: businessSession.cookie, 'x-csrf-token': businessSession.csrf },
    payload: {
      kind: 'sales',
      site_name: 'Ảnh Đẹp',
      primary_domain: 'anhdep-shots.vn',
      org_name: 'Công ty TNHH Ảnh Chụp Màn Hình',
      tax_code: taxCode,
      country: 'VN',
      head_office_address: '12 Lý Thường Kiệt, Hoàn Kiếm, Hà Nội',
      responsible_person: 'Lê Thị Ảnh',
      responsible_phone: '024 3825 5678',
      contact_email: 'lien-he@anhdep-shots.vn',
      goods_categories: 'Máy ảnh\nPhụ kiện',
    },
  });
  if (filed.statusCode !== 201) throw new Error(`filing the application failed: ${filed.body}`);

  // A task that takes both a progress report and an extension request (open, with a deadline), looked for in the
  // task lists of idea and then of the unit the demo gives one.
  let taskId: string | undefined;
  for (const unitId of ['idea', 'trade_promotion']) {
    const session = await loginAs(
      testApp,
      await createAccount(database, { kind: 'officer', unitId, displayName: 'Phạm Quốc Bảo' }),
    );
    const get = (url: string) => testApp.app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
    const unitPage = await get(`/workbench/units/${unitId}/tasks`);
    for (const [, id] of unitPage.body.matchAll(/\/workbench\/directive-tasks\/([0-9a-f-]{36})/g)) {
      if ((await get(`/workbench/directive-tasks/${id}`)).body.includes('class="extension-form"')) {
        taskId = id;
        sessions['task-officer'] = session;
        break;
      }
    }
    if (taskId) break;
  }
  if (!taskId) throw new Error('no task of the demo directives takes an extension request');
  // A certificate waiting for an officer, filed by another business that is not verified yet.
  const filer = await createAccount(database, {
    kind: 'business',
    verified: false,
    organisationName: 'Công ty Cổ phần Chờ Xác Minh',
  });
  const claim = await fileOrganisationClaim(database.db, { actor: 'screenshots' }, filer.organisationId as string, {
    ercNumber: '0109876543',
    ercIssuedOn: '2021-03-15',
    ercIssuer: 'Phòng Đăng ký kinh doanh – Sở Kế hoạch và Đầu tư TP. Hà Nội',
    representativeName: 'Vũ Thị Lan',
    representativeTitle: 'Giám đốc',
    file: { filename: 'giay-chung-nhan.pdf', content: Buffer.from('%PDF-1.7\n%%EOF\n') },
  });
  // A marketplace of the business on the register (fictional), for its annual report.
  const organisation = await database.db
    .insertInto('organisations')
    .values({ name: 'Công ty TNHH Ảnh Chụp Màn Hình', name_key: 'cong ty tnhh anh chup man hinh', tax_code: taxCode })
    .returning('id')
    .executeTakeFirstOrThrow();
  const marketplace = await database.db
    .insertInto('platforms')
    .values({
      registration_no: 'DK-2024-00731',
      name: 'Sàn Ảnh Đẹp',
      name_key: 'san anh dep',
      kind: 'marketplace',
      status: 'registered',
      cross_border: false,
      organisation_id: organisation.id,
      valid_from: '2024-05-02',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // An inspection case (fictional) at its report step, the Temu platform of the demo register linked.
  const inspection = await createCase(
    database,
    { context: { actor: 'screenshots' }, unitId: 'inspectorate' },
    { title: 'Kiểm tra sàn chưa đăng ký (minh họa)', summary: 'Dữ liệu mẫu (minh họa).' },
    new Date(Date.now() - 40 * 86_400_000),
  );
  await linkToCase(database, { actor: 'screenshots' }, inspection.id, { kind: 'platform', ref: 'temu.com' });
  for (const daysAgo of [35, 34, 32, 30]) {
    await advanceCase(database, { actor: 'screenshots' }, inspection.id, {
      on: new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10),
    });
  }
  // Complaints (fictional): six people about the business's marketplace (a request for explanation awaits it), six
  // about another site whose period is over (on the public list), and a few about a third.
  await database.db
    .insertInto('platform_identities')
    .values({ kind: 'domain', value: 'sananhdep-shots.vn', platform_id: marketplace.id, position: 0 })
    .execute();
  const complain = (target: string, index: number) =>
    submitComplaint(
      database,
      { actor: 'screenshots' },
      {
        target,
        what_happened: 'Đã chuyển khoản nhưng không nhận được hàng (minh họa).',
        amount_vnd: 450_000 + index * 10_000,
        payment_method: 'bank_transfer',
        reporter: { email: `nguoi-${index}@example.vn` },
      },
      'api',
    );
  for (let index = 1; index <= 6; index++) await complain('https://listed-shots.vn/p/1', index);
  await listOverdueTargets(database, { actor: 'screenshots' }, '2099-01-01');
  for (let index = 1; index <= 6; index++) await complain('https://www.sananhdep-shots.vn/', index);
  for (let index = 1; index <= 2; index++) await complain('hang-gia-shots.vn', index);
  // A finding of the monitor for a fictional shop: one scan as the queue would record it (no evidence kept).
  const scanned = new Date(Date.now() - 3 * 86_400_000);
  const answer = {
    url: 'https://dienthoai-xachtay-minhhoa.vn/',
    final_url: 'https://dienthoai-xachtay-minhhoa.vn/',
    http_status: 200,
    fetched_at: scanned.toISOString(),
    ip: '203.0.113.7',
    signals: {
      ecommerce: { value: true, evidence: ['Thêm vào giỏ hàng', '8.990.000 VNĐ'] },
      targets_vietnam: { value: true, evidence: ['lang=vi', 'VND prices', '+84 phone'] },
      badge: { present: false, link: null, genuine: null, reason: null },
    },
    registry: { verdict: 'unknown', platform: null },
    classification: 'unregistered_ecommerce',
    reasons: [{ code: 'unregistered', vi: 'Dữ liệu mẫu (minh họa).', en: 'Sample data (illustration).' }],
    evidence: null,
  };
  const scanRow = await database.db
    .insertInto('monitor_scans')
    .values({
      url: answer.url,
      requested_by: 'screenshots',
      status: 'done',
      answer: JSON.stringify(answer),
      classification: answer.classification,
      domain: 'dienthoai-xachtay-minhhoa.vn',
      requested_at: scanned,
      finished_at: scanned,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  const findingRow = await database.db
    .insertInto('monitor_findings')
    .values({
      domain: 'dienthoai-xachtay-minhhoa.vn',
      classification: 'unregistered_ecommerce',
      first_seen_at: scanned,
      last_seen_at: scanned,
      latest_scan_id: scanRow.id,
      last_scan_id: scanRow.id,
      last_scan_classification: 'unregistered_ecommerce',
      last_scanned_at: scanned,
    } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    sessions,
    fixtures: {
      findingId: findingRow.id,
      caseId: inspection.id,
      applicationId: (filed.json() as { id: string }).id,
      claimId: claim.id,
      taskId,
      marketplaceId: marketplace.id,
      decisionId: (await database.db.selectFrom('published_decisions').select('public_id').executeTakeFirstOrThrow())
        .public_id,
    },
  };
}

async function signIn(context: BrowserContext, baseUrl: string, session: TestSession | null) {
  await context.clearCookies();
  if (!session) return;
  const [name, ...value] = session.cookie.split('=');
  await context.addCookies([{ name: name as string, value: value.join('='), url: baseUrl }]);
}

async function open(page: Page, url: string, locale: string): Promise<string | undefined> {
  const response = await page.goto(`${url}${url.includes('?') ? '&' : '?'}lang=${locale}`);
  return response?.status() === 200 ? undefined : `HTTP ${response?.status()}`;
}

async function submit(page: Page, submission: Submission): Promise<string | undefined> {
  const form = page.locator(submission.form).first();
  if ((await form.count()) === 0) return `no form ${submission.form}`;
  for (const [selector, value] of Object.entries(submission.fill ?? {})) await form.locator(selector).fill(value);
  const [response] = await Promise.all([
    page.waitForResponse((candidate) => candidate.request().isNavigationRequest()),
    form.locator('button[type="submit"], input[type="submit"]').first().click(),
  ]);
  await page.waitForLoadState('load');
  // A refused form answers 400/422 with the page; a redirect would mean the empty form was accepted.
  return response.status() < 300 || response.status() >= 400 ? undefined : `answered ${response.status()}`;
}

async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
  // --only takes one name or several separated by commas.
  const rows = PAGES.filter((row) => !values.only || values.only.split(',').includes(row.name));
  if (rows.length === 0) throw new Error(`no page named ${values.only}; names: ${PAGES.map((row) => row.name)}`);
  const outDir = path.resolve(values.out ?? path.join('/work/screenshots', timestamp()));
  fs.mkdirSync(outDir, { recursive: true });

  const testApp = await startTestApp();
  const problems: string[] = [];
  try {
    const { sessions, fixtures } = await setUp(testApp);
    const baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    for (const viewport of VIEWPORTS) {
      const browser = await launchBrowser(viewport);
      try {
        for (const row of rows) {
          const url = `${baseUrl}${typeof row.path === 'string' ? row.path : row.path(fixtures)}`;
          for (const locale of LOCALES) {
            await signIn(browser.context, baseUrl, sessions[row.who]);
            const page = await browser.context.newPage();
            const shot = async (state: string, problem: string | undefined) => {
              const file = path.join(outDir, `${row.name}-${state}-${locale}-${viewport.name}.png`);
              if (problem) problems.push(`${path.basename(file)}: ${problem}`);
              const sideways = await page.evaluate(
                () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
              );
              if (sideways > 0) problems.push(`${path.basename(file)}: scrolls ${sideways}px sideways`);
              await page.screenshot({ path: file, fullPage: true });
              process.stdout.write(`${file}\n`);
            };
            try {
              await shot('form', await open(page, url, locale));
              for (const [index, submission] of row.submits.entries()) {
                if (index > 0) await open(page, url, locale);
                await shot(submission.state, await submit(page, submission));
              }
            } finally {
              await page.close();
            }
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await testApp.close();
  }
  for (const problem of problems) process.stderr.write(`check: ${problem}\n`);
  process.stdout.write(`screenshots in ${outDir}\n`);
}

await main();

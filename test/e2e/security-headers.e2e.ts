import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { loadDemoDirectives } from '../../src/modules/directives/index.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, loginAs } from '../support/auth.ts';
import { launchBrowser } from '../support/browser.ts';

/**
 * The Content-Security-Policy against the real pages in Chromium: every page, public and signed in, and the
 * Swagger UI at /api/docs load and work without one violation (Chromium reports each as a console error).
 */

const PUBLIC_PAGES = [
  '/',
  '/check?input=shopee.vn',
  '/check?input=shoppee.vn',
  '/platforms?q=',
  '/r/DEMO-TMDT-0001',
  '/login',
  '/signup',
  '/no-such-page',
];
const OFFICER_PAGES = ['/account', '/workbench/applications', '/workbench/directives', '/workbench/units/idea/tasks'];
const ADMIN_PAGES = ['/admin/accounts', '/workbench/audit'];
const BUSINESS_PAGES = ['/business/applications', '/business/applications/new'];

function watchViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

describe('the Content-Security-Policy in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  before(async () => {
    testApp = await startTestApp();
    await loadDemoDirectives(testApp.database);
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  it('loads every page with its style sheet and no violation, and signs in through the form', async () => {
    const officer = await createAccount(testApp.database, { kind: 'officer', role: 'head' });
    const accounts = [
      { pages: PUBLIC_PAGES, session: undefined },
      { pages: OFFICER_PAGES, session: await loginAs(testApp, officer) },
      { pages: ADMIN_PAGES, session: await loginAs(testApp, await createAccount(testApp.database, { kind: 'admin' })) },
      {
        pages: BUSINESS_PAGES,
        session: await loginAs(testApp, await createAccount(testApp.database, { kind: 'business' })),
      },
    ];
    for (const { pages, session } of accounts) {
      const browser = await launchBrowser();
      try {
        if (session) {
          const value = session.cookie.slice(SESSION_COOKIE.length + 1);
          await browser.context.addCookies([{ name: SESSION_COOKIE, value, url: baseUrl }]);
        }
        const page = await browser.context.newPage();
        const violations = watchViolations(page);
        for (const path of pages) {
          const response = await page.goto(`${baseUrl}${path}`);
          assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/, path);
          // site.css gives the body its font: the style sheet loaded and applied.
          const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
          assert.match(font, /system-ui/, `${path}: the style sheet did not apply`);
          assert.match((await page.locator('h1').first().textContent()) ?? '', /\S/, path);
        }
        assert.deepEqual(violations, [], `${pages.join(', ')}`);
      } finally {
        await browser.close();
      }
    }

    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const violations = watchViolations(page);
      // An officer without two-step verification: the form alone signs it in (heads and admins need their code).
      const member = await createAccount(testApp.database, { kind: 'officer', role: 'officer' });
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('Địa chỉ email').fill(member.email);
      await page.getByLabel('Mật khẩu', { exact: true }).fill(member.password);
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await page.waitForURL(/\/account$/);
      assert.deepEqual(violations, []);
    } finally {
      await browser.close();
    }
  });

  it('shows the API documentation, and its "Try it out" calls the API', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const violations = watchViolations(page);
      await page.goto(`${baseUrl}/api/docs`);
      await page.locator('.opblock-summary-path', { hasText: '/api/v1/health' }).click();
      await page.getByRole('button', { name: 'Try it out' }).click();
      await page.getByRole('button', { name: 'Execute' }).click();
      const response = page.locator('.live-responses-table tbody tr.response').first();
      assert.equal(
        (await response.locator('.response-col_status').textContent())?.trim(),
        '200',
        violations.join('\n'),
      );
      assert.match((await response.locator('.response-col_description').textContent()) ?? '', /"status": "ok"/);
      assert.deepEqual(violations, []);
    } finally {
      await browser.close();
    }
  });
});

/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, createPartnerToken, loginAs, type TestSession } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/** The officers' page of ISP compliance, in both languages on a phone and a desktop. */
describe('the blocklist compliance page in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let officer: TestSession;

  before(async () => {
    testApp = await startTestApp();
    const reporting = await createPartnerToken(testApp.database, ['blocklist:read']);
    await createPartnerToken(testApp.database, ['blocklist:read']);
    const serial = Number(
      (await testApp.app.inject({ method: 'GET', url: '/api/v1/blocklist' })).json<{ serial: number }>().serial,
    );
    const reported = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/blocklist/loaded',
      headers: { authorization: `Bearer ${reporting}` },
      payload: { serial },
    });
    assert.equal(reported.statusCode, 200, reported.body);
    officer = await loginAs(testApp, await createAccount(testApp.database, { kind: 'officer', role: 'viewer' }));
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`shows each partner's version on a ${viewport.name} without sideways scrolling`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const page = await browser.context.newPage();
        await page
          .context()
          .addCookies([{ name: SESSION_COOKIE, value: officer.cookie.split('=')[1] as string, url: baseUrl }]);
        for (const lang of ['vi', 'en'] as const) {
          await page.goto(`${baseUrl}/workbench/blocklist?lang=${lang}`);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.equal(await page.locator('tbody tr').count(), 2);
          assert.equal(await page.locator('[data-state="current"]').count(), 1);
          assert.equal(await page.locator('[data-state="never"]').count(), 1);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${lang} ${viewport.name} scrolls sideways by ${overflow}px`);
          await page.screenshot({
            path: artifactPath(`blocklist-compliance-${lang}-${viewport.name}.png`),
            fullPage: true,
          });
        }
      } finally {
        await browser.close();
      }
    });
  }
});

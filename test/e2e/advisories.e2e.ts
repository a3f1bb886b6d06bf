import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, loginAs, type TestSession } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/**
 * An officer of a media unit writes an advisory about Temu in the browser (first with a mistake the form names),
 * publishes it, and the public page, the list and the check's answer show it, in Vietnamese and English, on a phone
 * and a desktop.
 */
describe('advisories in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let officer: TestSession;
  before(async () => {
    testApp = await startTestApp();
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'newspaper',
        role: 'officer',
        displayName: 'Hoàng Báo Chí',
      }),
    );
  });
  after(async () => {
    await testApp.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`writes, publishes and shows an advisory (${viewport.name})`, async () => {
      const browser = await launchBrowser(viewport);
      const shot = async (name: string) =>
        page.screenshot({ path: artifactPath(`advisories-${name}-${viewport.name}.png`), fullPage: true });
      const page = await browser.context.newPage();
      try {
        await browser.context.addCookies([
          { name: SESSION_COOKIE, value: officer.cookie.split('=')[1] as string, url: baseUrl },
        ]);
        await page.goto(`${baseUrl}/workbench/advisories/new?lang=vi`);
        await shot('new-vi');
        await page.getByLabel('Tiêu đề (tiếng Việt)').fill(`Temu chưa đăng ký (${viewport.name})`);
        await page.getByLabel('Tiêu đề (tiếng Anh)').fill(`Temu is not registered (${viewport.name})`);
        await page.getByLabel('Nội dung (tiếng Việt)').fill('Người tiêu dùng cần thận trọng.\n\nĐoạn thứ hai.');
        await page.getByLabel('Nội dung (tiếng Anh)').fill('Consumers should be careful.\n\nSecond paragraph.');
        await page.getByLabel('Nguy hiểm').check();
        await page.getByLabel('Website, ứng dụng liên quan').fill('temu.com\nkhong-co-trong-danh-sach.example');
        await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
        await page.waitForLoadState('load');
        // The form names the line it could not place, and keeps what was typed.
        const summary = page.locator('.error-summary');
        assert.match((await summary.textContent()) ?? '', /Dòng 2: “khong-co-trong-danh-sach\.example”/);
        assert.equal(
          await page.getByLabel('Tiêu đề (tiếng Anh)').inputValue(),
          `Temu is not registered (${viewport.name})`,
        );
        await shot('new-error-vi');

        await page.getByLabel('Website, ứng dụng liên quan').fill('temu.com');
        await page.getByRole('button', { name: 'Lưu bản nháp' }).click();
        await page.waitForURL(/\/workbench\/advisories\/[0-9a-f-]{36}\?done=created/);
        const id = /advisories\/([0-9a-f-]{36})/.exec(page.url())?.[1] as string;
        assert.match((await page.locator('.notice').textContent()) ?? '', /Đã lưu bản nháp/);
        await shot('draft-vi');
        await page.locator('form[action$="/publish"]').getByRole('button', { name: 'Công bố' }).click();
        await page.waitForURL(/done=published/);
        await shot('published-vi');

        await browser.context.clearCookies();
        for (const lang of ['vi', 'en'] as const) {
          await page.goto(`${baseUrl}/advisories/${id}?lang=${lang}`);
          const heading = (await page.locator('h1').textContent()) ?? '';
          assert.equal(
            heading,
            lang === 'vi' ? `Temu chưa đăng ký (${viewport.name})` : `Temu is not registered (${viewport.name})`,
          );
          assert.equal(await page.locator('.advisory-body p').count(), 2);
          assert.equal(await page.locator('[data-state="danger"]').count(), 1);
          await shot(`page-${lang}`);
          await page.goto(`${baseUrl}/advisories?lang=${lang}`);
          assert.ok((await page.locator(`[data-advisory="${id}"]`).count()) === 1);
          await shot(`list-${lang}`);
          await page.goto(`${baseUrl}/check?input=temu.com&lang=${lang}`);
          const link = page.locator(`section.advisories a[href="/advisories/${id}"]`);
          assert.equal(await link.textContent(), heading);
          await shot(`check-${lang}`);
        }
        // Nothing on a phone scrolls sideways.
        const sideways = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        assert.equal(sideways, 0);
      } finally {
        await browser.close();
      }
    });
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { artifactPath, launchBrowser } from '../support/browser.ts';

describe('the public check in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  before(async () => {
    testApp = await startTestApp();
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  it('opens the home page, checks temu.com and sees the warning', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`${baseUrl}/`);
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      await page.getByLabel('Địa chỉ website, đường dẫn ứng dụng hoặc tên').fill('temu.com');
      await page.getByRole('button', { name: 'Kiểm tra' }).click();
      await page.waitForURL(/\/check\?input=temu\.com/);
      const verdict = page.locator('section.verdict');
      assert.equal(await verdict.getAttribute('data-verdict'), 'unregistered');
      assert.match((await verdict.textContent()) ?? '', /Chưa thông báo, đăng ký với Bộ Công Thương/);
      assert.match((await verdict.textContent()) ?? '', /không giao dịch/i);
      // The warning is red: the verdict box carries the "bad" tone.
      assert.match((await verdict.getAttribute('class')) ?? '', /verdict-bad/);
      await page.screenshot({ path: artifactPath('check-temu-vi-desktop.png'), fullPage: true });

      await page.getByRole('link', { name: 'English' }).click();
      assert.match(
        (await page.locator('section.verdict').textContent()) ?? '',
        /Not notified or registered with the Ministry/,
      );
      await page.screenshot({ path: artifactPath('check-temu-en-desktop.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

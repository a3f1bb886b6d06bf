import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { recordObservedOffers } from '../../src/modules/promotions/price-history.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, loginAs, type TestSession } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/**
 * An officer of the Trade Promotion Agency opens the promotions page on a phone and a desktop, in Vietnamese and
 * English: an offending offer with its evidence link; pastes a "90% off" programme and reads the violation and its
 * provision; a broken paste is refused beside the field.
 */
describe('promotions in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let officer: TestSession;
  const programme = {
    form: 'discount',
    starts_on: '2025-03-10',
    ends_on: '2025-03-19',
    provinces: ['Hà Nội'],
    online: true,
    goods: [
      { name: 'Áo khoác', brand: 'Acme', category: 'clothing', price_before_vnd: 1_000_000, promo_price_vnd: 100_000 },
    ],
  };

  before(async () => {
    testApp = await startTestApp({ demo: false });
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    await recordObservedOffers(testApp.database.db, {
      url: 'https://giam-gia-90.example/p/tai-nghe-khong-day-chong-on-chu-dong-phien-ban-gioi-han',
      observedAt: new Date('2025-06-02T09:00:00+07:00'),
      evidenceId: 'ev-e2e',
      offers: [{ product_key: 'TN-1', name: 'Tai nghe không dây', price_vnd: 99_000, list_price_vnd: 990_000 }],
    });
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'officer' }),
    );
  });
  after(async () => {
    await testApp.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`lists offending offers and checks a pasted programme (${viewport.name})`, async () => {
      const browser = await launchBrowser(viewport);
      const page = await browser.context.newPage();
      try {
        await browser.context.addCookies([
          { name: SESSION_COOKIE, value: officer.cookie.split('=')[1] as string, url: baseUrl },
        ]);
        for (const lang of ['vi', 'en'] as const) {
          await page.goto(`${baseUrl}/workbench/promotions?lang=${lang}`);
          assert.equal(await page.locator('a[href="/workbench/evidence/ev-e2e"]').count(), 1);
          await page.fill('#programme', JSON.stringify(programme, null, 2));
          await page.click('form[action^="/workbench/promotions/check"] button[type="submit"]');
          await page.waitForSelector('[data-compliant="false"]');
          assert.match(
            (await page.locator('.check-answer').textContent()) ?? '',
            lang === 'vi' ? /Giảm 90%.*128\/2024/s : /Discount of 90%.*128\/2024/s,
          );
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${lang} ${viewport.name} scrolls sideways by ${overflow}px`);
          await page.screenshot({ path: artifactPath(`promotions-${lang}-${viewport.name}.png`), fullPage: true });
          await page.fill('#programme', '{ "form": ');
          await page.click('form[action^="/workbench/promotions/check"] button[type="submit"]');
          assert.match(
            (await page.locator('#programme-error').textContent()) ?? '',
            lang === 'vi' ? /JSON không hợp lệ/ : /not valid JSON/,
          );
        }
      } finally {
        await browser.close();
      }
    });
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  activateBlock,
  approveBlock,
  type Block,
  decideBlock,
  proposeBlock,
} from '../../src/modules/blocking/blocking.service.ts';
import { findIdentityOwners } from '../../src/modules/registry/index.ts';
import { importRegistryRows } from '../../src/modules/registry/registry.service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';
import { registryRow } from '../support/registry.ts';

/**
 * A consumer lands on the landing page of a blocked domain, opens the decision, reads how to appeal and files an
 * appeal with the form (first with a mistake the form names), then follows it by its reference: in Vietnamese and
 * English, on a phone and a desktop, without JavaScript-only parts.
 */
describe('blocking in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let block: Block;
  const domain = 'hang-gia-e2e.vn';

  before(async () => {
    testApp = await startTestApp();
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    const database = testApp.database;
    await importRegistryRows(
      database,
      [registryRow({ name: 'Hàng Giả E2E', status: 'unregistered', domains: [domain] })],
      { actor: 'test' },
    );
    const owner = (await findIdentityOwners(database.db, [{ kind: 'domain', value: domain }]))[0];
    assert.ok(owner);
    const proposed = await proposeBlock(
      database,
      { context: { actor: 'user:e2e-proposer' }, unitId: 'idea' },
      {
        platform: owner.platformId,
        domains: [],
        android_apps: [],
        ios_apps: [],
        reason: 'Bán hàng giả mạo nhãn hiệu.',
        legal_basis: 'Điều 4 Nghị định 52/2013/NĐ-CP',
        evidence: [],
      },
    );
    await approveBlock(database, { actor: 'user:e2e-lawyer' }, proposed.id);
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
    await decideBlock(database, { actor: 'user:e2e-head' }, proposed.id, {
      decision_no: '2468/QĐ-BCT',
      decision_date: today,
    });
    block = await activateBlock(database, { actor: 'user:e2e-head' }, proposed.id);
  });
  after(async () => {
    await testApp.close();
  });

  for (const viewport of VIEWPORTS) {
    for (const lang of ['vi', 'en'] as const) {
      it(`shows the block and takes an appeal (${viewport.name}, ${lang})`, async () => {
        const browser = await launchBrowser(viewport);
        const page = await browser.context.newPage();
        const shot = async (name: string) =>
          page.screenshot({ path: artifactPath(`blocking-${name}-${lang}-${viewport.name}.png`), fullPage: true });
        const text = (vi: string, en: string) => (lang === 'vi' ? vi : en);
        try {
          await page.goto(`${baseUrl}/blocked?domain=shop.${domain}&lang=${lang}`);
          assert.equal(
            await page.locator('h1').textContent(),
            text('Trang web này đã bị chặn', 'This site is blocked'),
          );
          assert.equal(await page.locator('[data-field="decision_no"]').textContent(), '2468/QĐ-BCT');
          await shot('landing');
          await page.getByRole('link', { name: text('Gửi khiếu nại', 'File an appeal') }).click();
          await page.waitForURL(new RegExp(`/blocks/${block.id}`));
          assert.match((await page.locator('h1').textContent()) ?? '', /2468\/QĐ-BCT/);
          assert.equal(
            await page.locator('[data-field="legal_basis"]').textContent(),
            'Điều 4 Nghị định 52/2013/NĐ-CP',
          );
          assert.equal(await page.locator('.block-domains li').count(), 1);
          await shot('block');

          await page.getByLabel(text('Họ và tên', 'Full name')).fill(`Người khiếu nại ${viewport.name}`);
          await page.getByLabel(text('Thư điện tử liên hệ', 'Contact e-mail')).fill('khieunai@example.vn');
          await page.getByLabel(text('Quyết định bị khiếu nại', 'Decision appealed')).fill('1/QĐ-BCT');
          await page.getByLabel(text('Nội dung và lý do khiếu nại', 'Grounds of the appeal')).fill('Tôi đã khắc phục.');
          await page.getByRole('button', { name: text('Gửi khiếu nại', 'Send the appeal') }).click();
          await page.waitForLoadState('load');
          assert.match((await page.locator('.error-summary').textContent()) ?? '', /2468\/QĐ-BCT/);
          assert.equal(
            await page.getByLabel(text('Họ và tên', 'Full name')).inputValue(),
            `Người khiếu nại ${viewport.name}`,
          );
          await shot('appeal-error');
          await page.getByLabel(text('Quyết định bị khiếu nại', 'Decision appealed')).fill('2468/QĐ-BCT');
          await page.getByRole('button', { name: text('Gửi khiếu nại', 'Send the appeal') }).click();
          await page.waitForURL(/\/appeals\/KN-\d{4}-[A-Z0-9]{8}\?filed=1/);
          assert.match((await page.locator('.notice').textContent()) ?? '', /KN-\d{4}-[A-Z0-9]{8}/);
          assert.equal(await page.locator('[data-state="received"]').textContent(), text('Đã tiếp nhận', 'Received'));
          assert.match(
            (await page.locator('[data-field="acceptance_due_on"]').textContent()) ?? '',
            /^\d{2}\/\d{2}\/\d{4}$/,
          );
          await shot('appeal-status');
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
  }
});

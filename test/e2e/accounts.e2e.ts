import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, randomTaxCode, type TestAccount } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/** Sign-in, sign-up, the account page and the administration of accounts, in Chromium, in both languages. */

const LABELS = {
  vi: {
    email: 'Địa chỉ email',
    password: 'Mật khẩu',
    signIn: 'Đăng nhập',
    signOut: 'Đăng xuất',
    totpStart: 'Bật xác thực hai bước',
    unit: 'Đơn vị',
    createOfficer: 'Tạo tài khoản cán bộ',
    systemName: 'Tên hệ thống',
    issue: 'Cấp mã',
    expires: 'Hết hạn',
  },
  en: {
    email: 'Email address',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    totpStart: 'Turn on two-step verification',
    unit: 'Unit',
    createOfficer: 'Create officer account',
    systemName: 'System name',
    issue: 'Issue token',
    expires: 'Expires',
  },
} as const;

describe('accounts in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  before(async () => {
    testApp = await startTestApp({ demo: false });
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  async function shoot(page: Page, name: string) {
    await page.screenshot({ path: artifactPath(`accounts-${name}.png`), fullPage: true });
  }

  for (const viewport of VIEWPORTS) {
    for (const locale of ['vi', 'en'] as const) {
      it(`signs an administrator in through the form, shows the account and administration pages (${locale}, ${viewport.name})`, async () => {
        const text = LABELS[locale];
        const admin: TestAccount = await createAccount(testApp.database, {
          kind: 'admin',
          displayName: locale === 'vi' ? 'Trần Thị Quản Trị' : 'Alex Admin',
        });
        const browser = await launchBrowser(viewport);
        try {
          const page = await browser.context.newPage();
          await page.goto(`${baseUrl}/signup?lang=${locale}`);
          assert.equal(await page.getAttribute('html', 'lang'), locale);
          await shoot(page, `signup-${locale}-${viewport.name}`);

          await page.goto(`${baseUrl}/account`);
          await page.waitForURL(/\/login\?next=%2Faccount/);
          await page.getByLabel(text.email).fill(admin.email);
          await page.getByLabel(text.password, { exact: true }).fill('not the password');
          await page.getByRole('button', { name: text.signIn, exact: true }).click();
          assert.equal(await page.locator('.error-summary').count(), 1);
          await shoot(page, `login-error-${locale}-${viewport.name}`);
          await page.getByLabel(text.email).fill(admin.email);
          await page.getByLabel(text.password, { exact: true }).fill(admin.password);
          await page.getByRole('button', { name: text.signIn, exact: true }).click();
          await page.waitForURL(/\/account$/);
          assert.match(
            (await page.locator('.account-nav').textContent()) ?? '',
            new RegExp(locale === 'vi' ? 'Trần Thị Quản Trị' : 'Alex Admin'),
          );

          await page.getByRole('button', { name: text.totpStart }).click();
          await page.waitForURL(/\/account/);
          assert.match((await page.getByTestId('totp-secret').textContent()) ?? '', /^[A-Z2-7]{32}$/);
          await shoot(page, `account-${locale}-${viewport.name}`);

          await page.goto(`${baseUrl}/admin/accounts`);
          await page.getByLabel(text.email).fill(`officer-${locale}-${viewport.name}@moit.gov.vn`);
          await page.getByLabel(text.unit).selectOption('market_management');
          await page.getByRole('button', { name: text.createOfficer }).click();
          assert.match((await page.getByTestId('new-password').textContent()) ?? '', /^[A-Za-z2-9]{20}$/);
          await page.getByLabel(text.systemName).fill(locale === 'vi' ? 'Tổng cục Hải quan' : 'Customs');
          await page.getByLabel('declarations:write').check();
          await page.getByLabel(text.expires).fill(`${new Date().getFullYear() + 1}-12-31`);
          await page.getByRole('button', { name: text.issue }).click();
          assert.match((await page.getByTestId('new-token').textContent()) ?? '', /^ecg_/);
          await shoot(page, `admin-${locale}-${viewport.name}`);

          await page.goto(`${baseUrl}/workbench/audit?entity_type=account&entity_id=${admin.id}`);
          assert.ok((await page.locator('tbody tr').count()) >= 3);
          await shoot(page, `audit-${locale}-${viewport.name}`);

          await page.getByRole('button', { name: text.signOut }).click();
          await page.waitForURL(`${baseUrl}/`);
          await page.goto(`${baseUrl}/login`);
          assert.equal(await page.locator('.account-name').count(), 0);
          await shoot(page, `login-${locale}-${viewport.name}`);
        } finally {
          await browser.close();
        }
      });
    }
  }

  it('signs a business up through the form and lands on its account page', async () => {
    const browser = await launchBrowser(VIEWPORTS[0]);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${baseUrl}/signup`);
      await page.getByLabel('Tên doanh nghiệp, tổ chức').fill('Công ty TNHH Thương mại Sông Hồng');
      await page.getByLabel('Mã số doanh nghiệp (mã số thuế)').fill(randomTaxCode());
      await page.getByLabel('Địa chỉ email').fill('lienhe@songhong.example');
      await page.getByLabel('Mật khẩu').fill('sông hồng chảy ra biển');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await page.waitForURL(/\/account\?welcome=1/);
      assert.match((await page.locator('main').textContent()) ?? '', /Công ty TNHH Thương mại Sông Hồng/);
      await shoot(page, 'account-business-vi-phone');
    } finally {
      await browser.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { generateTotpCode } from '../../src/modules/accounts/totp.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, randomTaxCode, type TestAccount } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

/**
 * Sign-in, sign-up with the confirmation e-mail, the account page (with the enrolment in two-step verification an
 * administrator must make first) and the administration of accounts, in Chromium, in both languages.
 */

const LABELS = {
  vi: {
    email: 'Địa chỉ email',
    password: 'Mật khẩu',
    signIn: 'Đăng nhập',
    signOut: 'Đăng xuất',
    totpStart: 'Bật xác thực hai bước',
    totpConfirm: 'Xác nhận và bật',
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
    totpConfirm: 'Confirm and turn on',
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
  let smtp: TestSmtpServer;
  before(async () => {
    smtp = await startSmtpServer();
    testApp = await startTestApp({ demo: false, env: { SMTP_URL: smtp.url, PORTAL_URL: 'http://portal.test' } });
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
    await smtp.close();
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
          totp: false,
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
          // An administrator must turn on two-step verification before anything else.
          await page.waitForURL(/\/account#totp$/);
          assert.match(
            (await page.locator('.account-nav').textContent()) ?? '',
            new RegExp(locale === 'vi' ? 'Trần Thị Quản Trị' : 'Alex Admin'),
          );
          assert.equal(await page.locator('.notice-warn').count(), 1);
          await page.goto(`${baseUrl}/admin/accounts`);
          await page.waitForURL(/\/account#totp$/);

          await page.locator('#totp-start-current_password').fill(admin.password);
          await page.getByRole('button', { name: text.totpStart }).click();
          const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
          assert.match(secret, /^[A-Z2-7]{32}$/);
          await shoot(page, `account-${locale}-${viewport.name}`);
          await page.locator('#totp-confirm-code').fill(generateTotpCode(secret));
          await page.locator('#totp-confirm-current_password').fill(admin.password);
          await page.getByRole('button', { name: text.totpConfirm }).click();
          await page.waitForURL(/\/account\?done=totp_enabled#totp$/);

          await page.goto(`${baseUrl}/admin/accounts`);
          await page.getByLabel(text.email).fill(`officer-${locale}-${viewport.name}@moit.gov.vn`);
          await page.getByLabel(text.unit).selectOption('market_management');
          await page.getByRole('button', { name: text.createOfficer }).click();
          assert.match((await page.getByTestId('new-password').textContent()) ?? '', /^[A-Za-z2-9]{20}$/);
          await page.getByLabel(text.systemName).fill(locale === 'vi' ? 'Tổng cục Hải quan' : 'Customs');
          await page.getByLabel('declarations:write').check();
          await page.getByLabel(text.expires).fill(`31/12/${new Date().getFullYear() + 1}`);
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

  it('signs a business up through the form, confirms the address from the e-mail, and signs it in', async () => {
    const browser = await launchBrowser(VIEWPORTS[0]);
    try {
      const page = await browser.context.newPage();
      await page.goto(`${baseUrl}/signup`);
      await page.getByLabel('Tên doanh nghiệp, tổ chức').fill('Công ty TNHH Thương mại Sông Hồng');
      await page.getByLabel('Mã số doanh nghiệp (mã số thuế)').fill(randomTaxCode());
      await page.getByLabel('Địa chỉ email').fill('lienhe@songhong.example');
      await page.getByLabel('Mật khẩu').fill('sông hồng chảy ra biển');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      assert.match((await page.locator('h1').textContent()) ?? '', /Hãy kiểm tra hộp thư/);
      assert.match((await page.locator('main').textContent()) ?? '', /lienhe@songhong\.example/);
      await shoot(page, 'signup-sent-vi-phone');

      const mail = await smtp.waitFor((message) => message.to.includes('lienhe@songhong.example'));
      const link = new URL(/http:\/\/portal\.test\/signup\/confirm\?token=[\w-]+/.exec(mail.text)?.[0] ?? '');
      await page.goto(`${baseUrl}${link.pathname}${link.search}`);
      await page.getByRole('button', { name: 'Xác nhận' }).click();
      await page.waitForURL(/\/login\?notice=email_confirmed/);
      await page.getByLabel('Địa chỉ email').fill('lienhe@songhong.example');
      await page.getByLabel('Mật khẩu', { exact: true }).fill('sông hồng chảy ra biển');
      await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
      await page.waitForURL(/\/account$/);
      assert.match((await page.locator('main').textContent()) ?? '', /Công ty TNHH Thương mại Sông Hồng/);
      await shoot(page, 'account-business-vi-phone');
    } finally {
      await browser.close();
    }
  });
});

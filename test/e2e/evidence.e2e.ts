import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { captureEvidence } from '../../src/modules/evidence/evidence.service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, loginAs, type TestSession } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/**
 * An inspector opens a captured page's evidence in the browser, on a phone and a desktop, in Vietnamese and English:
 * hashes and custody log fit the screen, and the package downloads as a zip.
 */
describe('evidence in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let officer: TestSession;
  let storeDir: string;
  let site: http.Server;
  let evidenceId: string;

  before(async () => {
    storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecomgov-evidence-e2e-'));
    testApp = await startTestApp({ demo: false, env: { EVIDENCE_DIR: storeDir } });
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
    site = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      response.end('<html lang="vi"><body><h1>Thêm vào giỏ hàng</h1><p>8.990.000 VNĐ</p></body></html>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const port = (site.address() as AddressInfo).port;
    const longPath = `/san-pham/${'dien-thoai-'.repeat(12)}?utm_source=${'x'.repeat(80)}`;
    evidenceId = (
      await captureEvidence(
        testApp.database.db,
        storeDir,
        { actor: 'cli:thanh-tra' },
        {
          url: `http://cua-hang-rat-dai.example:${port}${longPath}`,
          resolve: [`cua-hang-rat-dai.example:${port}:127.0.0.1`],
          allowPrivate: ['127.0.0.1'],
        },
      )
    ).evidenceId;
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'inspectorate', role: 'officer' }),
    );
  });
  after(async () => {
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
    await testApp.close();
    fs.rmSync(storeDir, { recursive: true, force: true });
  });

  for (const viewport of VIEWPORTS) {
    it(`shows an evidence item and downloads its package (${viewport.name})`, async () => {
      const browser = await launchBrowser(viewport);
      const page = await browser.context.newPage();
      try {
        await browser.context.addCookies([
          { name: SESSION_COOKIE, value: officer.cookie.split('=')[1] as string, url: baseUrl },
        ]);
        for (const lang of ['vi', 'en'] as const) {
          await page.goto(`${baseUrl}/workbench/evidence/${evidenceId}?lang=${lang}`);
          assert.match(
            (await page.locator('[data-integrity]').textContent()) ?? '',
            lang === 'vi' ? /Mọi tệp còn nguyên vẹn/ : /Every file is intact/,
          );
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${lang} ${viewport.name} scrolls sideways by ${overflow}px`);
          await page.screenshot({ path: artifactPath(`evidence-item-${lang}-${viewport.name}.png`), fullPage: true });
        }
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator(`a[href="/workbench/evidence/${evidenceId}/package.zip"]`).click(),
        ]);
        const file = await download.path();
        assert.equal(fs.readFileSync(file).subarray(0, 2).toString('latin1'), 'PK');
        await page.goto(`${baseUrl}/workbench/evidence?lang=vi`);
        assert.equal(await page.locator(`tr[data-evidence="${evidenceId}"]`).count(), 1);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `list ${viewport.name} scrolls sideways by ${overflow}px`);
        await page.screenshot({ path: artifactPath(`evidence-list-vi-${viewport.name}.png`), fullPage: true });
      } finally {
        await browser.close();
      }
    });
  }
});

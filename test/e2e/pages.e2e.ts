/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/** Every public page of the register and the check, in both languages, on a phone and a desktop. */
const PAGES = [
  { name: 'home', path: '/' },
  { name: 'check-registered', path: '/check?input=shopee.vn' },
  { name: 'check-lookalike', path: '/check?input=shoppee.vn' },
  { name: 'check-unknown', path: '/check?input=example-bakery-hanoi.com' },
  { name: 'check-invalid', path: '/check?input=javascript%3Aalert(1)' },
  { name: 'platforms', path: '/platforms?q=' },
  { name: 'record', path: '/r/DEMO-TMDT-0001' },
  { name: 'not-found', path: '/no-such-page' },
];

describe('public pages in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  before(async () => {
    testApp = await startTestApp();
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  for (const viewport of VIEWPORTS) {
    it(`renders every page on a ${viewport.name} without horizontal scrolling, with labelled inputs`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const page = await browser.context.newPage();
        for (const { name, path } of PAGES) {
          for (const lang of ['vi', 'en'] as const) {
            const separator = path.includes('?') ? '&' : '?';
            await page.goto(`${baseUrl}${path}${separator}lang=${lang}`);
            assert.equal(await page.getAttribute('html', 'lang'), lang, `${name} ${lang}`);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 0, `${name} ${lang} ${viewport.name} scrolls sideways by ${overflow}px`);
            const unlabelled = await page.evaluate(
              () =>
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(
                  (element) => !element.id || !document.querySelector(`label[for="${element.id}"]`),
                ).length,
            );
            assert.equal(unlabelled, 0, `${name} ${lang} has inputs without a label`);
            await page.screenshot({ path: artifactPath(`page-${name}-${lang}-${viewport.name}.png`), fullPage: true });
          }
        }
      } finally {
        await browser.close();
      }
    });
  }
});

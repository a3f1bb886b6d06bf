/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { SESSION_COOKIE } from '../../src/modules/accounts/accounts.plugin.ts';
import { loadDemoDirectives } from '../../src/modules/directives/index.ts';
import { getDirective, listDirectives } from '../../src/modules/directives/tracker.service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createAccount, loginAs, type TestSession } from '../support/auth.ts';
import { artifactPath, launchBrowser, VIEWPORTS } from '../support/browser.ts';

/** The tracker's pages, signed in as an officer, in both languages on a phone and a desktop. */
describe('the directive tracker in Chromium', () => {
  let testApp: TestApp;
  let baseUrl: string;
  let officer: TestSession;
  let promotionOfficer: TestSession;
  let ideaHead: TestSession;
  /** The one task of the demo that is open with a deadline (trade promotion's, overdue). */
  let openTaskPath: string;
  const pages: Array<{ name: string; path: string }> = [];

  before(async () => {
    testApp = await startTestApp({ demo: false });
    await loadDemoDirectives(testApp.database);
    officer = await loginAs(
      testApp,
      await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'idea',
        role: 'officer',
        displayName: 'Nguyễn Thu Hà',
      }),
    );
    promotionOfficer = await loginAs(
      testApp,
      await createAccount(testApp.database, { kind: 'officer', unitId: 'trade_promotion', role: 'officer' }),
    );
    ideaHead = await loginAs(
      testApp,
      await createAccount(testApp.database, {
        kind: 'officer',
        unitId: 'idea',
        role: 'head',
        displayName: 'Trần Minh',
      }),
    );
    const [directive] = await listDirectives(testApp.database.db);
    assert.ok(directive);
    const detail = await getDirective(testApp.database.db, directive.id);
    const task = (seq: number) =>
      detail.assignments.flatMap((assignment) => assignment.tasks).find((item) => item.seq === seq);
    pages.push(
      { name: 'list', path: '/workbench/directives' },
      { name: 'directive', path: `/workbench/directives/${directive.id}` },
      { name: 'unit', path: '/workbench/units/idea/tasks' },
      { name: 'task-extended', path: `/workbench/directive-tasks/${task(5)?.id}` },
      { name: 'task-recurring', path: `/workbench/directive-tasks/${task(8)?.id}` },
      { name: 'task-dependent', path: `/workbench/directive-tasks/${task(4)?.id}` },
      { name: 'import', path: '/workbench/directives/import' },
    );
    openTaskPath = `/workbench/directive-tasks/${task(11)?.id}`;
    baseUrl = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await testApp.close();
  });

  async function signIn(page: Page, session: TestSession) {
    await page
      .context()
      .addCookies([{ name: SESSION_COOKIE, value: session.cookie.split('=')[1] as string, url: baseUrl }]);
  }

  for (const viewport of VIEWPORTS) {
    it(`shows every tracker page on a ${viewport.name} without sideways scrolling, with labelled inputs`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const page = await browser.context.newPage();
        await signIn(page, officer);
        for (const { name, path } of pages) {
          for (const lang of ['vi', 'en'] as const) {
            const response = await page.goto(`${baseUrl}${path}?lang=${lang}`);
            assert.equal(response?.status(), 200, `${name} ${lang}`);
            assert.equal(await page.getAttribute('html', 'lang'), lang);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            assert.ok(overflow <= 0, `${name} ${lang} ${viewport.name} scrolls sideways by ${overflow}px`);
            const unlabelled = await page.evaluate(
              () =>
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(
                  (element) => !element.id || !document.querySelector(`label[for="${element.id}"]`),
                ).length,
            );
            assert.equal(unlabelled, 0, `${name} ${lang} has inputs without a label`);
            await page.screenshot({
              path: artifactPath(`directives-${name}-${lang}-${viewport.name}.png`),
              fullPage: true,
            });
          }
        }
      } finally {
        await browser.close();
      }
    });
  }

  it('shows the four buckets and the overdue list of the demo dispatch', async () => {
    const browser = await launchBrowser(VIEWPORTS[1]);
    try {
      const page = await browser.context.newPage();
      await signIn(page, officer);
      await page.goto(`${baseUrl}${pages[1]?.path}?lang=vi`);
      const chart = page.locator('figure.bucket-chart');
      assert.match((await chart.textContent()) ?? '', /Hoàn thành đúng hạn/);
      assert.equal(await chart.locator('tbody tr').count(), 4);
      assert.match((await page.locator('#overdue').textContent()) ?? '', /Nhiệm vụ quá hạn \(\d+\)/);
      assert.match((await page.textContent('main')) ?? '', /Dữ liệu mẫu \(minh họa\)/);
    } finally {
      await browser.close();
    }
  });

  it('explains in the import form why a text could not be read', async () => {
    const browser = await launchBrowser(VIEWPORTS[1]);
    try {
      const page = await browser.context.newPage();
      await signIn(page, officer);
      await page.goto(`${baseUrl}/workbench/directives/import?lang=vi`);
      await page.fill('#text', 'Kính gửi các đơn vị. Đây là một thư mời họp, không giao nhiệm vụ.');
      await page.getByRole('button', { name: 'Xem trước' }).click();
      await page.waitForSelector('.error-summary');
      assert.match(
        (await page.locator('.error-summary').textContent()) ?? '',
        /Không tìm thấy đơn vị nào được giao nhiệm vụ/,
      );
      assert.equal(await page.inputValue('#text'), 'Kính gửi các đơn vị. Đây là một thư mời họp, không giao nhiệm vụ.');
      await page.screenshot({ path: artifactPath('directives-import-error-vi-desktop.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  const IMPORT_TEXT = `BỘ CÔNG THƯƠNG
Số: 9402/BCT-TMĐT
Hà Nội, ngày 05 tháng 11 năm 2024

1. Giao Cục Thương mại điện tử và Kinh tế số chủ trì, phối hợp với Vụ Pháp chế rà soát danh sách các nền tảng chưa đăng ký. Thời hạn: trước ngày 30/11/2024.
2. Giao Cục Quản lý ABC kiểm tra các cửa hàng trực tuyến. Thời hạn: trước Tết Nguyên đán.
`;
  const PREVIEW_TEXT = {
    vi: {
      preview: 'Xem trước',
      confirm: 'Xác nhận và lưu',
      notStored: /Văn bản chưa được lưu/,
      reason: 'Đơn vị không có trong danh mục',
    },
    en: {
      preview: 'Preview',
      confirm: 'Confirm and store',
      notStored: /Nothing is stored yet/,
      reason: 'Unit not in the catalogue',
    },
  } as const;

  for (const viewport of VIEWPORTS) {
    it(`shows the import's reading and what it could not place before storing, on a ${viewport.name}`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const page = await browser.context.newPage();
        await signIn(page, officer);
        for (const lang of ['vi', 'en'] as const) {
          const text = PREVIEW_TEXT[lang];
          const before = (await listDirectives(testApp.database.db)).length;
          await page.goto(`${baseUrl}/workbench/directives/import?lang=${lang}`);
          await page.fill('#text', IMPORT_TEXT);
          await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: text.preview }).click()]);
          const preview = page.locator('section.import-preview');
          assert.match((await preview.textContent()) ?? '', text.notStored);
          assert.match((await preview.textContent()) ?? '', /9402\/BCT-TMĐT/);
          assert.match((await preview.textContent()) ?? '', /Vụ Pháp chế/);
          const row = preview.locator('table.unplaced tbody tr');
          assert.equal(await row.count(), 1);
          assert.match((await row.textContent()) ?? '', new RegExp(`6\\s*Cục Quản lý ABC\\s*${text.reason}`));
          assert.equal((await listDirectives(testApp.database.db)).length, before);
          await assertNoSidewaysScroll(page, `import preview ${lang} ${viewport.name}`);
          await page.screenshot({
            path: artifactPath(`directives-import-preview-${lang}-${viewport.name}.png`),
            fullPage: true,
          });
        }
        // Confirmed: stored, and the officer lands on the directive.
        await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Confirm and store' }).click()]);
        assert.match(page.url(), /\/workbench\/directives\/[0-9a-f-]{36}\?done=(created|unchanged)/);
        assert.ok(
          (await listDirectives(testApp.database.db)).some((directive) => directive.number === '9402/BCT-TMĐT'),
        );
      } finally {
        await browser.close();
      }
    });
  }

  /** Submits the form that holds `selector` and waits for the page that answers it. */
  async function submit(page: Page, formSelector: string) {
    await Promise.all([page.waitForEvent('load'), page.locator(`${formSelector} button[type=submit]`).first().click()]);
  }

  async function assertNoSidewaysScroll(page: Page, what: string) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${what} scrolls sideways by ${overflow}px`);
  }

  const FORM_TEXT = {
    vi: {
      unreadable: /Không tìm thấy đơn vị nào được giao nhiệm vụ/,
      tooMany: 'Tối đa 5 mục.',
      badDay: 'Hãy viết ngày theo dạng dd/mm/yyyy, ví dụ 31/12/2024.',
      tooEarly: /^Ngày đề nghị gia hạn phải sau hạn hiện hành \(31\/10\/2024\)\.$/,
      newAddress: /Hãy sao chép ngay/,
    },
    en: {
      unreadable: /No assigned unit found/,
      tooMany: 'At most 5 items.',
      badDay: 'Write the date as dd/mm/yyyy, for example 31/12/2024.',
      tooEarly: /^The new due date must be after the deadline in force \(31\/10\/2024\)\.$/,
      newAddress: /Copy it now/,
    },
  } as const;

  for (const viewport of VIEWPORTS) {
    it(`shows each form's problems beside its fields on a ${viewport.name}, in Vietnamese and English`, async () => {
      const browser = await launchBrowser(viewport);
      try {
        const page = await browser.context.newPage();
        for (const lang of ['vi', 'en'] as const) {
          const text = FORM_TEXT[lang];
          const shot = (name: string) =>
            page.screenshot({ path: artifactPath(`directives-${name}-${lang}-${viewport.name}.png`), fullPage: true });

          await page.context().clearCookies();
          await signIn(page, officer);
          await page.goto(`${baseUrl}/workbench/directives/import?lang=${lang}`);
          await page.fill('#text', 'Kính gửi các đơn vị. Đây là một thư mời họp, không giao nhiệm vụ.');
          await submit(page, 'main form');
          assert.match((await page.locator('.error-summary').textContent()) ?? '', text.unreadable);
          assert.match((await page.locator('#text-error').textContent()) ?? '', text.unreadable);
          await assertNoSidewaysScroll(page, `import error ${lang} ${viewport.name}`);
          await shot('import-error');

          await page.context().clearCookies();
          await signIn(page, promotionOfficer);
          await page.goto(`${baseUrl}${openTaskPath}?lang=${lang}`);
          await page.fill('#text', 'Đã tổng hợp các hình thức khuyến mại vi phạm.');
          await page.fill('#percentage', '100');
          await page.fill('#completed_on', '31/02/2025');
          await page.setInputFiles(
            '#attachments',
            Array.from({ length: 6 }, (_, index) => ({
              name: `phu-luc-${index + 1}.txt`,
              mimeType: 'text/plain',
              buffer: Buffer.from('Phụ lục'),
            })),
          );
          await submit(page, 'form.report-form');
          assert.equal(await page.locator('#attachments-error').textContent(), text.tooMany);
          assert.equal(await page.locator('#completed_on-error').textContent(), text.badDay);
          assert.equal(await page.inputValue('#completed_on'), '31/02/2025');
          assert.equal(await page.inputValue('#text'), 'Đã tổng hợp các hình thức khuyến mại vi phạm.');
          assert.equal(await page.locator('.error-summary li').count(), 2);
          await assertNoSidewaysScroll(page, `report errors ${lang} ${viewport.name}`);
          await shot('task-report-errors');

          await page.goto(`${baseUrl}${openTaskPath}?lang=${lang}`);
          await page.fill('#requested_due', '15/10/2024');
          await page.fill('#reason', 'Chờ ý kiến của các nền tảng.');
          await submit(page, 'form.extension-form');
          assert.match((await page.locator('#requested_due-error').textContent()) ?? '', text.tooEarly);
          await assertNoSidewaysScroll(page, `extension error ${lang} ${viewport.name}`);
          await shot('task-extension-error');

          await page.context().clearCookies();
          await signIn(page, ideaHead);
          await page.goto(`${baseUrl}/workbench/units/idea/tasks?lang=${lang}`);
          await submit(page, '#calendar form.feed-form');
          assert.match((await page.locator('#calendar').textContent()) ?? '', text.newAddress);
          assert.match(await page.inputValue('#feed-address'), /\/feeds\/directives\/[A-Za-z0-9_-]{43}\.ics$/);
          await assertNoSidewaysScroll(page, `feed section ${lang} ${viewport.name}`);
          await page
            .locator('#calendar')
            .screenshot({ path: artifactPath(`directives-feed-section-${lang}-${viewport.name}.png`) });
        }
      } finally {
        await browser.close();
      }
    });
  }

  it('lets the assigned unit report progress through the form, and shows it', async () => {
    const browser = await launchBrowser(VIEWPORTS[0]);
    try {
      const page = await browser.context.newPage();
      await signIn(page, promotionOfficer);
      await page.goto(`${baseUrl}/workbench/units/trade_promotion/tasks?lang=vi`);
      await page.locator('table.task-table a[href^="/workbench/directive-tasks/"]').first().click();
      await page.waitForURL(/\/workbench\/directive-tasks\//);
      await page.fill('#text', 'Đã trình Lãnh đạo Bộ đề xuất giải pháp xử lý khuyến mại vi phạm.');
      await page.fill('#percentage', '100');
      await page.fill('#completed_on', '20/11/2024');
      await page.setInputFiles('#attachments', {
        name: 'de-xuat.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('Đề xuất giải pháp'),
      });
      await Promise.all([page.waitForURL(/done=report/), page.getByRole('button', { name: 'Gửi báo cáo' }).click()]);
      assert.match((await page.locator('.notice').textContent()) ?? '', /Đã ghi nhận báo cáo tiến độ/);
      assert.match((await page.locator('.report-list').textContent()) ?? '', /de-xuat\.txt/);
      assert.match((await page.textContent('main')) ?? '', /Hoàn thành trễ hạn/);
      await page.screenshot({ path: artifactPath('directives-task-reported-vi-phone.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

import fs from 'node:fs';

/**
 * Debian's Chromium as the project starts it everywhere (evidence screenshots, browser tests, screenshots script):
 * headless, no sandbox (root in containers), and none of the background traffic a fresh profile makes.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Playwright = typeof import('playwright-core');

/** playwright-core when it is installed (it is optional: Chromium's features degrade without it). */
export async function loadPlaywright(): Promise<Playwright | undefined> {
  try {
    return await import('playwright-core');
  } catch {
    return undefined;
  }
}

export type PdfResult = { ok: true; pdf: Buffer } | { ok: false; reason: string };

/**
 * Prints a self-contained HTML document to an A4 PDF in headless Chromium (the way DESIGN.md makes every report's
 * PDF). The document is set, not fetched, with JavaScript off and every name resolving to "not found", so printing
 * reaches nothing. Never throws: without Chromium or playwright-core, or when printing fails, it says why, and the
 * caller tells its reader that no PDF was made.
 */
export async function printPdf(
  html: string,
  options: { chromiumPath?: string; timeoutMs?: number } = {},
): Promise<PdfResult> {
  const executablePath = options.chromiumPath ?? CHROMIUM_PATH;
  if (!fs.existsSync(executablePath)) return { ok: false, reason: `no Chromium at ${executablePath} (CHROMIUM_PATH)` };
  const playwright = await loadPlaywright();
  if (!playwright) return { ok: false, reason: 'playwright-core is not installed' };
  const timeout = options.timeoutMs ?? 60_000;
  try {
    const browser = await playwright.chromium.launch({
      executablePath,
      headless: true,
      args: [...CHROMIUM_FLAGS, '--host-resolver-rules=MAP * ~NOTFOUND'],
      timeout,
    });
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, serviceWorkers: 'block' });
      await context.route('**/*', (route) => route.abort('blockedbyclient'));
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load', timeout });
      const pdf = await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '18mm', bottom: '18mm', left: '15mm', right: '15mm' },
      });
      return { ok: true, pdf };
    } finally {
      await browser.close();
    }
  } catch (error) {
    return { ok: false, reason: `Chromium could not print the PDF: ${(error as Error).message.split('\n')[0]}` };
  }
}

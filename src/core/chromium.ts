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

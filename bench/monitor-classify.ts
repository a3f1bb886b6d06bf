/**
 * Monitor page classification: signals and classification of a 1 MB page (target ≤ 50 ms), as a ratio to htmlparser2 parsing the same page with no handlers.
 *
 *   npm run bench -- monitor-classify [--rounds 20] [--size 1048576]
 *
 * Two pages of `--size` characters built from the fixtures' content (src/modules/monitor/fixtures): a Vietnamese
 * shop (product cards with prices, buttons, phones, JSON-LD, a badge) and an English store. Each is read
 * `--rounds` times by `extractSignals` + `classifyPage` (the pure part: the badge verdict and the register's verdict
 * are given, as the database and the check index answer them in microseconds) and by a bare htmlparser2 `Parser`
 * with no handlers, alternately, so the machine's load touches both alike; the median and best of each are kept.
 * It prints, it does not fail; results go to bench/results/monitor-classify.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Parser } from 'htmlparser2';
import type { BadgeVerdict } from '../src/modules/monitor/badge.ts';
import { classifyPage } from '../src/modules/monitor/classify.ts';
import type { RegistryPart } from '../src/modules/monitor/monitor.schemas.ts';
import { extractSignals } from '../src/modules/monitor/signals.ts';
import { printTable, type Row } from './check.ts';

const RESULTS_FILE = path.resolve(import.meta.dirname, 'results', 'monitor-classify.json');
const TARGET_MS = 50;
const PORTAL_URL = 'https://portal.example';

const VIETNAMESE_CARD = (n: number) => `
<div class="product" itemscope itemtype="https://schema.org/Product">
  <a href="/san-pham/giay-da-${n}"><img src="/img/${n}.jpg" alt="Giày da nam công sở mẫu ${n}"></a>
  <h3 itemprop="name">Giày da nam công sở mẫu ${n} – da bò thật, đế cao su chống trơn</h3>
  <p class="price"><span>${(259 + (n % 700)).toString()}.000₫</span> <del>349.000 đ</del></p>
  <p>Miễn phí giao hàng toàn quốc, đổi trả trong bảy ngày, bảo hành keo chỉ mười hai tháng.</p>
  <button class="add">Thêm vào giỏ hàng</button> <button class="buy">Mua ngay</button>
</div>`;

const ENGLISH_CARD = (n: number) => `
<div class="product">
  <a href="/products/backpack-${n}"><img src="/img/${n}.jpg" alt="Trail backpack model ${n}"></a>
  <h3>Trail Backpack ${n} – lightweight, water resistant, built to last</h3>
  <p class="price">$${(49 + (n % 50)).toString()}.99</p>
  <p>Free shipping within the United States and Canada on orders over $50. Thirty-day returns.</p>
  <button class="add">Add to cart</button>
</div>`;

function vietnamesePage(size: number): string {
  const head = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Giày Đẹp</title>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","offers":{"@type":"Offer","price":"259000","priceCurrency":"VND"}}</script>
<style>.product{display:inline-block}</style></head><body><header><a href="/gio-hang">Giỏ hàng</a></header><main>`;
  const foot = `</main><footer><p>12 Phố Huế, Hà Nội. Hotline 0912 345 678. Thanh toán khi nhận hàng, MoMo, VNPay.</p>
<a href="${PORTAL_URL}/r/TB-2026-00101"><img src="${PORTAL_URL}/badge/TB-2026-00101.svg" alt="Đã thông báo Bộ Công Thương"></a></footer></body></html>`;
  return fill(head, foot, size, VIETNAMESE_CARD);
}

function englishPage(size: number): string {
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Maple Outdoor</title></head><body><main>`;
  const foot =
    '</main><footer><p>We accept Visa, Mastercard and PayPal. <a href="/checkout">Checkout</a></p></footer></body></html>';
  return fill(head, foot, size, ENGLISH_CARD);
}

function fill(head: string, foot: string, size: number, card: (n: number) => string): string {
  const parts = [head];
  let length = head.length + foot.length;
  for (let n = 0; length < size; n++) {
    const next = card(n);
    parts.push(next);
    length += next.length;
  }
  parts.push(foot);
  return parts.join('');
}

const GENUINE: BadgeVerdict = {
  present: true,
  link: `${PORTAL_URL}/r/TB-2026-00101`,
  genuine: true,
  problem: null,
  reason: 'record notified for shopgiay.vn',
  checks: [],
};

const SHOP_IN_REGISTER: RegistryPart = {
  verdict: 'notified',
  platform: {
    id: '00000000-0000-4000-8000-000000000101',
    name: 'Giày Đẹp',
    registration_no: 'TB-2026-00101',
    status: 'notified',
    kind: 'sales',
    cross_border: false,
    valid_until: null,
  },
};
const NOT_IN_REGISTER: RegistryPart = { verdict: 'unknown', platform: null };

function classify(html: string, url: string): string {
  const signals = extractSignals(html, url, { portalUrl: PORTAL_URL });
  const badge = signals.badge.present
    ? GENUINE
    : { ...GENUINE, present: false, link: null, genuine: null, reason: null };
  // The register's verdict as the check index gives it: the shop is notified, the store unknown.
  const registry = signals.badge.present ? SHOP_IN_REGISTER : NOT_IN_REGISTER;
  return classifyPage({ signals, badge, registry }).classification;
}

function baseline(html: string): void {
  const parser = new Parser({});
  parser.end(html);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export async function main(argv: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...argv],
    options: { rounds: { type: 'string', default: '20' }, size: { type: 'string', default: String(1024 * 1024) } },
  });
  const rounds = Number(values.rounds);
  const size = Number(values.size);
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(size) || size < 1000) {
    throw new Error('--rounds must be a whole number ≥ 1 and --size ≥ 1000');
  }
  const started = performance.now();
  const pages = [
    { name: 'Vietnamese shop', url: 'https://www.shopgiay.vn/', html: vietnamesePage(size) },
    { name: 'English store', url: 'https://maple-outdoor.example.com/', html: englishPage(size) },
  ];
  const figures = pages.map((page) => {
    const classification = classify(page.html, page.url);
    // Warm up both before measuring.
    for (let i = 0; i < 3; i++) {
      classify(page.html, page.url);
      baseline(page.html);
    }
    const classifyMs: number[] = [];
    const baselineMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      let start = performance.now();
      baseline(page.html);
      baselineMs.push(performance.now() - start);
      start = performance.now();
      classify(page.html, page.url);
      classifyMs.push(performance.now() - start);
    }
    const measured = median(classifyMs);
    const base = median(baselineMs);
    return {
      page: page.name,
      chars: page.html.length,
      bytes: Buffer.byteLength(page.html),
      classification,
      classifyMedianMs: measured,
      classifyBestMs: Math.min(...classifyMs),
      baselineMedianMs: base,
      baselineBestMs: Math.min(...baselineMs),
      ratio: measured / base,
    };
  });
  console.log(`[bench monitor-classify] pages of ${size} characters, ${rounds} rounds each`);
  const rows: Row[] = figures.map((figure) => ({
    figure: `${figure.page} (${(figure.bytes / 1024 / 1024).toFixed(2)} MB, ${figure.classification})`,
    measured: `${figure.classifyMedianMs.toFixed(1)} ms median (best ${figure.classifyBestMs.toFixed(1)})`,
    baseline: `${figure.baselineMedianMs.toFixed(1)} ms htmlparser2 alone (best ${figure.baselineBestMs.toFixed(1)})`,
    ratio: `${figure.ratio.toFixed(2)} ×`,
    target: `≤ ${TARGET_MS} ms`,
    met: figure.classifyMedianMs <= TARGET_MS,
  }));
  printTable(rows);
  const results = {
    measuredAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadAverage: os.loadavg(), node: process.version },
    size,
    rounds,
    figures,
    target: { ms: TARGET_MS },
    totalSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`[bench monitor-classify] results written to bench/results/monitor-classify.json`);
}

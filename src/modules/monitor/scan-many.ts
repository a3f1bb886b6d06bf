/**
 * Scanning many URLs politely (issue 12 "Fetching"): at most `concurrency` fetches at once overall and `perHost` per
 * host, so one sweep never hammers one site; a 429 or 503 answer is retried with exponential back-off, honouring the
 * server's Retry-After up to a cap (a hostile server must not park a worker for an hour). Redirects (≤ 5, each hop
 * re-checked by the SSRF guard), the timeout and the byte limit are safe-fetch's; a body cut at the limit is said in
 * the answer's reasons.
 */

import { type ScanOptions, type ScanServices, scanUrl } from './monitor.scan.ts';
import type { MonitorAnswer } from './monitor.schemas.ts';

export interface ScanManyOptions extends Omit<ScanOptions, 'url' | 'onCaptured'> {
  /** Fetches at once overall. Default 8. */
  concurrency?: number;
  /** Fetches at once to one host. Default 2. */
  perHost?: number;
  /** Retries of a 429/503 answer. Default 3. */
  retries?: number;
  /** First back-off; doubled each retry. Default 500 ms. */
  backoffMs?: number;
  /** Longest wait for one retry, whatever Retry-After says. Default 30 s. */
  maxRetryAfterMs?: number;
}

const RETRYABLE = new Set([429, 503]);

/**
 * Who is asking, in words a site owner reading their logs understands: the Ministry of Industry and Trade's
 * e-commerce agency, and where to read about the register.
 */
export const MONITOR_USER_AGENT =
  'ecomgov-monitor/1.0 (Cuc Thuong mai dien tu va Kinh te so, Bo Cong Thuong - Vietnam E-Commerce and Digital Economy Agency, MOIT; +https://online.gov.vn)';

/** Retry-After in ms (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(value: unknown, now = Date.now()): number | null {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.trim() === '') return null;
  if (/^\d{1,9}$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return url;
  }
}

/** A counting gate per key: `run` waits until fewer than `limit` tasks of that key are running. */
class KeyedLimiter {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  constructor(private readonly limit: number) {}

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    if ((this.running.get(key) ?? 0) >= this.limit) {
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(key) ?? [];
        queue.push(resolve);
        this.waiting.set(key, queue);
      });
    } else {
      this.running.set(key, (this.running.get(key) ?? 0) + 1);
    }
    try {
      return await task();
    } finally {
      const queue = this.waiting.get(key);
      const wake = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(key);
      // The slot passes straight to the next waiter, so the count never dips and lets a third one in.
      if (wake) wake();
      else {
        const count = (this.running.get(key) ?? 1) - 1;
        if (count === 0) this.running.delete(key);
        else this.running.set(key, count);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Scans every URL (answers in the order given) within the limits above. */
export async function scanMany(
  services: ScanServices,
  urls: readonly string[],
  options: ScanManyOptions = {},
): Promise<MonitorAnswer[]> {
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const perHost = new KeyedLimiter(Math.max(1, options.perHost ?? 2));
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const { concurrency: _c, perHost: _p, retries: _r, backoffMs: _b, maxRetryAfterMs: _m, ...scanOptions } = options;

  const scanOne = async (url: string): Promise<MonitorAnswer> => {
    for (let attempt = 0; ; attempt++) {
      let retryAfter: unknown;
      let truncated = false;
      const answer = await perHost.run(hostOf(url), () =>
        scanUrl(services, {
          ...scanOptions,
          url,
          headers: { 'user-agent': MONITOR_USER_AGENT, ...scanOptions.headers },
          onCaptured: (captured) => {
            retryAfter = captured.headers['retry-after'];
            truncated = captured.bodyTruncated;
          },
        }),
      );
      if (answer.http_status !== null && RETRYABLE.has(answer.http_status) && attempt < retries) {
        // The slot is given back while waiting: a host that asks us to wait is not one to queue more requests at.
        await sleep(Math.min(maxRetryAfterMs, retryAfterMs(retryAfter) ?? backoffMs * 2 ** attempt));
        continue;
      }
      if (truncated) {
        answer.reasons.push({
          code: 'body_truncated',
          vi: 'Trang vượt giới hạn dung lượng: chỉ phần đầu được lưu và phân loại.',
          en: 'The page is over the size limit: only its beginning was kept and classified.',
        });
      }
      return answer;
    }
  };

  const results: MonitorAnswer[] = new Array(urls.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, urls.length) }, async () => {
      while (next < urls.length) {
        const at = next++;
        results[at] = await scanOne(urls[at] as string);
      }
    }),
  );
  return results;
}

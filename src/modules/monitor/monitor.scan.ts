/**
 * One scan of a URL (DESIGN.md "Monitor answer"): the page is fetched once, through the SSRF guard, as evidence
 * (the evidence module keeps it as WARC with its hashes), and the same bytes are classified. A fetch the guard
 * refuses or that fails is `unreachable`, with the reason and no evidence.
 */
import path from 'node:path';
import type { ActorContext } from '../../core/context.ts';
import type { Database } from '../../core/db.ts';
import type { Localized } from '../../core/i18n.ts';
import { SafeFetchError, type SafeFetchFailure } from '../../core/safe-fetch.ts';
import type { CheckIndex } from '../check/index.ts';
import { type CapturedEvidence, captureEvidence } from '../evidence/index.ts';
import { assessPage } from './classify.ts';
import type { MonitorAnswer } from './monitor.schemas.ts';

export interface ScanOptions {
  url: string;
  /** HOST:PORT:ADDR, as curl's --resolve. */
  resolve?: readonly string[];
  /** true, or the private addresses allowed (the queue's MONITOR_ALLOW_PRIVATE). */
  allowPrivate?: boolean | readonly string[];
  screenshot?: boolean;
  /** Request headers (scanMany sends the User-Agent naming the regulator). */
  headers?: Record<string, string>;
  /** Bytes of body kept (the rest is cut and the capture marked truncated). */
  maxBytes?: number;
  /** Sees the capture before classification (scanMany reads Retry-After and the truncation from it). */
  onCaptured?: (captured: CapturedEvidence) => void;
}

export interface ScanServices {
  database: Database;
  index: CheckIndex;
  /** The evidence store (EVIDENCE_DIR or `evidence` in the data folder). */
  storeDir: string;
  portalUrl: string;
  context: ActorContext;
  now?: () => Date;
  /**
   * Called with each page captured and classified, for the modules that read more from it (the promotions module
   * records the prices it shows). Given by the composition root: the monitor depends on none of them.
   */
  pageObservers?: readonly PageObserver[] | undefined;
}

export type PageObserver = (
  db: Database['db'],
  page: { html: string; url: string; evidenceId: string | null; observedAt: Date },
) => Promise<unknown>;

const UNREACHABLE_TEXT: Record<SafeFetchFailure, Localized> = {
  bad_url: { vi: 'Địa chỉ không hợp lệ.', en: 'The address is not a valid URL.' },
  unsupported_scheme: { vi: 'Chỉ quét được http và https.', en: 'Only http and https can be scanned.' },
  blocked_address: {
    vi: 'Địa chỉ IP thuộc dải nội bộ hoặc dành riêng: bộ lọc SSRF từ chối kết nối.',
    en: 'The address is private or reserved: the SSRF guard refused to connect.',
  },
  dns_failure: { vi: 'Không phân giải được tên miền.', en: 'The domain name does not resolve.' },
  too_many_redirects: { vi: 'Quá nhiều lần chuyển hướng.', en: 'Too many redirects.' },
  too_large: { vi: 'Trang vượt quá giới hạn dung lượng.', en: 'The page is over the size limit.' },
  timeout: { vi: 'Máy chủ không trả lời kịp.', en: 'The server did not answer in time.' },
  network: { vi: 'Lỗi kết nối mạng.', en: 'The connection failed.' },
};

/** The page's text: the charset its Content-Type names, else UTF-8 (what Vietnamese sites use). */
function decodeBody(captured: CapturedEvidence): string {
  const type = String(captured.headers['content-type'] ?? '');
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(type)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(captured.body);
  } catch {
    return new TextDecoder('utf-8').decode(captured.body);
  }
}

export async function scanUrl(services: ScanServices, options: ScanOptions): Promise<MonitorAnswer> {
  const now = services.now?.() ?? new Date();
  let captured: CapturedEvidence;
  try {
    captured = await captureEvidence(services.database.db, services.storeDir, services.context, {
      url: options.url,
      resolve: options.resolve ? [...options.resolve] : [],
      allowPrivate: options.allowPrivate ?? false,
      screenshot: options.screenshot === true,
      ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    options.onCaptured?.(captured);
  } catch (error) {
    if (!(error instanceof SafeFetchError)) throw error;
    const reason = UNREACHABLE_TEXT[error.reason];
    return {
      url: options.url,
      final_url: null,
      http_status: null,
      fetched_at: now.toISOString(),
      ip: null,
      signals: {
        ecommerce: { value: false, evidence: [] },
        targets_vietnam: { value: false, evidence: [] },
        badge: { present: false, link: null, genuine: null, reason: null },
      },
      registry: { verdict: 'unknown', platform: null },
      classification: 'unreachable',
      reasons: [{ code: `fetch_${error.reason}`, vi: reason.vi, en: `${reason.en} (${error.message})` }],
      evidence: null,
    };
  }
  const html = decodeBody(captured);
  const assessment = await assessPage(
    services.database.db,
    services.index,
    { html, url: captured.finalUrl },
    { portalUrl: services.portalUrl, now },
  );
  for (const observe of services.pageObservers ?? []) {
    await observe(services.database.db, {
      html,
      url: captured.finalUrl,
      evidenceId: captured.evidenceId,
      observedAt: new Date(captured.fetchedAt),
    });
  }
  return {
    url: options.url,
    final_url: captured.finalUrl,
    http_status: captured.httpStatus,
    fetched_at: captured.fetchedAt,
    ip: captured.ip,
    ...assessment,
    evidence: {
      id: captured.evidenceId,
      sha256: captured.sha256,
      warc: path.join(path.basename(services.storeDir), captured.warcPath),
    },
  };
}

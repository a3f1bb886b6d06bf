/**
 * What the blocking module adds to the public record page `/r/{registration_no}`: the decision of the platform's
 * active block, with a link to its page (and the appeal form), and for the officers who propose blocks a link to
 * propose one for this platform.
 */
import type { FastifyRequest } from 'fastify';
import type { Db } from '../../core/db.ts';
import { html, type SafeHtml } from '../../core/html.ts';
import { fill } from '../../core/i18n.ts';
import { localeOf, translator } from '../../web/layout.ts';
import { can, getPrincipal } from '../accounts/index.ts';
import type { Platform } from '../registry/index.ts';
import { listBlocks } from './blocking.service.ts';

const TEXT = {
  blocked: {
    vi: 'Nền tảng này đang bị chặn theo Quyết định {decision}.',
    en: 'This platform is blocked by decision {decision}.',
  },
  details: { vi: 'Xem quyết định và cách khiếu nại', en: 'The decision and how to appeal' },
  propose: { vi: 'Đề xuất chặn nền tảng này', en: 'Propose blocking this platform' },
};

export function createBlockRecordExtras(db: Db) {
  return async (request: FastifyRequest, platform: Platform): Promise<SafeHtml | undefined> => {
    const t = translator(localeOf(request));
    const active = (await listBlocks(db, { status: 'active', platformId: platform.id, limit: 1 }))[0];
    const parts: SafeHtml[] = [];
    if (active) {
      parts.push(
        html`<div class="verdict verdict-bad" role="status" data-block="${active.id}"><p>${t(
          fill(TEXT.blocked, { decision: active.decision_no ?? '' }),
        )} <a href="/blocks/${active.id}">${t(TEXT.details)}</a></p></div>`,
      );
    }
    if (can(getPrincipal(request), 'blocks:propose')) {
      parts.push(
        html`<p><a href="/workbench/blocks/new?platform=${platform.id}" data-action="propose-block">${t(TEXT.propose)}</a></p>`,
      );
    }
    return parts.length > 0 ? html`${parts}` : undefined;
  };
}

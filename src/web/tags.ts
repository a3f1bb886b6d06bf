import { html, type SafeHtml } from '../core/html.ts';
import type { Localized } from '../core/i18n.ts';
import type { DeadlineStatus } from '../core/working-days.ts';

export type Tone = 'ok' | 'warn' | 'bad';

type Translate = (text: Localized) => string;

/** A coloured label of a state (a status, a deadline); `state` goes into `data-state` for tests and styles. */
export function tag(t: Translate, label: Localized, tone: Tone, state?: string): SafeHtml {
  return html`<span class="tag tag-${tone}"${state ? html` data-state="${state}"` : ''}>${t(label)}</span>`;
}

const DEADLINE_LABELS: Record<DeadlineStatus, Localized> = {
  on_time: { vi: 'Còn hạn', en: 'On time' },
  due_today: { vi: 'Đến hạn hôm nay', en: 'Due today' },
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
};

const DEADLINE_TONES: Record<DeadlineStatus, Tone> = { on_time: 'ok', due_today: 'warn', overdue: 'bad' };

/** Where a statutory clock stands (`deadlineStatus` of core/working-days), for every queue with one. */
export function deadlineTag(t: Translate, status: DeadlineStatus): SafeHtml {
  return tag(t, DEADLINE_LABELS[status], DEADLINE_TONES[status], status);
}

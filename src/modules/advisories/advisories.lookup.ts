import type { Database, Db } from '../../core/db.ts';
import type { Localized } from '../../core/i18n.ts';
import { SAMPLE_PREFIX } from './advisories.feeds.ts';
import { listPublishedAdvisoryLinks } from './advisories.repository.ts';
import { ADVISORIES_CHANGED_CHANNEL } from './advisories.service.ts';

/**
 * The published advisories by platform, in memory, for the check: an answer lists a platform's advisories without a
 * query (the check's budget is p99 50 ms, and it never touches the database). Reloaded whole on every change
 * (published advisories are a few thousand at most), from one indexed query.
 */

/** An advisory as a check answer lists it (DESIGN.md "Check answer"): the Vietnamese title, the default language. */
export interface CheckAdvisory {
  id: string;
  title: string;
  published_at: string;
}

export interface AdvisoryLookup {
  /** The platform's published advisories, newest first; the same empty array for a platform without any. */
  forPlatform(platformId: string): readonly CheckAdvisory[];
  /** An advisory's title in both languages (pages show the reader's). */
  titleOf(advisoryId: string): Localized | undefined;
}

const NONE: readonly CheckAdvisory[] = Object.freeze([]);

export class AdvisoryIndex implements AdvisoryLookup {
  private byPlatform = new Map<string, CheckAdvisory[]>();
  private titles = new Map<string, Localized>();

  forPlatform(platformId: string): readonly CheckAdvisory[] {
    return this.byPlatform.get(platformId) ?? NONE;
  }

  titleOf(advisoryId: string): Localized | undefined {
    return this.titles.get(advisoryId);
  }

  async reload(db: Db): Promise<void> {
    const byPlatform = new Map<string, CheckAdvisory[]>();
    const titles = new Map<string, Localized>();
    const entries = new Map<string, CheckAdvisory>();
    for (const row of await listPublishedAdvisoryLinks(db)) {
      let entry = entries.get(row.id);
      if (!entry) {
        entry = Object.freeze({
          id: row.id,
          title: row.sample ? `${SAMPLE_PREFIX.vi}${row.title_vi}` : row.title_vi,
          published_at: (row.published_at as Date).toISOString(),
        });
        entries.set(row.id, entry);
        titles.set(
          row.id,
          row.sample
            ? { vi: `${SAMPLE_PREFIX.vi}${row.title_vi}`, en: `${SAMPLE_PREFIX.en}${row.title_en}` }
            : { vi: row.title_vi, en: row.title_en },
        );
      }
      const list = byPlatform.get(row.platform_id);
      if (list) list.push(entry);
      else byPlatform.set(row.platform_id, [entry]);
    }
    this.byPlatform = byPlatform;
    this.titles = titles;
  }
}

/** Loads the index and keeps it current (changes are notified at commit); returns a function that stops following. */
export async function startAdvisoryIndex(
  database: Database,
): Promise<{ index: AdvisoryIndex; stop: () => Promise<void> }> {
  const index = new AdvisoryIndex();
  let pending = Promise.resolve();
  let queued = false;
  // Listen before loading so that no change committed during the load is missed.
  const stopListening = await database.listen(ADVISORIES_CHANGED_CHANNEL, () => {
    if (queued) return;
    queued = true;
    pending = pending
      .then(async () => {
        queued = false;
        await index.reload(database.db);
      })
      .catch(() => {
        // A failed reload is retried by the next change; the index keeps answering from what it has.
      });
  });
  try {
    await index.reload(database.db);
  } catch (error) {
    await stopListening();
    throw error;
  }
  return {
    index,
    stop: async () => {
      await stopListening();
      await pending;
    },
  };
}

/** The index loaded once (the CLI's check: one answer, no change to follow). */
export async function loadAdvisoryLookup(db: Db): Promise<AdvisoryLookup> {
  const index = new AdvisoryIndex();
  await index.reload(db);
  return index;
}

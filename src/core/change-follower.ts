/**
 * Following a change channel whose payload is a JSON array of ids, or '*' for "compare everything" (the registry's
 * REGISTRY_CHANGED_CHANNEL): listens first, compares everything once, then applies each announced change in order, one
 * step at a time. A failed step goes to `onError` and is followed, `retryMs` later, by a full comparison (what failed
 * is not known to be applied). Used by the blocklist and the hash-prefix list.
 */
import type { Database } from './db.ts';

export interface ChangeFollower {
  /** Resolves when every change announced so far has been applied. */
  settled(): Promise<void>;
  /** Queues a full comparison (unless one is queued already). */
  compareAll(): void;
  stop(): Promise<void>;
}

export interface ChangeSteps {
  all(): Promise<unknown>;
  some(ids: string[]): Promise<unknown>;
}

export async function startChangeFollower(
  database: Database,
  channel: string,
  steps: ChangeSteps,
  onError: (error: unknown) => void = () => {},
  retryMs = 5_000,
  /** Whether to resolve only after the first full comparison (false: it runs in the background). */
  awaitFirstComparison = true,
): Promise<ChangeFollower> {
  let pending: Promise<unknown> = Promise.resolve();
  let fullQueued = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const enqueue = (step: () => Promise<unknown>) => {
    pending = pending.then(step).catch((error: unknown) => {
      onError(error);
      if (stopped || retry) return;
      retry = setTimeout(() => {
        retry = undefined;
        enqueueFull();
      }, retryMs);
      retry.unref();
    });
  };
  const enqueueFull = () => {
    if (fullQueued || stopped) return;
    fullQueued = true;
    enqueue(async () => {
      fullQueued = false;
      await steps.all();
    });
  };
  const stopListening = await database.listen(channel, (payload) => {
    if (payload === '*') {
      enqueueFull();
      return;
    }
    const ids = parseIdList(payload);
    if (ids.length > 0) enqueue(() => steps.some(ids));
  });
  enqueueFull();
  if (awaitFirstComparison) await pending;
  return {
    settled: async () => {
      await pending;
    },
    compareAll: enqueueFull,
    stop: async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      await stopListening();
      await pending;
    },
  };
}

/** The ids of a change payload (a JSON array of strings); none when it is not one. */
export function parseIdList(payload: string): string[] {
  try {
    const parsed: unknown = JSON.parse(payload);
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

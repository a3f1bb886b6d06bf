/**
 * Keeps the list (`blocklist_entries`) equal to the register: the domains of platforms whose status is `blocked`,
 * plus passthru exceptions for domains of other platforms that lie under a blocked domain (its `*.domain` rule would
 * catch them). Every change of the list is one new serial. The register is read only through `registry`'s exported
 * functions; the follower applies the changes it announces (REGISTRY_CHANGED_CHANNEL), a full comparison runs at
 * start and when the register announces a bulk change ('*').
 */
import { recordAuditEvent } from '../../core/audit.ts';
import { type ChangeFollower, startChangeFollower } from '../../core/change-follower.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { parentDomains } from '../../core/hosts.ts';
import { activeBlockTerms, type BlockTerms } from '../blocking/index.ts';
import {
  type DomainOfPlatform,
  listDomainsByBlockedness,
  listUnblockedDomainsUnder,
  loadPlatformSnapshotsByIds,
  REGISTRY_CHANGED_CHANNEL,
} from '../registry/index.ts';
import {
  advanceSerial,
  closeEntries,
  type EntryRow,
  insertEntries,
  listCurrentBlockedAmong,
  listCurrentEntries,
  listCurrentPassthruUnder,
  listEntriesAt,
  lockState,
  type NewEntry,
} from './blocklist.repository.ts';

const SYNC_CONTEXT: ActorContext = { actor: 'system:blocklist-sync' };
const PAGE = 10_000;

/** A name an RPZ zone, a hosts file and a resolver take as it is: ASCII labels (IDNs as xn--), no trailing dot. */
const DOMAIN_PATTERN =
  /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function isFeedableDomain(domain: string): boolean {
  return DOMAIN_PATTERN.test(domain);
}

/** A block carries the decision of the platform's active block (blocking workflow), or nulls when none is recorded. */
function termsOf(terms: BlockTerms | undefined, action: NewEntry['action']) {
  return action === 'block' && terms
    ? {
        decision_no: terms.decision_no,
        legal_basis: terms.legal_basis,
        effective_from: terms.effective_from,
        effective_to: terms.effective_to,
      }
    : { decision_no: null, legal_basis: null, effective_from: null, effective_to: null };
}

function entryOf(item: DomainOfPlatform, action: NewEntry['action'], terms?: BlockTerms): NewEntry {
  return {
    domain: item.domain,
    action,
    platform_id: item.platformId,
    platform_name: item.platformName,
    registration_no: item.registrationNo,
    ...termsOf(terms, action),
  };
}

function sameEntry(current: EntryRow, target: NewEntry): boolean {
  return (
    current.action === target.action &&
    current.platform_id === target.platform_id &&
    current.platform_name === target.platform_name &&
    current.registration_no === target.registration_no &&
    current.decision_no === target.decision_no &&
    current.legal_basis === target.legal_basis &&
    current.effective_from === target.effective_from &&
    current.effective_to === target.effective_to
  );
}

interface Changes {
  close: string[];
  insert: NewEntry[];
}

/** Writes the changes under a new serial; returns it, or the serial unchanged when nothing changed. */
async function applyChanges(trx: Db, serial: number, changes: Changes, scope: string): Promise<number> {
  if (changes.close.length === 0 && changes.insert.length === 0) return serial;
  const next = serial + 1;
  await closeEntries(trx, changes.close, next);
  await insertEntries(trx, changes.insert, next);
  await advanceSerial(trx, next);
  await recordAuditEvent(trx, SYNC_CONTEXT, {
    action: 'blocklist.change',
    entityType: 'blocklist',
    entityId: String(next),
    changes: { scope, closed: changes.close.length, added: changes.insert.length },
  });
  return next;
}

/** Compares one set of targets with the current entries of the same domains. */
function diffAgainst(current: readonly EntryRow[], targets: readonly NewEntry[], changes: Changes): void {
  const currentByDomain = new Map(current.map((row) => [row.domain, row]));
  const targetDomains = new Set<string>();
  for (const target of targets) {
    targetDomains.add(target.domain);
    const existing = currentByDomain.get(target.domain);
    if (existing && sameEntry(existing, target)) continue;
    if (existing) changes.close.push(existing.domain);
    changes.insert.push(target);
  }
  for (const row of current) if (!targetDomains.has(row.domain)) changes.close.push(row.domain);
}

/**
 * Brings the entries of the given platforms (and the passthru exceptions their blocking adds or lifts) in line with
 * the register, in one transaction. Returns the serial after it.
 */
export async function syncPlatforms(database: Database, platformIds: readonly string[]): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const serial = await lockState(trx);
    const snapshots = await loadPlatformSnapshotsByIds(trx, platformIds);
    const current = await listCurrentEntries(trx, { platformIds });
    const terms = await activeBlockTerms(trx, platformIds);
    const blockTargets: NewEntry[] = [];
    for (const snapshot of snapshots) {
      if (snapshot.status !== 'blocked') continue;
      for (const domain of snapshot.domains) {
        if (!isFeedableDomain(domain)) continue;
        blockTargets.push({
          domain,
          action: 'block',
          platform_id: snapshot.id,
          platform_name: snapshot.name,
          registration_no: snapshot.registrationNo,
          ...termsOf(terms.get(snapshot.id), 'block'),
        });
      }
    }
    // First the blocks: a domain that moved from one platform to another is closed here and written again below.
    const blockChanges: Changes = { close: [], insert: [] };
    const currentBlocks = current.filter((row) => row.action === 'block');
    const blockTargetDomains = new Set(blockTargets.map((target) => target.domain));
    const movedAway = await listCurrentEntries(trx, { domains: [...blockTargetDomains] });
    diffAgainst(
      [...currentBlocks, ...movedAway.filter((row) => !currentBlocks.some((own) => own.domain === row.domain))],
      blockTargets,
      blockChanges,
    );
    const added = blockTargets.filter((target) => !currentBlocks.some((row) => row.domain === target.domain));
    const lifted = currentBlocks.filter((row) => !blockTargetDomains.has(row.domain)).map((row) => row.domain);

    // Then the passthru exceptions that could change: under a domain blocked or lifted now, or of these platforms.
    const candidates = new Map<string, DomainOfPlatform>();
    for (const item of await listUnblockedDomainsUnder(trx, [...added.map((entry) => entry.domain), ...lifted])) {
      candidates.set(item.domain, item);
    }
    for (const snapshot of snapshots) {
      if (snapshot.status === 'blocked') continue;
      for (const domain of snapshot.domains) {
        candidates.set(domain, {
          domain,
          platformId: snapshot.id,
          platformName: snapshot.name,
          registrationNo: snapshot.registrationNo,
          status: snapshot.status,
        });
      }
    }
    // Every current exception these changes could touch: of these platforms, under a lifted block, of a candidate.
    const passthruNow = dedupe(
      [
        ...current,
        ...(await listCurrentPassthruUnder(trx, lifted)),
        ...(await listCurrentEntries(trx, { domains: [...candidates.keys()] })),
      ].filter((row) => row.action === 'passthru'),
    );
    const stillBlocked = (domain: string, blockedNow: Set<string>) =>
      parentDomains(domain).some((parent) => blockedNow.has(parent));
    const candidateList = [...candidates.values()].filter((item) => isFeedableDomain(item.domain));
    const allParents = [...new Set(candidateList.flatMap((item) => parentDomains(item.domain)))];
    const blockedParents = await listCurrentBlockedAmong(trx, allParents);
    for (const domain of lifted) blockedParents.delete(domain);
    for (const target of added) blockedParents.add(target.domain);
    const passthruTargets = candidateList
      .filter((item) => stillBlocked(item.domain, blockedParents))
      .map((item) => entryOf(item, 'passthru'));
    const passthruChanges: Changes = { close: [], insert: [] };
    diffAgainst(passthruNow, passthruTargets, passthruChanges);
    return applyChanges(
      trx,
      serial,
      {
        close: [...new Set([...blockChanges.close, ...passthruChanges.close])],
        insert: [...blockChanges.insert, ...passthruChanges.insert],
      },
      `platforms:${platformIds.length}`,
    );
  });
}

function dedupe(rows: readonly EntryRow[]): EntryRow[] {
  return [...new Map(rows.map((row) => [row.domain, row])).values()];
}

/**
 * Compares the whole list with the register (at start, and after an import announced as '*'): the register's
 * blocked domains and the list's blocks are walked side by side in domain order, a page at a time; the passthru
 * exceptions are found among the register's other domains. Returns the serial after it.
 */
export async function syncAll(database: Database): Promise<number> {
  return database.db.transaction().execute(async (trx) => {
    const serial = await lockState(trx);
    const changes: Changes = { close: [], insert: [] };
    // The decisions of the active blocks (a few: decisions, not the register's bulk).
    const terms = await activeBlockTerms(trx);
    // Blocks: merge of two sorted streams.
    const register = pager(
      (after) => listDomainsByBlockedness(trx, true, after, PAGE),
      (item) => item.domain,
    );
    const list = pager(
      (after) => listEntriesAt(trx, serial, after, PAGE, 'block'),
      (row) => row.domain,
    );
    let left = await register.next();
    let right = await list.next();
    const blocked = new Set<string>();
    while (left !== undefined || right !== undefined) {
      if (left !== undefined && !isFeedableDomain(left.domain)) {
        left = await register.next();
        continue;
      }
      if (right === undefined || (left !== undefined && left.domain < right.domain)) {
        const target = entryOf(left as DomainOfPlatform, 'block', terms.get((left as DomainOfPlatform).platformId));
        changes.insert.push(target);
        blocked.add(target.domain);
        left = await register.next();
      } else if (left === undefined || right.domain < left.domain) {
        changes.close.push(right.domain);
        right = await list.next();
      } else {
        const target = entryOf(left, 'block', terms.get(left.platformId));
        if (!sameEntry(right, target)) {
          changes.close.push(right.domain);
          changes.insert.push(target);
        }
        blocked.add(target.domain);
        left = await register.next();
        right = await list.next();
      }
    }
    // Passthru exceptions: every other domain of the register with a blocked parent.
    const passthruTargets: NewEntry[] = [];
    if (blocked.size > 0) {
      let after: string | null = null;
      for (;;) {
        const page = await listDomainsByBlockedness(trx, false, after, PAGE);
        if (page.length === 0) break;
        for (const item of page) {
          if (!isFeedableDomain(item.domain)) continue;
          if (parentDomains(item.domain).some((parent) => blocked.has(parent))) {
            passthruTargets.push(entryOf(item, 'passthru'));
          }
        }
        after = page.at(-1)?.domain ?? null;
      }
    }
    const currentPassthru: EntryRow[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await listEntriesAt(trx, serial, after, PAGE, 'passthru');
      if (page.length === 0) break;
      currentPassthru.push(...page);
      after = page.at(-1)?.domain ?? null;
    }
    diffAgainst(currentPassthru, passthruTargets, changes);
    return applyChanges(trx, serial, { close: [...new Set(changes.close)], insert: changes.insert }, 'all');
  });
}

/** Reads a keyset-paged source one item at a time. */
function pager<T>(read: (after: string | null) => Promise<T[]>, keyOf: (item: T) => string) {
  let page: T[] = [];
  let index = 0;
  let after: string | null = null;
  let done = false;
  return {
    async next(): Promise<T | undefined> {
      if (index >= page.length) {
        if (done) return undefined;
        page = await read(after);
        index = 0;
        if (page.length < PAGE) done = true;
        if (page.length === 0) return undefined;
        after = keyOf(page[page.length - 1] as T);
      }
      return page[index++];
    },
  };
}

export type BlocklistFollower = Pick<ChangeFollower, 'settled' | 'stop'>;

/**
 * Follows the register: listens first, then compares the whole list, then applies each announced change in order.
 * A failed step is reported to `onError` and followed, `retryMs` later, by a full comparison.
 */
export async function startBlocklistFollower(
  database: Database,
  onError: (error: unknown) => void = () => {},
  retryMs = 5_000,
): Promise<BlocklistFollower> {
  return startChangeFollower(
    database,
    REGISTRY_CHANGED_CHANNEL,
    { all: () => syncAll(database), some: (ids) => syncPlatforms(database, ids) },
    onError,
    retryMs,
  );
}

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { isUuid } from '../../core/ids.ts';
import { listUnits, type Unit } from '../units/index.ts';
import { buildDeadlineCalendar } from './directives.ics.ts';
import {
  type FeedTokenRow,
  findFeedTokenById,
  findLiveFeedTokenByHash,
  insertFeedToken,
  listFeedTokenRows,
  lockLiveFeedToken,
  markFeedTokenRevoked,
  touchFeedToken,
} from './feeds.repository.ts';
import { loadTrackedTasks, unitIdsCovering } from './tracker.service.ts';

/**
 * The deadline calendars' secret addresses, as a calendar application's private address: calendar
 * applications cannot sign in, so whoever holds the address reads the feed. Each unit has at most one live
 * address (`/feeds/directives/{token}.ics`, 256 random bits), and the secretariat one for all units. The
 * token is shown once, when made; the database keeps its SHA-256 only. Making a new address for a unit
 * that has one replaces it (rotation); revoking ends it. An unknown and a revoked address answer alike (404).
 */

/** 32 random bytes in base64url: 43 characters. */
export const FEED_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface DirectiveFeed {
  id: string;
  /** null: every unit's tasks. */
  unit: { id: string; name_vi: string; name_en: string } | null;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  status: 'active' | 'revoked';
}

/** Who asks: the edge fills it from the signed-in principal. */
export interface FeedActor {
  context: ActorContext;
  unitId: string | null;
  /** The head of `unitId`. */
  isHead: boolean;
  /** directives:manage: the secretariat, for every unit and for the all-units feed. */
  canManage: boolean;
}

/** A unit's officers see their unit's address; the secretariat sees every one. */
export function mayViewFeed(actor: Omit<FeedActor, 'context'>, unitId: string | null): boolean {
  return actor.canManage || (unitId !== null && actor.unitId === unitId);
}

/** The unit's head makes, replaces and revokes its address; the secretariat any address. */
export function mayManageFeed(actor: Omit<FeedActor, 'context'>, unitId: string | null): boolean {
  return actor.canManage || (unitId !== null && actor.isHead && actor.unitId === unitId);
}

function toFeed(row: FeedTokenRow, units: readonly Unit[]): DirectiveFeed {
  const unit = row.unit_id === null ? undefined : units.find((candidate) => candidate.id === row.unit_id);
  return {
    id: row.id,
    unit:
      row.unit_id === null
        ? null
        : { id: row.unit_id, name_vi: unit?.name_vi ?? row.unit_id, name_en: unit?.name_en ?? row.unit_id },
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    status: row.revoked_at ? 'revoked' : 'active',
  };
}

/** The addresses the actor may see (without their tokens), newest first, revoked ones included. */
export async function listDirectiveFeeds(db: Db, actor: Omit<FeedActor, 'context'>): Promise<DirectiveFeed[]> {
  if (!actor.canManage && actor.unitId === null) return [];
  const rows = await listFeedTokenRows(db, actor.canManage ? {} : { unitId: actor.unitId });
  const units = await listUnits(db);
  return rows.map((row) => toFeed(row, units));
}

/** What a page shows of a unit's (null: all units') address; undefined when the actor may not see it. */
export interface FeedPanel {
  unitId: string | null;
  live: DirectiveFeed | null;
  mayManage: boolean;
}

export async function findFeedPanel(
  db: Db,
  actor: Omit<FeedActor, 'context'>,
  unitId: string | null,
): Promise<FeedPanel | undefined> {
  if (!mayViewFeed(actor, unitId)) return undefined;
  const [live] = await listFeedTokenRows(db, { unitId, liveOnly: true });
  return { unitId, live: live ? toFeed(live, await listUnits(db)) : null, mayManage: mayManageFeed(actor, unitId) };
}

const FORBIDDEN_FEED = {
  vi: 'Chỉ lãnh đạo đơn vị hoặc Văn phòng Bộ tạo, thay hoặc thu hồi địa chỉ lịch của đơn vị.',
  en: 'Only the head of the unit or the secretariat (directives:manage) makes, replaces or revokes its calendar address.',
};

/**
 * Makes the unit's secret address (null: all units), replacing (revoking) the live one if there is one.
 * Returns the token: the only time it exists outside the calendar application that will hold it.
 */
export async function createDirectiveFeed(
  database: Database,
  unitId: string | null,
  actor: FeedActor,
): Promise<{ token: string; feed: DirectiveFeed }> {
  if (!mayManageFeed(actor, unitId)) throw new AppError('forbidden', FORBIDDEN_FEED);
  if (unitId !== null) await unitIdsCovering(database.db, unitId); // 404 for an unknown unit
  const token = randomBytes(32).toString('base64url');
  const row = await database.db.transaction().execute(async (trx) => {
    const replaced = await lockLiveFeedToken(trx, unitId);
    if (replaced) await markFeedTokenRevoked(trx, replaced.id);
    const inserted = await insertFeedToken(trx, {
      unit_id: unitId,
      token_hash: sha256Hex(token),
      created_by: actor.context.actor,
    });
    if (!inserted) {
      throw new AppError('conflict', {
        vi: 'Một người khác vừa tạo địa chỉ lịch cho đơn vị này. Hãy tải lại trang.',
        en: 'Someone else made a calendar address for this unit just now; reload the page.',
      });
    }
    if (replaced) {
      await recordAuditEvent(trx, actor.context, {
        action: 'directive_feed.revoke',
        entityType: 'directive_feed',
        entityId: replaced.id,
        changes: { unit_id: unitId, replaced_by: inserted.id },
      });
    }
    await recordAuditEvent(trx, actor.context, {
      action: replaced ? 'directive_feed.rotate' : 'directive_feed.create',
      entityType: 'directive_feed',
      entityId: inserted.id,
      changes: { unit_id: unitId, replaces: replaced?.id ?? null },
    });
    return inserted;
  });
  return { token, feed: toFeed(row, await listUnits(database.db)) };
}

/** Ends an address at once; revoking a revoked address changes nothing. */
export async function revokeDirectiveFeed(database: Database, id: string, actor: FeedActor): Promise<DirectiveFeed> {
  const row = isUuid(id) ? await findFeedTokenById(database.db, id) : undefined;
  if (!row) throw notFound({ vi: `Không có địa chỉ lịch mã ${id}.`, en: `no calendar feed with id ${id}` });
  if (!mayManageFeed(actor, row.unit_id)) throw new AppError('forbidden', FORBIDDEN_FEED);
  await database.db.transaction().execute(async (trx) => {
    if (await markFeedTokenRevoked(trx, row.id)) {
      await recordAuditEvent(trx, actor.context, {
        action: 'directive_feed.revoke',
        entityType: 'directive_feed',
        entityId: row.id,
        changes: { unit_id: row.unit_id },
      });
    }
  });
  const revoked = await findFeedTokenById(database.db, row.id);
  return toFeed(revoked ?? row, await listUnits(database.db));
}

/** The same answer for an address never made and one revoked: it must not confirm that an address existed. */
function unknownFeed(): AppError {
  return notFound({ vi: 'Không có lịch ở địa chỉ này.', en: 'no calendar feed at this address' });
}

/** The iCalendar text behind a secret address, and a file name for it. */
export async function readDirectiveFeed(
  db: Db,
  token: string,
  options: { portalUrl?: string | undefined } = {},
): Promise<{ calendar: string; filename: string }> {
  if (!FEED_TOKEN_PATTERN.test(token)) throw unknownFeed();
  const tokenHash = sha256Hex(token);
  // Found through the index on the hash; what an attacker can time there is a comparison of hashes of
  // the tokens they send, which tells nothing about a live token. The final check is in constant time.
  const row = await findLiveFeedTokenByHash(db, tokenHash);
  if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(tokenHash, 'hex'))) {
    throw unknownFeed();
  }
  await touchFeedToken(db, row.id);
  const covering = row.unit_id === null ? undefined : await unitIdsCovering(db, row.unit_id);
  const tasks = await loadTrackedTasks(db, covering ? { unitIds: covering.ids } : {});
  const name = covering ? `Thời hạn nhiệm vụ – ${covering.unit.name_vi}` : 'Thời hạn nhiệm vụ – Bộ Công Thương';
  return {
    calendar: buildDeadlineCalendar(tasks, { name, portalUrl: options.portalUrl }),
    filename: `directives${covering ? `-${covering.unit.id}` : ''}.ics`,
  };
}

/**
 * The feeds: the list at a serial in every format, streamed a page at a time; the diff since a serial; signatures;
 * what ISPs say they loaded, and how far behind each is.
 */
import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import type { Database, Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import {
  csvLines,
  DECISION_NOTE,
  type FeedFormat,
  type FeedSettings,
  hostsHeader,
  JSON_FOOTER,
  jsonHeader,
  jsonLines,
  rpzBlockTarget,
  rpzHeader,
} from './blocklist.formats.ts';
import {
  countCurrent,
  type EntryAction,
  listChanges,
  listEntriesAt,
  listPartnerLoads,
  readFeedLinesAt,
  readState,
  upsertPartnerLoad,
} from './blocklist.repository.ts';
import type { FeedSigner } from './blocklist.signing.ts';

const PAGE = 10_000;
/** Entries per page of the RPZ and hosts feeds (a few MB of text). */
const LINES_PAGE = 50_000;

export async function currentSerial(db: Db): Promise<number> {
  return (await readState(db)).serial;
}

function checkSerial(serial: number, current: number, field: string): void {
  if (!Number.isSafeInteger(serial) || serial < 0 || serial > current) {
    throw invalidInput(
      {
        vi: `${field}: phải là số thứ tự phiên bản từ 0 đến ${current}`,
        en: `${field}: must be a serial from 0 to ${current}`,
      },
      field,
    );
  }
}

/**
 * The feed as it was at `serial` (default: now), a page of entries at a time: nothing but one page is in memory,
 * and the rows read are the versions valid at that serial, so a change during the stream does not mix two lists.
 */
export async function* feedChunks(
  database: Database,
  format: FeedFormat,
  settings: FeedSettings,
  atSerial?: number,
): AsyncGenerator<string | Buffer> {
  const db = database.db;
  const current = await currentSerial(db);
  const serial = atSerial ?? current;
  checkSerial(serial, current, 'serial');
  if (format === 'rpz' || format === 'hosts') {
    // The resolvers' formats, a million lines and more: formatted by the database, read as bytes.
    yield format === 'rpz' ? rpzHeader(serial, settings) : hostsHeader(serial);
    const blockTarget = rpzBlockTarget(settings);
    let afterDomain: string | null = null;
    for (;;) {
      const page = await readFeedLinesAt(database, format, { serial, afterDomain, limit: LINES_PAGE, blockTarget });
      if (page.lastDomain === null) break;
      for (const chunk of page.chunks) yield chunk;
      afterDomain = page.lastDomain;
    }
    return;
  }
  const action: EntryAction = 'block';
  if (format === 'csv') yield csvLines([], serial, true);
  else yield jsonHeader(serial);
  let after: string | null = null;
  let first = true;
  for (;;) {
    const page = await listEntriesAt(db, serial, after, PAGE, action);
    if (page.length === 0) break;
    if (format === 'csv') yield csvLines(page, serial, false);
    else yield jsonLines(page, first);
    first = false;
    after = page.at(-1)?.domain ?? null;
    if (page.length < PAGE) break;
  }
  if (format === 'json') yield JSON_FOOTER;
}

/** The whole feed at a serial as bytes (for signing: Ed25519 signs a message, not a stream). */
export async function feedBytes(
  database: Database,
  format: FeedFormat,
  settings: FeedSettings,
  serial: number,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of feedChunks(database, format, settings, serial)) {
    parts.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
  }
  return Buffer.concat(parts);
}

/** Signatures of the feeds by serial, format and settings; a new serial makes the old ones unused. */
export class FeedSignatures {
  private readonly cache = new Map<string, Promise<string>>();
  constructor(
    private readonly database: Database,
    private readonly signer: FeedSigner,
  ) {}

  signatureOf(format: FeedFormat, settings: FeedSettings, serial: number): Promise<string> {
    const key = `${serial}|${format}|${settings.zone}|${settings.landingHost ?? ''}`;
    let signature = this.cache.get(key);
    if (!signature) {
      signature = feedBytes(this.database, format, settings, serial).then((bytes) => this.signer.sign(bytes));
      signature.catch(() => this.cache.delete(key));
      if (this.cache.size >= 32) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, signature);
    }
    return signature;
  }
}

export interface FeedDiff {
  since: number;
  serial: number;
  added: Array<{
    domain: string;
    action: EntryAction;
    platform: string;
    platform_id: string;
    registration_no: string | null;
    decision_no: string | null;
    legal_basis: string | null;
    effective_from: string | null;
    effective_to: string | null;
  }>;
  removed: Array<{ domain: string; action: EntryAction }>;
  note: string;
}

/**
 * What a partner holding the list at `since` must change to hold the list now: domains added (or whose entry
 * changed: they are listed as added with what they are now) and domains removed.
 */
export async function diffSince(db: Db, since: number): Promise<FeedDiff> {
  const serial = await currentSerial(db);
  checkSerial(since, serial, 'since');
  const changes = await listChanges(db, since, serial);
  const addedDomains = new Set(changes.added.map((row) => row.domain));
  return {
    since,
    serial,
    added: changes.added.map((row) => ({
      domain: row.domain,
      action: row.action,
      platform: row.platform_name,
      platform_id: row.platform_id,
      registration_no: row.registration_no,
      decision_no: row.decision_no,
      legal_basis: row.legal_basis,
      effective_from: row.effective_from,
      effective_to: row.effective_to,
    })),
    removed: changes.removed.filter((row) => !addedDomains.has(row.domain)),
    note: DECISION_NOTE,
  };
}

export async function blocklistSummary(
  db: Db,
): Promise<{ serial: number; changed_at: string; blocked: number; passthru: number }> {
  const state = await readState(db);
  const counts = await countCurrent(db);
  return {
    serial: state.serial,
    changed_at: state.changed_at.toISOString(),
    blocked: counts.block,
    passthru: counts.passthru,
  };
}

/** An ISP says which serial it loaded (its API token names it). */
export async function reportLoadedSerial(
  database: Database,
  partner: { tokenId: string; name: string },
  serial: number,
  context: ActorContext,
): Promise<{ serial: number; current: number; behind: number }> {
  return database.db.transaction().execute(async (trx) => {
    const current = await currentSerial(trx);
    checkSerial(serial, current, 'serial');
    await upsertPartnerLoad(trx, { token_id: partner.tokenId, partner_name: partner.name, serial });
    await recordAuditEvent(trx, context, {
      action: 'blocklist.loaded',
      entityType: 'api_token',
      entityId: partner.tokenId,
      changes: { serial },
    });
    return { serial, current, behind: current - serial };
  });
}

export interface PartnerCompliance {
  tokenId: string;
  name: string;
  serial: number | null;
  loadedAt: Date | null;
  behind: number | null;
}

/**
 * Every partner that holds (or held) a blocklist token, with the serial it last said it loaded and how many
 * serials it is behind: `partners` are the tokens the accounts module lists; a partner that reported under a token
 * since removed is still shown.
 */
export async function partnerCompliance(
  db: Db,
  partners: ReadonlyArray<{ id: string; name: string }>,
): Promise<{ serial: number; partners: PartnerCompliance[] }> {
  const serial = await currentSerial(db);
  const loads = new Map((await listPartnerLoads(db)).map((load) => [load.token_id, load]));
  const rows: PartnerCompliance[] = partners.map((partner) => {
    const load = loads.get(partner.id);
    loads.delete(partner.id);
    return {
      tokenId: partner.id,
      name: partner.name,
      serial: load?.serial ?? null,
      loadedAt: load?.loaded_at ?? null,
      behind: load ? serial - load.serial : null,
    };
  });
  for (const load of loads.values()) {
    rows.push({
      tokenId: load.token_id,
      name: load.partner_name,
      serial: load.serial,
      loadedAt: load.loaded_at,
      behind: serial - load.serial,
    });
  }
  rows.sort(
    (a, b) =>
      (b.behind ?? Number.MAX_SAFE_INTEGER) - (a.behind ?? Number.MAX_SAFE_INTEGER) || a.name.localeCompare(b.name),
  );
  return { serial, partners: rows };
}

import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { todayInVietnam } from '../../core/dates.ts';
import { type Database, type Db, notifyChannel } from '../../core/db.ts';
import { AppError, conflict, type FieldIssue, notFound } from '../../core/errors.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import { isUuid } from '../../core/ids.ts';
import type { SourceStatus } from '../procedures/index.ts';
import {
  findIdentityOwners,
  findPlatformByRegistrationNo,
  loadPlatformSnapshotsByIds,
  type PlatformStatus,
} from '../registry/index.ts';
import {
  type DecisionToPublish,
  decisionTargetOfPlatform,
  endPublishedDecision,
  publishDecision,
} from '../transparency/index.ts';
import {
  type AdvisoryKindRow,
  type AdvisoryRow,
  countAdvisoryRows,
  findAdvisoryRow,
  insertAdvisory,
  listAdvisoryKindRows,
  listAdvisoryRows,
  listPlatformIdsOf,
  replaceAdvisoryPlatforms,
  updateAdvisoryRow,
} from './advisories.repository.ts';
import type { AdvisorySeverity, AdvisoryStatus } from './advisories.table.ts';

/**
 * Warnings to consumers (issue 11): officers of the E-Commerce Agency and of the Ministry's media units write them in
 * Vietnamese and English, name the platforms of the register they concern, and take them through
 * draft → published → withdrawn (with a reason). Every step is an audit event of `advisory` in the transaction of
 * the change, which also notifies `ADVISORIES_CHANGED_CHANNEL` so that the check's index of published advisories
 * follows at commit.
 */

export const ADVISORIES_CHANGED_CHANNEL = 'advisories_changed';

/** At most this many platforms per advisory (the portal's lists name sites one by one). */
export const MAX_PLATFORMS_PER_ADVISORY = 200;

export interface AdvisoryKind {
  id: string;
  name: Localized;
  provision: Localized;
  source_url: string;
  source_status: SourceStatus;
  note: string;
}

export interface AdvisoryPlatform {
  id: string;
  name: string;
  registration_no: string | null;
  status: PlatformStatus | null;
}

export interface Advisory {
  id: string;
  kind: string;
  severity: AdvisorySeverity;
  status: AdvisoryStatus;
  title: Localized;
  body: Localized;
  platforms: AdvisoryPlatform[];
  unit_id: string | null;
  sample: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  withdrawn_at: string | null;
  withdrawal_reason: string | null;
}

export interface AdvisoryInput {
  kind: string;
  severity: AdvisorySeverity;
  title_vi: string;
  title_en: string;
  body_vi: string;
  body_en: string;
  /** Platform ids, registration numbers or domains (a domain names the platform that holds it). */
  platforms: readonly string[];
}

/** Who writes: the context for the audit trail, and the unit the advisory is published by. */
export interface AdvisoryAuthor {
  context: ActorContext;
  unitId: string | null;
}

function kindOf(row: AdvisoryKindRow): AdvisoryKind {
  return {
    id: row.id,
    name: { vi: row.name_vi, en: row.name_en },
    provision: { vi: row.provision_vi, en: row.provision_en },
    source_url: row.source_url,
    source_status: row.source_status,
    note: row.note,
  };
}

export async function listAdvisoryKinds(db: Db): Promise<AdvisoryKind[]> {
  return (await listAdvisoryKindRows(db)).map(kindOf);
}

async function toAdvisories(db: Db, rows: readonly AdvisoryRow[]): Promise<Advisory[]> {
  const platformIds = await listPlatformIdsOf(
    db,
    rows.map((row) => row.id),
  );
  const allIds = [...new Set([...platformIds.values()].flat())];
  const snapshots = new Map((await loadPlatformSnapshotsByIds(db, allIds)).map((snapshot) => [snapshot.id, snapshot]));
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    severity: row.severity,
    status: row.status,
    title: { vi: row.title_vi, en: row.title_en },
    body: { vi: row.body_vi, en: row.body_en },
    platforms: (platformIds.get(row.id) ?? []).map((id) => {
      const snapshot = snapshots.get(id);
      // A platform since removed from the register stays named by its id.
      return snapshot
        ? { id, name: snapshot.name, registration_no: snapshot.registrationNo, status: snapshot.status }
        : { id, name: id, registration_no: null, status: null };
    }),
    unit_id: row.unit_id,
    sample: row.sample,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    published_at: row.published_at?.toISOString() ?? null,
    withdrawn_at: row.withdrawn_at?.toISOString() ?? null,
    withdrawal_reason: row.withdrawal_reason,
  }));
}

const NOT_FOUND: Localized = { vi: 'Không tìm thấy cảnh báo', en: 'advisory not found' };

export async function getAdvisory(db: Db, id: string): Promise<Advisory> {
  const row = isUuid(id) ? await findAdvisoryRow(db, id) : undefined;
  if (!row) throw notFound(NOT_FOUND);
  const [advisory] = await toAdvisories(db, [row]);
  return advisory as Advisory;
}

/** A published or withdrawn advisory, as the public sees it; a draft is not found. */
export async function getPublicAdvisory(db: Db, id: string): Promise<Advisory> {
  const advisory = await getAdvisory(db, id);
  if (advisory.status === 'draft') throw notFound(NOT_FOUND);
  return advisory;
}

export interface AdvisoryPage {
  advisories: Advisory[];
  total: number;
}

export async function listAdvisories(
  db: Db,
  filter: { statuses?: readonly AdvisoryStatus[]; kind?: string | undefined; limit?: number; offset?: number } = {},
): Promise<AdvisoryPage> {
  const rows = await listAdvisoryRows(db, { ...filter, limit: filter.limit ?? 50 });
  return { advisories: await toAdvisories(db, rows), total: await countAdvisoryRows(db, filter) };
}

/** The published advisories, newest first: the public list and the feeds. */
export async function listPublishedAdvisories(
  db: Db,
  options: { kind?: string; limit?: number; offset?: number } = {},
) {
  return listAdvisories(db, { ...options, statuses: ['published'] });
}

// ---------------------------------------------------------------------------------------------------
// Platforms named by an officer

/**
 * Each reference (a platform id, a registration number, or a domain, one per line) as a platform of the register.
 * Every reference that names none is an issue on `platforms`, with its line.
 */
export async function resolvePlatformReferences(db: Db, references: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  const issues: FieldIssue[] = [];
  const wanted = references.map((reference) => reference.trim()).filter((reference) => reference !== '');
  if (wanted.length > MAX_PLATFORMS_PER_ADVISORY) {
    throw new AppError(
      'invalid_input',
      {
        vi: `Tối đa ${MAX_PLATFORMS_PER_ADVISORY} nền tảng cho một cảnh báo.`,
        en: `at most ${MAX_PLATFORMS_PER_ADVISORY} platforms per advisory`,
      },
      { field: 'platforms' },
    );
  }
  for (const [index, reference] of wanted.entries()) {
    const line = index + 1;
    let found: string | undefined;
    if (isUuid(reference)) {
      found = (await loadPlatformSnapshotsByIds(db, [reference.toLowerCase()]))[0]?.id;
    } else {
      found = (await findPlatformByRegistrationNo(db, reference.toUpperCase()))?.id;
      if (!found) {
        const host = tryNormalizeHost(reference);
        if (host) {
          const candidates = [...new Set([host.host, host.registrableDomain])].map((value) => ({
            kind: 'domain' as const,
            value,
          }));
          found = (await findIdentityOwners(db, candidates))[0]?.platformId;
        }
      }
    }
    if (found) {
      if (!ids.includes(found)) ids.push(found);
    } else {
      issues.push({
        line,
        field: 'platforms',
        message: {
          vi: `Dòng ${line}: “${reference}” không phải mã, số đăng ký hay tên miền của nền tảng nào trong danh sách.`,
          en: `line ${line}: “${reference}” is not the id, registration number or domain of a platform in the register`,
        },
      });
    }
  }
  if (issues.length > 0) {
    throw new AppError(
      'invalid_input',
      issues.length === 1
        ? (issues[0] as FieldIssue).message
        : {
            vi: `${issues.length} nền tảng không có trong danh sách.`,
            en: `${issues.length} platforms are not in the register`,
          },
      { field: 'platforms', issues },
    );
  }
  return ids;
}

async function checkKind(db: Db, kind: string): Promise<void> {
  const kinds = await listAdvisoryKindRows(db);
  if (!kinds.some((candidate) => candidate.id === kind)) {
    throw new AppError(
      'invalid_input',
      { vi: 'Loại cảnh báo không có.', en: `unknown advisory kind ${kind}` },
      {
        field: 'kind',
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------------
// The workflow

async function lockAdvisory(trx: Db, id: string): Promise<AdvisoryRow> {
  const row = isUuid(id) ? await findAdvisoryRow(trx, id, { lock: true }) : undefined;
  if (!row) throw notFound(NOT_FOUND);
  return row;
}

const STATUS_TEXT: Record<AdvisoryStatus, Localized> = {
  draft: { vi: 'bản nháp', en: 'a draft' },
  published: { vi: 'đã công bố', en: 'published' },
  withdrawn: { vi: 'đã thu hồi', en: 'withdrawn' },
};

function wrongState(row: AdvisoryRow, action: Localized): AppError {
  return conflict({
    vi: `Không thể ${action.vi}: cảnh báo đang là ${STATUS_TEXT[row.status].vi}.`,
    en: `cannot ${action.en}: the advisory is ${STATUS_TEXT[row.status].en}`,
  });
}

function contentOf(input: AdvisoryInput) {
  return {
    kind: input.kind,
    severity: input.severity,
    title_vi: input.title_vi,
    title_en: input.title_en,
    body_vi: input.body_vi,
    body_en: input.body_en,
  };
}

export async function createAdvisory(
  database: Database,
  author: AdvisoryAuthor,
  input: AdvisoryInput,
  options: { sample?: boolean } = {},
): Promise<Advisory> {
  const row = await database.db.transaction().execute(async (trx) => {
    await checkKind(trx, input.kind);
    const platformIds = await resolvePlatformReferences(trx, input.platforms);
    const inserted = await insertAdvisory(trx, {
      ...contentOf(input),
      unit_id: author.unitId,
      sample: options.sample ?? false,
      created_by: author.context.actor,
    });
    await replaceAdvisoryPlatforms(trx, inserted.id, platformIds);
    await recordAuditEvent(trx, author.context, {
      action: 'advisory.create',
      entityType: 'advisory',
      entityId: inserted.id,
      changes: { ...contentOf(input), platforms: platformIds, unit_id: author.unitId, sample: inserted.sample },
    });
    return inserted;
  });
  return getAdvisory(database.db, row.id);
}

/** Edits a draft, or a published advisory (its `updated` date moves; the feeds show the new text). */
export async function updateAdvisory(
  database: Database,
  context: ActorContext,
  id: string,
  input: AdvisoryInput,
): Promise<Advisory> {
  await database.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, id);
    if (row.status === 'withdrawn') throw wrongState(row, { vi: 'sửa', en: 'edit it' });
    await checkKind(trx, input.kind);
    const platformIds = await resolvePlatformReferences(trx, input.platforms);
    const before = (await listPlatformIdsOf(trx, [id])).get(id) ?? [];
    const next = contentOf(input);
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [key, value] of Object.entries(next)) {
      const old = row[key as keyof typeof next];
      if (old !== value) changes[key] = [old, value];
    }
    if ([...before].sort().join() !== [...platformIds].sort().join()) changes.platforms = [before, platformIds];
    if (Object.keys(changes).length === 0) return;
    await updateAdvisoryRow(trx, id, { ...next, updated_at: new Date() });
    await replaceAdvisoryPlatforms(trx, id, platformIds);
    await recordAuditEvent(trx, context, { action: 'advisory.update', entityType: 'advisory', entityId: id, changes });
    if (row.status === 'published') await notifyChannel(trx, ADVISORIES_CHANGED_CHANNEL, id);
  });
  return getAdvisory(database.db, id);
}

/** The public record of a warning (module `transparency`): the kind's provision, the text, the platforms named. */
async function decisionOfAdvisory(trx: Db, row: AdvisoryRow, now: Date): Promise<DecisionToPublish> {
  const kind = (await listAdvisoryKindRows(trx)).find((candidate) => candidate.id === row.kind);
  const platformIds = (await listPlatformIdsOf(trx, [row.id])).get(row.id) ?? [];
  const snapshots = new Map(
    (await loadPlatformSnapshotsByIds(trx, platformIds)).map((snapshot) => [snapshot.id, snapshot]),
  );
  return {
    kind: 'warning',
    source: { type: 'advisory', id: row.id },
    decided_on: todayInVietnam(now),
    issuer_unit_id: row.unit_id,
    // The plain warning kind cites no list of Circular 47: its record says so rather than invent a provision.
    legal_ground:
      kind?.provision_vi ||
      `${kind?.name_vi ?? row.kind}: danh mục loại cảnh báo không ghi căn cứ pháp lý riêng cho loại này (advisory_kinds.${row.kind})`,
    facts: { vi: `${row.title_vi}\n\n${row.body_vi}`, en: `${row.title_en}\n\n${row.body_en}` },
    targets: platformIds.map((id) => {
      const snapshot = snapshots.get(id);
      // A platform since removed from the register stays named by its id, as on the advisory's page.
      return snapshot
        ? decisionTargetOfPlatform(snapshot)
        : { platform_id: id, name: id, registration_no: null, domains: [], apps: [] };
    }),
    // A warning is written by an officer; whether a scan found the site first is not recorded on it.
    automated_detection: false,
    automated_decision: false,
    sample: row.sample,
  };
}

export async function publishAdvisory(database: Database, context: ActorContext, id: string): Promise<Advisory> {
  await database.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, id);
    if (row.status !== 'draft') throw wrongState(row, { vi: 'công bố', en: 'publish it' });
    const now = new Date();
    await updateAdvisoryRow(trx, id, { status: 'published', published_at: now, updated_at: now });
    await publishDecision(trx, await decisionOfAdvisory(trx, row, now), now);
    await recordAuditEvent(trx, context, {
      action: 'advisory.publish',
      entityType: 'advisory',
      entityId: id,
      changes: { status: ['draft', 'published'], published_at: now.toISOString() },
    });
    await notifyChannel(trx, ADVISORIES_CHANGED_CHANNEL, id);
  });
  return getAdvisory(database.db, id);
}

export async function withdrawAdvisory(
  database: Database,
  context: ActorContext,
  id: string,
  reason: string,
): Promise<Advisory> {
  if (reason.trim() === '') {
    throw new AppError(
      'invalid_input',
      { vi: 'Hãy nêu lý do thu hồi.', en: 'give the reason for withdrawal' },
      {
        field: 'reason',
      },
    );
  }
  await database.db.transaction().execute(async (trx) => {
    const row = await lockAdvisory(trx, id);
    if (row.status !== 'published') throw wrongState(row, { vi: 'thu hồi', en: 'withdraw it' });
    const now = new Date();
    await updateAdvisoryRow(trx, id, {
      status: 'withdrawn',
      withdrawn_at: now,
      withdrawal_reason: reason,
      updated_at: now,
    });
    await endPublishedDecision(
      trx,
      { type: 'advisory', id },
      { vi: `Thu hồi cảnh báo: ${reason}`, en: `Withdrawn: ${reason}` },
      now,
    );
    await recordAuditEvent(trx, context, {
      action: 'advisory.withdraw',
      entityType: 'advisory',
      entityId: id,
      changes: { status: ['published', 'withdrawn'], reason },
    });
    await notifyChannel(trx, ADVISORIES_CHANGED_CHANNEL, id);
  });
  return getAdvisory(database.db, id);
}

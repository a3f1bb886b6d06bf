import { recordAuditEvent } from '../../core/audit.ts';
import type { ActorContext } from '../../core/context.ts';
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Db } from '../../core/db.ts';
import { invalidInput, notFound } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { toNfc } from '../../core/text.ts';
import {
  findApiTokenRowByHash,
  findApiTokenRowById,
  insertApiToken,
  listApiTokenRows,
  markApiTokenRevoked,
  touchApiToken,
} from './accounts.repository.ts';
import { generateSecret } from './passwords.ts';
import { type Principal, TOKEN_SCOPES, type TokenScope } from './permissions.ts';

/**
 * API tokens for partner systems (customs, ISPs, banks, app stores): `ecg_` and 256 random bits,
 * shown once, stored as SHA-256, with scopes and an expiry date; sent as `Authorization: Bearer`.
 */
export const TOKEN_PREFIX = 'ecg_';
const TOKEN_PATTERN = /^ecg_[\w-]{43}$/;
const MAX_YEARS = 5;

export interface ApiToken {
  id: string;
  name: string;
  /** The token's first characters, to recognise it. */
  prefix: string;
  scopes: TokenScope[];
  expires_at: string;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  status: 'active' | 'expired' | 'revoked';
}

type ApiTokenRow = NonNullable<Awaited<ReturnType<typeof findApiTokenRowById>>>;

function apiTokenRowToApiToken(row: ApiTokenRow, now = new Date()): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.token_prefix,
    scopes: row.scopes as TokenScope[],
    expires_at: row.expires_at.toISOString(),
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    revoked_at: row.revoked_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
    status: row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'active',
  };
}

export function parseScopes(scopes: readonly string[]): TokenScope[] {
  const unique = [...new Set(scopes.map((scope) => scope.trim()).filter(Boolean))];
  const list = TOKEN_SCOPES.join(', ');
  if (unique.length === 0) {
    throw invalidInput(
      { vi: `Hãy chọn ít nhất một phạm vi: ${list}.`, en: `Give at least one scope: ${list}.` },
      'scope',
    );
  }
  for (const scope of unique) {
    if (!TOKEN_SCOPES.includes(scope as TokenScope)) {
      throw invalidInput(
        {
          vi: `Không có phạm vi “${scope}”; các phạm vi là ${list}.`,
          en: `Unknown scope "${scope}"; the scopes are ${list}.`,
        },
        'scope',
      );
    }
  }
  return unique as TokenScope[];
}

/** A token is valid through the whole of its last day in Vietnam. */
export function expiryOfDay(isoDate: string, today = todayInVietnam()): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const expires = match ? new Date(`${isoDate}T23:59:59.999+07:00`) : undefined;
  if (!match || !expires || Number.isNaN(expires.getTime()) || expires.toISOString().slice(0, 10) !== isoDate) {
    throw invalidInput(
      {
        vi: `Ngày hết hạn “${isoDate}” không phải là một ngày dạng YYYY-MM-DD.`,
        en: `The expiry "${isoDate}" is not a date YYYY-MM-DD.`,
      },
      'expires',
    );
  }
  if (isoDate < today) {
    throw invalidInput(
      {
        vi: `Ngày hết hạn đã qua (${formatCalendarDate(isoDate)}): hãy chọn một ngày từ hôm nay trở đi.`,
        en: `The expiry ${formatCalendarDate(isoDate)} is in the past: choose today or a later day.`,
      },
      'expires',
    );
  }
  const [year, month, day] = today.split('-');
  if (isoDate > `${Number(year) + MAX_YEARS}-${month}-${day}`) {
    throw invalidInput(
      {
        vi: `Ngày hết hạn ${formatCalendarDate(isoDate)} quá ${MAX_YEARS} năm kể từ hôm nay.`,
        en: `The expiry ${formatCalendarDate(isoDate)} is more than ${MAX_YEARS} years away.`,
      },
      'expires',
    );
  }
  return expires;
}

export async function createApiToken(
  db: Db,
  context: ActorContext,
  input: { name: string; scopes: readonly string[]; expires: string },
): Promise<{ token: string; apiToken: ApiToken }> {
  const name = toNfc(input.name).replace(/\s+/g, ' ').trim();
  if (!name || name.length > 200) {
    throw invalidInput({ vi: 'Tên cần có từ 1 đến 200 ký tự.', en: 'The name must have 1 to 200 characters.' }, 'name');
  }
  const scopes = parseScopes(input.scopes);
  const expiresAt = expiryOfDay(input.expires);
  const token = `${TOKEN_PREFIX}${generateSecret()}`;
  const id = await db.transaction().execute(async (trx) => {
    const tokenId = await insertApiToken(trx, {
      name,
      token_hash: sha256Hex(token),
      token_prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes,
      expires_at: expiresAt,
      created_by: context.actor,
    });
    await recordAuditEvent(trx, context, {
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: tokenId,
      changes: { name, scopes, expires_at: expiresAt.toISOString() },
    });
    return tokenId;
  });
  return { token, apiToken: await getApiToken(db, id) };
}

export async function getApiToken(db: Db, id: string): Promise<ApiToken> {
  const row = await findApiTokenRowById(db, id);
  if (!row) throw notFound({ vi: `Không có mã truy cập API nào có mã ${id}.`, en: `No API token with id ${id}.` });
  return apiTokenRowToApiToken(row);
}

export async function listApiTokens(db: Db): Promise<ApiToken[]> {
  const now = new Date();
  return (await listApiTokenRows(db)).map((row) => apiTokenRowToApiToken(row, now));
}

/** Revocation takes effect on the next request. Revoking a revoked token changes nothing. */
export async function revokeApiToken(db: Db, context: ActorContext, id: string): Promise<ApiToken> {
  await getApiToken(db, id);
  await db.transaction().execute(async (trx) => {
    if (await markApiTokenRevoked(trx, id)) {
      await recordAuditEvent(trx, context, { action: 'api_token.revoked', entityType: 'api_token', entityId: id });
    }
  });
  return getApiToken(db, id);
}

export type TokenResolution =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' };

export async function resolveApiToken(db: Db, token: string): Promise<TokenResolution> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, reason: 'unknown' };
  const row = await findApiTokenRowByHash(db, sha256Hex(token));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  if (row.expires_at.getTime() <= Date.now()) return { ok: false, reason: 'expired' };
  await touchApiToken(db, row.id);
  return {
    ok: true,
    principal: {
      accountId: row.id,
      kind: 'partner',
      unitId: null,
      role: null,
      organisationId: null,
      organisationVerified: false,
      scopes: row.scopes,
      displayName: row.name,
      email: null,
      hasTotp: false,
      needsTotp: false,
    },
  };
}

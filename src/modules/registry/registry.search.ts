import type { Transaction } from 'kysely';
import type { DatabaseTables, Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { tryNormalizeHost } from '../../core/hosts.ts';
import { isUuid } from '../../core/ids.ts';
import { brandKey, foldForSearch } from '../../core/text.ts';
import {
  findPlatformRecordsByIds,
  identifierMatches,
  nameContainsByTrigrams,
  nameContainsInWindow,
  namePrefixMatches,
  preferIndexScans,
  type SearchMatchRow,
  type SearchPosition,
  type SearchRank,
  type SearchStatement,
} from './registry.repository.ts';
import { type Platform, platformRecordToPlatform } from './registry.service.ts';

/** `offset` is still taken, for clients of the offset API, up to here: deeper pages are read with the cursor. */
export const MAX_SEARCH_OFFSET = 100;

/** A query with fewer letters and digits than this has no trigram to look up: it matches names by their start. */
const MIN_CONTAINED_LENGTH = 3;

/**
 * Rank 2 first reads this many platforms by id per result wanted (a page of 20: 5,250) before it asks the trigram
 * index instead. Ids are random, so a window short of a page means fewer than 1 name in 250 holds the query: at most
 * a few thousand matches in a million, which the trigram index reads and sorts in milliseconds.
 */
const WINDOW_ROWS_PER_RESULT = 250;

export interface PlatformSearchQuery {
  q: string;
  limit: number;
  /** `next_cursor` of the previous page. */
  cursor?: string | undefined;
  /** Results to skip after the cursor (at most MAX_SEARCH_OFFSET). */
  offset?: number | undefined;
}

export interface PlatformSearchPage {
  /** Number of matches when the first page holds them all, else null (counting them all could read the register). */
  total: number | null;
  platforms: Platform[];
  next_cursor: string | null;
}

type Trx = Transaction<DatabaseTables>;

/** Looks at each statement of a search before it runs, in the search's transaction: EXPLAIN in benchmarks and tests. */
export type SearchTracer = (trx: Trx, statement: SearchStatement<unknown>) => Promise<void>;

/**
 * The public search: by registration number, domain (a host or URL as typed), or name (case and Vietnamese
 * diacritics ignored), one page at a time in the order registry.repository.ts "Public search" describes.
 */
export async function searchPlatforms(
  db: Db,
  query: PlatformSearchQuery,
  options: { trace?: SearchTracer } = {},
): Promise<PlatformSearchPage> {
  const offset = query.offset ?? 0;
  if (offset > MAX_SEARCH_OFFSET) {
    throw invalidInput(
      {
        vi: `offset tối đa là ${MAX_SEARCH_OFFSET}; xem các trang sau bằng cursor (next_cursor của trang trước)`,
        en: `offset is at most ${MAX_SEARCH_OFFSET}; read further pages with cursor (next_cursor of the previous page)`,
      },
      'offset',
    );
  }
  const from = query.cursor === undefined ? undefined : decodeSearchCursor(query.cursor);
  // One row beyond the page tells whether there is a next one.
  const wanted = offset + query.limit + 1;
  // One snapshot for every rank and the records (repeatable read), so that a platform changing meanwhile is not
  // listed twice or left out of the page.
  const { matches, page, rows } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const found = await findMatches(trx, searchTerms(query.q), from, wanted, options.trace);
      const onPage = found.slice(offset, offset + query.limit);
      const records = await findPlatformRecordsByIds(
        trx,
        onPage.map((match) => match.id),
      );
      return { matches: found, page: onPage, rows: records };
    });
  const rowsById = new Map(rows.map((row) => [row.id, row]));
  const last = page.at(-1);
  return {
    total: from === undefined && matches.length < wanted ? matches.length : null,
    platforms: page.flatMap((match) => {
      const row = rowsById.get(match.id);
      return row ? [platformRecordToPlatform(row)] : [];
    }),
    next_cursor: matches.length === wanted && last ? encodeSearchCursor(last) : null,
  };
}

interface SearchTerms {
  /** As typed, trimmed: compared with registration numbers. */
  text: string;
  /** foldForSearch: names that start with it are rank 1. */
  folded: string;
  /** Letters and digits only (brandKey): names whose name_compact holds it are rank 2. */
  compact: string;
  /** The host when the query looks like one (a domain or URL). */
  host: string | undefined;
}

function searchTerms(q: string): SearchTerms {
  const text = q.trim();
  return {
    text,
    folded: foldForSearch(text),
    compact: brandKey(text),
    host: /^\S+\.\S+$/.test(text) ? tryNormalizeHost(text)?.host : undefined,
  };
}

interface Match extends SearchMatchRow {
  rank: SearchRank;
}

/** Up to `wanted` matches after `from`, rank by rank. */
async function findMatches(
  trx: Trx,
  terms: SearchTerms,
  from: SearchPosition | undefined,
  wanted: number,
  trace: SearchTracer | undefined,
): Promise<Match[]> {
  const run = async <Row>(statement: SearchStatement<Row>): Promise<Row[]> => {
    await trace?.(trx, statement);
    return (await statement.query.execute(trx)).rows;
  };
  const fromRank = from?.rank ?? 0;
  const after = (rank: SearchRank) => (from?.rank === rank ? from : undefined);
  const found: Match[] = [];
  const add = (rank: SearchRank, rows: readonly SearchMatchRow[]) => {
    for (const row of rows) found.push({ rank, id: row.id, name_key: row.name_key });
  };

  // Every identifier match, also those before the cursor: the name ranks leave them out.
  const identifiers = terms.text
    ? await run(identifierMatches({ registrationNo: terms.text, host: terms.host, after: after(0) }))
    : [];
  const excluded = identifiers.map((row) => row.id);
  if (fromRank === 0) add(0, identifiers.filter((row) => row.is_after).slice(0, wanted));

  if (found.length < wanted && fromRank <= 1) {
    add(
      1,
      await run(namePrefixMatches({ folded: terms.folded, after: after(1), excluded, limit: wanted - found.length })),
    );
  }

  if (found.length < wanted && terms.compact.length >= MIN_CONTAINED_LENGTH) {
    const input = { folded: terms.folded, compact: terms.compact, after: after(2), excluded };
    const limit = wanted - found.length;
    let rows = await run(nameContainsInWindow({ ...input, limit, windowRows: limit * WINDOW_ROWS_PER_RESULT }));
    if (rows.length < limit) {
      await preferIndexScans(trx);
      rows = await run(nameContainsByTrigrams({ ...input, limit }));
    }
    add(2, rows);
  }
  return found;
}

/** The opaque cursor: base64url of `[rank, name key, id]`. */
function encodeSearchCursor(match: Match): string {
  return Buffer.from(JSON.stringify([match.rank, match.name_key, match.id])).toString('base64url');
}

function decodeSearchCursor(cursor: string): SearchPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (
    Array.isArray(value) &&
    value.length === 3 &&
    (value[0] === 0 || value[0] === 1 || value[0] === 2) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string' &&
    isUuid(value[2])
  ) {
    return { rank: value[0], nameKey: value[1], id: value[2] };
  }
  throw invalidInput(
    {
      vi: 'cursor không hợp lệ: hãy dùng nguyên next_cursor của trang trước',
      en: 'cursor is not valid: pass next_cursor of the previous page as it is',
    },
    'cursor',
  );
}

import type { Database } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { type App, errorBodySchema, replyNotModified } from '../../core/http.ts';
import {
  fullHashAnswerSchema,
  fullHashQuerySchema,
  hashPrefixDiffSchema,
  hashPrefixListSchema,
  hashPrefixQuerySchema,
} from './hash-prefix.schemas.ts';
import { currentHashVersion, fullHashesOf, listPrefixes, prefixDiffSince } from './hash-prefix.sync.ts';
import { HASH_PREFIX_HEX_LENGTH } from './hash-prefix.ts';

export interface HashPrefixRouteOptions {
  database: Database;
  /** Requests per minute per client IP; 0 = no limit. */
  rateLimitPerMinute: number;
}

const TAGS = ['check'];
const PREFIX_PATTERN = new RegExp(`^[0-9a-f]{${HASH_PREFIX_HEX_LENGTH}}$`);

/** The privacy-preserving offline check's endpoints (hash-prefix.ts): the prefix list and the full hashes of a prefix. */
export async function registerHashPrefixRoutes(app: App, options: HashPrefixRouteOptions): Promise<void> {
  const db = options.database.db;
  const rateLimit = {
    rateLimit: options.rateLimitPerMinute > 0 ? { max: options.rateLimitPerMinute, timeWindow: 60_000 } : false,
  } as const;

  app.get(
    '/api/v1/hash-prefixes',
    {
      config: rateLimit,
      schema: {
        tags: TAGS,
        summary: 'Hash prefixes of every identity of the register, with verdict classes (offline check)',
        description:
          'The first 4 bytes (8 hex digits) of the SHA-256 of every canonical expression of every platform in the register — a domain as the check normalises it (lower case, punycode, no trailing dot, no leading "www."), `android:<package id>`, `ios:<App Store id>` — with the verdict the check gives it. A client hashes the host of a URL and its parent suffixes down to the registrable domain, and on a prefix hit asks `/api/v1/full-hashes?prefix=`; the URL never leaves it. `X-Hash-Prefix-Version` names the version; `?since=VERSION` answers the diff (additions and removals). `ETag`/`If-None-Match` (304). Rate limited per IP.',
        querystring: hashPrefixQuerySchema,
        response: {
          200: hashPrefixListSchema.or(hashPrefixDiffSchema),
          400: errorBodySchema,
          429: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const { version } = await currentHashVersion(db);
      reply.header('x-hash-prefix-version', String(version));
      const since = request.query.since;
      if (since !== undefined) {
        if (since > version) {
          throw invalidInput(
            { vi: `since: phải từ 0 đến ${version}`, en: `since: must be from 0 to ${version}` },
            'since',
          );
        }
        if (replyNotModified(request, reply, `"hash-prefixes-${version}-since-${since}"`)) return reply;
        return prefixDiffSince(db, since, version);
      }
      if (replyNotModified(request, reply, `"hash-prefixes-${version}"`)) return reply;
      return { version, prefix_bytes: 4 as const, hash: 'sha256' as const, prefixes: await listPrefixes(db) };
    },
  );

  app.get(
    '/api/v1/full-hashes',
    {
      config: rateLimit,
      schema: {
        tags: TAGS,
        summary: 'The full hashes of one prefix, with verdict and platform (offline check)',
        description:
          'Every current full SHA-256 (64 hex digits) whose first 4 bytes are `prefix`, with the verdict class and the platform (id, name, registration number). The client compares them with the full hashes of its own expressions; the server learns only the 4-byte prefix. Rate limited per IP.',
        querystring: fullHashQuerySchema,
        response: { 200: fullHashAnswerSchema, 400: errorBodySchema, 429: errorBodySchema },
      },
    },
    async (request) => {
      const prefix = request.query.prefix.trim().toLowerCase();
      if (!PREFIX_PATTERN.test(prefix)) {
        throw invalidInput(
          {
            vi: `prefix: phải là ${HASH_PREFIX_HEX_LENGTH} chữ số thập lục phân (4 byte đầu của SHA-256), không phải "${request.query.prefix.slice(0, 80)}"`,
            en: `prefix: must be ${HASH_PREFIX_HEX_LENGTH} hex digits (the first 4 bytes of a SHA-256), not "${request.query.prefix.slice(0, 80)}"`,
          },
          'prefix',
        );
      }
      const { version } = await currentHashVersion(db);
      return { prefix, version, full_hashes: await fullHashesOf(db, prefix) };
    },
  );
}

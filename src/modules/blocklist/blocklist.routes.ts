import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database, Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { type App, errorBodySchema, replyNotModified } from '../../core/http.ts';
import { actorContextOf, listApiTokens, registerWorkbenchLink, requirePrincipal } from '../accounts/index.ts';
import { FEED_CONTENT_TYPES, FEED_FORMATS, type FeedFormat, type FeedSettings } from './blocklist.formats.ts';
import { renderCompliancePage } from './blocklist.pages.ts';
import {
  diffSchema,
  feedQuerySchema,
  loadedAnswerSchema,
  loadedBodySchema,
  signatureQuerySchema,
  summarySchema,
} from './blocklist.schemas.ts';
import {
  blocklistSummary,
  currentSerial,
  diffSince,
  FeedSignatures,
  feedChunks,
  partnerCompliance,
  reportLoadedSerial,
} from './blocklist.service.ts';
import type { FeedSigner } from './blocklist.signing.ts';

export interface BlocklistRouteOptions {
  database: Database;
  settings: FeedSettings;
  signer: FeedSigner;
  /** Requests per minute per client address on the public feeds; 0 = no limit. */
  rateLimitPerMinute: number;
}

const TAGS = ['blocklist'];

function etagOf(parts: ReadonlyArray<string | number>): string {
  return `"blocklist-${parts.join('-')}"`;
}

/** Answers 304 when the client holds this version already. */
function notModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  return replyNotModified(request, reply, etag);
}

async function servingSerial(db: Db, requested: number | undefined): Promise<number> {
  const current = await currentSerial(db);
  if (requested === undefined) return current;
  if (requested > current) {
    throw new AppError(
      'invalid_input',
      { vi: `serial: phải từ 0 đến ${current}`, en: `serial: must be from 0 to ${current}` },
      { field: 'serial' },
    );
  }
  return requested;
}

export async function registerBlocklistRoutes(app: App, options: BlocklistRouteOptions): Promise<void> {
  const { database, settings, signer } = options;
  const db = database.db;
  const signatures = new FeedSignatures(database, signer);
  const rateLimit = {
    rateLimit: options.rateLimitPerMinute > 0 ? { max: options.rateLimitPerMinute, timeWindow: 60_000 } : false,
  } as const;

  registerWorkbenchLink({
    href: '/workbench/blocklist',
    label: { vi: 'Danh sách chặn', en: 'Blocklist' },
    permission: 'blocklist:compliance',
  });

  for (const format of FEED_FORMATS) {
    app.get(
      `/feeds/blocklist.${format}`,
      {
        config: rateLimit,
        schema: {
          tags: TAGS,
          summary: `Blocklist feed (${format})`,
          description:
            'Platforms whose register status is `blocked`. `ETag`/`If-None-Match` (304); `X-Blocklist-Serial` names the version; `?since=SERIAL` answers the diff as JSON; `?serial=N` the list as it was at N. Signature at the same address + `.sig`. Rate limited per IP.',
          querystring: feedQuerySchema,
        },
      },
      async (request, reply) => {
        const serial = await servingSerial(db, undefined);
        reply.header('x-blocklist-serial', String(serial));
        if (request.query.since !== undefined) {
          if (notModified(request, reply, etagOf([serial, 'diff', request.query.since]))) return reply;
          const diff = diffSchema.parse(await diffSince(db, request.query.since));
          return reply.type('application/json; charset=utf-8').send(JSON.stringify(diff));
        }
        const at = await servingSerial(db, request.query.serial);
        reply.header('x-blocklist-serial', String(at));
        if (notModified(request, reply, etagOf([at, format]))) return reply;
        return reply
          .type(FEED_CONTENT_TYPES[format])
          .send(Readable.from(feedChunks(database, format as FeedFormat, settings, at)));
      },
    );

    app.get(
      `/feeds/blocklist.${format}.sig`,
      {
        config: rateLimit,
        schema: {
          tags: TAGS,
          summary: `Ed25519 signature of the ${format} feed`,
          description:
            'A detached Ed25519 signature (64 bytes, base64, one line) of the feed file at the current serial, or `?serial=N`. Verify with the key at `/feeds/signing-key` (`ecomgov blocklist verify FILE SIG --key PEM`).',
          querystring: signatureQuerySchema,
        },
      },
      async (request, reply) => {
        const at = await servingSerial(db, request.query.serial);
        reply.header('x-blocklist-serial', String(at));
        if (notModified(request, reply, etagOf([at, format, 'sig']))) return reply;
        const signature = await signatures.signatureOf(format, settings, at);
        return reply.type('text/plain; charset=utf-8').send(signature);
      },
    );
  }

  app.get(
    '/feeds/signing-key',
    {
      config: rateLimit,
      schema: {
        tags: TAGS,
        summary: 'The public key that signs the feeds (Ed25519, PEM)',
      },
    },
    async (_request, reply) => reply.type('application/x-pem-file').send(signer.publicKeyPem),
  );

  app.get(
    '/api/v1/blocklist',
    {
      config: rateLimit,
      schema: {
        tags: TAGS,
        summary: 'The blocklist version: serial, last change, counts',
        response: { 200: summarySchema, 429: errorBodySchema },
      },
    },
    async () => blocklistSummary(db),
  );

  app.post(
    '/api/v1/blocklist/loaded',
    {
      config: { permission: 'blocklist:report' },
      schema: {
        tags: TAGS,
        summary: 'An ISP reports the blocklist serial it loaded',
        description: 'With an API token holding the `blocklist:read` scope. Officers see the answers per partner.',
        body: loadedBodySchema,
        response: { 200: loadedAnswerSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const principal = requirePrincipal(request);
      return reportLoadedSerial(
        database,
        { tokenId: principal.accountId, name: principal.displayName },
        request.body.serial,
        actorContextOf(request),
      );
    },
  );

  app.get(
    '/workbench/blocklist',
    { config: { permission: 'blocklist:compliance' }, schema: { hide: true } },
    async (request, reply) => {
      const tokens = (await listApiTokens(db)).filter((token) => token.scopes.includes('blocklist:read'));
      const state = await partnerCompliance(
        db,
        tokens.map((token) => ({ id: token.id, name: token.name })),
      );
      return renderCompliancePage(request, reply, state);
    },
  );
}

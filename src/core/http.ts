import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawServerDefault,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { LogFormat } from './config.ts';
import { AppError, type AppErrorCode, HTTP_STATUS_BY_CODE, isAppError, issueMessageEn } from './errors.ts';
import { createLoggerSettings } from './logging.ts';

const INTERNAL_ERROR = { vi: 'Lỗi nội bộ', en: 'internal error' };

import { addSecurityHeaders, swaggerUiPolicy } from './security-headers.ts';
import { fieldOfPath, localizeIssue } from './validation.ts';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The one error body of the API (DESIGN.md "HTTP"). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      issues: z
        .array(z.object({ line: z.number().optional(), field: z.string().optional(), message: z.string() }))
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

/**
 * Sets `etag` (and `cache-control: no-cache`) and answers 304 when the request's If-None-Match holds it already
 * (weak or strong, or `*`). Returns whether it answered.
 */
export function replyNotModified(
  request: { headers: { 'if-none-match'?: string | undefined } },
  reply: { header(name: string, value: string): unknown; code(status: number): unknown },
  etag: string,
): boolean {
  reply.header('etag', etag);
  reply.header('cache-control', 'no-cache');
  const held = request.headers['if-none-match'];
  if (!held) return false;
  const tags = held.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
  if (tags.includes(etag) || tags.includes('*')) {
    // A 304 has no body, whatever the route's response schema says of its 200.
    (reply.code(304) as { send(): unknown }).send();
    return true;
  }
  return false;
}

export interface HttpServerOptions {
  logLevel: string;
  /** Default JSON lines. */
  logFormat?: LogFormat | undefined;
  /** TRUST_PROXY: the proxies whose X-Forwarded-For/-Proto are believed; none by default. */
  trustProxy?: readonly string[] | undefined;
  /** PORTAL_URL: when https, browsers are told to use nothing else (HSTS). */
  portalUrl?: string | undefined;
  /** Renders an error for a browser (not under /api/); without it every error is JSON. */
  renderHtmlError?: (request: FastifyRequest, reply: FastifyReply, status: number, error: AppError) => unknown;
}

const STATUS_TO_CODE: Record<number, AppErrorCode> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  429: 'rate_limited',
};

/** Turns anything thrown into an AppError a client may see: never a stack trace, never internals. */
export function toClientError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as FastifyError).validationContext ?? 'request';
    const issues = error.validation.map((entry) => {
      const path = entry.instancePath.split('/').filter(Boolean);
      const field = (entry.params as { missingProperty?: string } | undefined)?.missingProperty ?? fieldOfPath(path);
      const text = localizeIssue({ code: entry.keyword, path, message: entry.message, details: entry.params });
      return field ? { field, message: text } : { message: text };
    });
    const first = issues[0];
    const place = `${context}${first?.field ? `.${first.field}` : ''}`;
    return new AppError(
      'invalid_input',
      {
        vi: `${place}: ${first?.message.vi ?? 'không hợp lệ'}`,
        en: `${place}: ${first?.message.en ?? 'invalid'}`,
      },
      { field: first?.field, issues },
    );
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === 'number' && STATUS_TO_CODE[status]) {
    // Fastify's own refusals (a body too large, a content type it does not parse): its English says what.
    const message = (error as Error).message;
    return new AppError(STATUS_TO_CODE[status], { vi: `Yêu cầu bị từ chối: ${message}`, en: message });
  }
  return new AppError('internal', INTERNAL_ERROR);
}

export function errorBody(error: AppError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.field ? { field: error.field } : {}),
      ...(error.issues.length
        ? { issues: error.issues.map((issue) => ({ ...issue, message: issueMessageEn(issue) })) }
        : {}),
    },
  };
}

export async function createHttpServer(options: HttpServerOptions): Promise<App> {
  const app = Fastify({
    logger: await createLoggerSettings(options.logLevel, options.logFormat ?? 'json'),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // request.ip (rate limits, sign-in lockouts, the audit trail) and request.protocol come from
    // X-Forwarded-For/-Proto only when the peer is one of these proxies.
    trustProxy: options.trustProxy?.length ? [...options.trustProxy] : false,
  }).withTypeProvider<ZodTypeProvider>();
  addSecurityHeaders(app, options.portalUrl);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // A callback hook rather than an async one: no promise and no microtask on every response.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  app.setErrorHandler((error, request, reply) => {
    const clientError = toClientError(error);
    const status = HTTP_STATUS_BY_CODE[clientError.code];
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: clientError.code, message: clientError.message }, 'request rejected');
    if (options.renderHtmlError && !request.url.startsWith('/api/') && !request.url.startsWith('/feeds/')) {
      return options.renderHtmlError(request, reply, status, clientError);
    }
    return reply.status(status).type('application/json; charset=utf-8').send(errorBody(clientError));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = `${request.method} ${request.url.split('?')[0]}`;
    const error = new AppError('not_found', {
      vi: `Không có trang hoặc địa chỉ này: ${path}`,
      en: `no such page or endpoint: ${path}`,
    });
    if (options.renderHtmlError && !request.url.startsWith('/api/') && !request.url.startsWith('/feeds/')) {
      return options.renderHtmlError(request, reply, 404, error);
    }
    return reply.status(404).send(errorBody(error));
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'ecomgov API',
        description:
          'The register of notified sales sites/apps and registered e-commerce platforms, and the public check "is this site or app registered?".',
        version: '1.0.0',
      },
    },
    transform: jsonSchemaTransform,
    // Named schemas (`.meta({ id })`) become components the paths refer to.
    transformObject: jsonSchemaTransformObject,
    hideUntagged: true,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: swaggerUiPolicy(options.portalUrl) });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}

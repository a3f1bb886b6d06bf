import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppError } from '../core/errors.ts';
import { html } from '../core/html.ts';
import type { App } from '../core/http.ts';
import { localeOf, rememberLocale, renderPage, sendPage, translator } from './layout.ts';
import { registerMultipartParser } from './multipart.ts';

const ASSETS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');

/** Cookies, form bodies (multipart ones streamed), the language cookie, the style sheet: what every page needs. */
export async function registerWebShell(app: App): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  registerMultipartParser(app);
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/')) rememberLocale(request, reply);
    done();
  });
  const styleSheet = fs.readFileSync(path.join(ASSETS_DIR, 'site.css'));
  app.get('/assets/site.css', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(styleSheet),
  );
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.status(204).send());
}

const ERROR_TITLES: Record<number, { vi: string; en: string }> = {
  400: { vi: 'Dữ liệu không hợp lệ', en: 'Invalid input' },
  403: { vi: 'Không có quyền truy cập', en: 'Access denied' },
  404: { vi: 'Không tìm thấy trang', en: 'Page not found' },
  410: { vi: 'Trang đã ngừng hoạt động', en: 'This page is gone' },
  429: { vi: 'Quá nhiều yêu cầu', en: 'Too many requests' },
};

/** Errors on pages are pages too: the same shell, the message, a way back. */
export function renderHtmlError(request: FastifyRequest, reply: FastifyReply, status: number, error: AppError) {
  const locale = localeOf(request);
  const t = translator(locale);
  const title = t(ERROR_TITLES[status] ?? { vi: 'Đã có lỗi xảy ra', en: 'Something went wrong' });
  const detail =
    status >= 500
      ? t({ vi: 'Xin thử lại sau ít phút.', en: 'Please try again in a few minutes.' })
      : status === 429
        ? t({
            vi: 'Bạn đã gửi quá nhiều yêu cầu. Xin đợi một phút rồi thử lại.',
            en: 'You sent too many requests. Please wait a minute and try again.',
          })
        : t(error.text);
  const page = renderPage({
    locale,
    title,
    path: request.url.split('?')[0] ?? '/',
    main: html`<h1>${title}</h1><p>${detail}</p><p><a href="/">${t({ vi: 'Về trang kiểm tra', en: 'Back to the check' })}</a></p>`,
  });
  return sendPage(reply, page, status);
}

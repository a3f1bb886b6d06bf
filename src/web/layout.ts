import type { FastifyReply, FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../core/html.ts';
import { DEFAULT_LOCALE, isLocale, type Locale, type Localized } from '../core/i18n.ts';

/**
 * The page shell every module's pages share: header, language switch, main, footer. Pages are plain
 * HTML that works without JavaScript; the style sheet is the only asset they need.
 */

export const LOCALE_COOKIE = 'lang';

/** `?lang=` wins (and is remembered in a cookie), then the cookie, then Vietnamese. */
export function localeOf(request: FastifyRequest): Locale {
  const query = request.query as Record<string, unknown> | undefined;
  const fromQuery = query?.lang;
  if (isLocale(fromQuery)) return fromQuery;
  const fromCookie = request.cookies?.[LOCALE_COOKIE];
  return isLocale(fromCookie) ? fromCookie : DEFAULT_LOCALE;
}

export function rememberLocale(request: FastifyRequest, reply: FastifyReply): void {
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.lang;
  if (isLocale(fromQuery) && request.cookies?.[LOCALE_COOKIE] !== fromQuery) {
    reply.setCookie(LOCALE_COOKIE, fromQuery, { path: '/', sameSite: 'lax', httpOnly: true, maxAge: 365 * 24 * 3600 });
  }
}

/** A tiny helper so page code reads `t({ vi, en })`. */
export function translator(locale: Locale): (text: Localized) => string {
  return (text) => text[locale];
}

const SITE_NAME: Localized = {
  vi: 'Kiểm tra website, ứng dụng thương mại điện tử',
  en: 'E-commerce website and app check',
};
const MINISTRY: Localized = { vi: 'Bộ Công Thương', en: 'Ministry of Industry and Trade' };

export interface PageOptions {
  locale: Locale;
  title: string;
  /** Request path (without query) for the language switch. */
  path: string;
  /** Query string to keep when switching language (e.g. the checked input). */
  query?: Record<string, string>;
  main: SafeHtml;
  status?: number;
  /**
   * Who is signed in, for the header: an account (name, links, log-out form), `null` when nobody
   * is (a sign-in link), or absent when the page does not say (a link to the account page).
   */
  account?: HeaderAccount | null;
}

/** What the header shows of the signed-in person; the accounts module builds it (`headerAccountOf`). */
export interface HeaderAccount {
  name: string;
  /** The session's CSRF token, for the log-out form. */
  csrfToken: string;
  /** Pages this person may open (workbench, administration). */
  links: ReadonlyArray<{ href: string; label: Localized }>;
}

function renderAccountNav(account: HeaderAccount | null | undefined, t: (text: Localized) => string): SafeHtml {
  if (account === undefined) {
    return html`<a href="/account">${t({ vi: 'Tài khoản', en: 'Account' })}</a>`;
  }
  if (account === null) return html`<a href="/login">${t({ vi: 'Đăng nhập', en: 'Sign in' })}</a>`;
  return html`<span class="account-name">${account.name}</span>
      ${account.links.map((link) => html`<a href="${link.href}">${t(link.label)}</a>`)}
      <a href="/account">${t({ vi: 'Tài khoản', en: 'Account' })}</a>
      <form method="post" action="/logout" class="inline-form"><input type="hidden" name="_csrf" value="${account.csrfToken}"><button type="submit" class="link-button">${t({ vi: 'Đăng xuất', en: 'Sign out' })}</button></form>`;
}

function switchLanguageHref(options: PageOptions, target: Locale): string {
  const params = new URLSearchParams({ ...(options.query ?? {}), lang: target });
  return `${options.path}?${params.toString()}`;
}

export function renderPage(options: PageOptions): SafeHtml {
  const t = translator(options.locale);
  const other: Locale = options.locale === 'vi' ? 'en' : 'vi';
  return html`<!doctype html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} – ${t(SITE_NAME)}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip-link" href="#main">${t({ vi: 'Bỏ qua, đến nội dung chính', en: 'Skip to main content' })}</a>
<header class="site-header">
  <div class="container header-row">
    <a class="brand" href="/">
      <span class="brand-ministry">${t(MINISTRY)}</span>
      <span class="brand-name">${t(SITE_NAME)}</span>
    </a>
    <div class="header-tools">
    <nav aria-label="${t({ vi: 'Tài khoản', en: 'Account' })}" class="account-nav">
      ${renderAccountNav(options.account, t)}
    </nav>
    <nav aria-label="${t({ vi: 'Ngôn ngữ', en: 'Language' })}" class="language-switch">
      <a href="${switchLanguageHref(options, other)}" lang="${other}" hreflang="${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a>
    </nav>
    </div>
  </div>
  <nav class="container main-nav" aria-label="${t({ vi: 'Điều hướng chính', en: 'Main navigation' })}">
    <a href="/">${t({ vi: 'Kiểm tra', en: 'Check' })}</a>
    <a href="/platforms">${t({ vi: 'Danh sách đã đăng ký', en: 'The register' })}</a>
    <a href="/decisions">${t({ vi: 'Công khai quyết định', en: 'Decisions' })}</a>
    <a href="/api/docs">API</a>
  </nav>
</header>
<main id="main" class="container" tabindex="-1">
${options.main}
</main>
<footer class="site-footer">
  <div class="container">
    <p>${t({
      vi: 'Dữ liệu mẫu (minh họa): tên các sàn lớn và tình trạng đăng ký của họ là thông tin công khai; số đăng ký và các cửa hàng khác là giả định.',
      en: 'Sample data (illustration): the large platforms and whether they are registered are public facts; registration numbers and the other shops are made up.',
    })}</p>
  </div>
</footer>
</body>
</html>`;
}

export function sendPage(reply: FastifyReply, page: SafeHtml, status = 200): FastifyReply {
  return reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);
}

import { createHash } from 'node:crypto';
import type { Locale, Localized } from '../../core/i18n.ts';
import type { Advisory } from './advisories.service.ts';

/**
 * The published advisories as Atom (RFC 4287) and RSS 2.0. Ids are stable whatever the portal's address: the feed's
 * a fixed `urn:uuid:` per language, an entry's `urn:uuid:` of the advisory (RSS: `guid isPermaLink="false"`); links
 * are absolute, from the configured portal address; dates are RFC 3339 (Atom) and RFC 822 (RSS). Text is escaped
 * (no CDATA), and characters XML 1.0 forbids are dropped, so no title can end the markup early.
 */

/** The feeds' own ids, one per language: stable across portal addresses and restarts. */
const FEED_IDS: Record<Locale, string> = {
  vi: 'urn:uuid:6c1f4f0e-3d52-4b8e-9a57-2f1c0d7e5a01',
  en: 'urn:uuid:6c1f4f0e-3d52-4b8e-9a57-2f1c0d7e5a02',
};

const FEED_TITLE: Localized = {
  vi: 'Cảnh báo người tiêu dùng – Bộ Công Thương',
  en: 'Consumer advisories – Ministry of Industry and Trade',
};
const FEED_AUTHOR: Localized = {
  vi: 'Cục Thương mại điện tử và Kinh tế số, Bộ Công Thương',
  en: 'E-Commerce and Digital Economy Agency, Ministry of Industry and Trade',
};
/** Demo advisories say so wherever their title goes without the page around it (feeds, check answers). */
export const SAMPLE_PREFIX: Localized = { vi: '[Dữ liệu mẫu] ', en: '[Sample data] ' };

const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 does not allow.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text as XML character data or an attribute value. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, (char) => XML_ESCAPES[char] ?? char);
}

export interface FeedOptions {
  /** The portal's public address, without a trailing slash. */
  portalUrl: string;
  locale: Locale;
  /** When the list last changed (also a withdrawal); the newest entry's date when later. */
  updated: Date | null;
}

export function advisoryUrl(portalUrl: string, id: string, locale: Locale): string {
  return `${portalUrl}/advisories/${id}${locale === 'en' ? '?lang=en' : ''}`;
}

function titleOf(advisory: Advisory, locale: Locale): string {
  return (advisory.sample ? SAMPLE_PREFIX[locale] : '') + advisory.title[locale];
}

function feedUpdated(advisories: readonly Advisory[], options: FeedOptions): Date {
  let latest = options.updated?.getTime() ?? 0;
  for (const advisory of advisories) latest = Math.max(latest, Date.parse(advisory.updated_at));
  // An empty feed still needs an `updated`: the epoch says "never changed" without inventing a date.
  return new Date(latest);
}

/** RFC 3339 in UTC, to the second. */
export function rfc3339(instant: Date | string): string {
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** RFC 822 (as RFC 1123 writes it, four-digit year), in GMT. */
export function rfc822(instant: Date | string): string {
  return new Date(instant).toUTCString();
}

export function buildAtomFeed(advisories: readonly Advisory[], options: FeedOptions): string {
  const { portalUrl, locale } = options;
  const self = `${portalUrl}/feeds/advisories.atom${locale === 'en' ? '?lang=en' : ''}`;
  const alternate = `${portalUrl}/advisories${locale === 'en' ? '?lang=en' : ''}`;
  const entries = advisories.map((advisory) => {
    const link = advisoryUrl(portalUrl, advisory.id, locale);
    return `  <entry>
    <id>urn:uuid:${advisory.id}</id>
    <title type="text">${escapeXml(titleOf(advisory, locale))}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(link)}"/>
    <published>${rfc3339(advisory.published_at ?? advisory.created_at)}</published>
    <updated>${rfc3339(advisory.updated_at)}</updated>
    <category term="${escapeXml(advisory.severity)}"/>
    <category term="${escapeXml(advisory.kind)}"/>
    <content type="text">${escapeXml(advisory.body[locale])}</content>
  </entry>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
  <id>${FEED_IDS[locale]}</id>
  <title type="text">${escapeXml(FEED_TITLE[locale])}</title>
  <updated>${rfc3339(feedUpdated(advisories, options))}</updated>
  <author><name>${escapeXml(FEED_AUTHOR[locale])}</name></author>
  <link rel="self" type="application/atom+xml" href="${escapeXml(self)}"/>
  <link rel="alternate" type="text/html" href="${escapeXml(alternate)}"/>
${entries.join('')}</feed>
`;
}

export function buildRssFeed(advisories: readonly Advisory[], options: FeedOptions): string {
  const { portalUrl, locale } = options;
  const alternate = `${portalUrl}/advisories${locale === 'en' ? '?lang=en' : ''}`;
  const self = `${portalUrl}/feeds/advisories.rss${locale === 'en' ? '?lang=en' : ''}`;
  const items = advisories.map((advisory) => {
    const link = advisoryUrl(portalUrl, advisory.id, locale);
    return `    <item>
      <title>${escapeXml(titleOf(advisory, locale))}</title>
      <link>${escapeXml(link)}</link>
      <guid isPermaLink="false">urn:uuid:${advisory.id}</guid>
      <pubDate>${rfc822(advisory.published_at ?? advisory.created_at)}</pubDate>
      <category>${escapeXml(advisory.severity)}</category>
      <description>${escapeXml(advisory.body[locale])}</description>
    </item>
`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${escapeXml(FEED_TITLE[locale])}</title>
    <link>${escapeXml(alternate)}</link>
    <description>${escapeXml(FEED_TITLE[locale])}</description>
    <language>${locale}</language>
    <lastBuildDate>${rfc822(feedUpdated(advisories, options))}</lastBuildDate>
    <atom:link rel="self" type="application/rss+xml" href="${escapeXml(self)}"/>
${items.join('')}  </channel>
</rss>
`;
}

/** A strong validator of the bytes sent. */
export function entityTag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

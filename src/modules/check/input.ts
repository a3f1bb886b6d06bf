/**
 * What a consumer typed into the check: a URL, a bare host, a Google Play or App Store link, an app id, or a
 * platform's name. One function decides which, and says clearly when it is none of them.
 *
 * How an ambiguous input is read:
 * - "com.shopee.vn" is both a host name (under shopee.vn) and an Android package id. A package id in
 *   reverse-DNS order begins with a generic top-level label (com., net., org., …) and no web site's host does,
 *   so such an input is an Android app; any other dotted input ending in a listed suffix is a domain. The hints
 *   "android:", "app:" and "package:" force an Android app, "ios:" an iOS app.
 * - A dotted input without a listed suffix ("com.zing.zalo", "jp.naver.line") is an Android package when its
 *   first label is a top-level domain, otherwise a name ("Dr.Nguyen").
 * - Digits alone ("1688") are a name: brands are numbers too. An iOS app id needs its "id" prefix (id959841449).
 */
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { invalidInput } from '../../core/errors.ts';
import { hostProblem, type NormalizedHost, normalizeHost } from '../../core/hosts.ts';
import type { Localized } from '../../core/i18n.ts';
import { toNfc } from '../../core/text.ts';

export type CheckInput =
  | { type: 'domain'; host: NormalizedHost }
  | { type: 'android_app'; packageId: string }
  | { type: 'ios_app'; appId: string }
  | { type: 'name'; name: string };

const FIELD = 'input';
/** Long enough for any real URL (browsers and CDNs commonly cap near 2 KB), short enough to refuse abuse. */
export const MAX_INPUT_LENGTH = 2048;

const HINTED_APP_PATTERN = /^(android|app|package|ios):\s*(\S+)$/i;
const SCHEME_PATTERN = /^([a-z][a-z0-9+.-]*):/i;
/** Schemes that are never a web page: refused rather than read as a name ("javascript:alert(1)"). */
const NON_WEB_SCHEMES = new Set([
  'about',
  'blob',
  'chrome',
  'data',
  'file',
  'ftp',
  'intent',
  'javascript',
  'mailto',
  'sms',
  'tel',
  'vbscript',
  'ws',
  'wss',
]);
/** Java package name, as Google Play requires: two or more segments, each a letter then letters, digits or _. */
const ANDROID_PACKAGE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+$/;
/** First labels of reverse-DNS package ids that no host name starts with ("en.", "vn." are real subdomains). */
const REVERSE_DNS_ROOTS = new Set(['com', 'net', 'org', 'edu', 'gov', 'io']);
const IOS_APP_ID_PATTERN = /^id(\d{5,12})$/i;
const IOS_APP_PATH_PATTERN = /\/id(\d{5,12})(?:[/?#]|$)/;
/** Reserved for documentation and tests (RFC 2606): hosts in demos and examples. */
const RESERVED_TOP_LEVEL_LABELS = new Set(['example', 'test']);
/** Control characters other than tab and line breaks (which count as white space). */
const CONTROL_CHARACTER_PATTERN = /(?![\t\n\r])\p{Cc}/u;

/** @throws AppError invalid_input (field "input") naming what is wrong. */
export function parseCheckInput(input: string): CheckInput {
  const text = input.trim();
  if (text === '') {
    throw invalidInput(
      {
        vi: 'Chưa nhập gì: hãy nhập địa chỉ website, đường dẫn kho ứng dụng hoặc tên.',
        en: 'Input is empty: enter a web address, an app-store link or a name.',
      },
      FIELD,
    );
  }
  if (text.length > MAX_INPUT_LENGTH) {
    throw invalidInput(
      {
        vi: `Nội dung dài ${text.length} ký tự; tối đa ${MAX_INPUT_LENGTH}.`,
        en: `Input is ${text.length} characters long; the limit is ${MAX_INPUT_LENGTH}.`,
      },
      FIELD,
    );
  }
  if (CONTROL_CHARACTER_PATTERN.test(text)) {
    throw invalidInput({ vi: 'Nội dung có ký tự điều khiển.', en: 'Input contains control characters.' }, FIELD);
  }

  const hinted = text.match(HINTED_APP_PATTERN);
  if (hinted) return parseHintedApp(hinted[1]?.toLowerCase() ?? '', hinted[2] ?? '');

  const scheme = text.match(SCHEME_PATTERN)?.[1]?.toLowerCase();
  if (scheme !== undefined && (text.startsWith('//', scheme.length + 1) || NON_WEB_SCHEMES.has(scheme))) {
    return parseUrl(text, scheme);
  }
  // White space before any path: words, so a name ("Sàn Shopee"); in a path it is part of a pasted address.
  if (/\s/.test(text.split(/[/?#]/, 1)[0] ?? '')) return parseName(text);

  const iosAppId = text.match(IOS_APP_ID_PATTERN)?.[1];
  if (iosAppId) return { type: 'ios_app', appId: iosAppId };
  if (/^[^./:@?#]*$/.test(text)) return parseName(text);
  return parseBareToken(text);
}

function parseHintedApp(hint: string, value: string): CheckInput {
  if (hint === 'ios') {
    const appId = value.match(/^(?:id)?(\d{5,12})$/i)?.[1];
    if (!appId) {
      throw invalidInput(
        {
          vi: `"${shorten(value)}" không phải mã ứng dụng App Store (gồm các chữ số, ví dụ 959841449).`,
          en: `"${shorten(value)}" is not an App Store app id (digits, such as 959841449).`,
        },
        FIELD,
      );
    }
    return { type: 'ios_app', appId };
  }
  return { type: 'android_app', packageId: checkAndroidPackage(value) };
}

function parseUrl(text: string, scheme: string): CheckInput {
  if (scheme === 'market')
    return parseGooglePlayUrl(text.replace(/^market:\/\//i, 'https://play.google.com/store/apps/'));
  if (scheme === 'itms-apps' || scheme === 'itms-appss') return parseAppStoreUrl(text);
  if (scheme !== 'http' && scheme !== 'https') {
    throw invalidInput(
      {
        vi: `Chỉ kiểm tra được đường dẫn http và https; đường dẫn này là "${scheme}:".`,
        en: `Only http and https links can be checked; this one is "${scheme}:".`,
      },
      FIELD,
    );
  }
  const plainHost = plainHostOfWebUrl(text, scheme);
  if (plainHost !== undefined && !APP_STORE_HOSTS.has(plainHost)) {
    return { type: 'domain', host: normalizeHost(plainHost, FIELD) };
  }
  const url = parseUrlOrThrow(text);
  const hostname = url.hostname.toLowerCase();
  if (hostname === 'play.google.com' && url.pathname.startsWith('/store/apps/details')) return parseGooglePlayUrl(text);
  if ((hostname === 'apps.apple.com' || hostname === 'itunes.apple.com') && IOS_APP_PATH_PATTERN.test(url.pathname)) {
    return parseAppStoreUrl(text);
  }
  return { type: 'domain', host: normalizeHost(url.hostname, FIELD) };
}

function parseGooglePlayUrl(text: string): CheckInput {
  const packageId = parseUrlOrThrow(text).searchParams.get('id');
  if (!packageId) {
    throw invalidInput(
      {
        vi: 'Đường dẫn Google Play không có mã ứng dụng (tham số "id=").',
        en: 'The Google Play link has no app id (its "id=" parameter).',
      },
      FIELD,
    );
  }
  return { type: 'android_app', packageId: checkAndroidPackage(packageId) };
}

function parseAppStoreUrl(text: string): CheckInput {
  const appId = parseUrlOrThrow(text).pathname.match(IOS_APP_PATH_PATTERN)?.[1];
  if (!appId) {
    throw invalidInput(
      {
        vi: 'Đường dẫn App Store không có mã ứng dụng (một đoạn như "id959841449").',
        en: 'The App Store link has no app id (a path part such as "id959841449").',
      },
      FIELD,
    );
  }
  return { type: 'ios_app', appId };
}

/**
 * A host of letters, digits, hyphens and dots ending in an alphabetic label, without punycode: the URL parser would
 * return it as it is, in lower case (checked against it over random hosts), so most inputs skip the parser. Punycode
 * labels ("xn--") are left to it: it decodes and validates them. A numeric last label would make it an IPv4 address.
 */
const PLAIN_HOST_PATTERN = /^[a-z0-9-]+(?:\.[a-z0-9-]*)*\.[a-z]{2,63}$/i;
const PUNYCODE_LABEL_PATTERN = /(?:^|\.)xn--/i;
/** Links to these are read by their path (the app id), not as sites. */
const APP_STORE_HOSTS: ReadonlySet<string> = new Set(['play.google.com', 'apps.apple.com', 'itunes.apple.com']);

function isPlainHost(text: string): boolean {
  return PLAIN_HOST_PATTERN.test(text) && !PUNYCODE_LABEL_PATTERN.test(text);
}

/** The host name of `http://<text>`, as the URL parser gives it. */
function hostnameOf(text: string): string {
  return isPlainHost(text) ? text.toLowerCase() : parseUrlOrThrow(`http://${text}`).hostname;
}

/** The host of an http(s) URL whose host is plain (see PLAIN_HOST_PATTERN), in lower case; otherwise undefined. */
function plainHostOfWebUrl(text: string, scheme: string): string | undefined {
  const rest = text.slice(scheme.length + 3);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  return isPlainHost(authority) ? authority.toLowerCase() : undefined;
}

function parseUrlOrThrow(text: string): URL {
  try {
    return new URL(text);
  } catch {
    const problem = describeUrlProblem(text);
    throw invalidInput(
      {
        vi: `"${shorten(text)}" không phải địa chỉ web hợp lệ: ${problem.vi}.`,
        en: `"${shorten(text)}" is not a valid web address: ${problem.en}.`,
      },
      FIELD,
    );
  }
}

/** Why the URL parser refused a URL, in words: its host is nearly always the part at fault. */
function describeUrlProblem(text: string): Localized {
  const afterScheme = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  if (host === '') return { vi: 'không có tên máy chủ', en: 'it has no host name' };
  if (/\s/.test(host)) return { vi: 'tên máy chủ có khoảng trắng', en: 'its host name contains a space' };
  const problem = hostProblem(host);
  if (problem) {
    return {
      vi: `tên máy chủ không hợp lệ: ${problem.vi}`,
      en: `its host name is invalid: ${problem.en}`,
    };
  }
  return { vi: 'không đọc được thành địa chỉ URL', en: 'it cannot be parsed as a URL' };
}

/** A dotted token without spaces or scheme: a host (maybe with port or path), a package id, or a name. */
function parseBareToken(text: string): CheckInput {
  const firstLabel = text.slice(0, text.indexOf('.')).toLowerCase();
  if (ANDROID_PACKAGE_PATTERN.test(text) && REVERSE_DNS_ROOTS.has(firstLabel) && !isPublicSuffix(text)) {
    return { type: 'android_app', packageId: text };
  }
  if (looksLikeHost(text)) return { type: 'domain', host: normalizeHost(hostnameOf(text), FIELD) };
  if (ANDROID_PACKAGE_PATTERN.test(text) && isTopLevelDomain(firstLabel))
    return { type: 'android_app', packageId: text };
  return parseName(text);
}

/**
 * Meant as a host, even if malformed: its host part (before any path, after any user) has a port, is an IP
 * address, or ends in a listed top-level domain. "TikTok/Shop" and "Dr.Nguyen" are not.
 */
function looksLikeHost(text: string): boolean {
  const authority = text.split(/[/?#]/, 1)[0] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  if (/:\d+$/.test(hostAndPort) || hostAndPort.startsWith('[') || isIpAddress(hostAndPort)) return true;
  const host = hostAndPort.endsWith('.') ? hostAndPort.slice(0, -1) : hostAndPort;
  const topLevel = host.slice(host.lastIndexOf('.') + 1).toLowerCase();
  return topLevel !== '' && (isTopLevelDomain(topLevel) || RESERVED_TOP_LEVEL_LABELS.has(topLevel));
}

/** An IPv4 address is digits and dots, an IPv6 one has colons: anything else skips the (slower) full test. */
function isIpAddress(text: string): boolean {
  return (text.includes(':') || /^[\d.]+$/.test(text)) && isIP(text) !== 0;
}

/** "com.vn", "github.io": no one can register them, so they are neither a site nor an app id. */
function isPublicSuffix(text: string): boolean {
  const parsed = parseDomain(text.toLowerCase(), { allowPrivateDomains: true, extractHostname: false });
  return parsed.domain === null && parsed.publicSuffix === text.toLowerCase() && parsed.isIcann !== false;
}

/** On the ICANN part of the Public Suffix List as a top-level domain ("vn", "com", "shop"; not "zalo"). */
function isTopLevelDomain(label: string): boolean {
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(label)) return false;
  const known = topLevelDomainAnswers.get(label);
  if (known !== undefined) return known;
  // Unlisted labels still come back as a suffix, by the list's default rule, but not as ICANN ones.
  const parsed = parseDomain(`x.${label}`, { extractHostname: false });
  const answer = parsed.isIcann === true && parsed.publicSuffix === label;
  if (topLevelDomainAnswers.size < MAX_REMEMBERED_TOP_LEVEL_LABELS) topLevelDomainAnswers.set(label, answer);
  return answer;
}

/** Answers of isTopLevelDomain: inputs use few distinct last labels; the bound keeps random ones from piling up. */
const topLevelDomainAnswers = new Map<string, boolean>();
const MAX_REMEMBERED_TOP_LEVEL_LABELS = 4096;

function parseName(text: string): CheckInput {
  if (!/[\p{L}\p{N}]/u.test(text)) {
    throw invalidInput(
      {
        vi: `"${shorten(text)}" không có chữ hay số nào: không phải địa chỉ web, ứng dụng hay tên.`,
        en: `"${shorten(text)}" has no letters or digits: it is not a web address, app or name.`,
      },
      FIELD,
    );
  }
  return { type: 'name', name: toNfc(text).replace(/\s+/g, ' ') };
}

function checkAndroidPackage(packageId: string): string {
  if (!ANDROID_PACKAGE_PATTERN.test(packageId)) {
    throw invalidInput(
      {
        vi: `"${shorten(packageId)}" không phải mã gói Android (ví dụ com.shopee.vn).`,
        en: `"${shorten(packageId)}" is not an Android package id (such as com.shopee.vn).`,
      },
      FIELD,
    );
  }
  return packageId;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * What a page says about itself (issue 12, DESIGN.md "Monitor answer"): whether it sells, whether it is aimed at
 * Vietnam, and the registration badges it shows with where they link. Pure: the HTML and its URL in, signals out,
 * each with the short text (NFC) that triggered it. Verifying a badge against the register is `badge.ts`; the
 * decision is `classify.ts`.
 *
 * Bounded time on hostile pages: the HTML is cut at MAX_HTML_CHARS, htmlparser2 reads it under a time budget
 * (PARSE_BUDGET_MS: its tokenizer is linear, but its stack of open elements is quadratic in the nesting depth),
 * every regex below either matches literals or has bounded quantifiers behind a look-behind that stops it starting
 * inside a run of digits, and the text searched is cut at MAX_TEXT_CHARS (see signals.test.ts "hostile input").
 */
import { Parser } from 'htmlparser2';
import { tryNormalizeHost } from '../../core/hosts.ts';
import { PROVINCES } from './provinces.ts';

/** Larger pages are cut here (the fetcher's byte limit is lower; this guards direct callers). */
export const MAX_HTML_CHARS = 4 * 1024 * 1024;
/**
 * Nesting depth of elements past which the rest of the page is not read (real pages stay well under 100), and the
 * time the HTML parser may take on one page, both checked between chunks of PARSE_CHUNK_CHARS.
 */
export const MAX_DEPTH = 256;
export const PARSE_BUDGET_MS = 500;
const PARSE_CHUNK_CHARS = 16 * 1024;
/** Visible text searched for phrases, prices, phones and places. */
const MAX_TEXT_CHARS = 1024 * 1024;
/** Text sampled for the share of Vietnamese words. */
const MAX_LANGUAGE_SAMPLE = 64 * 1024;
/** JSON-LD read: per script and number of scripts. */
const MAX_JSON_LD_CHARS = 256 * 1024;
const MAX_JSON_LD_SCRIPTS = 20;
const MAX_JSON_LD_NODES = 20_000;
/** Attribute values looked at (hrefs, srcs, alts) are cut to this. */
const MAX_ATTRIBUTE_CHARS = 2048;
/** Evidence strings: at most this long, and this many a signal. */
const MAX_EVIDENCE_CHARS = 80;
const MAX_EVIDENCE = 12;
/** Matches of one pattern collected (enough for evidence and tests). */
const MAX_MATCHES = 20;

/** Thresholds of the decisions below, named so that the classification's reasons can quote them. */
export const THRESHOLDS = {
  /** Share of Latin-script words carrying Vietnamese diacritics from which the page counts as written in Vietnamese. */
  vietnameseShare: 0.25,
  /** …given at least this many such words (a name or two in an English page is not Vietnamese text). */
  vietnameseWords: 20,
  /** Kinds of supporting signal (VND, phone, place, Vietnamese carrier/payment) that together show Vietnam is aimed at. */
  supportingKinds: 2,
  /** E-commerce categories (cart, checkout, payment method, price; structured Product/Offer counts two) needed… */
  ecommerceScore: 2,
} as const;

export type EcommerceCategory = 'cart' | 'checkout' | 'payment_method' | 'price' | 'product_data';
export type VietnamStrongKind = 'lang' | 'hreflang' | 'vn_domain' | 'vietnamese_text';
export type VietnamSupportKind = 'vnd' | 'phone' | 'place' | 'vn_service';

export interface Signal {
  value: boolean;
  evidence: string[];
}

export interface EcommerceSignal extends Signal {
  categories: EcommerceCategory[];
  score: number;
}

export interface VietnamSignal extends Signal {
  strong: VietnamStrongKind[];
  supporting: VietnamSupportKind[];
  /** Share of Latin-script words with Vietnamese diacritics in the sampled text (0–1). */
  vietnameseShare: number;
  vietnameseWords: number;
}

/** A registration badge image (ours or the old portal's) and the link around it, if any. */
export interface BadgeImage {
  src: string;
  alt: string;
  /** The href of the nearest enclosing link, absolute; null when the image is not linked. */
  href: string | null;
}

/** A link to a register record: ours (`{PORTAL_URL}/r/{no}`) or the old portal's (`WebDetails/<id>`). */
export type RecordLink =
  | { kind: 'portal'; href: string; registrationNo: string; wrapsBadgeImage: boolean }
  | { kind: 'legacy'; href: string; legacyId: string; wrapsBadgeImage: boolean };

export interface BadgeSignals {
  /** A badge image or a record link. */
  present: boolean;
  /** A registration claimed in the page's text ("Đã thông báo Bộ Công Thương"), with or without a badge. */
  claim: string | null;
  images: BadgeImage[];
  links: RecordLink[];
}

export interface PageSignals {
  url: string;
  /** The page's host, normalised (no www.); null when the URL has none. */
  host: string | null;
  ecommerce: EcommerceSignal;
  targetsVietnam: VietnamSignal;
  badge: BadgeSignals;
  /** Every VND price found (as written), for the answer and the tests. */
  vndPrices: string[];
  /** Every Vietnamese phone number found (as written). */
  phones: string[];
  /** True when the HTML or its text was longer than the limits and was cut. */
  truncated: boolean;
}

export interface ExtractOptions {
  /** The portal's public base URL (PORTAL_URL): its `/r/{no}` links and `/badge/{no}.svg` images are badges. */
  portalUrl?: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Phrases. Searched in the lower-cased text with indexOf (linear), first hit only: evidence, not counts.

interface Phrase {
  text: string;
  /** Letters may not touch it on either side (short Latin words: "cod" in "code" is not cash on delivery). */
  word?: boolean;
  /** Searched in the text as written, not lower-cased ("COD", not "cod"). */
  exactCase?: boolean;
}

const CART_PHRASES: readonly Phrase[] = [
  { text: 'thêm vào giỏ hàng' },
  { text: 'thêm vào giỏ' },
  { text: 'mua ngay' },
  { text: 'đặt mua' },
  { text: 'đặt hàng ngay' },
  { text: 'giỏ hàng' },
  { text: 'add to cart', word: true },
  { text: 'add to bag', word: true },
  { text: 'add to basket', word: true },
  { text: 'buy now', word: true },
  { text: 'shopping cart', word: true },
  { text: '加入购物车' },
  { text: '立即购买' },
  { text: '购物车' },
  { text: '加入購物車' },
  { text: '立即購買' },
];

const CHECKOUT_PHRASES: readonly Phrase[] = [
  { text: 'thanh toán' },
  { text: 'đặt hàng' },
  { text: 'checkout', word: true },
  { text: 'check out', word: true },
  { text: 'proceed to payment', word: true },
  { text: '结算' },
  { text: '去结算' },
  { text: '立即下单' },
  { text: '结帐' },
];

/** Payment methods; the Vietnamese ones also count towards "aimed at Vietnam". */
const PAYMENT_PHRASES: readonly Phrase[] = [
  { text: 'thanh toán khi nhận hàng' },
  { text: 'COD', word: true, exactCase: true },
  { text: 'cash on delivery', word: true },
  { text: '货到付款' },
  { text: 'paypal', word: true },
  { text: 'visa', word: true },
  { text: 'mastercard', word: true },
  { text: '支付宝' },
  { text: '微信支付' },
];

/** Carriers and payment services of Vietnam. */
const VN_SERVICE_PHRASES: readonly Phrase[] = [
  { text: 'thanh toán khi nhận hàng' },
  { text: 'momo', word: true },
  { text: 'zalopay', word: true },
  { text: 'vnpay', word: true },
  { text: 'giao hàng nhanh' },
  { text: 'giao hàng tiết kiệm' },
  { text: 'GHN', word: true, exactCase: true },
  { text: 'GHTK', word: true, exactCase: true },
  { text: 'viettel post', word: true },
  { text: 'viettelpost', word: true },
  { text: 'vnpost', word: true },
  { text: 'vietnam post', word: true },
  { text: 'j&t express', word: true },
  { text: 'ninja van', word: true },
  { text: 'ninjavan', word: true },
];

const PROVINCE_PHRASE_LIST: readonly Phrase[] = PROVINCES.flatMap((province) => [
  { text: province.name, word: true, exactCase: true },
  ...province.formerly.map((name) => ({ text: name, word: true, exactCase: true })),
  ...province.ascii.map((name) => ({ text: name, word: true, exactCase: true })),
]);

/** Claims of registration in words, as the old badges' alt texts and shops' footers write them. */
const CLAIMS = phraseList(
  ['đã thông báo', 'đã đăng ký', 'đã đăng kí'].flatMap((done) => [
    { text: `${done} bộ công thương` },
    { text: `${done} với bộ công thương` },
  ]),
);
const CART = phraseList(CART_PHRASES);
const CHECKOUT = phraseList(CHECKOUT_PHRASES);
const PAYMENT = phraseList(PAYMENT_PHRASES);
const VN_SERVICES = phraseList(VN_SERVICE_PHRASES);
const PLACES = phraseList(PROVINCE_PHRASE_LIST);

// ---------------------------------------------------------------------------------------------------------------
// Patterns. Each starts behind a look-behind that refuses the middle of a run of digits, and every quantifier is
// bounded, so a run of a million digits and dots costs one bounded attempt per position.

/** A VND amount: 259.000 / 8.990.000 / 259,000 / 1 290 000 (grouped) or 259000 (4 to 12 plain digits). */
const AMOUNT = String.raw`(?:\d{1,3}(?:[.,\u00a0 ]\d{3}){1,4}|\d{4,12})`;
/** The currency after an amount: ₫, đ, đồng, VNĐ, VND (not "đến": no letter may follow). Cases spelt out: a
 * case-insensitive Unicode regex is several times slower on a megabyte. */
const VND_AFTER = String.raw`\s?(?:₫|đồng|VNĐ|VND|vnđ|vnd|Vnđ|Vnd|đ|Đ)(?![\p{L}\p{N}])`;
const VND_PATTERN = new RegExp(
  String.raw`${AMOUNT}${VND_AFTER}|(?:₫|VNĐ|VND|vnđ|vnd)\s?${AMOUNT}(?![\p{N}]|[.,]\d)`,
  'gu',
);
/** Prices in other currencies: $12.99, US$ 5, € 20, ¥199, £3, 12.99 USD. */
const OTHER_PRICE_PATTERN =
  /(?:US\$|[$€£¥￥])\s?\d{1,9}(?:[.,]\d{1,3}){0,3}(?!\d)|\d{1,9}(?:[.,]\d{1,3}){0,3}\s?(?:USD|EUR|CNY|RMB|元)(?![\p{L}\p{N}])/gu;
/** Mobile and landline numbers: 0912 345 678, +84 912-345-678, (+84) 912.345.678, 024 3826 4567. */
const PHONE_PATTERN = /(?:\(\+?84\)|\+84|84(?=[ .-]?[1-9])|0)[ .-]?\(?\d\)?(?:[ .-]?\d){7,9}(?![\p{N}]|[.-]\d)/gu;
/** Hotlines: 1900 1234, 1900 123 456, 1800.1234. */
const HOTLINE_PATTERN = /(?:1900|1800)(?:[ .-]?\d){4,6}(?![\p{N}]|[.-]\d)/gu;
/**
 * What may not come just before a number (checked in code, not by a look-behind: a regex that opens with one cannot
 * skip ahead and tries every position of the page): a digit, or a dot or comma of a longer number.
 */
const NOT_BEFORE_AMOUNT = /[\p{N}.,]/u;
const NOT_BEFORE_PHONE = /[\p{N}+.\w]/u;
const COMBINING_MARK = /[\u0300-\u036f]/;

const PORTAL_RECORD_PATH = /^\/r\/([^/?#]{1,64})\/?$/;
const PORTAL_BADGE_PATH = /^\/badge\/([^/?#]{1,64})\.svg$/i;
const LEGACY_RECORD_PATH = /^\/home\/(webdetails|appdetails)\/0*(\d{1,12})\/?$/i;
const LEGACY_IMAGE = /(?:^|\/)(?:logosalenoti|logoccdv)\.png$/i;
const BADGE_ALT = /(?:đã thông báo|đã đăng ký|đã đăng kí)\s+(?:với\s+)?bộ công thương/iu;
const LEGACY_HOSTS = new Set(['online.gov.vn', 'www.online.gov.vn']);

const SKIPPED_ELEMENTS = new Set(['script', 'style', 'template', 'noscript', 'svg', 'math']);
/** Hrefs worth resolving as a record link: ours (`/r/…`) or the old portal's (`…Details/…`). */
const MAY_BE_RECORD_LINK = /\/r\/|details\//i;
const TEL_LINK = /^\s*tel:/i;
/** Image sources worth resolving as a badge: ours (`/badge/…`) or the old portal's images. */
const MAY_BE_BADGE_SRC = /badge|logosalenoti|logoccdv/i;

// ---------------------------------------------------------------------------------------------------------------

interface Collected {
  lang: string | null;
  ogLocale: string | null;
  hreflangVi: string | null;
  text: string[];
  textLength: number;
  textCut: boolean;
  jsonLd: string[];
  microdataTypes: Set<string>;
  currencyHints: string[];
  telLinks: string[];
  images: BadgeImage[];
  links: RecordLink[];
}

/** Reads the page: the signals it gives of selling, of aiming at Vietnam, and its registration badges. */
export function extractSignals(html: string, url: string, options: ExtractOptions = {}): PageSignals {
  const truncatedHtml = html.length > MAX_HTML_CHARS;
  const source = truncatedHtml ? html.slice(0, MAX_HTML_CHARS) : html;
  const base = safeUrl(url);
  const portal = options.portalUrl ? safeUrl(options.portalUrl) : null;
  const collected = collect(source, base, portal);

  const joined = collected.text.join('');
  // Most pages are NFC already; normalising a megabyte costs milliseconds, so only text with combining marks is.
  const text = COMBINING_MARK.test(joined) ? joined.normalize('NFC') : joined;
  const lower = text.toLowerCase();
  const host = base ? (tryNormalizeHost(base.hostname)?.host ?? null) : null;

  const vndPrices = matchAll(VND_PATTERN, text, NOT_BEFORE_AMOUNT);
  const phones = [
    ...matchAll(PHONE_PATTERN, text, NOT_BEFORE_PHONE).filter(isVietnamesePhone),
    ...matchAll(HOTLINE_PATTERN, text, NOT_BEFORE_PHONE),
  ];
  for (const tel of collected.telLinks) if (isVietnamesePhone(tel) && phones.length < MAX_MATCHES) phones.push(tel);

  const structured = readStructuredData(collected);

  // E-commerce.
  const ecommerceEvidence: string[] = [];
  const categories: EcommerceCategory[] = [];
  const noteCategory = (category: EcommerceCategory, evidence: string | undefined) => {
    if (evidence === undefined) return;
    categories.push(category);
    ecommerceEvidence.push(evidence);
  };
  noteCategory('cart', firstPhrase(text, lower, CART));
  noteCategory('checkout', firstPhrase(text, lower, CHECKOUT));
  noteCategory('payment_method', firstPhrase(text, lower, PAYMENT));
  noteCategory('price', vndPrices[0] ?? matchAll(OTHER_PRICE_PATTERN, text, NOT_BEFORE_AMOUNT, 1)[0]);
  noteCategory('product_data', structured.productEvidence);
  const score = categories.length + (categories.includes('product_data') ? 1 : 0);
  const ecommerceValue =
    score >= THRESHOLDS.ecommerceScore && (categories.includes('cart') || categories.includes('product_data'));

  // Aimed at Vietnam.
  const vietnamEvidence: string[] = [];
  const strong: VietnamStrongKind[] = [];
  const supporting: VietnamSupportKind[] = [];
  const lang = collected.lang?.toLowerCase() ?? '';
  if (lang === 'vi' || lang.startsWith('vi-')) {
    strong.push('lang');
    vietnamEvidence.push(`lang=${collected.lang}`);
  } else if (collected.ogLocale && /^vi(?:[_-]|$)/i.test(collected.ogLocale)) {
    strong.push('lang');
    vietnamEvidence.push(`og:locale=${collected.ogLocale}`);
  }
  if (collected.hreflangVi) {
    strong.push('hreflang');
    vietnamEvidence.push(`hreflang=${collected.hreflangVi}`);
  }
  if (host?.endsWith('.vn') || host === 'vn') {
    strong.push('vn_domain');
    vietnamEvidence.push(`domain .vn (${host})`);
  }
  const language = vietnameseShare(text);
  if (language.share >= THRESHOLDS.vietnameseShare && language.words >= THRESHOLDS.vietnameseWords) {
    strong.push('vietnamese_text');
    vietnamEvidence.push(`Vietnamese text ${Math.round(language.share * 100)}%`);
  }
  const vndEvidence = vndPrices[0] ?? structured.vndCurrency ?? collected.currencyHints[0];
  if (vndEvidence !== undefined) {
    supporting.push('vnd');
    vietnamEvidence.push(vndEvidence);
  }
  if (phones[0] !== undefined) {
    supporting.push('phone');
    vietnamEvidence.push(phones[0]);
  }
  const place = firstPhrase(text, lower, PLACES);
  if (place !== undefined) {
    supporting.push('place');
    vietnamEvidence.push(place);
  }
  const service = firstPhrase(text, lower, VN_SERVICES);
  if (service !== undefined) {
    supporting.push('vn_service');
    vietnamEvidence.push(service);
  }
  const vietnamValue = strong.length > 0 || supporting.length >= THRESHOLDS.supportingKinds;

  return {
    url,
    host,
    ecommerce: { value: ecommerceValue, evidence: short(ecommerceEvidence), categories, score },
    targetsVietnam: {
      value: vietnamValue,
      evidence: short(vietnamEvidence),
      strong,
      supporting,
      vietnameseShare: language.share,
      vietnameseWords: language.words,
    },
    badge: {
      present: collected.images.length > 0 || collected.links.length > 0,
      claim: firstPhrase(text, lower, CLAIMS) ?? null,
      images: collected.images,
      links: collected.links,
    },
    vndPrices,
    phones,
    truncated: truncatedHtml || collected.textCut,
  };
}

function collect(html: string, base: URL | null, portal: URL | null): Collected {
  const collected: Collected = {
    lang: null,
    ogLocale: null,
    hreflangVi: null,
    text: [],
    textLength: 0,
    textCut: false,
    jsonLd: [],
    microdataTypes: new Set(),
    currencyHints: [],
    telLinks: [],
    images: [],
    links: [],
  };
  /** Open links: their absolute href (null for an `<a>` without one) and the record link each is, if any. */
  const anchors: Anchor[] = [];
  let spaceBefore = false;
  const state = { stopped: false, depth: 0 };
  let skipped = 0;
  let jsonLdOpen = false;
  let jsonLdText = '';
  let optionOpen = false;
  let optionText = '';

  const addText = (chunk: string) => {
    if (collected.textCut) return;
    const room = MAX_TEXT_CHARS - collected.textLength;
    if (chunk.length > room) {
      collected.text.push(chunk.slice(0, room));
      collected.textLength = MAX_TEXT_CHARS;
      collected.textCut = true;
      return;
    }
    collected.text.push(chunk);
    collected.textLength += chunk.length;
  };

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (state.stopped) return;
        if (++state.depth > MAX_DEPTH) {
          state.stopped = true;
          return;
        }
        if (name === 'html' && attributes.lang !== undefined && collected.lang === null) {
          collected.lang = cut(attributes.lang.trim(), 35);
        }
        const hreflang = attributes.hreflang;
        if (hreflang !== undefined && collected.hreflangVi === null && /^vi(?:-|$)/i.test(hreflang.trim())) {
          collected.hreflangVi = cut(hreflang.trim(), 35);
        }
        const itemtype = attributes.itemtype;
        if (itemtype !== undefined) {
          const type = /schema\.org\/(Product|Offer|AggregateOffer)\b/i.exec(cut(itemtype, MAX_ATTRIBUTE_CHARS));
          if (type) collected.microdataTypes.add(type[1] as string);
        }
        if (name === 'meta') noteMeta(collected, attributes);
        const currency = attributes['data-currency'] ?? (name === 'option' ? attributes.value : undefined);
        if (currency !== undefined && isVndCode(currency) && collected.currencyHints.length < MAX_MATCHES) {
          collected.currencyHints.push(`currency option ${cut(currency.trim(), 10)}`);
        }
        if (name === 'option') {
          optionOpen = true;
          optionText = '';
        }
        if (SKIPPED_ELEMENTS.has(name)) {
          skipped++;
          if (name === 'script' && attributes.type?.trim().toLowerCase() === 'application/ld+json') {
            jsonLdOpen = collected.jsonLd.length < MAX_JSON_LD_SCRIPTS;
            jsonLdText = '';
          }
          return;
        }
        if (name === 'a') {
          // Most links are neither record links nor phone numbers: they are not resolved (a URL each costs time).
          const raw = attributes.href === undefined ? null : cut(attributes.href, MAX_ATTRIBUTE_CHARS);
          let record: RecordLink | null = null;
          if (raw !== null && MAY_BE_RECORD_LINK.test(raw)) {
            const href = resolve(raw, base);
            record = href ? recordLink(href, portal) : null;
            if (record && collected.links.length < MAX_MATCHES) collected.links.push(record);
          }
          if (raw !== null && TEL_LINK.test(raw) && collected.telLinks.length < MAX_MATCHES) {
            collected.telLinks.push(cut(decodeSafely(raw.trim().slice(4)), 30));
          }
          anchors.push({ raw, record });
        } else if (name === 'img') {
          noteImage(collected, attributes, base, portal, anchors.at(-1) ?? null);
        }
        spaceBefore = true;
      },
      ontext(chunk) {
        if (state.stopped) return;
        if (jsonLdOpen) {
          if (jsonLdText.length < MAX_JSON_LD_CHARS)
            jsonLdText += chunk.slice(0, MAX_JSON_LD_CHARS - jsonLdText.length);
          return;
        }
        if (skipped > 0) return;
        if (optionOpen && optionText.length < 20) optionText += chunk.slice(0, 20);
        // Elements end words: one space before the next text, not one per tag.
        if (spaceBefore) {
          addText(' ');
          spaceBefore = false;
        }
        addText(chunk);
      },
      onclosetag(name) {
        if (state.stopped) return;
        state.depth--;
        if (SKIPPED_ELEMENTS.has(name)) {
          if (skipped > 0) skipped--;
          if (jsonLdOpen && name === 'script') {
            collected.jsonLd.push(jsonLdText);
            jsonLdOpen = false;
            jsonLdText = '';
          }
          return;
        }
        if (name === 'a') anchors.pop();
        if (name === 'option') {
          optionOpen = false;
          if (isVndCode(optionText) && collected.currencyHints.length < MAX_MATCHES) {
            collected.currencyHints.push(`currency option ${cut(optionText.trim(), 10)}`);
          }
        }
        spaceBefore = true;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  // htmlparser2 keeps its stack of open elements with Array#unshift and looks a closing tag up with indexOf, so a
  // page of 200 000 nested tags takes it 20 s (quadratic; measured on 10.1.0, see signals.test.ts "hostile input").
  // Its depth is followed here (opens less closes, implied ones included) and reading stops past MAX_DEPTH, at the
  // end of the chunk; the time budget is only a backstop. A page cut short is marked truncated.
  const start = performance.now();
  for (let at = 0; at < html.length && !state.stopped; at += PARSE_CHUNK_CHARS) {
    parser.write(html.slice(at, at + PARSE_CHUNK_CHARS));
    if (at + PARSE_CHUNK_CHARS < html.length && performance.now() - start > PARSE_BUDGET_MS) state.stopped = true;
  }
  if (state.stopped) collected.textCut = true;
  parser.end();
  return collected;
}

function noteMeta(collected: Collected, attributes: Record<string, string>): void {
  const key = (attributes.property ?? attributes.name ?? attributes.itemprop ?? '').trim().toLowerCase();
  const content = cut(attributes.content ?? '', 64).trim();
  if (key === 'og:locale' && collected.ogLocale === null) collected.ogLocale = content;
  if (
    (key === 'product:price:currency' || key === 'og:price:currency' || key === 'pricecurrency') &&
    isVndCode(content)
  ) {
    collected.currencyHints.push(`${key}=${content}`);
  }
  if (key === 'og:type' && content.toLowerCase() === 'product') collected.microdataTypes.add('og:product');
}

/** An open link: its href as written and the record link it is, if any. */
interface Anchor {
  raw: string | null;
  record: RecordLink | null;
}

function noteImage(
  collected: Collected,
  attributes: Record<string, string>,
  base: URL | null,
  portal: URL | null,
  anchor: Anchor | null,
): void {
  if (collected.images.length >= MAX_MATCHES) return;
  const rawSrc = cut(attributes.src ?? '', MAX_ATTRIBUTE_CHARS);
  const rawAlt = cut(attributes.alt ?? attributes.title ?? '', MAX_EVIDENCE_CHARS);
  const alt = (COMBINING_MARK.test(rawAlt) ? rawAlt.normalize('NFC') : rawAlt).trim();
  let isBadge = BADGE_ALT.test(alt);
  const src = isBadge || MAY_BE_BADGE_SRC.test(rawSrc) ? (resolve(rawSrc, base) ?? '') : '';
  const parsed = src ? safeUrl(src) : null;
  if (parsed) {
    if (LEGACY_IMAGE.test(parsed.pathname)) isBadge = true;
    else if (portal && parsed.host === portal.host && PORTAL_BADGE_PATH.test(relativePath(parsed, portal))) {
      isBadge = true;
    }
  }
  if (!isBadge) return;
  const href = anchor?.raw ? resolve(anchor.raw, base) : null;
  collected.images.push({ src, alt, href });
  if (anchor?.record) anchor.record.wrapsBadgeImage = true;
}

/** A link to a record of ours or of the old portal, else null. */
function recordLink(href: string, portal: URL | null): RecordLink | null {
  const parsed = safeUrl(href);
  if (!parsed) return null;
  if (portal && parsed.host === portal.host) {
    const match = PORTAL_RECORD_PATH.exec(relativePath(parsed, portal));
    if (match) {
      const registrationNo = decodeSafely(match[1] as string);
      return { kind: 'portal', href, registrationNo, wrapsBadgeImage: false };
    }
  }
  if (LEGACY_HOSTS.has(parsed.hostname.toLowerCase())) {
    const match = LEGACY_RECORD_PATH.exec(parsed.pathname);
    if (match) {
      const register = (match[1] as string).toLowerCase() === 'webdetails' ? 'WebDetails' : 'AppDetails';
      return { kind: 'legacy', href, legacyId: `${register}/${match[2]}`, wrapsBadgeImage: false };
    }
  }
  return null;
}

/** The path of `url` below the portal's base path ("/r/TB-1" for https://portal.example/gov/r/TB-1 under /gov). */
function relativePath(url: URL, portal: URL): string {
  const basePath = portal.pathname.replace(/\/$/, '');
  return basePath && url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) : url.pathname;
}

function readStructuredData(collected: Collected): { productEvidence?: string; vndCurrency?: string } {
  const types = new Set(collected.microdataTypes);
  let vndCurrency: string | undefined;
  let budget = MAX_JSON_LD_NODES;
  const walk = (value: unknown, depth: number): void => {
    if (budget-- <= 0 || depth > 32 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const type = record['@type'];
    for (const name of Array.isArray(type) ? type : [type]) {
      if (typeof name === 'string' && /^(?:https?:\/\/schema\.org\/)?(Product|Offer|AggregateOffer)$/i.test(name)) {
        types.add(name.replace(/^https?:\/\/schema\.org\//i, ''));
      }
    }
    const currency = record.priceCurrency;
    if (vndCurrency === undefined && typeof currency === 'string' && isVndCode(currency)) {
      vndCurrency = `priceCurrency ${currency.trim().slice(0, 10)}`;
    }
    for (const key in record) walk(record[key], depth + 1);
  };
  for (const text of collected.jsonLd) {
    try {
      walk(JSON.parse(text), 0);
    } catch {
      // Broken JSON-LD is common; the page's other signals still count.
    }
  }
  const productEvidence =
    types.size > 0
      ? `schema.org ${[...types]
          .map((type) => (type === 'og:product' ? 'og:type=product' : type))
          .sort()
          .join(', ')}`
      : undefined;
  return { ...(productEvidence ? { productEvidence } : {}), ...(vndCurrency ? { vndCurrency } : {}) };
}

/** Per UTF-16 code unit up to U+1EFF: 0 not a Latin letter, 1 a Latin letter, 2 with a Vietnamese diacritic, 3 one
 * only Vietnamese uses. A table, not a regex per word: a loop over 64 KB of text then takes well under a millisecond. */
const LETTER_CLASS = (() => {
  const table = new Uint8Array(0x1f00);
  for (let code = 0x41; code <= 0x5a; code++) table[code] = 1;
  for (let code = 0x61; code <= 0x7a; code++) table[code] = 1;
  for (let code = 0xc0; code <= 0x24f; code++) if (code !== 0xd7 && code !== 0xf7) table[code] = 1;
  for (let code = 0x1e00; code < 0x1f00; code++) table[code] = 1;
  const mark = (letters: string, value: number) => {
    for (const letter of letters + letters.toUpperCase()) table[letter.charCodeAt(0)] = value;
  };
  mark('àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ', 2);
  mark('ạảầấậẩẫăằắặẳẵẹẻẽềếệểễịỉĩọỏồốộổỗơờớợởỡụủũưừứựửữỳỵỷỹđ', 3);
  return table;
})();

/** Share of the sampled Latin-script words written with Vietnamese diacritics, and their number. */
function vietnameseShare(text: string): { share: number; words: number } {
  const end = Math.min(text.length, MAX_LANGUAGE_SAMPLE);
  let total = 0;
  let vietnamese = 0;
  let vietnameseOnly = 0;
  /** The highest class of the current word's letters; -1 outside a word. */
  let word = -1;
  for (let at = 0; at <= end; at++) {
    const code = at < end ? text.charCodeAt(at) : 0;
    const letter = code < 0x1f00 ? (LETTER_CLASS[code] as number) : 0;
    if (letter > 0) {
      if (letter > word) word = letter;
      continue;
    }
    if (word > 0) {
      total++;
      if (word >= 2) vietnamese++;
      if (word === 3) vietnameseOnly++;
    }
    word = -1;
  }
  // French or Portuguese words carry é, à, ã too: without letters only Vietnamese has, it is not Vietnamese.
  if (total === 0 || vietnameseOnly * 4 < vietnamese) return { share: 0, words: 0 };
  return { share: vietnamese / total, words: vietnamese };
}

/**
 * A list of phrases as two regexes of literal alternatives (one over the lower-cased text, one over the text as
 * written for the exact-case ones): one linear scan each, where an indexOf a phrase scanned the page a hundred times.
 */
interface PhraseList {
  folded: RegExp | null;
  exact: RegExp | null;
  /** Phrases that letters may not touch, by their text as searched. */
  words: ReadonlySet<string>;
}

function phraseList(phrases: readonly Phrase[]): PhraseList {
  const searched = (phrase: Phrase) => (phrase.exactCase ? phrase.text : phrase.text.toLowerCase());
  const alternatives = (exact: boolean) =>
    phrases
      .filter((phrase) => Boolean(phrase.exactCase) === exact)
      .sort((a, b) => b.text.length - a.text.length)
      .map((phrase) => escapeRegExp(searched(phrase)));
  // Plain alternatives of literals, no look-around: the regex engine then skips ahead on their first characters.
  const folded = alternatives(false);
  const exact = alternatives(true);
  return {
    folded: folded.length > 0 ? new RegExp(folded.join('|'), 'g') : null,
    exact: exact.length > 0 ? new RegExp(exact.join('|'), 'g') : null,
    words: new Set(phrases.filter((phrase) => phrase.word).map(searched)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The first phrase of the list found in the text, as the page writes it (NFC, at most 80 characters). */
function firstPhrase(text: string, lower: string, list: PhraseList): string | undefined {
  const folded = list.folded ? firstWhole(list.folded, lower, list.words) : undefined;
  const exact = list.exact ? firstWhole(list.exact, text, list.words) : undefined;
  const best = folded && (!exact || folded.index <= exact.index) ? folded : exact;
  return best ? text.slice(best.index, best.index + best.length) : undefined;
}

const MAX_PHRASE_TRIES = 1000;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The first match of the pattern not glued to letters when it is one of `words`; bounded tries. */
function firstWhole(
  pattern: RegExp,
  text: string,
  words: ReadonlySet<string>,
): { index: number; length: number } | undefined {
  pattern.lastIndex = 0;
  for (let tries = 0; tries < MAX_PHRASE_TRIES; tries++) {
    const match = pattern.exec(text);
    if (!match) return undefined;
    const found = match[0];
    const end = match.index + found.length;
    if (!words.has(found) || (!WORD_CHAR.test(text.charAt(match.index - 1)) && !WORD_CHAR.test(text.charAt(end)))) {
      return { index: match.index, length: found.length };
    }
    pattern.lastIndex = match.index + 1;
  }
  return undefined;
}

/**
 * The matches of a global pattern that do not start right after `notBefore` (a match inside a longer run of digits is
 * skipped and the search goes on one character later), at most `limit`.
 */
function matchAll(pattern: RegExp, text: string, notBefore: RegExp, limit = MAX_MATCHES): string[] {
  const found: string[] = [];
  pattern.lastIndex = 0;
  for (;;) {
    const match = pattern.exec(text);
    if (!match) break;
    if (match.index > 0 && notBefore.test(text.charAt(match.index - 1))) {
      pattern.lastIndex = match.index + 1;
      continue;
    }
    found.push(cut(match[0].trim(), MAX_EVIDENCE_CHARS));
    if (found.length >= limit) break;
  }
  return found;
}

/** A phone number written as Vietnamese numbers are: a mobile (03/05/07/08/09 + 8 digits) or a landline (02 + 9). */
export function isVietnamesePhone(written: string): boolean {
  let digits = written.replace(/\D/g, '');
  if (digits.startsWith('84') && digits.length >= 11) digits = `0${digits.slice(2)}`;
  if (/^(?:1900|1800)\d{4,6}$/.test(digits)) return true;
  return /^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits);
}

/**
 * The VND prices written in a text, as written, at most `limit`: the monitor's own pattern and its guards against
 * hostile input, for the promotions module's price history (one parser of VND prices, not two).
 */
export function findVndPrices(text: string, limit = MAX_MATCHES): string[] {
  return matchAll(
    VND_PATTERN,
    text.length > MAX_TEXT_CHARS ? text.slice(0, MAX_TEXT_CHARS) : text,
    NOT_BEFORE_AMOUNT,
    limit,
  );
}

/** Parses a VND amount as written ("8.990.000 VNĐ", "₫129.000", "259,000 VND") to its number of đồng. */
export function vndAmount(written: string): number | null {
  const digits = written.replace(/[^\d]/g, '');
  return digits ? Number(digits) : null;
}

function isVndCode(value: string): boolean {
  return /^\s*(?:vnd|vnđ|₫)\b/iu.test(value.slice(0, 20)) || value.trim() === '₫';
}

function resolve(href: string | undefined, base: URL | null): string | null {
  if (href === undefined) return null;
  const trimmed = href.trim().slice(0, MAX_ATTRIBUTE_CHARS);
  if (trimmed.toLowerCase().startsWith('tel:')) return trimmed;
  try {
    return base ? new URL(trimmed, base).href : new URL(trimmed).href;
  } catch {
    return null;
  }
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function cut(text: string, length: number): string {
  return text.length > length ? text.slice(0, length) : text;
}

function short(evidence: readonly string[]): string[] {
  return [...new Set(evidence.map((item) => cut(item.normalize('NFC'), MAX_EVIDENCE_CHARS)))].slice(0, MAX_EVIDENCE);
}

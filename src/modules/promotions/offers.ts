/**
 * Offers read from a product page (issue 14, price history): schema.org Product/Offer in JSON-LD and microdata, else
 * the visible VND prices (a struck-through one, in del/s/strike, is the "before" price). VND prices are found with the
 * monitor's own pattern (`findVndPrices`). Pure, and bounded on hostile pages like the monitor's reader: input cut at
 * 4 M characters, fed in 16 KB chunks, reading stops past 256 nested elements or 500 ms; what could not be placed is
 * said in `notes`.
 */
import { Parser } from 'htmlparser2';
import { findVndPrices, vndAmount } from '../monitor/index.ts';

export interface ExtractedOffer {
  /** What identifies the product on its site: sku, productID, gtin, the product's url, or the page's path. */
  product_key: string;
  name: string;
  price_vnd: number;
  /** A "before" price the page shows (schema.org StrikethroughPrice/ListPrice, or a struck-through visible price). */
  list_price_vnd: number | null;
  source: 'json_ld' | 'microdata' | 'visible';
}

export interface ExtractedOffers {
  offers: ExtractedOffer[];
  /** What was seen and not recorded, and why (a price in another currency, JSON-LD that does not parse…). */
  notes: string[];
  truncated: boolean;
}

const MAX_HTML_CHARS = 4 * 1024 * 1024;
const CHUNK = 16 * 1024;
const MAX_DEPTH = 256;
const BUDGET_MS = 500;
const MAX_JSON_LD = 20;
const MAX_JSON_LD_CHARS = 256 * 1024;
const MAX_NODES = 20_000;
const MAX_OFFERS = 200;
const MAX_TEXT = 1024 * 1024;
const MAX_NOTES = 20;

interface MicroProduct {
  depth: number;
  props: Record<string, string>;
  listPrice: string | null;
}

function cut(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isVndCurrency(value: unknown): boolean {
  return typeof value === 'string' && /^\s*(?:vnd|vnđ|₫)\s*$/iu.test(value.slice(0, 20));
}

/** A price as schema.org writes it: a number, or digits as text ("259000", "259000.00", "259.000"). */
function priceOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim().slice(0, 40);
  if (/^\d+(?:\.\d{1,2})?$/.test(text)) return Math.round(Number(text)) || null;
  return vndAmount(text) || null;
}

function types(node: Record<string, unknown>): string[] {
  const type = node['@type'];
  return (Array.isArray(type) ? type : [type]).filter((item): item is string => typeof item === 'string');
}

function listOf(value: unknown): Record<string, unknown>[] {
  return (Array.isArray(value) ? value : [value]).filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
  );
}

function listPriceOf(offer: Record<string, unknown>): number | null {
  for (const spec of listOf(offer.priceSpecification)) {
    const priceType = String(spec.priceType ?? '');
    if (
      /StrikethroughPrice|ListPrice|SRP|MSRP/i.test(priceType) &&
      (spec.priceCurrency === undefined || isVndCurrency(spec.priceCurrency))
    ) {
      const price = priceOf(spec.price);
      if (price) return price;
    }
  }
  return null;
}

/** An offer's VND price (`price`, else `lowPrice`), or null with a note saying why it was not placed. */
function vndPriceOf(
  offer: Record<string, unknown>,
  name: string,
  currencyRequired: boolean,
  notes: string[],
): number | null {
  const currency = offer.priceCurrency;
  if ((currencyRequired || currency !== undefined) && !isVndCurrency(currency)) {
    notes.push(`product "${cut(name)}": offer in ${cut(String(currency ?? 'no currency'), 10)}, not VND`);
    return null;
  }
  const price = priceOf(offer.price ?? offer.lowPrice);
  if (!price) notes.push(`product "${cut(name)}": offer without a price`);
  return price;
}

function productKeyOf(node: Record<string, unknown>, pageKey: string): string {
  for (const key of ['sku', 'productID', 'gtin13', 'gtin', 'mpn', 'url', '@id']) {
    const value = node[key];
    if ((typeof value === 'string' && value.trim()) || typeof value === 'number') return cut(String(value).trim(), 300);
  }
  return typeof node.name === 'string' ? `${pageKey}#${cut(node.name.trim(), 200)}` : pageKey;
}

function offersOfJsonLd(scripts: string[], pageKey: string, notes: string[]): ExtractedOffer[] {
  const offers: ExtractedOffer[] = [];
  let nodes = 0;
  scripts.forEach((text, index) => {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      notes.push(`JSON-LD script ${index + 1} is not valid JSON`);
      return;
    }
    const stack: unknown[] = [data];
    while (stack.length && nodes < MAX_NODES && offers.length < MAX_OFFERS) {
      const item = stack.pop();
      nodes++;
      if (Array.isArray(item)) {
        stack.push(...item);
        continue;
      }
      if (typeof item !== 'object' || item === null) continue;
      const node = item as Record<string, unknown>;
      if (!types(node).includes('Product')) {
        for (const value of Object.values(node)) if (typeof value === 'object' && value !== null) stack.push(value);
        continue;
      }
      const name = typeof node.name === 'string' ? cut(node.name.trim()) : '';
      for (const offer of listOf(node.offers)) {
        const price = vndPriceOf(offer, name, true, notes);
        if (price === null) continue;
        offers.push({
          product_key: productKeyOf(node, pageKey),
          name,
          price_vnd: price,
          list_price_vnd: listPriceOf(offer),
          source: 'json_ld',
        });
      }
    }
  });
  return offers;
}

/** Reads a page's offers. `url` names the page (its path without query is the key of a product with no identifier). */
export function extractOffers(html: string, url: string): ExtractedOffers {
  const notes: string[] = [];
  let pageKey = url;
  try {
    const parsed = new URL(url);
    pageKey = `${parsed.origin}${parsed.pathname}`;
  } catch {
    notes.push('the page address is not a URL');
  }
  const input = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
  let truncated = input.length < html.length;

  const scripts: string[] = [];
  let scriptOpen = false;
  let scriptText = '';
  let skipDepth = 0;
  let depth = 0;
  let stopped = false;
  const visible: string[] = [];
  const struck: string[] = [];
  let visibleLength = 0;
  let struckDepth = 0;
  let title = '';
  let inTitle = false;
  let h1 = '';
  let h1Depth = 0;
  const micro: MicroProduct[] = [];
  const microDone: MicroProduct[] = [];
  let propOpen: { name: string; depth: number; text: string; product: MicroProduct } | null = null;

  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (stopped) return;
        if (++depth > MAX_DEPTH) {
          stopped = true;
          return;
        }
        if (name === 'script' || name === 'style' || name === 'noscript' || name === 'template') {
          skipDepth++;
          if (name === 'script' && attributes.type?.trim().toLowerCase() === 'application/ld+json') {
            scriptOpen = scripts.length < MAX_JSON_LD;
            scriptText = '';
          }
        }
        if (name === 'title') inTitle = true;
        if (name === 'h1' && !h1) h1Depth = depth;
        if (name === 'del' || name === 's' || name === 'strike') struckDepth++;
        const product = micro.at(-1);
        const itemprop = attributes.itemprop?.trim();
        if (
          itemprop &&
          product &&
          !(attributes.itemscope !== undefined && /Product/i.test(attributes.itemtype ?? ''))
        ) {
          const value = attributes.content ?? (name === 'meta' || name === 'link' ? attributes.href : undefined);
          if (value !== undefined) {
            product.props[itemprop] ??= cut(value.trim(), 300);
          } else if (!propOpen) {
            propOpen = { name: itemprop, depth, text: '', product };
          }
        }
        if (attributes.itemscope !== undefined && /schema\.org\/Product\b/i.test(attributes.itemtype ?? '')) {
          micro.push({ depth, props: {}, listPrice: null });
        }
      },
      ontext(text) {
        if (stopped) return;
        if (scriptOpen) {
          if (scriptText.length + text.length <= MAX_JSON_LD_CHARS) scriptText += text;
          else notes.push('a JSON-LD script was too long and was cut');
          return;
        }
        if (skipDepth > 0) return;
        if (inTitle && title.length < 300) title += text;
        if (h1Depth && h1.length < 300) h1 += text;
        if (propOpen && propOpen.text.length < 300) propOpen.text += text;
        if (visibleLength < MAX_TEXT) {
          (struckDepth > 0 ? struck : visible).push(text);
          visibleLength += text.length;
        }
      },
      onclosetag(name) {
        if (stopped) return;
        if (propOpen && propOpen.depth === depth) {
          propOpen.product.props[propOpen.name] ??= cut(propOpen.text.replace(/\s+/g, ' ').trim(), 300);
          propOpen = null;
        }
        const product = micro.at(-1);
        if (product && product.depth === depth) microDone.push(micro.pop() as MicroProduct);
        if (name === 'script' || name === 'style' || name === 'noscript' || name === 'template') {
          skipDepth = Math.max(0, skipDepth - 1);
          if (name === 'script' && scriptOpen) {
            scripts.push(scriptText);
            scriptOpen = false;
          }
        }
        if (name === 'title') inTitle = false;
        if (name === 'h1' && h1Depth === depth) h1Depth = 0;
        if ((name === 'del' || name === 's' || name === 'strike') && struckDepth > 0) struckDepth--;
        visible.push(' ');
        depth--;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  const start = performance.now();
  for (let at = 0; at < input.length && !stopped; at += CHUNK) {
    parser.write(input.slice(at, at + CHUNK));
    if (at + CHUNK < input.length && performance.now() - start > BUDGET_MS) stopped = true;
  }
  parser.end();
  if (stopped) {
    truncated = true;
    notes.push('the page was read only in part (too deeply nested or too slow)');
  }

  let offers = offersOfJsonLd(scripts, pageKey, notes);
  if (!offers.length) {
    for (const product of [...microDone, ...micro]) {
      const { props } = product;
      const name = props.name ?? '';
      // Microdata often leaves the currency to the page: only a currency other than VND refuses the offer.
      const price = vndPriceOf(props, name, false, notes);
      if (price === null) continue;
      offers.push({
        product_key: productKeyOf(props, pageKey),
        name,
        price_vnd: price,
        list_price_vnd: null,
        source: 'microdata',
      });
      if (offers.length >= MAX_OFFERS) break;
    }
  }
  const struckPrices = findVndPrices(struck.join(' '), 1);
  if (!offers.length) {
    const shown = findVndPrices(visible.join(''), 1)[0];
    if (shown !== undefined) {
      const price = vndAmount(shown);
      const before = struckPrices[0] === undefined ? null : vndAmount(struckPrices[0]);
      if (price) {
        offers.push({
          product_key: pageKey,
          name: cut((h1 || title).replace(/\s+/g, ' ').trim()),
          price_vnd: price,
          list_price_vnd: before && before > price ? before : null,
          source: 'visible',
        });
      }
    }
  } else if (offers.length === 1 && struckPrices[0] !== undefined) {
    // One product on the page and one struck-through price: that is the "before" price it shows.
    const only = offers[0] as ExtractedOffer;
    const before = vndAmount(struckPrices[0]);
    if (only.list_price_vnd === null && before && before > only.price_vnd)
      offers = [{ ...only, list_price_vnd: before }];
  }
  return { offers, notes: notes.slice(0, MAX_NOTES), truncated };
}

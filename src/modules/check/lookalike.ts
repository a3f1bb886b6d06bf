/**
 * Look-alike detection: does an unknown host imitate a registered platform's domain or name?
 * Techniques and their names follow dnstwist (https://github.com/elceef/dnstwist).
 *
 * Speed with a large register (1,000,000 platforms): we never compare the query with every target. The index
 * is a hash map from each target's key (its domain's first label, and its brand name as a key) to the targets.
 * A query label is undone the way each technique would have made it (a repeated letter removed, two letters
 * swapped back, …): a few hundred candidates, each first checked against a Bloom filter of the keys by a hash
 * computed in O(1), and only the few that pass are built and looked up. The cost does not grow with the
 * register: ≈ 40 µs a query at a million targets (bench/lookalike.ts).
 */
import { domainToUnicode } from 'node:url';
import { type NormalizedHost, tryNormalizeHost } from '../../core/hosts.ts';
import { brandKey } from '../../core/text.ts';
import { ASCII_LOOKALIKE_SEQUENCES, CONFUSABLE_TO_ASCII, SIMILAR_GLYPHS } from './confusables.ts';

export type LookalikeTechnique =
  | 'addition'
  | 'bitsquatting'
  | 'dictionary'
  | 'homoglyph'
  | 'hyphenation'
  | 'insertion'
  | 'omission'
  | 'repetition'
  | 'replacement'
  | 'subdomain'
  | 'tld-swap'
  | 'transposition'
  | 'vowel-swap';

export interface LookalikeTarget {
  platformId: string;
  platformName: string;
  /** A registrable domain, ASCII (NormalizedHost.registrableDomain). */
  domain: string;
}

export interface LookalikeMatch {
  platformId: string;
  platformName: string;
  domain: string;
  technique: LookalikeTechnique;
}

export interface LookalikeIndex {
  add(target: LookalikeTarget): void;
  /** Also match the platform's name as a key ("TikTok Shop" → "tiktokshop"); `domain` is the one to report. */
  addBrandName(platformId: string, platformName: string, domain: string): void;
  removePlatform(platformId: string): void;
  /** The platform the host imitates; undefined when none, or when the host's registrable domain is a target. */
  find(host: NormalizedHost): LookalikeMatch | undefined;
  /** Targets (platform, domain) in the index; brand names not counted. */
  readonly size: number;
}

/**
 * Shortest key each technique applies to. A one-letter change to a short key mostly lands on ordinary words
 * (temu → emu, tiki → wiki, sendo → send), so single edits need longer keys.
 *
 * Measured: 993,000 plausible shop labels (every pair of words from bench/corpus/words-*.txt) against 470
 * brand keys (the demo register and bench/corpus/well-known-sites.txt). Counts below are labels matched by
 * chance (none was made to imitate anything), by technique and key length. With these thresholds: 141 labels
 * (0.014%). The public-check corpus (test/lookalike-corpus.test.ts) must stay under 0.5%.
 */
const MIN_KEY_LENGTH: Readonly<Record<LookalikeTechnique, number>> = {
  // Exact uses of a key. Not 1–2 letters: a.myshopify.com or qq.com are no brand in another domain.
  'tld-swap': 3,
  homoglyph: 3,
  subdomain: 3,
  dictionary: 3,
  // Edits: brands of 4 letters or fewer get none. A doubled letter, a swap or a hyphen rarely makes an
  // ordinary word: at most 2 false matches at any key length.
  hyphenation: 5,
  repetition: 5,
  transposition: 5,
  addition: 5,
  insertion: 5,
  replacement: 5,
  'vowel-swap': 5,
  // Omission leaves a query one letter shorter than the key; from a 5-letter key that is a 4-letter label, and
  // those are dense (baidu → badu, canva → cana, honda → hona).
  omission: 6,
  // A bit flip swaps letters that look nothing alike (h↔l, c↔a): it behaves as a replacement by any letter,
  // with the most false matches per key (16 from 85 six-letter keys: hocmai → hoamai, baomoi → banmoi).
  bitsquatting: 7,
};

/*
 * Interior edits only: omission, insertion, replacement, vowel-swap, bitsquatting and similar glyphs are looked for
 * between the key's first and last letters. Readers take in a word by its first and last letters, so interior
 * changes are the ones that pass unnoticed, while edge changes mostly turn a brand into another word (dantri →
 * antri, hacom → nhacom, dantri → bantri). Measured as above, every threshold at 3: 351 → 252 false matches.
 */

/**
 * Shortest key a merely similar glyph (b for d, c for e…, confusables.ts SIMILAR_GLYPHS) applies to, as for a
 * replacement, which it resembles: on a short key it mostly makes ordinary words (temu → tenu). Measured as in
 * confusables.ts: at 5, 166 → 169 false matches; at 6, 167, but senbo for sendo passes.
 */
const MIN_SIMILAR_GLYPH_KEY_LENGTH = 5;

/** A key joined to lure words without a hyphen ("shopeesale") needs this length: "tikishop" is too ambiguous. */
const MIN_COMPOUND_KEY_LENGTH = 5;
/** How many lure words may be peeled off a compound label ("shopeesalevn" → "shopeesale" → "shopee"). */
const MAX_LURE_AFFIXES = 2;

/**
 * Words that phishing and fake-shop domains add to a brand. Not here, though common in such domains: my, deal,
 * deals, event, gift. Ordinary shop names start or end with them (myhanoi, danangdeal): together 40 more false
 * matches in the measurement above.
 */
const LURE_WORDS: ReadonlySet<string> = new Set([
  'account',
  'app',
  'apps',
  'chinhhang',
  'cskh',
  'dangnhap',
  'download',
  'flashsale',
  'freeship',
  'giamgia',
  'hoantien',
  'hotro',
  'khuyenmai',
  'login',
  'mall',
  'official',
  'online',
  'pay',
  'payment',
  'promo',
  'quatang',
  'sale',
  'sales',
  'secure',
  'service',
  'shop',
  'signin',
  'store',
  'sukien',
  'support',
  'taikhoan',
  'thanhtoan',
  'tructuyen',
  'uudai',
  'verify',
  'vietnam',
  'vip',
  'vn',
  'voucher',
  'xacminh',
  'xacthuc',
]);

/** Keys that are also everyday subdomain names: "shop.example.com" does not imitate a platform called shop. */
const GENERIC_SUBDOMAIN_WORDS: ReadonlySet<string> = new Set([
  'admin',
  'api',
  'app',
  'blog',
  'cdn',
  'docs',
  'help',
  'img',
  'login',
  'mail',
  'mobile',
  'news',
  'shop',
  'static',
  'store',
  'support',
  'web',
  'www',
]);

// Characters as char codes: the edit loops run a few hundred times a query.
const HOST_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-';
const HOST_ALPHABET_CODES = codesOf(HOST_ALPHABET);
const VOWEL_CODES = codesOf('aeiou');
const KEYBOARD_NEIGHBORS = buildQwertyNeighbors(['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm']);
const KEYBOARD_NEIGHBOR_CODES = tableByCode((code) => codesOf(KEYBOARD_NEIGHBORS.get(String.fromCharCode(code)) ?? ''));
/** One bit flipped, keeping only results a host name can hold (a flip to upper case is no change in DNS). */
const BIT_FLIP_CODES = tableByCode((code) =>
  Array.from({ length: 8 }, (_, bit) => code ^ (1 << bit)).filter((flipped) => HOST_ALPHABET_CODES.includes(flipped)),
);
const NO_CODES: readonly number[] = [];
/** For a character of a look-alike, the characters of a key it may stand for (SIMILAR_GLYPHS of one letter). */
const SIMILAR_GLYPH_CODES = tableByCode((code) =>
  SIMILAR_GLYPHS.filter(([, lookalike]) => lookalike === String.fromCharCode(code)).map(([key]) => key.charCodeAt(0)),
);
/** Two characters of a look-alike that stand for one of the key (nn for m, lc for k). */
const SIMILAR_GLYPH_PAIRS = SIMILAR_GLYPHS.filter(([, lookalike]) => lookalike.length === 2).map(
  ([key, lookalike]) => ({
    lookalike,
    keyCode: key.charCodeAt(0),
  }),
);

/** Record ids under one key: a number for the usual single record, an array when several share the key. */
type Postings = number | number[];

export function createLookalikeIndex(): LookalikeIndex {
  // Platforms, interned: records refer to them by number.
  const platformIds: string[] = [];
  const platformNames: string[] = [];
  const platformNumberById = new Map<string, number>();
  /** Each platform's records form a linked list through recordNextOfPlatform (-1 ends it). */
  const firstRecordOfPlatform: number[] = [];

  // Records in parallel arrays, smaller than an object (or a list per platform) each at a million targets:
  // 1,000,000 platforms with a domain and a name each take about 370 MB (bench/lookalike.ts). A record is a
  // domain (its key is the domain's first label) or a brand name (its key is brandKey). A free slot has
  // platform -1.
  const recordPlatform: number[] = [];
  const recordDomain: string[] = [];
  const recordBrandKey: (string | undefined)[] = [];
  const recordNextOfPlatform: number[] = [];
  const freeRecords: number[] = [];
  let targetCount = 0;

  const recordsByKey = new Map<string, Postings>();
  // Only keys whose skeleton differs from the key itself ("1688" → "i688", "hoalan" → "hoaian"): in the bench's
  // register two keys in five, nearly all for an l (53 MB of the total below).
  const recordsBySkeleton = new Map<string, Postings>();
  const keyFilter = createKeyFilter();
  const allKeys = () => recordsByKey.keys();

  function internPlatform(platformId: string, platformName: string): number {
    let platform = platformNumberById.get(platformId);
    if (platform === undefined) {
      platform = platformIds.length;
      platformIds.push(platformId);
      platformNames.push(platformName);
      firstRecordOfPlatform.push(-1);
      platformNumberById.set(platformId, platform);
    } else {
      platformNames[platform] = platformName;
    }
    return platform;
  }

  function* recordsOfPlatform(platform: number): Generator<number> {
    for (
      let record = firstRecordOfPlatform[platform] ?? -1;
      record !== -1;
      record = recordNextOfPlatform[record] ?? -1
    ) {
      yield record;
    }
  }

  function keyOf(record: number): string {
    return recordBrandKey[record] ?? keyOfDomain(recordDomain[record] ?? '');
  }

  /**
   * Whether the key already leads to this platform (for a brand name) or to this platform's domain. Read from the
   * platform's few records, not from the key's postings: a key many platforms share (a common shop name) would
   * otherwise be walked for every one of them as the register loads.
   */
  function hasRecord(key: string, platform: number, domain: string, isBrand: boolean): boolean {
    for (const record of recordsOfPlatform(platform)) {
      if (isBrand ? keyOf(record) === key : recordDomain[record] === domain && recordBrandKey[record] === undefined) {
        return true;
      }
    }
    return false;
  }

  /** The platform's own copy of the domain string when it has one: the brand record then shares it. */
  function sharedDomain(platform: number, domain: string): string {
    for (const record of recordsOfPlatform(platform)) if (recordDomain[record] === domain) return recordDomain[record];
    return domain;
  }

  function insertRecord(platform: number, domain: string, brandKeyOfName: string | undefined): void {
    const key = brandKeyOfName ?? keyOfDomain(domain);
    const record = freeRecords.pop() ?? recordPlatform.length;
    recordPlatform[record] = platform;
    recordDomain[record] = domain;
    recordBrandKey[record] = brandKeyOfName;
    recordNextOfPlatform[record] = firstRecordOfPlatform[platform] ?? -1;
    firstRecordOfPlatform[platform] = record;
    const postings = recordsByKey.get(key);
    if (postings === undefined) addToKeyFilter(keyFilter, key, recordsByKey.size + 1, allKeys);
    recordsByKey.set(key, addPosting(postings, record));
    const skeleton = skeletonOfKey(key);
    if (skeleton !== key) recordsBySkeleton.set(skeleton, addPosting(recordsBySkeleton.get(skeleton), record));
    if (brandKeyOfName === undefined) targetCount++;
  }

  function deleteRecord(record: number): void {
    const key = keyOf(record);
    updatePostings(recordsByKey, key, record);
    if (!recordsByKey.has(key)) noteKeyRemoved(keyFilter, recordsByKey.size, allKeys);
    const skeleton = skeletonOfKey(key);
    if (skeleton !== key) updatePostings(recordsBySkeleton, skeleton, record);
    if (recordBrandKey[record] === undefined) targetCount--;
    recordPlatform[record] = -1;
    recordDomain[record] = '';
    recordBrandKey[record] = undefined;
    recordNextOfPlatform[record] = -1;
    freeRecords.push(record);
  }

  function toMatch(record: number, technique: LookalikeTechnique): LookalikeMatch {
    const platform = recordPlatform[record] ?? -1;
    return {
      platformId: platformIds[platform] ?? '',
      platformName: platformNames[platform] ?? '',
      domain: recordDomain[record] ?? '',
      technique,
    };
  }

  const records: RecordView = {
    byKey: (key) => recordsByKey.get(key),
    bySkeleton: (skeleton) => recordsBySkeleton.get(skeleton),
    keyFilter,
    domain: (record) => recordDomain[record] ?? '',
    platformId: (record) => platformIds[recordPlatform[record] ?? -1] ?? '',
    isBrand: (record) => recordBrandKey[record] !== undefined,
    key: keyOf,
    keyLength: (record) => recordBrandKey[record]?.length ?? (recordDomain[record] ?? '').indexOf('.'),
  };

  return {
    add(target) {
      const domain = registrableDomainOf(target.domain);
      if (!domain || keyOfDomain(domain).length < MIN_KEY_LENGTH['tld-swap']) return;
      const platform = internPlatform(target.platformId, target.platformName);
      if (!hasRecord(keyOfDomain(domain), platform, domain, false)) insertRecord(platform, domain, undefined);
    },
    addBrandName(platformId, platformName, domain) {
      const registrableDomain = registrableDomainOf(domain);
      const key = brandKey(platformName);
      if (!registrableDomain || key.length < MIN_KEY_LENGTH['tld-swap']) return;
      const platform = internPlatform(platformId, platformName);
      // A name equal to one of the platform's own labels ("Shopee", shopee.vn) adds nothing.
      if (hasRecord(key, platform, registrableDomain, true)) return;
      insertRecord(platform, sharedDomain(platform, registrableDomain), key);
    },
    removePlatform(platformId) {
      const platform = platformNumberById.get(platformId);
      if (platform === undefined) return;
      for (const record of [...recordsOfPlatform(platform)]) deleteRecord(record);
      firstRecordOfPlatform[platform] = -1;
    },
    find(host) {
      const hit = findImitatedRecord(records, host);
      return hit && toMatch(hit.record, hit.technique);
    },
    get size() {
      return targetCount;
    },
  };
}

/** What the matching code reads from the index. */
interface RecordView {
  byKey(key: string): Postings | undefined;
  /** Says "certainly not a key" for most absent keys without building them (see createKeyFilter). */
  keyFilter: KeyFilter;
  bySkeleton(skeleton: string): Postings | undefined;
  domain(record: number): string;
  platformId(record: number): string;
  isBrand(record: number): boolean;
  key(record: number): string;
  keyLength(record: number): number;
}

interface RecordHit {
  record: number;
  technique: LookalikeTechnique;
}

/** One query against the index; the techniques below share it. */
interface Query {
  records: RecordView;
  host: NormalizedHost;
  /** The label the edit techniques work on: the host's label, or its ASCII look for an IDN label. */
  label: string;
  /** For pre-checking the label's one-character edits against the key filter. */
  hashes: LabelHashes | undefined;
}

type TechniqueCheck = (query: Query) => RecordHit | undefined;

/**
 * Techniques in the order they are tried; the first that matches is reported. The order is by how specific the
 * evidence is: the exact key first, then confusable letters, then edits that explain the difference in the
 * fewest ways (a doubled letter before "some letter added"), and last the techniques that keep the key whole
 * but put it somewhere else (beside lure words, in a subdomain).
 */
const TECHNIQUES_IN_PRIORITY: readonly TechniqueCheck[] = [
  matchExactKey,
  matchHomoglyph,
  matchSimilarGlyph,
  matchHyphenation,
  matchRepetition,
  matchAddition,
  matchInsertion,
  matchOmission,
  matchTransposition,
  matchVowelSwap,
  matchReplacement,
  matchBitsquatting,
  matchDictionary,
  matchSubdomain,
];

function findImitatedRecord(records: RecordView, host: NormalizedHost): RecordHit | undefined {
  if (host.isIp || host.label === '') return undefined;
  if (isRegisteredDomain(records, host)) return undefined;
  const isIdn = host.label.startsWith('xn--');
  const label = isIdn ? asciiLookOf(domainToUnicode(host.label)) : host.label;
  const query: Query = { records, host, label, hashes: hashLabel(label) };
  for (const check of TECHNIQUES_IN_PRIORITY) {
    const hit = check(query);
    if (hit) return hit;
  }
  return undefined;
}

function isRegisteredDomain(records: RecordView, host: NormalizedHost): boolean {
  return someRecord(records.byKey(host.label), (record) => records.domain(record) === host.registrableDomain);
}

// ---- techniques -------------------------------------------------------------------------------------------

/** The label is a key: the same name under another suffix (shopee.com), or a platform's name as a domain. */
function matchExactKey(query: Query): RecordHit | undefined {
  // The host's own label, not the skeleton: an IDN label whose skeleton is a key is a homoglyph, tried next.
  const { label } = query.host;
  const record = pickRecord(query, query.records.byKey(label), MIN_KEY_LENGTH['tld-swap']);
  if (record === undefined) return undefined;
  if (!query.records.isBrand(record)) return { record, technique: 'tld-swap' };
  // A name key: "sachcuhanoi" for sachcu-hanoi.vn is the domain without its hyphen; "tiktokshop" adds a word.
  const ownLabel = keyOfDomain(query.records.domain(record));
  return { record, technique: ownLabel.replaceAll('-', '') === label ? 'hyphenation' : 'dictionary' };
}

/** Letters swapped for look-alikes (Cyrillic о, digit 0, "rn" for m, I for l): the skeletons are equal. */
function matchHomoglyph(query: Query): RecordHit | undefined {
  const { records, host } = query;
  const skeleton = skeletonOf(host.label.startsWith('xn--') ? domainToUnicode(host.label) : host.label);
  const minLength = MIN_KEY_LENGTH.homoglyph;
  // A key without look-alike letters is its own skeleton; the exact key was tried already.
  const plainKey = skeleton !== host.label ? pickRecord(query, records.byKey(skeleton), minLength) : undefined;
  const record = plainKey ?? pickRecord(query, records.bySkeleton(skeleton), minLength, host.label);
  return record === undefined ? undefined : { record, technique: 'homoglyph' };
}

/**
 * One letter swapped for one that only resembles it (shopce for shopee, vinannilk for vinamilk: confusables.ts
 * SIMILAR_GLYPHS), at one interior position, as dnstwist generates them; reported as a homoglyph too.
 */
function matchSimilarGlyph(query: Query): RecordHit | undefined {
  const minLength = MIN_SIMILAR_GLYPH_KEY_LENGTH;
  const single = matchSubstitutions(query, 'homoglyph', (code) => SIMILAR_GLYPH_CODES[code] ?? NO_CODES, minLength);
  if (single) return single;
  const { label } = query;
  if (label.length - 1 < minLength) return undefined;
  for (const { lookalike, keyCode } of SIMILAR_GLYPH_PAIRS) {
    // The key's letter is interior: the pair neither starts nor ends the label.
    for (let i = label.indexOf(lookalike, 1); i !== -1 && i + 2 < label.length; i = label.indexOf(lookalike, i + 1)) {
      if (!mightSpliceBeKey(query, i, keyCode, keyCode, 1, i + 2)) continue;
      const candidate = label.slice(0, i) + String.fromCharCode(keyCode) + label.slice(i + 2);
      const hit = lookUp(query, candidate, 'homoglyph', minLength);
      if (hit) return hit;
    }
  }
  return undefined;
}

function matchHyphenation(query: Query): RecordHit | undefined {
  const { label } = query;
  for (let i = label.indexOf('-'); i !== -1; i = label.indexOf('-', i + 1)) {
    if (!mightDeletionBeKey(query, i)) continue;
    const hit = lookUp(query, deleteAt(label, i), 'hyphenation');
    if (hit) return hit;
  }
  return undefined;
}

/** A letter doubled: shoppee. */
function matchRepetition(query: Query): RecordHit | undefined {
  const { label } = query;
  for (let i = 1; i < label.length; i++) {
    if (label[i] !== label[i - 1] || label[i] === label[i + 1] || !mightDeletionBeKey(query, i)) continue;
    const hit = lookUp(query, deleteAt(label, i), 'repetition');
    if (hit) return hit;
  }
  return undefined;
}

/** A character appended: lazadas. */
function matchAddition(query: Query): RecordHit | undefined {
  const last = query.label.length - 1;
  return mightDeletionBeKey(query, last) ? lookUp(query, query.label.slice(0, last), 'addition') : undefined;
}

/** A character inserted next to the key it neighbours on a keyboard: shopwee. Interior only (see above). */
function matchInsertion(query: Query): RecordHit | undefined {
  const { label } = query;
  for (let i = 1; i < label.length - 1; i++) {
    const neighbors = KEYBOARD_NEIGHBORS.get(label[i] ?? '') ?? '';
    const before = label[i - 1] ?? '';
    const after = label[i + 1] ?? '';
    if (!(before !== '' && neighbors.includes(before)) && !(after !== '' && neighbors.includes(after))) continue;
    if (!mightDeletionBeKey(query, i)) continue;
    const hit = lookUp(query, deleteAt(label, i), 'insertion');
    if (hit) return hit;
  }
  return undefined;
}

/**
 * A character left out: shope. Undone by putting every host character back at every interior position (see
 * above): about 37 × length candidates, the bulk of a query's work, almost all stopped by the key filter.
 */
function matchOmission(query: Query): RecordHit | undefined {
  const { label, hashes } = query;
  if (label.length + 1 < MIN_KEY_LENGTH.omission) return undefined;
  if (hashes !== undefined && !mightBeKeyDeletion(query.records.keyFilter, hashes)) return undefined;
  for (let i = 1; i < label.length; i++) {
    for (const code of charactersMakingKeys(query, i, i, HOST_ALPHABET_CODES)) {
      // Inserting the letter already on the left gives the same string as inserting it one place earlier.
      if (i > 1 && code === label.charCodeAt(i - 1)) continue;
      const hit = lookUp(query, label.slice(0, i) + String.fromCharCode(code) + label.slice(i), 'omission');
      if (hit) return hit;
    }
  }
  return undefined;
}

function matchTransposition(query: Query): RecordHit | undefined {
  const { label } = query;
  for (let i = 0; i + 1 < label.length; i++) {
    const first = label[i] ?? '';
    const second = label[i + 1] ?? '';
    if (first === second || !mightTranspositionBeKey(query, i)) continue;
    const hit = lookUp(query, label.slice(0, i) + second + first + label.slice(i + 2), 'transposition');
    if (hit) return hit;
  }
  return undefined;
}

function matchVowelSwap(query: Query): RecordHit | undefined {
  return matchSubstitutions(query, 'vowel-swap', (code) => (VOWEL_CODES.includes(code) ? VOWEL_CODES : NO_CODES));
}

/** A character replaced by a neighbouring key: shopwe. */
function matchReplacement(query: Query): RecordHit | undefined {
  return matchSubstitutions(query, 'replacement', (code) => KEYBOARD_NEIGHBOR_CODES[code] ?? NO_CODES);
}

/** One bit flipped in one character (a memory error sends the request to this domain). */
function matchBitsquatting(query: Query): RecordHit | undefined {
  return matchSubstitutions(query, 'bitsquatting', (code) => BIT_FLIP_CODES[code] ?? NO_CODES);
}

/** The key beside lure words: shopee-sale, sale-shopee, shopeevn. */
function matchDictionary(query: Query): RecordHit | undefined {
  return findKeyAmongLureWords(query, query.label, 'dictionary');
}

/** The key as a subdomain of another domain: shopee.vn.example.com, shopee-sale.evil.top. */
function matchSubdomain(query: Query): RecordHit | undefined {
  for (const subdomainLabel of query.host.subdomainLabels) {
    const record = pickRecord(query, query.records.byKey(subdomainLabel), MIN_KEY_LENGTH.subdomain);
    if (record !== undefined && !GENERIC_SUBDOMAIN_WORDS.has(subdomainLabel)) {
      return { record, technique: 'subdomain' };
    }
    const hit = findKeyAmongLureWords(query, subdomainLabel, 'subdomain');
    if (hit) return hit;
  }
  return undefined;
}

// ---- technique helpers ------------------------------------------------------------------------------------

function lookUp(
  query: Query,
  candidate: string,
  technique: LookalikeTechnique,
  minLength = MIN_KEY_LENGTH[technique],
): RecordHit | undefined {
  if (candidate.length < minLength) return undefined;
  const record = pickRecord(query, query.records.byKey(candidate), minLength);
  return record === undefined ? undefined : { record, technique };
}

/** Replaces each interior character (see above) by each of its alternatives and looks the result up. */
function matchSubstitutions(
  query: Query,
  technique: LookalikeTechnique,
  alternativesOf: (code: number) => readonly number[],
  minLength = MIN_KEY_LENGTH[technique],
): RecordHit | undefined {
  const { label } = query;
  if (label.length < minLength) return undefined;
  for (let i = 1; i < label.length - 1; i++) {
    const code = label.charCodeAt(i);
    for (const alternative of charactersMakingKeys(query, i, i + 1, alternativesOf(code))) {
      if (alternative === code) continue;
      const candidate = label.slice(0, i) + String.fromCharCode(alternative) + label.slice(i + 1);
      const hit = lookUp(query, candidate, technique, minLength);
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Finds a key in a label made of the key and lure words: as hyphen-separated tokens (any key length), or run
 * together (keys of MIN_COMPOUND_KEY_LENGTH and more, since a short key inside a word is mostly chance).
 */
function findKeyAmongLureWords(query: Query, label: string, technique: LookalikeTechnique): RecordHit | undefined {
  const tokens = label.split('-');
  if (tokens.length > 1) {
    for (const [position, token] of tokens.entries()) {
      if (!tokens.every((other, otherPosition) => otherPosition === position || isLureToken(other, token))) continue;
      const record = pickRecord(query, query.records.byKey(token), MIN_KEY_LENGTH[technique]);
      if (record !== undefined) return { record, technique };
    }
  }
  for (const remainder of peelLureAffixes(tokens.join(''), MAX_LURE_AFFIXES)) {
    if (remainder.length < MIN_COMPOUND_KEY_LENGTH) continue;
    const record = pickRecord(query, query.records.byKey(remainder), MIN_COMPOUND_KEY_LENGTH);
    if (record !== undefined) return { record, technique };
  }
  return undefined;
}

/** A lure word, a number (year, sale date: 2025, 1111) or a lure word with a number (sale99). */
function isLureToken(token: string, key: string): boolean {
  const word = token.replace(/\d{1,4}$/, '');
  if (word === '') return token !== '' && /[a-z]/.test(key); // a number beside a numeric key (1688-99) is a shop name
  return LURE_WORDS.has(word);
}

/** The label with up to `depth` lure words (or a trailing number) removed from either end, nearest first. */
function* peelLureAffixes(label: string, depth: number): Generator<string> {
  if (depth === 0) return;
  const trailingNumber = label.match(/\d{1,4}$/);
  if (trailingNumber && trailingNumber[0].length < label.length) {
    const remainder = label.slice(0, -trailingNumber[0].length);
    yield remainder;
    yield* peelLureAffixes(remainder, depth - 1);
  }
  for (const word of LURE_WORDS) {
    if (word.length >= label.length) continue;
    if (label.endsWith(word)) {
      const remainder = label.slice(0, -word.length);
      yield remainder;
      yield* peelLureAffixes(remainder, depth - 1);
    }
    if (label.startsWith(word)) {
      const remainder = label.slice(word.length);
      yield remainder;
      yield* peelLureAffixes(remainder, depth - 1);
    }
  }
}

/**
 * The record to report among those under one key, deterministically: the same public suffix as the query
 * first (shoppe.vn imitates shopee.vn rather than shopee.com.my), then the shortest domain, then by name.
 */
function pickRecord(
  query: Query,
  postings: Postings | undefined,
  minKeyLength: number,
  excludedKey?: string,
): number | undefined {
  if (postings === undefined) return undefined;
  const { records, host } = query;
  let best: number | undefined;
  for (const record of postingsToArray(postings)) {
    if (records.keyLength(record) < minKeyLength) continue;
    if (excludedKey !== undefined && records.key(record) === excludedKey) continue;
    if (records.domain(record) === host.registrableDomain) continue;
    if (best === undefined || compareRecords(records, host, record, best) < 0) best = record;
  }
  return best;
}

function compareRecords(records: RecordView, host: NormalizedHost, a: number, b: number): number {
  const domainA = records.domain(a);
  const domainB = records.domain(b);
  const suffix = `.${host.publicSuffix}`;
  const sameSuffixA = domainA.endsWith(suffix) ? 0 : 1;
  const sameSuffixB = domainB.endsWith(suffix) ? 0 : 1;
  if (sameSuffixA !== sameSuffixB) return sameSuffixA - sameSuffixB;
  if (domainA.length !== domainB.length) return domainA.length - domainB.length;
  if (domainA !== domainB) return domainA < domainB ? -1 : 1;
  const idA = records.platformId(a);
  const idB = records.platformId(b);
  return idA < idB ? -1 : idA > idB ? 1 : 0;
}

// ---- key filter ---------------------------------------------------------------------------------------------

/*
 * A query label has a few hundred one-character edits; building each as a string and looking it up in a Map of
 * a million keys costs about half a microsecond apiece (hashing a fresh string, a cache miss). Instead each
 * edit's hash is computed in O(1) from the label's prefix and suffix hashes, without building it, and checked
 * against a Bloom filter of the index's keys. Only the edits the filter lets through (about 1% by chance) are
 * built and looked up. Plain objects and functions here, no closures: this is the hot loop.
 */

/** Bits per key: with two hash functions, about 1.4% of absent keys pass (1 − e^(−2/16))². */
const FILTER_BITS_PER_KEY = 16;
const MIN_FILTER_BITS = 1 << 16;
/** Rebuild once this many removed keys (whose bits stay set) exceed the live ones. */
const STALE_KEYS_SLACK = 1024;
/** Two odd multipliers for two independent polynomial hashes (modulo 2^32). */
const HASH_BASE_A = 0x01000193;
const HASH_BASE_B = 0x5bd1e995;
/** Longer labels (no host label exceeds 63) skip the filter and are looked up directly. */
const MAX_FILTERED_LABEL_LENGTH = 126;
const POWERS_A = powersOf(HASH_BASE_A, MAX_FILTERED_LABEL_LENGTH + 2);
const POWERS_B = powersOf(HASH_BASE_B, MAX_FILTERED_LABEL_LENGTH + 2);

/**
 * A Bloom filter that grows with the index. Removed keys keep their bits (a stale bit costs a lookup).
 *
 * Beside it, a filter of every key with one interior character deleted: a host label is an omission of some key only
 * if it is such a deletion, which one probe tells for most labels, instead of the 37 × length probes of inserting
 * each host character at each place (the costliest technique, run for every unknown host).
 */
interface KeyFilter {
  words: Uint32Array;
  mask: number;
  deletionWords: Uint32Array;
  deletionMask: number;
  staleKeys: number;
}

/** The deletion filter's size against the key filter's: a key has about eight interior deletions. */
const DELETION_FILTER_SCALE = 4;

function createKeyFilter(): KeyFilter {
  return {
    words: new Uint32Array(MIN_FILTER_BITS / 32),
    mask: MIN_FILTER_BITS - 1,
    deletionWords: new Uint32Array((MIN_FILTER_BITS * DELETION_FILTER_SCALE) / 32),
    deletionMask: MIN_FILTER_BITS * DELETION_FILTER_SCALE - 1,
    staleKeys: 0,
  };
}

function addToKeyFilter(filter: KeyFilter, key: string, keyCount: number, allKeys: () => Iterable<string>): void {
  if (keyCount * FILTER_BITS_PER_KEY > filter.mask + 1) rebuildKeyFilter(filter, keyCount, allKeys());
  setKeyBits(filter, key);
}

function noteKeyRemoved(filter: KeyFilter, keyCount: number, allKeys: () => Iterable<string>): void {
  filter.staleKeys++;
  if (filter.staleKeys > keyCount + STALE_KEYS_SLACK) rebuildKeyFilter(filter, keyCount, allKeys());
}

function rebuildKeyFilter(filter: KeyFilter, keyCount: number, keys: Iterable<string>): void {
  const bits = Math.max(MIN_FILTER_BITS, nextPowerOfTwo(keyCount * FILTER_BITS_PER_KEY));
  filter.words = new Uint32Array(bits / 32);
  filter.mask = bits - 1;
  filter.deletionWords = new Uint32Array((bits * DELETION_FILTER_SCALE) / 32);
  filter.deletionMask = bits * DELETION_FILTER_SCALE - 1;
  filter.staleKeys = 0;
  for (const key of keys) setKeyBits(filter, key);
}

function setKeyBits(filter: KeyFilter, key: string): void {
  const a = mix(polynomialHash(key, HASH_BASE_A)) & filter.mask;
  const b = mix(polynomialHash(key, HASH_BASE_B)) & filter.mask;
  filter.words[a >>> 5] = (filter.words[a >>> 5] ?? 0) | (1 << (a & 31));
  filter.words[b >>> 5] = (filter.words[b >>> 5] ?? 0) | (1 << (b & 31));
  setDeletionBits(filter, key);
}

const SUFFIX_A = new Int32Array(MAX_FILTERED_LABEL_LENGTH + 3);
const SUFFIX_B = new Int32Array(MAX_FILTERED_LABEL_LENGTH + 3);

/** The key with its character j deleted, for each interior j (1 ≤ j ≤ n - 2), as `hashLabel` hashes a label. */
function setDeletionBits(filter: KeyFilter, key: string): void {
  const n = key.length;
  // An omission's label is at least two characters long: a key of three or more.
  if (n < 3 || n > MAX_FILTERED_LABEL_LENGTH + 1) return;
  SUFFIX_A[n] = 0;
  SUFFIX_B[n] = 0;
  for (let i = n - 1; i >= 0; i--) {
    const code = key.charCodeAt(i);
    SUFFIX_A[i] = (Math.imul(code, at(POWERS_A, n - 1 - i)) + at(SUFFIX_A, i + 1)) | 0;
    SUFFIX_B[i] = (Math.imul(code, at(POWERS_B, n - 1 - i)) + at(SUFFIX_B, i + 1)) | 0;
  }
  let prefixA = 0;
  let prefixB = 0;
  for (let j = 0; j <= n - 2; j++) {
    if (j >= 1) {
      // H(key[0, j) + key[j + 1, n)) = H(key[0, j))·B^(n - j - 1) + H(key[j + 1, n))
      const a = mix((Math.imul(prefixA, at(POWERS_A, n - j - 1)) + at(SUFFIX_A, j + 1)) | 0) & filter.deletionMask;
      const b = mix((Math.imul(prefixB, at(POWERS_B, n - j - 1)) + at(SUFFIX_B, j + 1)) | 0) & filter.deletionMask;
      filter.deletionWords[a >>> 5] = (filter.deletionWords[a >>> 5] ?? 0) | (1 << (a & 31));
      filter.deletionWords[b >>> 5] = (filter.deletionWords[b >>> 5] ?? 0) | (1 << (b & 31));
    }
    const code = key.charCodeAt(j);
    prefixA = (Math.imul(prefixA, HASH_BASE_A) + code) | 0;
    prefixB = (Math.imul(prefixB, HASH_BASE_B) + code) | 0;
  }
}

/** False: the label is no key with one interior character deleted. True: try the insertions. */
function mightBeKeyDeletion(filter: KeyFilter, hashes: LabelHashes): boolean {
  const a = mix(at(hashes.prefixA, hashes.length)) & filter.deletionMask;
  if (((filter.deletionWords[a >>> 5] ?? 0) & (1 << (a & 31))) === 0) return false;
  const b = mix(at(hashes.prefixB, hashes.length)) & filter.deletionMask;
  return ((filter.deletionWords[b >>> 5] ?? 0) & (1 << (b & 31))) !== 0;
}

/** False: no key has these hashes. True: look the candidate up. */
function keyFilterMightContain(filter: KeyFilter, hashA: number, hashB: number): boolean {
  const a = mix(hashA) & filter.mask;
  if (((filter.words[a >>> 5] ?? 0) & (1 << (a & 31))) === 0) return false;
  const b = mix(hashB) & filter.mask;
  return ((filter.words[b >>> 5] ?? 0) & (1 << (b & 31))) !== 0;
}

/**
 * A label's prefix and suffix hashes under both bases. With H(x + y) = H(x)·B^|y| + H(y), the hash of any
 * one-character edit is a few multiplications. Undefined for labels too long to filter.
 */
interface LabelHashes {
  length: number;
  codes: Int32Array;
  prefixA: Int32Array;
  prefixB: Int32Array;
  suffixA: Int32Array;
  suffixB: Int32Array;
}

function hashLabel(label: string): LabelHashes | undefined {
  const n = label.length;
  if (n > MAX_FILTERED_LABEL_LENGTH) return undefined;
  const hashes: LabelHashes = {
    length: n,
    codes: new Int32Array(n + 1),
    prefixA: new Int32Array(n + 1),
    prefixB: new Int32Array(n + 1),
    suffixA: new Int32Array(n + 2),
    suffixB: new Int32Array(n + 2),
  };
  const { codes, prefixA, prefixB, suffixA, suffixB } = hashes;
  for (let i = 0; i < n; i++) {
    codes[i] = label.charCodeAt(i);
    prefixA[i + 1] = (Math.imul(at(prefixA, i), HASH_BASE_A) + at(codes, i)) | 0;
    prefixB[i + 1] = (Math.imul(at(prefixB, i), HASH_BASE_B) + at(codes, i)) | 0;
  }
  for (let i = n - 1; i >= 0; i--) {
    suffixA[i] = (Math.imul(at(codes, i), at(POWERS_A, n - 1 - i)) + at(suffixA, i + 1)) | 0;
    suffixB[i] = (Math.imul(at(codes, i), at(POWERS_B, n - 1 - i)) + at(suffixB, i + 1)) | 0;
  }
  return hashes;
}

/** Might label[0, i) + middle + label[j, n) be a key? `middleA`/`middleB` are the middle's hashes. */
function mightSpliceBeKey(
  query: Query,
  i: number,
  middleA: number,
  middleB: number,
  middleLength: number,
  j: number,
): boolean {
  const hashes = query.hashes;
  if (hashes === undefined) return true;
  const tailLength = hashes.length - j;
  const hashA =
    (Math.imul(at(hashes.prefixA, i), at(POWERS_A, middleLength + tailLength)) +
      Math.imul(middleA, at(POWERS_A, tailLength)) +
      at(hashes.suffixA, j)) |
    0;
  const hashB =
    (Math.imul(at(hashes.prefixB, i), at(POWERS_B, middleLength + tailLength)) +
      Math.imul(middleB, at(POWERS_B, tailLength)) +
      at(hashes.suffixB, j)) |
    0;
  return keyFilterMightContain(query.records.keyFilter, hashA, hashB);
}

function mightDeletionBeKey(query: Query, index: number): boolean {
  return mightSpliceBeKey(query, index, 0, 0, 0, index + 1);
}

/** Swapping the characters at index and index + 1. */
function mightTranspositionBeKey(query: Query, index: number): boolean {
  const first = query.label.charCodeAt(index);
  const second = query.label.charCodeAt(index + 1);
  const middleA = (Math.imul(second, HASH_BASE_A) + first) | 0;
  const middleB = (Math.imul(second, HASH_BASE_B) + first) | 0;
  return mightSpliceBeKey(query, index, middleA, middleB, 2, index + 2);
}

/**
 * Of these characters, those that put between label[0, i) and label[j, n) might make a key (usually none):
 * an insertion when j = i, a substitution when j = i + 1. The parts that do not depend on the character are
 * computed once.
 */
function charactersMakingKeys(query: Query, i: number, j: number, codes: readonly number[]): readonly number[] {
  const hashes = query.hashes;
  if (hashes === undefined) return codes;
  const tailLength = hashes.length - j;
  const fixedA = (Math.imul(at(hashes.prefixA, i), at(POWERS_A, tailLength + 1)) + at(hashes.suffixA, j)) | 0;
  const fixedB = (Math.imul(at(hashes.prefixB, i), at(POWERS_B, tailLength + 1)) + at(hashes.suffixB, j)) | 0;
  const stepA = at(POWERS_A, tailLength);
  const stepB = at(POWERS_B, tailLength);
  const filter = query.records.keyFilter;
  let passing: number[] | undefined;
  for (const code of codes) {
    if (keyFilterMightContain(filter, (fixedA + Math.imul(code, stepA)) | 0, (fixedB + Math.imul(code, stepB)) | 0)) {
      passing ??= [];
      passing.push(code);
    }
  }
  return passing ?? NO_CODES;
}

function polynomialHash(text: string, base: number): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(hash, base) + text.charCodeAt(i)) | 0;
  return hash;
}

/** MurmurHash3's finaliser: spreads the polynomial hash's weak low bits over all bits. */
function mix(hash: number): number {
  let h = hash ^ (hash >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function powersOf(base: number, count: number): Int32Array {
  const powers = new Int32Array(count);
  powers[0] = 1;
  for (let i = 1; i < count; i++) powers[i] = Math.imul(at(powers, i - 1), base);
  return powers;
}

function nextPowerOfTwo(value: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(1, value)));
}

/** Typed-array read for in-range indexes (noUncheckedIndexedAccess would otherwise ask for a fallback each time). */
function at(array: Int32Array, index: number): number {
  return array[index] ?? 0;
}

// ---- skeletons ---------------------------------------------------------------------------------------------

/**
 * What a label looks like, with look-alike characters replaced by the ASCII they imitate: "ѕһорее", "sh0pee"
 * and "shopée" all give "shopee". Diacritics are dropped (NFD, combining marks removed), đ becomes d. The edit
 * techniques read an IDN label this way.
 */
function asciiLookOf(label: string): string {
  let text = label;
  if (!isAscii(text)) {
    text = Array.from(text.normalize('NFD').replace(/\p{M}/gu, ''), (character) => {
      return CONFUSABLE_TO_ASCII.get(character) ?? character;
    }).join('');
  }
  if (!/[01]|rn|vv|cl/.test(text)) return text;
  for (const [sequence, replacement] of ASCII_LOOKALIKE_SEQUENCES) text = text.replaceAll(sequence, replacement);
  return text;
}

/**
 * A label's ASCII look with i, l and 1 as one letter (i): two labels with the same skeleton look alike. Folded
 * here, not in the ASCII look, so that the edit techniques still tell lazada from iazada in an IDN label.
 * dnstwist pairs all three (1→l/i, i→1/l, l→1/i): a capital I is an l in most sans-serif fonts, and a host is
 * lower-cased before it is checked, so "chophoonIine" arrives as "chophooniine". Into i rather than l because
 * fewer keys hold an l (32 of the 355 Vietnamese words, 113 with an i), and every key whose skeleton is not the
 * key itself takes an entry of its own in the index.
 */
export function skeletonOf(label: string): string {
  return asciiLookOf(label).replaceAll('l', 'i');
}

function skeletonOfKey(key: string): string {
  return skeletonOf(key.startsWith('xn--') ? domainToUnicode(key) : key);
}

function isAscii(text: string): boolean {
  return /^[ -~]*$/.test(text);
}

// ---- small utilities ---------------------------------------------------------------------------------------

/**
 * Targets are compared by registrable domain, whatever the register holds (a host such as m.shop.vn, a URL);
 * undefined for what is no domain (an IP address, garbage).
 */
function registrableDomainOf(domain: string): string | undefined {
  const host = tryNormalizeHost(domain);
  if (!host || host.isIp) return undefined;
  // The caller's string when it is already the registrable domain: the register holds it anyway.
  return host.registrableDomain === domain ? domain : host.registrableDomain;
}

/** The first label of a registrable domain. */
function keyOfDomain(domain: string): string {
  return domain.slice(0, domain.indexOf('.'));
}

function codesOf(text: string): number[] {
  return Array.from(text, (character) => character.charCodeAt(0));
}

/** A lookup table for the ASCII character codes. */
function tableByCode(entryFor: (code: number) => readonly number[]): ReadonlyArray<readonly number[]> {
  return Array.from({ length: 128 }, (_, code) => entryFor(code));
}

function deleteAt(text: string, index: number): string {
  return text.slice(0, index) + text.slice(index + 1);
}

function addPosting(postings: Postings | undefined, record: number): Postings {
  if (postings === undefined) return record;
  if (typeof postings === 'number') return [postings, record];
  postings.push(record);
  return postings;
}

function updatePostings(map: Map<string, Postings>, key: string, removed: number): void {
  const postings = map.get(key);
  if (postings === undefined) return;
  if (typeof postings === 'number') {
    if (postings === removed) map.delete(key);
    return;
  }
  const remaining = postings.filter((record) => record !== removed);
  const [only] = remaining;
  if (remaining.length === 0) map.delete(key);
  else map.set(key, remaining.length === 1 && only !== undefined ? only : remaining);
}

function postingsToArray(postings: Postings | undefined): readonly number[] {
  if (postings === undefined) return [];
  return typeof postings === 'number' ? [postings] : postings;
}

function someRecord(postings: Postings | undefined, predicate: (record: number) => boolean): boolean {
  if (postings === undefined) return false;
  return typeof postings === 'number' ? predicate(postings) : postings.some(predicate);
}

/** Neighbouring keys on a staggered QWERTY keyboard: same row ±1, the row above at i and i+1, below at i-1 and i. */
function buildQwertyNeighbors(rows: readonly string[]): ReadonlyMap<string, string> {
  const neighbors = new Map<string, string>();
  rows.forEach((row, rowIndex) => {
    Array.from(row).forEach((key, i) => {
      const above = rows[rowIndex - 1] ?? '';
      const below = rows[rowIndex + 1] ?? '';
      const around = [row[i - 1], row[i + 1], above[i], above[i + 1], below[i - 1], below[i]];
      neighbors.set(key, around.filter((character) => character !== undefined).join(''));
    });
  });
  return neighbors;
}

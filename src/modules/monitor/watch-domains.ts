/**
 * New-domain watch (issue 12): registries publish the day's new domains, one per line; those that imitate a
 * registered platform (the check module's look-alike engine, through `checkRegistration`) are flagged with the
 * platform imitated and why. Lines that are not domain names are reported with their number, never guessed at.
 * Time is bounded on hostile input: a line is refused on its length before any other work, so a 10 MB line or
 * 100,000 lines cost one pass over the text.
 */
import { domainToASCII } from 'node:url';
import { type CheckIndex, checkRegistration } from '../check/index.ts';

/** DNS's limit on a full name (RFC 1035 §2.3.4); longer lines are refused unread. */
const MAX_DOMAIN_LENGTH = 253;
/** Characters of a bad line quoted back: enough to find it, not enough to flood a report. */
const QUOTE_CHARS = 80;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

export interface FlaggedDomain {
  line: number;
  domain: string;
  platform: string;
  platform_id: string;
  imitates: string;
  technique: string;
  why: { vi: string; en: string };
}

export interface InvalidLine {
  line: number;
  text: string;
  reason: string;
}

export interface WatchReport {
  checked: number;
  flagged: FlaggedDomain[];
  invalid: InvalidLine[];
}

/** The domain in ASCII (IDNs as punycode, as zone files hold them), or the reason it is not one. */
export function parseDomainLine(raw: string): { domain: string } | { reason: string } {
  if (raw.length > MAX_DOMAIN_LENGTH + 1) return { reason: `longer than ${MAX_DOMAIN_LENGTH} characters` };
  let text = raw.trim().toLowerCase();
  if (text.endsWith('.')) text = text.slice(0, -1);
  const ascii = /^[\x21-\x7e]*$/.test(text) ? text : domainToASCII(text);
  if (!ascii) return { reason: 'not a domain name (characters a domain cannot hold)' };
  if (ascii.length > MAX_DOMAIN_LENGTH) return { reason: `longer than ${MAX_DOMAIN_LENGTH} characters` };
  const labels = ascii.split('.');
  if (labels.length < 2) return { reason: 'not a domain name (no dot)' };
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) return { reason: `not a domain name (label "${bad.slice(0, QUOTE_CHARS)}")` };
  if (!TLD.test(labels[labels.length - 1] as string)) return { reason: 'not a domain name (top-level domain)' };
  return { domain: ascii };
}

function explain(domain: string, platform: string, imitated: string, technique: string): { vi: string; en: string } {
  return {
    vi: `${domain} bắt chước ${imitated} của nền tảng đã đăng ký "${platform}" (kiểu: ${technique}).`,
    en: `${domain} imitates ${imitated} of the registered platform "${platform}" (technique: ${technique}).`,
  };
}

/** Reads the list (blank lines and `#` comments skipped) and flags the look-alikes. */
export function watchDomains(index: CheckIndex, text: string, now: Date = new Date()): WatchReport {
  const report: WatchReport = { checked: 0, flagged: [], invalid: [] };
  const seen = new Set<string>();
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // Long lines are judged on their length alone: nothing below looks at more than MAX_DOMAIN_LENGTH characters.
    const length = end - start;
    const raw = length > MAX_DOMAIN_LENGTH + 2 ? null : text.slice(start, end).replace(/\r$/, '');
    start = end + 1;
    if (raw === null) {
      report.invalid.push({
        line,
        text: `${text.slice(end - length, end - length + QUOTE_CHARS)}…`,
        reason: `longer than ${MAX_DOMAIN_LENGTH} characters`,
      });
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const parsed = parseDomainLine(trimmed);
    if ('reason' in parsed) {
      report.invalid.push({ line, text: trimmed.slice(0, QUOTE_CHARS), reason: parsed.reason });
      continue;
    }
    if (seen.has(parsed.domain)) continue;
    seen.add(parsed.domain);
    report.checked++;
    let answer: ReturnType<typeof checkRegistration>;
    try {
      answer = checkRegistration(index, parsed.domain, now);
    } catch (error) {
      // The check's own parser is stricter in places (a reserved suffix, say): its word is reported, not dropped.
      report.invalid.push({
        line,
        text: parsed.domain,
        reason: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    if (answer.verdict !== 'lookalike' || !answer.lookalike_of) continue;
    const match = answer.lookalike_of;
    report.flagged.push({
      line,
      domain: parsed.domain,
      platform: match.platform,
      platform_id: match.platform_id,
      imitates: match.domain,
      technique: match.technique,
      why: explain(parsed.domain, match.platform, match.domain, match.technique),
    });
  }
  return report;
}

import { WARCParser, WARCRecord, WARCSerializer } from 'warcio';
import type { SafeFetchHop } from '../../core/safe-fetch.ts';

/**
 * A capture as WARC 1.1 (ISO 28500:2017), written with webrecorder's warcio: a `warcinfo` record, then for every
 * hop a `request` record (the request line and headers as sent) and a `response` record (the status line, the
 * headers as received in their order and spelling, the body), each gzipped on its own as `.warc.gz` files are, so
 * that any WARC reader (warcio, pywb, the Wayback Machine's tools) opens it.
 *
 * Two departures from the bytes on the wire, both as web archives record them: the body is stored de-chunked, so a
 * `Transfer-Encoding` header is kept as `X-Archive-Orig-Transfer-Encoding` (a reader would otherwise de-chunk it a
 * second time); and a body cut at the byte limit carries `WARC-Truncated: length`.
 */

export interface WarcCapture {
  bytes: Buffer;
  /** WARC-Record-ID of the response record of `finalHop`. */
  finalRecordId: string;
}

const SOFTWARE = 'ecomgov evidence (warcio.js)';

function httpHeadersOf(pairs: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return pairs.map(([name, value]) =>
    name.toLowerCase() === 'transfer-encoding' ? ['X-Archive-Orig-Transfer-Encoding', value] : [name, value],
  );
}

function statusLine(hop: SafeFetchHop): string {
  return `HTTP/${hop.response.httpVersion} ${hop.response.status} ${hop.response.statusMessage}`.trimEnd();
}

function recordIdOf(record: WARCRecord): string {
  return String(record.warcHeaders.headers.get('WARC-Record-ID'));
}

/**
 * The WARC file of `hops` (the followed chain first, then any resources a screenshot loaded); `finalHop` is the index
 * of the response whose body is the capture's body.
 */
export async function buildWarc(
  hops: readonly SafeFetchHop[],
  finalHop: number,
  info: Record<string, string>,
): Promise<WarcCapture> {
  const parts: Uint8Array[] = [];
  const warcinfo = WARCRecord.createWARCInfo(
    { filename: 'capture.warc.gz', warcVersion: 'WARC/1.1' },
    {
      software: SOFTWARE,
      format: 'WARC File Format 1.1',
      conformsTo: 'https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/',
      ...info,
    },
  );
  parts.push(await WARCSerializer.serialize(warcinfo, { gzip: true }));
  let finalRecordId = '';
  for (const [index, hop] of hops.entries()) {
    const date = hop.startedAt.toISOString();
    const response = WARCRecord.create(
      {
        url: hop.url,
        date,
        type: 'response',
        warcVersion: 'WARC/1.1',
        statusline: statusLine(hop),
        httpHeaders: httpHeadersOf(hop.response.rawHeaders),
        keepHeadersCase: true,
        warcHeaders: {
          'WARC-IP-Address': hop.ip,
          ...(hop.truncated ? { 'WARC-Truncated': 'length' } : {}),
        },
      },
      [hop.body],
    );
    const request = WARCRecord.create(
      {
        url: hop.url,
        date,
        type: 'request',
        warcVersion: 'WARC/1.1',
        statusline: `${hop.request.method} ${hop.request.target} HTTP/${hop.request.httpVersion}`,
        httpHeaders: hop.request.headers.map(([name, value]) => [name, value] as [string, string]),
        keepHeadersCase: true,
        warcHeaders: { 'WARC-IP-Address': hop.ip, 'WARC-Concurrent-To': recordIdOf(response) },
      },
      [],
    );
    if (index === finalHop) finalRecordId = recordIdOf(response);
    parts.push(await WARCSerializer.serialize(request, { gzip: true }));
    parts.push(await WARCSerializer.serialize(response, { gzip: true }));
  }
  return { bytes: Buffer.concat(parts), finalRecordId };
}

/** The payload (the HTTP body) of the response record `recordId` of a WARC file; undefined when it has none. */
export async function warcPayload(warc: Buffer, recordId: string): Promise<Buffer | undefined> {
  for await (const record of new WARCParser([warc])) {
    if (record.warcType === 'response' && record.warcHeader('WARC-Record-ID') === recordId) {
      return Buffer.from(await record.readFully(false));
    }
  }
  return undefined;
}

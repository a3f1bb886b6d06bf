import readline from 'node:readline';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { Parser } from 'csv-parse';
import type { Database } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { boundedMemo } from '../../core/memo.ts';
import { type CheckIndex, checkRegistration } from '../check/index.ts';
import {
  copyDeclarationBatch,
  DeclarationBatch,
  ensureMonthPartitions,
  insertRejections,
  listStandardRecords,
  type RowFlagName,
  type StandardRecord,
  screenSplitShipments,
  screenUndervalued,
} from './declarations.repository.ts';
import {
  DECLARATION_COLUMNS,
  type DeclarationColumn,
  type DeclarationRow,
  type RowRejection,
  vagueDescriptionReason,
  validateDeclaration,
} from './declarations.rows.ts';

export interface ImportOptions {
  /** Names the input in the rejections table (a file name, "api:<request id>"): a re-run of it counts once. */
  source: string;
  index: CheckIndex;
  /** Rows per transaction (default 10,000 on the server, 5,000 on the embedded database). */
  batchSize?: number;
  onProgress?: (report: { rows: number; bytes: number }) => void;
  now?: Date;
}

export interface ImportSummary {
  source: string;
  format: 'csv' | 'ndjson';
  gzip: boolean;
  rows: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** The first 100 rejections (line, field, reason); all are in `declaration_rejections`. */
  rejections: RowRejection[];
  seconds: number;
  /** Of which the set-based screening (split_shipment, undervalued) after the last batch. */
  screening_seconds: number;
}

interface RawRecord {
  line: number;
  values: Record<DeclarationColumn, string> | undefined;
  problem?: RowRejection;
}

const KEPT_REJECTIONS = 100;
/** Verdicts of the check that make a platform non-compliant (DESIGN.md "Check answer"). */
const NOT_COMPLIANT = new Set(['unregistered', 'blocked', 'revoked', 'expired', 'lookalike', 'unknown']);

/**
 * Imports declarations from a stream (CSV or NDJSON, gzip or not: told by the first bytes), streaming end to end:
 * records are validated and screened as they are read and stored in transactions of `batchSize` rows, each batch
 * with its rejections and flags, so a kill leaves whole batches only and a re-run stores what is missing (numbers
 * already stored are skipped). Then split_shipment and undervalued are screened set-based over the days and HS codes
 * the input touched.
 */
export async function importDeclarations(
  database: Database,
  input: Readable,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = Date.now();
  // Measured at 200,000 rows: on the server 10,000 rows a batch took 5.1 s against 5.7 s at 5,000 (fewer round trips and
  // commits). The embedded database takes one batch at a time and gained nothing from bigger ones, whose buffers and the
  // database's copies of them are all in this process.
  const batchSize = options.batchSize ?? (database.kind === 'postgres' ? 10_000 : 5000);
  const now = options.now ?? new Date();
  const screenRow = rowScreener(await listStandardRecords(database.db), options.index, now);
  const knownMonths = new Set<string>();
  const touchedDays = new Set<string>();
  const touchedHs6 = new Set<string>();
  const counter = { bytes: 0 };
  const { stream, gzip } = await decompressed(input, counter);
  const { records, format } = await recordsOf(stream);

  const summary: ImportSummary = {
    source: options.source,
    format,
    gzip,
    rows: 0,
    stored: 0,
    duplicates: 0,
    rejected: 0,
    rejections: [],
    seconds: 0,
    screening_seconds: 0,
  };
  let rows = new DeclarationBatch();
  let rejections: RowRejection[] = [];
  let seen = new Set<string>();
  // Batches in flight while the next is parsed: on the server several backends store them (measured at 200k rows:
  // one at a time left this process idle 45% of the time); the embedded database has one connection, so one.
  const inFlight: Promise<void>[] = [];
  const maxInFlight = database.kind === 'postgres' ? 3 : 1;

  // Batches stored are emptied and filled again (their buffers kept).
  const spare: DeclarationBatch[] = [];
  const flush = async () => {
    const batch = { rows, rejections };
    rows = spare.pop() ?? new DeclarationBatch();
    rejections = [];
    seen = new Set();
    while (inFlight.length >= maxInFlight) await inFlight.shift();
    const newMonths = [...batch.rows.months].filter((month) => !knownMonths.has(month));
    if (newMonths.length > 0) {
      await ensureMonthPartitions(database.db, newMonths);
      for (const month of newMonths) knownMonths.add(month);
    }
    const pending = database
      .bulkTransaction(async (connection) => {
        const stored = await copyDeclarationBatch(connection, batch.rows);
        await insertRejections(connection, options.source, batch.rejections);
        return stored;
      })
      .then((stored) => {
        summary.stored += stored;
        summary.duplicates += batch.rows.size - stored;
        batch.rows.clear();
        spare.push(batch.rows);
      });
    pending.catch(() => {});
    inFlight.push(pending);
  };

  options.onProgress?.({ rows: 0, bytes: counter.bytes });
  try {
    for await (const batch of records) {
      for (const record of batch) {
        summary.rows++;
        const result = record.problem ?? (record.values ? validateDeclaration(record.values, record.line) : undefined);
        if (!result) continue;
        if ('reason' in result) {
          summary.rejected++;
          if (summary.rejections.length < KEPT_REJECTIONS) summary.rejections.push(result);
          rejections.push(result);
        } else if (seen.has(result.declarationNo)) {
          summary.duplicates++;
        } else {
          seen.add(result.declarationNo);
          rows.add(result, screenRow(result));
          touchedDays.add(result.declaredOn);
          touchedHs6.add(result.hsCode.slice(0, 6));
        }
        if (rows.size + rejections.length >= batchSize) {
          await flush();
          options.onProgress?.({ rows: summary.rows, bytes: counter.bytes });
        }
      }
    }
    await flush();
    await Promise.all(inFlight);
  } catch (error) {
    // The batch in flight commits or rolls back whole; wait for it so nothing runs after the error is reported.
    await Promise.allSettled(inFlight);
    throw error;
  }
  options.onProgress?.({ rows: summary.rows, bytes: counter.bytes });
  const screeningStarted = Date.now();
  await screenSets(database, [...touchedDays].sort(), [...touchedHs6].sort());
  summary.screening_seconds = (Date.now() - screeningStarted) / 1000;
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/**
 * The set-based flags, each in its own transaction (re-running them is harmless: they replace their own flags). They
 * touch different flags, so on the server they run at once on two connections (measured at 1,000,000 rows: 2.2 s and
 * 2.3 s each); the embedded database's one connection takes them in turn.
 */
export async function screenSets(database: Database, days: string[], hs6: string[]): Promise<void> {
  const results = await Promise.allSettled([
    database.db.transaction().execute((trx) => screenSplitShipments(trx, days)),
    database.db.transaction().execute((trx) => screenUndervalued(trx, hs6)),
  ]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}

/**
 * The per-row flags: unregistered_platform (the check), needs_standard and vague_description. Each depends on one or
 * two fields that recur across rows (a platform's spelling, an HS code on a day, a description), so each answer and
 * its reason's JSON is computed once per distinct value, in bounded caches.
 */
function rowScreener(
  standards: readonly StandardRecord[],
  index: CheckIndex,
  now: Date,
): (row: DeclarationRow) => Array<{ flag: RowFlagName; reason: string }> {
  const platformVerdict = boundedMemo(100_000, (platform: string) => {
    const answer = checkRegistration(index, platform, now);
    return {
      name: answer.platform?.name ?? answer.lookalike_of?.platform ?? (answer.normalized || null),
      reason: NOT_COMPLIANT.has(answer.verdict)
        ? JSON.stringify({
            verdict: answer.verdict,
            input: platform,
            normalized: answer.normalized,
            platform: answer.platform?.name ?? null,
            registration_no: answer.platform?.registration_no ?? null,
            lookalike_of: answer.lookalike_of?.platform ?? null,
          })
        : null,
    };
  });
  const standardsReason = boundedMemo(100_000, (hsCodeAndDay: string) => {
    const [hsCode, day] = hsCodeAndDay.split('|') as [string, string];
    const matched = standards.filter(
      (standard) =>
        standard.effective_from <= day &&
        (standard.effective_to === null || day <= standard.effective_to) &&
        standard.hs_prefixes.some((prefix) => hsCode.startsWith(prefix)),
    );
    if (matched.length === 0) return null;
    return JSON.stringify({
      hs_code: hsCode,
      standards: matched.map((standard) => ({
        code: standard.code,
        instrument: standard.instrument,
        hs_prefix: standard.hs_prefixes.find((prefix) => hsCode.startsWith(prefix)),
        hs_mapping_status: standard.hs_mapping_status,
        source_status: standard.source_status,
      })),
    });
  });
  const vagueReason = boundedMemo(100_000, (description: string) => {
    const why = vagueDescriptionReason(description);
    return why ? JSON.stringify({ description, why }) : null;
  });
  return (row) => {
    const flags: Array<{ flag: RowFlagName; reason: string }> = [];
    if (row.platform !== '') {
      const verdict = platformVerdict(row.platform);
      row.platformName = verdict.name;
      if (verdict.reason) {
        row.unregistered = true;
        flags.push({ flag: 'unregistered_platform', reason: verdict.reason });
      }
    }
    const standardsFlag = standardsReason(`${row.hsCode}|${row.declaredOn}`);
    if (standardsFlag) flags.push({ flag: 'needs_standard', reason: standardsFlag });
    const vague = vagueReason(row.description);
    if (vague) flags.push({ flag: 'vague_description', reason: vague });
    return flags;
  };
}

/**
 * Reads the first chunks of a stream (until `enough` says so) and gives them back with the rest as one stream: the
 * format is told from the first bytes without buffering more. `onChunk` sees every chunk (byte counts for progress).
 */
async function peek(
  input: Readable,
  enough: (head: Buffer) => boolean,
  onChunk: (chunk: Buffer) => void = () => {},
): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  let done = false;
  while (!done && !enough(head)) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      onChunk(next.value);
      head = head.length === 0 ? Buffer.from(next.value) : Buffer.concat([head, next.value]);
    }
  }
  const stream = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        onChunk(next.value);
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  return { head, stream };
}

/** Counts bytes as read (for the progress's percentage) and inflates gzip, told by its magic bytes 1f 8b. */
async function decompressed(input: Readable, counter: { bytes: number }): Promise<{ stream: Readable; gzip: boolean }> {
  const { head, stream } = await peek(
    input,
    (bytes) => bytes.length >= 2,
    (chunk) => {
      counter.bytes += chunk.length;
    },
  );
  const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (!gzip) return { stream, gzip };
  const gunzip = zlib.createGunzip();
  stream.on('error', (error) => gunzip.destroy(error));
  return { stream: stream.pipe(gunzip), gzip };
}

/** CSV (with the header of DESIGN.md) or NDJSON (first character "{"): records with their line numbers, in batches. */
async function recordsOf(input: Readable): Promise<{ records: AsyncIterable<RawRecord[]>; format: 'csv' | 'ndjson' }> {
  const { head, stream } = await peek(
    input,
    (bytes) =>
      bytes
        .toString('utf8')
        .trim()
        .replace(/^\uFEFF/, '').length > 0,
  );
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  return text.startsWith('{')
    ? { records: ndjsonRecords(stream), format: 'ndjson' }
    : { records: csvRecordBatches(stream), format: 'csv' };
}

/** The core of csv-parse's stream class (`Parser#api`): it parses a chunk synchronously, calling `push` per record. */
interface CsvParserCore {
  parse(
    chunk: Buffer | undefined,
    end: boolean,
    push: (record: string[]) => void,
    close: () => void,
  ): Error | undefined;
  info: { lines: number };
}

/**
 * Bytes parsed at a time: a batch of records is held until the import has taken it, and the records of a 256 KB chunk
 * (1,300 rows) outlived the young generation's collections and were copied to the old one, where the collector reached
 * them late (measured on PGlite, 200,000 rows: 212 MB promoted and the heap at 127 MB at the end; 138 MB and 94 MB
 * with 16 KB at a time).
 */
const PARSE_SLICE_BYTES = 16 * 1024;

/**
 * CSV records in batches (those of up to 16 KB of input), each with the line it ends on. csv-parse's core is driven chunk by
 * chunk instead of through its stream: the stream's `info` option copies the parser's state into a new object per
 * record and its async iteration costs a promise per record; together they were a third of reading a million rows
 * (measured: 200,000 rows parsed in 1.9 s with `info`, 1.4 s without). The line is read from the parser's own count
 * when the record is pushed, which is what `info.lines` would say.
 */
async function* csvRecordBatches(stream: Readable): AsyncGenerator<RawRecord[]> {
  const core = (
    new Parser({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
    }) as unknown as {
      api: CsvParserCore;
    }
  ).api;
  let columns: number[] | undefined;
  let headerError: unknown;
  let batch: RawRecord[] = [];
  const push = (record: string[]) => {
    const line = core.info.lines;
    if (!columns) {
      if (headerError !== undefined) return;
      try {
        columns = headerColumns(record);
      } catch (error) {
        headerError = error;
      }
      return;
    }
    if (record.length !== DECLARATION_COLUMNS.length) {
      batch.push({
        line,
        values: undefined,
        problem: { line, field: '', reason: `${record.length} fields, expected ${DECLARATION_COLUMNS.length}` },
      });
      return;
    }
    const values = {} as Record<DeclarationColumn, string>;
    for (let i = 0; i < DECLARATION_COLUMNS.length; i++) {
      values[DECLARATION_COLUMNS[i] as DeclarationColumn] = record[columns[i] as number] as string;
    }
    batch.push({ line, values });
  };
  const parseChunk = (chunk: Buffer | undefined) => {
    const error = core.parse(chunk, chunk === undefined, push, () => {});
    if (headerError !== undefined) throw headerError;
    if (error !== undefined) {
      const line = (error as { lines?: number }).lines;
      throw new AppError(
        'invalid_input',
        {
          vi: `CSV không đọc được${line ? ` ở dòng ${line}` : ''}: ${error.message}`,
          en: `unreadable CSV${line ? ` at line ${line}` : ''}: ${error.message}`,
        },
        { field: 'file' },
      );
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let start = 0; start < chunk.length; start += PARSE_SLICE_BYTES) {
      parseChunk(chunk.subarray(start, start + PARSE_SLICE_BYTES));
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
  }
  parseChunk(undefined);
  if (batch.length > 0) yield batch;
  if (!columns) throw new AppError('invalid_input', { vi: 'tệp rỗng', en: 'the file is empty' }, { field: 'file' });
}

/** Where each column of the contract is in the file; every column must be there (in any order). */
function headerColumns(header: string[]): number[] {
  const names = header.map((name) => name.trim().toLowerCase());
  return DECLARATION_COLUMNS.map((column) => {
    const at = names.indexOf(column);
    if (at < 0) {
      throw new AppError(
        'invalid_input',
        {
          vi: `dòng 1: thiếu cột "${column}" (cần: ${DECLARATION_COLUMNS.join(',')})`,
          en: `line 1: column "${column}" is missing (expected: ${DECLARATION_COLUMNS.join(',')})`,
        },
        { field: column },
      );
    }
    return at;
  });
}

async function* ndjsonRecords(stream: Readable): AsyncGenerator<RawRecord[]> {
  const lines = readline.createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      yield [{ line, values: undefined, problem: { line, field: '', reason: 'not a JSON object' } }];
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield [{ line, values: undefined, problem: { line, field: '', reason: 'not a JSON object' } }];
      continue;
    }
    const object = value as Record<string, unknown>;
    const values = {} as Record<DeclarationColumn, string>;
    for (const column of DECLARATION_COLUMNS) {
      const field = object[column];
      values[column] =
        field === undefined || field === null ? '' : typeof field === 'object' ? '\u0000' : String(field);
    }
    const bad = DECLARATION_COLUMNS.find((column) => values[column] === '\u0000');
    if (bad) yield [{ line, values: undefined, problem: { line, field: bad, reason: 'not a string or number' } }];
    else yield [{ line, values }];
  }
}

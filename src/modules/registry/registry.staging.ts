/**
 * Turning validated Registry CSV rows into what the import's staging tables take, and reading a large file on a
 * second thread.
 *
 * The embedded database runs on the main thread, so everything JavaScript does during an import (reading and
 * validating the CSV, folding names, serialising parameters) is time the database is not working. For a large file
 * a worker thread reads, validates and serialises while the main thread only runs SQL: both cores work. A batch
 * crosses the thread boundary as a few long strings (PostgreSQL array literals), which cost next to nothing to copy.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { pgArrayLiteral } from '../../core/db.ts';
import { AppError, type FieldIssue } from '../../core/errors.ts';
import type { Localized } from '../../core/i18n.ts';
import { foldForSearch } from '../../core/text.ts';
import { startTypeScriptWorker } from '../../core/workers.ts';
import { type RegistryCsvOptions, type RegistryRow, readRegistryCsv } from './registry.csv.ts';

/** One batch of rows for the staging tables: each column as a PostgreSQL array literal. */
export interface StagedBatch {
  rowCount: number;
  rows: {
    line: string;
    registrationNo: string;
    name: string;
    nameKey: string;
    kind: string;
    status: string;
    crossBorder: string;
    orgName: string;
    orgKey: string;
    taxCode: string;
    validUntil: string;
    legacyId: string;
    /**
     * Ids are drawn here (crypto.randomUUID), not by the database's gen_random_uuid(): on the embedded database
     * each call of that reads the OS random source through JavaScript, 9 µs a call, 9 s a million rows.
     */
    platformId: string;
    /** The id a new organisation gets when this row is the first to name it. */
    organisationId: string;
    /** Each row's identities of a kind as `a|b|c` (no identity can contain a `|`). */
    domains: string;
    androidApps: string;
    iosApps: string;
  };
}

export function toStagedBatch(rows: readonly RegistryRow[]): StagedBatch {
  const column = (read: (row: RegistryRow) => string | number | null) => pgArrayLiteral(rows.map(read));
  return {
    rowCount: rows.length,
    rows: {
      line: column((row) => row.line),
      registrationNo: column((row) => row.registrationNo),
      name: column((row) => row.name),
      nameKey: column((row) => foldForSearch(row.name)),
      kind: column((row) => row.kind),
      status: column((row) => row.status),
      crossBorder: column((row) => (row.crossBorder ? 't' : 'f')),
      orgName: column((row) => row.orgName),
      orgKey: column((row) => (row.orgName ? foldForSearch(row.orgName) : null)),
      taxCode: column((row) => row.taxCode),
      validUntil: column((row) => row.validUntil),
      legacyId: column((row) => row.legacyId),
      platformId: column(() => randomUUID()),
      organisationId: column(() => randomUUID()),
      domains: column((row) => row.domains.join('|')),
      androidApps: column((row) => row.androidApps.join('|')),
      iosApps: column((row) => row.iosApps.join('|')),
    },
  };
}

export type StagedChunk =
  | {
      type: 'batch';
      batch: StagedBatch;
      issueCount: number;
      /** Rows read so far (valid or not) and the file's bytes read so far: the import's progress. */
      rowsRead: number;
      bytesRead: number;
    }
  | { type: 'end'; rowCount: number; issueCount: number; issues: FieldIssue[] };

/** Rows per staged batch: one INSERT statement per staging table each. */
export const STAGED_BATCH_ROWS = 20_000;

/**
 * From this size a file is read on a worker thread. Starting one (and its TypeScript loader) takes about a second,
 * which a small file would wait for; a 10 MB file is about 70,000 rows.
 */
const WORKER_FILE_BYTES = 10 * 1024 * 1024;

/**
 * The file's valid rows as staged batches, then one `end` chunk with every issue found (as readRegistryCsv).
 * Rows with issues are left out of the batches; the caller stops staging once `issueCount` is above zero.
 */
export async function* readStagedBatches(
  filePath: string,
  options: Pick<RegistryCsvOptions, 'maxIssues'> & { thread?: 'auto' | 'worker' | 'this' } = {},
): AsyncGenerator<StagedChunk, void, undefined> {
  const { thread = 'auto', ...csvOptions } = options;
  const inWorker =
    thread === 'auto' ? (await fs.promises.stat(filePath)).size >= WORKER_FILE_BYTES : thread === 'worker';
  yield* inWorker ? stageFileInWorker(filePath, csvOptions) : stageFileInThisThread(filePath, csvOptions);
}

/** Also the worker's own loop (registry.staging-worker.ts). */
export async function* stageFileInThisThread(
  filePath: string,
  options: Pick<RegistryCsvOptions, 'maxIssues'>,
): AsyncGenerator<StagedChunk, void, undefined> {
  const file = fs.createReadStream(filePath);
  const chunks = readRegistryCsv(file, { ...options, batchSize: STAGED_BATCH_ROWS });
  let rowsRead = 0;
  for await (const chunk of chunks) {
    if (chunk.type === 'end') {
      yield chunk;
      return;
    }
    // Once the file is known to be invalid nothing more is staged: only the issues still matter.
    const batch = toStagedBatch(chunk.issueCount === 0 ? chunk.rows : []);
    rowsRead += chunk.rows.length;
    yield { type: 'batch', batch, issueCount: chunk.issueCount, rowsRead, bytesRead: file.bytesRead };
  }
}

/** Batches the worker may have ready before the main thread has taken them: enough to keep both threads busy. */
const BATCHES_AHEAD = 2;

/** What the worker sends: staged chunks, or the error that stopped it with its text in both languages. */
export type WorkerMessage = StagedChunk | { type: 'error'; text: Localized; code: string };

async function* stageFileInWorker(
  filePath: string,
  options: Pick<RegistryCsvOptions, 'maxIssues'>,
): AsyncGenerator<StagedChunk, void, undefined> {
  const worker = startTypeScriptWorker(new URL('./registry.staging-worker.ts', import.meta.url), {
    workerData: { filePath, options, batchesAhead: BATCHES_AHEAD },
  });
  const received: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (message: WorkerMessage) => {
    received.push(message);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', () => {
    exited = true;
    notify();
  });
  try {
    for (;;) {
      const message = received.shift();
      if (message === undefined) {
        if (failure) throw failure;
        if (exited)
          throw new AppError('internal', {
            vi: `${filePath}: luồng đọc tệp dừng trước khi hết tệp`,
            en: `${filePath}: the reading thread stopped before the end of the file`,
          });
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        continue;
      }
      if (message.type === 'error') {
        throw message.code === 'internal'
          ? new AppError('internal', message.text)
          : new AppError('invalid_input', message.text, { field: 'file' });
      }
      // Taken: the worker may prepare one more.
      worker.postMessage('next');
      yield message;
      if (message.type === 'end') return;
    }
  } finally {
    await worker.terminate();
  }
}

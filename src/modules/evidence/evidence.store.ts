import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.ts';

/**
 * The evidence store: a folder (EVIDENCE_DIR, by default `evidence/` in the data folder) where each capture is a
 * folder named by the SHA-256 of its WARC file, under the hash's first two hex digits:
 * `ab/ab12…ef/capture.warc.gz`, beside it `tls-chain.pem` and `screenshot.png`. A capture is written to a temporary
 * folder of the store and renamed into place in one step, so a folder of the store is complete or absent. The
 * database keeps the paths relative to the store, so the store can be moved (or mounted elsewhere) as a whole.
 */

export const WARC_FILE = 'capture.warc.gz';
export const CERT_CHAIN_FILE = 'tls-chain.pem';
export const SCREENSHOT_FILE = 'screenshot.png';

export function defaultEvidenceDir(dataDir: string): string {
  return path.join(dataDir, 'evidence');
}

export interface StoredFile {
  name: string;
  bytes: Buffer;
}

/**
 * Writes a capture's files under the WARC's hash; returns each file's path relative to the store. Asynchronous: the
 * monitor captures 32 pages at once, and synchronous writes stopped every other fetch while one page was written.
 */
export async function storeCaptureFiles(
  storeDir: string,
  warcSha256: string,
  files: readonly StoredFile[],
): Promise<Map<string, string>> {
  const relativeDir = path.posix.join(warcSha256.slice(0, 2), warcSha256);
  const finalDir = path.join(storeDir, relativeDir);
  await fs.promises.mkdir(path.dirname(finalDir), { recursive: true });
  const temporary = path.join(storeDir, `.incoming-${randomBytes(8).toString('hex')}`);
  await fs.promises.mkdir(temporary);
  try {
    for (const file of files) await fs.promises.writeFile(path.join(temporary, file.name), file.bytes, { flag: 'wx' });
    await fs.promises.rename(temporary, finalDir);
  } catch (error) {
    await fs.promises.rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return new Map(files.map((file) => [file.name, path.posix.join(relativeDir, file.name)]));
}

/** Removes a capture's folder (its record was not committed). */
export function removeCaptureFiles(storeDir: string, warcSha256: string): void {
  fs.rmSync(path.join(storeDir, warcSha256.slice(0, 2), warcSha256), { recursive: true, force: true });
}

/** The absolute path of a file of the store; a stored path that leaves the store is refused. */
export function storePath(storeDir: string, relative: string): string {
  const root = path.resolve(storeDir);
  const absolute = path.resolve(root, relative);
  if (!absolute.startsWith(`${root}${path.sep}`)) {
    throw new AppError('internal', {
      vi: `Đường dẫn tệp chứng cứ nằm ngoài kho: ${relative}`,
      en: `evidence file path outside the store: ${relative}`,
    });
  }
  return absolute;
}

/** A stored file's bytes, or undefined when it is missing. */
export function readStoredFile(storeDir: string, relative: string): Buffer | undefined {
  try {
    return fs.readFileSync(storePath(storeDir, relative));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

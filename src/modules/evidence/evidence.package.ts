import type { ActorContext } from '../../core/context.ts';
import { spreadsheetCsv } from '../../core/csv.ts';
import type { Db } from '../../core/db.ts';
import { AppError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { sha256sumLines, zipFiles } from '../../core/zip.ts';
import { type CustodyEntry, type EvidenceItem, getEvidence, recordCustodyEvent } from './evidence.service.ts';
import { readStoredFile } from './evidence.store.ts';

/**
 * The package an officer hands to a court or a partner: a zip of the capture's files as stored (the WARC, the TLS
 * chain, the screenshot), the custody log as CSV, `manifest.json` (the item and every file with its SHA-256) and
 * `manifest.sha256` in the format of `sha256sum`, so that `sha256sum -c manifest.sha256` checks the unzipped package
 * with nothing but coreutils. The export itself is then a custody event carrying the package's SHA-256 (so the log
 * inside a package ends with the event before it).
 */

export const MANIFEST_SHA256 = 'manifest.sha256';
export const MANIFEST_JSON = 'manifest.json';
export const CUSTODY_CSV = 'custody.csv';

const CUSTODY_COLUMNS = ['evidence_id', 'event', 'actor', 'at', 'detail'];

export function custodyCsv(evidenceId: string, custody: readonly CustodyEntry[]): string {
  return spreadsheetCsv([
    CUSTODY_COLUMNS,
    ...custody.map((entry) => [
      evidenceId,
      entry.event,
      entry.actor,
      entry.at,
      entry.detail === null || entry.detail === undefined ? '' : JSON.stringify(entry.detail),
    ]),
  ]);
}

export interface EvidencePackage {
  filename: string;
  zip: Buffer;
  sha256: string;
  item: EvidenceItem;
}

async function buildPackage(
  db: Db,
  storeDir: string,
  id: string,
  exportedBy: string,
  now: Date,
): Promise<EvidencePackage> {
  const { item, custody } = await getEvidence(db, id);
  const files: Array<{ name: string; bytes: Buffer }> = [];
  for (const file of item.files) {
    const bytes = readStoredFile(storeDir, file.path);
    if (!bytes || sha256Hex(bytes) !== file.sha256) {
      throw new AppError('conflict', {
        vi: `Tệp ${file.name} của chứng cứ ${item.id} bị thiếu hoặc đã bị thay đổi; chạy "evidence verify" để xem chi tiết`,
        en: `${file.name} of evidence ${item.id} is missing or altered; run "evidence verify" for details`,
      });
    }
    files.push({ name: file.name, bytes });
  }
  files.push({ name: CUSTODY_CSV, bytes: Buffer.from(custodyCsv(item.id, custody), 'utf8') });
  const manifest = {
    evidence: {
      id: item.id,
      url: item.url,
      final_url: item.final_url,
      http_status: item.http_status,
      captured_at: item.captured_at,
      ip: item.ip,
      captured_by: item.captured_by,
      case_id: item.case_id,
      finding_id: item.finding_id,
      body_sha256: item.body_sha256,
      body_bytes: item.body_bytes,
      body_truncated: item.body_truncated,
    },
    exported_at: now.toISOString(),
    exported_by: exportedBy,
    files: files.map((file) => ({ name: file.name, bytes: file.bytes.length, sha256: sha256Hex(file.bytes) })),
  };
  files.push({ name: MANIFEST_JSON, bytes: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8') });
  const sums = sha256sumLines(files.map((file) => ({ name: file.name, sha256: sha256Hex(file.bytes) })));
  files.push({ name: MANIFEST_SHA256, bytes: Buffer.from(sums, 'utf8') });
  const bytes = await zipFiles(files, now);
  return { filename: `evidence-${item.id}.zip`, zip: bytes, sha256: sha256Hex(bytes), item };
}

/**
 * Builds the package of an item, hands it to `deliver` (writes the file), then records the export (with the
 * package's SHA-256) in its custody log: a package that could not be written is not logged as exported.
 */
export async function exportEvidence(
  db: Db,
  storeDir: string,
  context: ActorContext,
  id: string,
  options: { destination?: string; deliver?: (built: EvidencePackage) => void | Promise<void> } = {},
): Promise<EvidencePackage> {
  const built = await buildPackage(db, storeDir, id, context.actor, new Date());
  await options.deliver?.(built);
  await db.transaction().execute(async (trx) =>
    recordCustodyEvent(trx, context, built.item.id, 'exported', {
      sha256: built.sha256,
      bytes: built.zip.length,
      ...(options.destination ? { destination: options.destination } : {}),
    }),
  );
  return built;
}

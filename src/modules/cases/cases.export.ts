/**
 * A case's bundle (issue 15): one zip an officer hands to a court, a prosecutor or the next inspector, that checks
 * itself with coreutils alone (`unzip bundle.zip && sha256sum -c SHA256SUMS`). It holds:
 *
 * - `summary.html`, the case (steps with their days, links, evidence, sanctions, decisions) as one document, and
 *   `summary.pdf`, that document printed by headless Chromium; where Chromium cannot print, `PDF-NOT-MADE.txt` says
 *   why, `manifest.json` says `pdf.made: false`, and the CLI and API say so: a missing PDF is never silent;
 * - `evidence/<id>.zip`, the evidence module's own package of every linked item (each export a custody event);
 * - `audit-trail.csv` and `audit-trail.json`: every audit event of the case and of its evidence items (their custody
 *   events are audit events too), oldest first, with the hashes that chain them;
 * - `manifest.json` and `SHA256SUMS` (every other file, in the format of `sha256sum`).
 *
 * The export is itself an audit event of the case carrying the bundle's SHA-256, recorded once the bundle has been
 * delivered, so the trail inside a bundle ends with the events before it (the evidence items' `exported` events of
 * this very bundle included).
 */
import { AUDIT_CSV_COLUMNS, auditCsvRow, listAuditEventsOfRecords, recordAuditEvent } from '../../core/audit.ts';
import { printPdf } from '../../core/chromium.ts';
import type { ActorContext } from '../../core/context.ts';
import { spreadsheetCsv } from '../../core/csv.ts';
import type { Database } from '../../core/db.ts';
import { sha256Hex } from '../../core/hash.ts';
import { sha256sumLines, zipFiles } from '../../core/zip.ts';
import { describeEvidence, exportEvidence } from '../evidence/index.ts';
import { type Case, getCase, listSanctionRules } from './cases.service.ts';
import { renderCaseSummary } from './cases.summary.ts';

export const SUMMARY_HTML = 'summary.html';
export const SUMMARY_PDF = 'summary.pdf';
export const PDF_NOT_MADE = 'PDF-NOT-MADE.txt';
export const AUDIT_CSV = 'audit-trail.csv';
export const AUDIT_JSON = 'audit-trail.json';
export const BUNDLE_MANIFEST = 'manifest.json';
export const BUNDLE_SUMS = 'SHA256SUMS';

const jsonFile = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

export interface CaseBundle {
  filename: string;
  zip: Buffer;
  sha256: string;
  case: Case;
  /** Whether `summary.pdf` is in the bundle, and if not, why. */
  pdf: { made: true } | { made: false; reason: string };
  evidence: Array<{ id: string; file: string; sha256: string }>;
  files: Array<{ name: string; bytes: number; sha256: string }>;
}

export interface CaseExportOptions {
  /** The evidence store (EVIDENCE_DIR, or `evidence` in the data folder). */
  evidenceDir: string;
  /** Where the bundle goes (a file's path, "download"), recorded with the export. */
  destination?: string | undefined;
  /** Writes or sends the bundle; the export is audited only once it returns. */
  deliver?: ((bundle: CaseBundle) => void | Promise<void>) | undefined;
  /** Another Chromium than CHROMIUM_PATH (tests: one that is absent). */
  chromiumPath?: string | undefined;
  now?: Date | undefined;
}

export async function exportCase(
  database: Database,
  context: ActorContext,
  caseId: string,
  options: CaseExportOptions,
): Promise<CaseBundle> {
  const db = database.db;
  const now = options.now ?? new Date();
  const item = await getCase(db, caseId, now);
  const evidenceIds = item.links.filter((link) => link.kind === 'evidence').map((link) => link.ref);
  const destination = `case ${item.reference}${options.destination ? `: ${options.destination}` : ''}`;

  const files: Array<{ name: string; bytes: Buffer }> = [];
  const evidence: CaseBundle['evidence'] = [];
  // Each package is the evidence module's own (it refuses an item whose files no longer match their hashes).
  for (const id of evidenceIds) {
    const built = await exportEvidence(db, options.evidenceDir, context, id, { destination });
    const name = `evidence/${built.item.id}.zip`;
    files.push({ name, bytes: built.zip });
    evidence.push({ id: built.item.id, file: name, sha256: built.sha256 });
  }

  const [sanctionRules, described, events] = await Promise.all([
    listSanctionRules(db, now),
    describeEvidence(db, evidenceIds),
    listAuditEventsOfRecords(db, [
      { entityType: 'case', entityId: item.id },
      ...evidenceIds.map((id) => ({ entityType: 'evidence', entityId: id })),
    ]),
  ]);
  const summary = renderCaseSummary({
    item,
    sanctionRules,
    evidence: new Map([...described].map(([id, value]) => [id, { id, ...value }])),
    exportedAt: now,
    exportedBy: context.actor,
  });
  const printed = await printPdf(summary, { chromiumPath: options.chromiumPath });
  const pdf: CaseBundle['pdf'] = printed.ok ? { made: true } : { made: false, reason: printed.reason };
  files.unshift({ name: SUMMARY_HTML, bytes: Buffer.from(summary, 'utf8') });
  if (printed.ok) files.unshift({ name: SUMMARY_PDF, bytes: printed.pdf });
  else {
    files.push({
      name: PDF_NOT_MADE,
      bytes: Buffer.from(
        `Không tạo được bản PDF của tóm tắt hồ sơ; bản HTML (${SUMMARY_HTML}) có cùng nội dung.\n` +
          `The PDF of the summary was not made; ${SUMMARY_HTML} holds the same content.\n\n` +
          `Lý do / Reason: ${printed.reason}\n`,
        'utf8',
      ),
    });
  }
  files.push({ name: AUDIT_CSV, bytes: Buffer.from(spreadsheetCsv([AUDIT_CSV_COLUMNS, ...events.map(auditCsvRow)])) });
  files.push({ name: AUDIT_JSON, bytes: jsonFile({ case: { id: item.id, reference: item.reference }, events }) });

  const listed = files.map((file) => ({ name: file.name, bytes: file.bytes.length, sha256: sha256Hex(file.bytes) }));
  const manifest = jsonFile({
    case: { id: item.id, reference: item.reference, title: item.title, status: item.status },
    exported_at: now.toISOString(),
    exported_by: context.actor,
    pdf,
    evidence,
    audit_events: events.length,
    files: listed,
  });
  files.push({ name: BUNDLE_MANIFEST, bytes: manifest });
  const sums = sha256sumLines([...listed, { name: BUNDLE_MANIFEST, sha256: sha256Hex(manifest) }]);
  files.push({ name: BUNDLE_SUMS, bytes: Buffer.from(sums, 'utf8') });

  const zip = await zipFiles(files, now);
  const bundle: CaseBundle = {
    filename: `case-${item.reference}.zip`,
    zip,
    sha256: sha256Hex(zip),
    case: item,
    pdf,
    evidence,
    files: files.map((file) => ({ name: file.name, bytes: file.bytes.length, sha256: sha256Hex(file.bytes) })),
  };
  await options.deliver?.(bundle);
  await db.transaction().execute(async (trx) =>
    recordAuditEvent(trx, context, {
      action: 'case.export',
      entityType: 'case',
      entityId: item.id,
      changes: {
        sha256: bundle.sha256,
        bytes: zip.length,
        pdf: pdf.made,
        ...(pdf.made ? {} : { pdf_reason: pdf.reason }),
        evidence: evidence.map((entry) => entry.id),
        ...(options.destination ? { destination: options.destination } : {}),
      },
    }),
  );
  return bundle;
}

import { type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import { isUuid } from '../../core/ids.ts';
import './accounts.table.ts';
import type { AccountOrganisationDocumentTable, AccountOrganisationTable, ClaimStatus } from './accounts.table.ts';

/** SQL of the claims to organisations (issue 9); private to the accounts module. */

/** A claim as stored, with its account and the description of its last certificate (not the file itself). */
export type ClaimRow = Selectable<AccountOrganisationTable> & {
  account_id: string | null;
  account_email: string | null;
  document_filename: string | null;
  document_content_type: string | null;
  document_byte_size: number | null;
  document_sha256: string | null;
};

function selectClaims(db: Db) {
  return db
    .selectFrom('account_organisations as o')
    .leftJoin('accounts as a', 'a.organisation_id', 'o.id')
    .leftJoin('account_organisation_documents as d', 'd.id', 'o.document_id')
    .select([
      'o.id',
      'o.name',
      'o.tax_code',
      'o.status',
      'o.erc_number',
      'o.erc_issued_on',
      'o.erc_issuer',
      'o.representative_name',
      'o.representative_title',
      'o.document_id',
      'o.submitted_at',
      'o.due_on',
      'o.decided_at',
      'o.decided_by',
      'o.decision_reason',
      'o.created_at',
      'o.updated_at',
      'a.id as account_id',
      'a.email as account_email',
      'd.filename as document_filename',
      'd.content_type as document_content_type',
      'd.byte_size as document_byte_size',
      'd.sha256 as document_sha256',
    ]);
}

export async function findClaimRow(db: Db, id: string): Promise<ClaimRow | undefined> {
  if (!isUuid(id)) return undefined;
  return (await selectClaims(db).where('o.id', '=', id).executeTakeFirst()) as ClaimRow | undefined;
}

/** Claims of these statuses, the nearest due day first (then the oldest filing). */
export async function listClaimRowsByStatus(db: Db, statuses: readonly ClaimStatus[]): Promise<ClaimRow[]> {
  if (statuses.length === 0) return [];
  return (await selectClaims(db)
    .where('o.status', 'in', statuses)
    .orderBy(sql`o.due_on ASC NULLS LAST`)
    .orderBy('o.submitted_at')
    .orderBy('o.id')
    .execute()) as ClaimRow[];
}

/** Every claim of these tax codes (for the competing claims shown beside each one). */
export async function listClaimRowsOfTaxCodes(db: Db, taxCodes: readonly string[]): Promise<ClaimRow[]> {
  if (taxCodes.length === 0) return [];
  return (await selectClaims(db)
    .where('o.tax_code', 'in', [...new Set(taxCodes)])
    .orderBy('o.created_at')
    .execute()) as ClaimRow[];
}

/**
 * Locks every claim of the tax code, in id order, until the caller's transaction ends: a decision on one claim of a
 * tax code waits for any other decision on the same tax code, and then sees its outcome (no deadlock either, since
 * all take the locks in one order).
 */
export async function lockClaimsOfTaxCode(
  trx: Db,
  taxCode: string,
): Promise<Array<{ id: string; status: ClaimStatus }>> {
  return trx
    .selectFrom('account_organisations')
    .select(['id', 'status'])
    .where('tax_code', '=', taxCode)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function lockClaim(trx: Db, id: string): Promise<{ status: ClaimStatus; tax_code: string } | undefined> {
  if (!isUuid(id)) return undefined;
  return trx
    .selectFrom('account_organisations')
    .select(['status', 'tax_code'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateClaimRow(
  trx: Db,
  id: string,
  patch: Omit<Updateable<AccountOrganisationTable>, 'id' | 'name' | 'tax_code' | 'created_at' | 'updated_at'>,
): Promise<void> {
  await trx
    .updateTable('account_organisations')
    .set({ ...patch, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** The other claims of the tax code still open become `superseded`; returns their ids. */
export async function supersedeOpenClaims(trx: Db, taxCode: string, exceptId: string): Promise<string[]> {
  const rows = await trx
    .updateTable('account_organisations')
    .set({ status: 'superseded', updated_at: sql<Date>`now()` })
    .where('tax_code', '=', taxCode)
    .where('id', '<>', exceptId)
    .where('status', 'in', ['unverified', 'submitted', 'rejected', 'supplement_requested'])
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export async function insertClaimDocument(
  trx: Db,
  values: Omit<AccountOrganisationDocumentTable, 'id' | 'created_at'>,
): Promise<string> {
  const row = await trx
    .insertInto('account_organisation_documents')
    .values(values)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findClaimDocument(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  return db
    .selectFrom('account_organisation_documents')
    .select(['id', 'organisation_id', 'filename', 'content_type', 'content'])
    .where('id', '=', id)
    .executeTakeFirst();
}

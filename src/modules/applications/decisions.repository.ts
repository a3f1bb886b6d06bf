/**
 * The SQL of decisions on registrations (`registration.service.ts` holds their rules): the requests (terminations,
 * proposals) that the E-Commerce Agency decides. Never opens a transaction.
 */
import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type { RegistrationRequestStatus, RegistrationRequestTable } from './decisions.table.ts';
import './decisions.table.ts';

export type RegistrationRequestRow = Selectable<RegistrationRequestTable>;

export async function insertRegistrationRequest(
  trx: Db,
  values: Omit<Insertable<RegistrationRequestTable>, 'id' | 'created_at' | 'status'>,
): Promise<string> {
  const row = await trx.insertInto('registration_requests').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The request, its row locked until the transaction ends. */
export async function lockRegistrationRequest(trx: Db, id: string): Promise<RegistrationRequestRow | undefined> {
  return trx.selectFrom('registration_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findRegistrationRequest(db: Db, id: string): Promise<RegistrationRequestRow | undefined> {
  return db.selectFrom('registration_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function closeRegistrationRequest(
  trx: Db,
  id: string,
  decision: {
    status: Exclude<RegistrationRequestStatus, 'pending'>;
    decided_by: string;
    decision_reason: string | null;
  },
): Promise<void> {
  await trx
    .updateTable('registration_requests')
    .set({ ...decision, decided_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function listRegistrationRequestRows(
  db: Db,
  filter: { status?: RegistrationRequestStatus; platformId?: string },
): Promise<RegistrationRequestRow[]> {
  return db
    .selectFrom('registration_requests')
    .selectAll()
    .$if(filter.status !== undefined, (query) => query.where('status', '=', filter.status as RegistrationRequestStatus))
    .$if(filter.platformId !== undefined, (query) => query.where('platform_id', '=', filter.platformId as string))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/**
 * The SQL of decisions on registrations (`registration.service.ts` holds their rules): the grounds of
 * cancellation and the requests (terminations, proposals) that the E-Commerce Agency decides. Never opens a
 * transaction.
 */
import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db } from '../../core/db.ts';
import type {
  CancellationGroundTable,
  RegistrationRequestStatus,
  RegistrationRequestTable,
} from './decisions.table.ts';
import './decisions.table.ts';

export type CancellationGroundRow = Selectable<CancellationGroundTable>;
export type RegistrationRequestRow = Selectable<RegistrationRequestTable>;

export async function listCancellationGroundRows(db: Db): Promise<CancellationGroundRow[]> {
  return db.selectFrom('cancellation_grounds').selectAll().orderBy('position').orderBy('code').execute();
}

export async function lockCancellationGroundRow(trx: Db, code: string): Promise<CancellationGroundRow | undefined> {
  return trx.selectFrom('cancellation_grounds').selectAll().where('code', '=', code).forUpdate().executeTakeFirst();
}

export async function insertCancellationGroundRow(
  trx: Db,
  values: Omit<Insertable<CancellationGroundTable>, 'position'>,
): Promise<void> {
  await trx
    .insertInto('cancellation_grounds')
    .values({
      ...values,
      position: sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM cancellation_grounds)`,
    })
    .execute();
}

export async function updateCancellationGroundRow(
  trx: Db,
  code: string,
  values: Partial<Omit<CancellationGroundRow, 'code' | 'position'>>,
): Promise<void> {
  await trx.updateTable('cancellation_grounds').set(values).where('code', '=', code).execute();
}

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

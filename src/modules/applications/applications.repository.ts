import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../core/db.ts';
import type {
  ApplicationDomainTable,
  ApplicationEventTable,
  ApplicationTable,
  RegistrationActionTable,
} from './applications.table.ts';
import './applications.table.ts';
import type { DomainCheckFailure } from './domain-control.ts';

export type ApplicationRow = Selectable<ApplicationTable>;
export type ApplicationDomainRow = Selectable<ApplicationDomainTable>;
export type ApplicationEventRow = Selectable<ApplicationEventTable>;
export type RegistrationActionRow = Selectable<RegistrationActionTable>;

export async function insertApplicationRow(trx: Db, row: Insertable<ApplicationTable>): Promise<ApplicationRow> {
  return trx.insertInto('applications').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateApplicationRow(
  trx: Db,
  id: string,
  patch: Updateable<ApplicationTable>,
): Promise<ApplicationRow> {
  return trx
    .updateTable('applications')
    .set({ ...patch, updated_at: sql`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findApplicationRow(db: Db, id: string, options: { lock?: boolean } = {}) {
  let query = db.selectFrom('applications').selectAll().where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** An open application of the organisation that lists one of these domains (the first found). */
export async function findOpenApplicationWithDomain(
  db: Db,
  organisationId: string,
  domains: readonly string[],
): Promise<{ reference: string; domain: string } | undefined> {
  if (domains.length === 0) return undefined;
  return db
    .selectFrom('applications as a')
    .innerJoin('application_domains as d', 'd.application_id', 'a.id')
    .select(['a.reference', 'd.domain'])
    .where('a.applicant_organisation_id', '=', organisationId)
    .where('a.status', 'in', ['submitted', 'supplement_requested'])
    .where('d.domain', 'in', domains)
    .executeTakeFirst();
}

export async function listApplicationRowsOfOrganisation(db: Db, organisationId: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('applicant_organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .limit(500)
    .execute();
}

export async function listApplicationRowsOfPlatform(db: Db, platformId: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('platform_id', '=', platformId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Open applications first by deadline; others (supplement asked, decided) newest first. */
export async function listApplicationRowsByStatus(
  db: Db,
  statuses: readonly ApplicationRow['status'][],
  page: { limit: number; offset: number },
): Promise<{ total: number; rows: ApplicationRow[] }> {
  const base = db.selectFrom('applications').where('status', 'in', statuses);
  const onlySubmitted = statuses.length === 1 && statuses[0] === 'submitted';
  let query = base.selectAll();
  query = onlySubmitted
    ? query.orderBy('deadline_at').orderBy('received_at')
    : query.orderBy(sql`status = 'submitted'`, 'desc').orderBy('deadline_at').orderBy('updated_at', 'desc');
  const [rows, total] = await Promise.all([
    query.limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { total: Number(total.n), rows };
}

export async function listDueApplicationRows(db: Db, today: string): Promise<ApplicationRow[]> {
  return db
    .selectFrom('applications')
    .selectAll()
    .where('status', '=', 'submitted')
    .where('due_on', '<=', today)
    .orderBy('deadline_at')
    .execute();
}

export async function listApplicationDomainRows(db: Db, applicationId: string): Promise<ApplicationDomainRow[]> {
  return db
    .selectFrom('application_domains')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('position')
    .execute();
}

/** Sets the application's domains; a domain listed again keeps its verification. */
export async function replaceApplicationDomains(
  trx: Db,
  applicationId: string,
  domains: readonly string[],
): Promise<void> {
  await trx
    .deleteFrom('application_domains')
    .where('application_id', '=', applicationId)
    .where('domain', 'not in', domains.length ? [...domains] : [''])
    .execute();
  for (const [position, domain] of domains.entries()) {
    await trx
      .insertInto('application_domains')
      .values({ application_id: applicationId, domain, position })
      .onConflict((oc) => oc.columns(['application_id', 'domain']).doUpdateSet({ position }))
      .execute();
  }
}

export async function recordDomainCheck(
  trx: Db,
  applicationId: string,
  result: {
    domain: string;
    verified: boolean;
    method: 'http' | 'dns' | null;
    failures: readonly DomainCheckFailure[];
    detail: string;
  },
): Promise<void> {
  await trx
    .updateTable('application_domains')
    .set({
      last_checked_at: sql`now()`,
      last_check_detail: result.detail.slice(0, 500),
      last_check_failures: [...result.failures],
      ...(result.verified ? { verified_at: sql`now()`, verified_by: result.method } : {}),
    })
    .where('application_id', '=', applicationId)
    .where('domain', '=', result.domain)
    .execute();
}

export async function insertApplicationEvent(
  trx: Db,
  event: { applicationId: string; action: string; note: string | null; actor: string },
): Promise<void> {
  await trx
    .insertInto('application_events')
    .values({ application_id: event.applicationId, action: event.action, note: event.note, actor: event.actor })
    .execute();
}

export async function listApplicationEventRows(db: Db, applicationId: string): Promise<ApplicationEventRow[]> {
  return db
    .selectFrom('application_events')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
}

/** The next number of a sequence (prefix and year), gapless within committed transactions. */
export async function nextSequenceValue(trx: Db, prefix: string, year: number): Promise<number> {
  const row = await sql<{ last_value: number }>`
    INSERT INTO number_sequences (prefix, year, last_value) VALUES (${prefix}, ${year}, 1)
    ON CONFLICT (prefix, year) DO UPDATE SET last_value = number_sequences.last_value + 1
    RETURNING last_value`.execute(trx);
  return Number(row.rows[0]?.last_value);
}

export async function insertRegistrationAction(
  trx: Db,
  action: Omit<Insertable<RegistrationActionTable>, 'id' | 'occurred_at'>,
): Promise<void> {
  await trx.insertInto('registration_actions').values(action).execute();
}

export async function listRegistrationActionRows(db: Db, platformId: string): Promise<RegistrationActionRow[]> {
  return db
    .selectFrom('registration_actions')
    .selectAll()
    .where('platform_id', '=', platformId)
    .orderBy('id')
    .execute();
}

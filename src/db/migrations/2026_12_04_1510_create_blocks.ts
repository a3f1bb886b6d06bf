import { type Kysely, sql } from 'kysely';

/**
 * The blocking workflow (issue 11, "Blocking workflow"). `block_requests`: a request to block a platform of the
 * register (by id, no foreign key into the register's tables: the module reaches it through `registry`'s exports),
 * proposed by the E-Commerce Agency → reviewed by the Legal Affairs Department (approved, or returned with a reason and
 * amended) → decided (decision number and date) → active (the platform's register status is `blocked`) → lifted (with a
 * reason). `block_appeals`: appeals of the public against an active block, each with a reference and the deadlines of
 * the Law on Complaints counted from the rows `appeal_acceptance` and `appeal_resolution` of `legal_procedures` (added
 * here, see their notes).
 */
const LAW_ON_COMPLAINTS_FROM = '2012-07-01';
const SOURCES = {
  acceptance: 'http://lawnet.vn/thong-tin-phap-luat/en/chinh-sach-moi/procedure-for-citizen-complaints-165776.html',
  resolution:
    'https://lawnet.vn/ngan-hang-phap-luat/en/tu-van-phap-luat/thu-tuc-to-tung/resolution-of-first-time-complaints-with-a-time-limit-not-exceeding-02-months-1000878',
  law: 'https://apolatlegal.com/laws/law-on-complaints-2011',
};
const DAYS_NOTE =
  'UNVERIFIED whether these are working days: the sources read on 04/12/2026 give the period as "days" (ngày) without saying working or calendar days, and the consolidated text (03/VBHN-VPQH 2021, https://lingo.vn/luat/van_ban_hop_nhat/1711449571551434) was not read. `legal_procedures` counts only working days, so the number is stored as working days; if the law means calendar days the deadline shown is later than the legal one. An administrator should read the text and correct the row (ecomgov procedures set).';

const PROCEDURES = [
  {
    code: 'appeal_acceptance',
    name_vi: 'Thụ lý khiếu nại quyết định chặn (giải quyết lần đầu)',
    name_en: 'Acceptance of an appeal against a blocking decision (first-time complaint)',
    provision: 'Luật Khiếu nại số 02/2011/QH13, Điều 27',
    source_url: SOURCES.acceptance,
    working_days: 10,
    clock_from_vi: 'Từ ngày nhận được khiếu nại',
    clock_from_en: 'From the day the complaint is received',
    note: `Art. 27: within 10 days of receiving a complaint within its competence the person competent for the first resolution accepts it and notifies the complainant in writing (read in ${SOURCES.acceptance}, which summarises the Law without naming the article; the article number is the issue's). Law No. 02/2011/QH13 in force 01/07/2012 (${SOURCES.law}). ${DAYS_NOTE}`,
  },
  {
    code: 'appeal_resolution',
    name_vi: 'Giải quyết khiếu nại quyết định chặn (lần đầu)',
    name_en: 'Resolution of an appeal against a blocking decision (first-time complaint)',
    provision: 'Luật Khiếu nại số 02/2011/QH13, Điều 28',
    source_url: SOURCES.resolution,
    working_days: 30,
    clock_from_vi: 'Từ ngày thụ lý (vụ việc phức tạp: không quá 45 ngày)',
    clock_from_en: 'From the day of acceptance (complex cases: at most 45 days)',
    note: `Art. 28: at most 30 days from acceptance, 45 for complex cases; in remote areas 45, complex 60 (read in ${SOURCES.resolution}, which cites Art. 28 of the 2011 Law). The row stores the ordinary 30; the extension for complex cases is not modelled. ${DAYS_NOTE}`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE block_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL,
      platform_name text NOT NULL,
      domains text[] NOT NULL DEFAULT '{}',
      android_apps text[] NOT NULL DEFAULT '{}',
      ios_apps text[] NOT NULL DEFAULT '{}',
      reason text NOT NULL CHECK (reason <> ''),
      legal_basis text NOT NULL CHECK (legal_basis <> ''),
      evidence text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'returned', 'approved', 'decided', 'active', 'lifted')),
      unit_id text,
      proposed_by text NOT NULL,
      proposed_at timestamptz NOT NULL DEFAULT now(),
      reviewed_by text,
      reviewed_at timestamptz,
      review_note text,
      returned_reason text,
      decision_no text,
      decision_date date,
      effective_from date,
      effective_to date,
      decided_by text,
      decided_at timestamptz,
      activated_by text,
      activated_at timestamptz,
      previous_status text,
      lifted_by text,
      lifted_at timestamptz,
      lift_reason text CHECK (lift_reason IN ('complied', 'appeal_granted', 'expired')),
      lift_note text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (cardinality(domains) + cardinality(android_apps) + cardinality(ios_apps) > 0),
      CHECK ((status = 'returned') = (returned_reason IS NOT NULL)),
      CHECK ((status IN ('decided', 'active', 'lifted')) = (decision_no IS NOT NULL AND decision_date IS NOT NULL
                                                             AND effective_from IS NOT NULL)),
      CHECK ((status IN ('active', 'lifted')) = (activated_at IS NOT NULL)),
      CHECK ((status = 'lifted') = (lift_reason IS NOT NULL)),
      CHECK (effective_to IS NULL OR effective_to >= effective_from)
    )`.execute(db);
  // One open request per platform; a decision number names one decision.
  await sql`CREATE UNIQUE INDEX block_requests_open_platform ON block_requests (platform_id)
              WHERE status IN ('proposed', 'approved', 'decided', 'active')`.execute(db);
  await sql`CREATE UNIQUE INDEX block_requests_decision_no ON block_requests (decision_no)
              WHERE decision_no IS NOT NULL`.execute(db);
  await sql`CREATE INDEX block_requests_status ON block_requests (status, updated_at DESC)`.execute(db);
  await sql`CREATE INDEX block_requests_domains ON block_requests USING gin (domains)
              WHERE status IN ('active', 'lifted')`.execute(db);
  await sql`
    CREATE TABLE block_appeals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      reference text NOT NULL UNIQUE,
      block_id uuid NOT NULL REFERENCES block_requests (id),
      name text NOT NULL CHECK (name <> ''),
      email text NOT NULL CHECK (email <> ''),
      decision_no text NOT NULL,
      grounds text NOT NULL CHECK (grounds <> ''),
      status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'accepted', 'granted', 'rejected')),
      received_at timestamptz NOT NULL DEFAULT now(),
      acceptance_due_on date NOT NULL,
      accepted_at timestamptz,
      resolution_due_on date,
      decided_at timestamptz,
      decision_reason text,
      handled_by text,
      CHECK (status <> 'received' OR accepted_at IS NULL),
      CHECK (status NOT IN ('accepted', 'granted') OR accepted_at IS NOT NULL),
      CHECK ((accepted_at IS NULL) = (resolution_due_on IS NULL)),
      CHECK ((status IN ('granted', 'rejected')) = (decided_at IS NOT NULL)),
      CHECK (status <> 'rejected' OR decision_reason IS NOT NULL)
    )`.execute(db);
  await sql`CREATE INDEX block_appeals_block ON block_appeals (block_id)`.execute(db);
  await sql`CREATE INDEX block_appeals_open ON block_appeals (received_at) WHERE status IN ('received', 'accepted')`.execute(
    db,
  );
  for (const row of PROCEDURES) {
    await sql`
      INSERT INTO legal_procedures (code, name_vi, name_en, provision, source_url, working_days, clock_from_vi,
        clock_from_en, deciding_unit_id, effective_from, source_status, note, updated_by)
      VALUES (${row.code}, ${row.name_vi}, ${row.name_en}, ${row.provision}, ${row.source_url}, ${row.working_days},
        ${row.clock_from_vi}, ${row.clock_from_en}, 'idea', ${LAW_ON_COMPLAINTS_FROM}::date, 'unverified', ${row.note},
        'system:migration')`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM legal_procedures WHERE code IN ('appeal_acceptance', 'appeal_resolution')`.execute(db);
  await sql`DROP TABLE block_appeals`.execute(db);
  await sql`DROP TABLE block_requests`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Consumer complaints (issue 15, "Complaints"). The law is data:
 *
 * - `complaint_rules`: the portal's rule on sites complained about: more than `min_reporters - 1` complaints from
 *   different people about one site open a request for explanation to the business; no adequate reply within
 *   `reply_working_days` working days puts the site on the public list. DESIGN.md cites Circular 47/2014/TT-BCT
 *   Art. 31; the text of that article was not found by search, so the row is `unverified`.
 *
 * `complaint_targets` are what complaints are about (one per registrable domain, app id or name, resolved as the
 * check resolves input) with their state and clock; `complaint_target_events` their public history; `complaints`
 * the complaints themselves (reporter contact kept private; `fingerprint` merges duplicates, `external_id` makes
 * the hotline import idempotent); `complaint_files` attachments content-addressed by SHA-256.
 */
const CIRCULAR_47 =
  'http://hethongphapluat.com/thong-tu-47-2014-tt-bct-ve-quan-ly-website-thuong-mai-dien-tu-do-bo-truong-bo-cong-thuong-ban-hanh.html';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE complaint_rules (
      code text PRIMARY KEY,
      min_reporters integer NOT NULL CHECK (min_reporters > 0),
      reply_working_days integer NOT NULL CHECK (reply_working_days > 0),
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL,
      effective_from date NOT NULL,
      effective_to date
    )`.execute(db);
  await sql`
    INSERT INTO complaint_rules VALUES (
      'complained_list', 6, 10,
      'Điều 31 Thông tư 47/2014/TT-BCT (chưa đối chiếu được số điều với văn bản)',
      ${CIRCULAR_47}, 'unverified',
      ${'UNVERIFIED: the rule (more than 5 complaints from different people → request for explanation; no adequate reply within 10 working days → the list "Website bị phản ánh" of online.gov.vn) is the one issue 15 and DESIGN.md give, citing Circular 47/2014/TT-BCT Art. 31; searches found the portal\'s list (chonghanggia.online.gov.vn/DanhSachBiPhanAnh) but not the article\'s text. An administrator should check it and set verified.'},
      '2015-01-20', NULL)`.execute(db);
  await sql`
    CREATE TABLE complaint_targets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      target text NOT NULL UNIQUE CHECK (target <> ''),
      kind text NOT NULL CHECK (kind IN ('domain', 'android_app', 'ios_app', 'name')),
      unit_id text NOT NULL,
      state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'explanation_requested', 'listed', 'closed')),
      explanation_requested_on date,
      explanation_due_on date,
      reply text,
      replied_at timestamptz,
      reply_adequate boolean,
      listed_on date,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`
    CREATE TABLE complaint_target_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      target_id uuid NOT NULL REFERENCES complaint_targets (id),
      occurred_at timestamptz NOT NULL DEFAULT now(),
      event text NOT NULL CHECK (event IN ('explanation_requested', 'replied', 'reply_adequate', 'reply_inadequate', 'listed', 'closed')),
      note text NOT NULL DEFAULT ''
    )`.execute(db);
  await sql`CREATE INDEX complaint_target_events_target ON complaint_target_events (target_id, id)`.execute(db);
  await sql`
    CREATE TABLE complaints (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      target_id uuid NOT NULL REFERENCES complaint_targets (id),
      channel text NOT NULL CHECK (channel IN ('form', 'api', 'import')),
      what_happened text NOT NULL CHECK (what_happened <> ''),
      amount_vnd bigint CHECK (amount_vnd >= 0),
      payment_method text,
      occurred_on date,
      reporter_name text,
      reporter_email text,
      reporter_phone text,
      reporter_key text,
      fingerprint text NOT NULL UNIQUE CHECK (fingerprint ~ '^[0-9a-f]{64}$'),
      external_id text UNIQUE,
      duplicates integer NOT NULL DEFAULT 0,
      received_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX complaints_target ON complaints (target_id)`.execute(db);
  await sql`
    CREATE TABLE complaint_files (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      media_type text NOT NULL,
      size_bytes integer NOT NULL CHECK (size_bytes > 0),
      content bytea NOT NULL
    )`.execute(db);
  await sql`
    CREATE TABLE complaint_attachments (
      complaint_id uuid NOT NULL REFERENCES complaints (id),
      sha256 text NOT NULL REFERENCES complaint_files (sha256),
      filename text NOT NULL,
      PRIMARY KEY (complaint_id, sha256)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'complaint_attachments',
    'complaint_files',
    'complaints',
    'complaint_target_events',
    'complaint_targets',
    'complaint_rules',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}

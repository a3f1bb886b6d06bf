import { type Kysely, sql } from 'kysely';

/**
 * Who decides on a registration (issue 10). The E-Commerce Agency cancels (hủy bỏ) a notification or registration on
 * one or more grounds of Circular 47/2014/TT-BCT Art. 18, held here as data that cites its provision, its effective
 * dates and whether its wording was checked against the official text; and it confirms a business's termination
 * (chấm dứt), after which the register shows the platform as `terminated`. Inspection and market-surveillance units
 * file proposals (to cancel, to suspend) that the Agency accepts or declines: `registration_requests` holds both the
 * businesses' termination requests and the units' proposals.
 *
 * `registration_actions` says `cancel` where it said `revoke` (the register's status code stays `revoked`, the
 * contract's), and records the grounds and the request a decision came from.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE platforms DROP CONSTRAINT platforms_status_check`.execute(db);
  await sql`
    ALTER TABLE platforms ADD CONSTRAINT platforms_status_check
      CHECK (status IN ('notified','registered','pending','rejected','expired','revoked','suspended','unregistered','blocked','terminated'))`.execute(
    db,
  );

  await sql`
    CREATE TABLE cancellation_grounds (
      code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]*$'),
      provision text NOT NULL,
      text_vi text NOT NULL,
      text_en text NOT NULL,
      valid_from date NOT NULL,
      valid_until date,
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified')),
      source_url text,
      source_note text,
      position integer NOT NULL,
      CHECK (valid_until IS NULL OR valid_until >= valid_from)
    )`.execute(db);

  // Wording paraphrased from secondary sources: the official text of Art. 18 was not at hand, so every row is
  // unverified until an administrator checks it against the gazetted circular (and its amendments).
  const unverifiedNote =
    'Wording from secondary sources describing the grounds (the predecessor Circular 12/2013/TT-BCT and Decree 52/2013/NĐ-CP); check it against the official text of Circular 47/2014/TT-BCT Art. 18 as amended before relying on it.';
  const rows: Array<[string, string, string, string, string]> = [
    [
      'authority_request',
      'Thông tư 47/2014/TT-BCT, Điều 18',
      'Theo đề nghị của cơ quan quản lý nhà nước có thẩm quyền khi phát hiện website thương mại điện tử có hành vi vi phạm pháp luật',
      'At the request of a competent state authority that has found the e-commerce website breaking the law',
      'https://english.luatvietnam.vn/circular-no-47-2014-tt-bct-dated-december-05-2014-of-the-ministry-and-trade-on-the-management-of-e-commerce-websites-91339-doc1.html',
    ],
    [
      'prohibited_acts',
      'Thông tư 47/2014/TT-BCT, Điều 18; Nghị định 52/2013/NĐ-CP, Điều 4',
      'Thương nhân, tổ chức, cá nhân thực hiện các hành vi bị cấm trong hoạt động thương mại điện tử quy định tại Điều 4 Nghị định số 52/2013/NĐ-CP',
      'The trader, organisation or individual commits acts prohibited in e-commerce by Decree 52/2013/ND-CP Art. 4',
      'https://nld.com.vn/tin-tuc/dong-cua-cac-websites-tmdt-khong-hoat-dong-20130630073637670.htm',
    ],
    [
      'false_information',
      'Thông tư 47/2014/TT-BCT, Điều 18; Nghị định 52/2013/NĐ-CP, Điều 4',
      'Giả mạo thông tin hoặc cung cấp thông tin không trung thực khi thông báo, đăng ký website thương mại điện tử',
      'Forged or untruthful information given in the notification or registration of the e-commerce website',
      'https://www.baomoi.com/4-nhom-hanh-vi-se-bi-cam-trong-hoat-dong-thuong-mai-dien-tu/c/8991067.epi',
    ],
    [
      'no_response',
      'Thông tư 47/2014/TT-BCT, Điều 18',
      'Quá 30 ngày không phản hồi thông tin khi được cơ quan quản lý nhà nước yêu cầu',
      'No response for more than 30 days to a request for information from the state management authority',
      'http://vinasc.vn/quan-ly-website-cung-cap-dich-vu-thuong-mai-dien-tu-tt/',
    ],
    [
      'reporting_failure',
      'Thông tư 47/2014/TT-BCT, Điều 18',
      'Không thực hiện nghĩa vụ báo cáo theo quy định và tiếp tục tái phạm sau khi đã được nhắc nhở',
      'Fails to make the reports the law requires and does so again after being reminded',
      'https://nld.com.vn/tin-tuc/dong-cua-cac-websites-tmdt-khong-hoat-dong-20130630073637670.htm',
    ],
    [
      'sanction_decision',
      'Thông tư 47/2014/TT-BCT, Điều 18',
      'Bị hủy bỏ thông báo, đăng ký theo quyết định xử lý vi phạm của cơ quan nhà nước có thẩm quyền',
      'Cancellation ordered by a competent authority’s decision sanctioning a violation',
      'https://nld.com.vn/tin-tuc/dong-cua-cac-websites-tmdt-khong-hoat-dong-20130630073637670.htm',
    ],
  ];
  for (const [position, [code, provision, vi, en, url]] of rows.entries()) {
    await sql`
      INSERT INTO cancellation_grounds
        (code, provision, text_vi, text_en, valid_from, source_status, source_url, source_note, position)
      VALUES (${code}, ${provision}, ${vi}, ${en}, DATE '2015-01-20', 'unverified', ${url}, ${unverifiedNote}, ${position + 1})`.execute(
      db,
    );
  }

  await sql`ALTER TABLE registration_actions DROP CONSTRAINT registration_actions_action_check`.execute(db);
  await sql`UPDATE registration_actions SET action = 'cancel' WHERE action = 'revoke'`.execute(db);
  await sql`
    ALTER TABLE registration_actions
      ADD CONSTRAINT registration_actions_action_check
        CHECK (action IN ('suspend', 'cancel', 'reinstate', 'terminate')),
      ADD COLUMN grounds text[] NOT NULL DEFAULT '{}',
      ADD COLUMN request_id uuid`.execute(db);

  await sql`
    CREATE TABLE registration_requests (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      platform_id uuid NOT NULL REFERENCES platforms (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('termination', 'cancellation', 'suspension')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined')),
      grounds text[] NOT NULL DEFAULT '{}',
      note text NOT NULL,
      evidence text,
      requested_by text NOT NULL,
      requester_unit text,
      requester_organisation_id uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_by text,
      decided_at timestamptz,
      decision_reason text,
      CHECK ((status = 'pending') = (decided_at IS NULL))
    )`.execute(db);
  // One open request of a kind per platform: a second would be decided twice.
  await sql`
    CREATE UNIQUE INDEX registration_requests_open_idx ON registration_requests (platform_id, kind)
      WHERE status = 'pending'`.execute(db);
  await sql`CREATE INDEX registration_requests_status_idx ON registration_requests (status, created_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE registration_requests`.execute(db);
  await sql`
    ALTER TABLE registration_actions DROP COLUMN request_id, DROP COLUMN grounds,
      DROP CONSTRAINT registration_actions_action_check`.execute(db);
  await sql`DELETE FROM registration_actions WHERE action = 'terminate'`.execute(db);
  await sql`UPDATE registration_actions SET action = 'revoke' WHERE action = 'cancel'`.execute(db);
  await sql`
    ALTER TABLE registration_actions ADD CONSTRAINT registration_actions_action_check
      CHECK (action IN ('suspend', 'revoke', 'reinstate'))`.execute(db);
  await sql`DROP TABLE cancellation_grounds`.execute(db);
  await sql`UPDATE platforms SET status = 'revoked' WHERE status = 'terminated'`.execute(db);
  await sql`ALTER TABLE platforms DROP CONSTRAINT platforms_status_check`.execute(db);
  await sql`
    ALTER TABLE platforms ADD CONSTRAINT platforms_status_check
      CHECK (status IN ('notified','registered','pending','rejected','expired','revoked','suspended','unregistered','blocked'))`.execute(
    db,
  );
}

import { type Kysely, sql } from 'kysely';

/**
 * Inspection cases and sanctions (issue 15, "Cases"). The law is data:
 *
 * - `case_step_rules`: the steps of an inspection and the clock of each in working days, with the step it counts from,
 *   its provision and source. The clocks the issue names (notice 3 working days; report 10 working days after the
 *   fieldwork, extendable to 15) come from Circular 56/2025/TT-BCT on the specialised inspection process of the sector
 *   (its existence and scope read in the source below); the article numbers and whether the days are working days were
 *   not read in its text, so the rows are `unverified`.
 * - `sanction_rules`: the fines of Decree 98/2020/NĐ-CP as amended by Decree 17/2022/NĐ-CP for the violations this
 *   system detects, per individual; an organisation's range is the individual's times `organisation_multiplier`.
 *
 * `cases` gather what an inspection rests on (`case_links`: platforms, findings, complaints, evidence items,
 * declarations, directive tasks, published decisions); `case_steps` record each step reached, its due day and its
 * completion; `case_sanctions` the sanction decisions, each inside its rule's range.
 */
const SOURCES = {
  circular56: 'https://www.vietnam.vn/en/quy-dinh-ve-quy-trinh-kiem-tra-chuyen-nganh-cong-thuong',
  art62: 'https://asahi.com.vn/ban-hang-online-bi-phat-nhu-the-nao/',
  vinasc: 'http://vinasc.vn/hanh-vi-vi-pham-ve-thuong-mai-dien-tu/',
  logo: 'https://phaply.net.vn/quy-dinh-moi-ve-xu-phat-vi-pham-hanh-chinh-trong-linh-vuc-thuong-mai-dien-tu/',
};
const CIRCULAR_56 = 'Thông tư 56/2025/TT-BCT (quy trình kiểm tra chuyên ngành Công Thương)';
const CIRCULAR_56_NOTE = `UNVERIFIED. Circular 56/2025/TT-BCT sets the specialised inspection process of the Industry and Trade sector under Decree 217/2025/NĐ-CP Art. 18(2)(b) (read in ${SOURCES.circular56}); its text was not read here: the step and its period are those the issue gives, the article number is not known, and whether the days are working days was not checked. An administrator corrects the row when the text is read.`;
const LAW_ON_HANDLING = 'Luật Xử lý vi phạm hành chính 2012 (sửa đổi 2020)';

const STEPS: ReadonlyArray<{
  step: string;
  label_vi: string;
  label_en: string;
  working_days: number | null;
  extended_working_days: number | null;
  counts_from: string | null;
  provision: string;
  source_url: string;
  note: string;
}> = [
  {
    step: 'plan',
    label_vi: 'Kế hoạch kiểm tra',
    label_en: 'Inspection plan',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: 'No period: the case starts with its plan.',
  },
  {
    step: 'decision',
    label_vi: 'Quyết định kiểm tra',
    label_en: 'Decision to inspect',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: 'No period recorded: when the decision follows the plan was not read in the text.',
  },
  {
    step: 'notice',
    label_vi: 'Thông báo cho đối tượng được kiểm tra',
    label_en: 'Notice to the inspected party',
    working_days: 3,
    extended_working_days: null,
    counts_from: 'decision',
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: CIRCULAR_56_NOTE,
  },
  {
    step: 'conduct',
    label_vi: 'Tiến hành kiểm tra (biên bản, yêu cầu giải trình)',
    label_en: 'Conduct of the inspection (minutes, requests for explanation)',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: 'The length of the fieldwork is set by the decision to inspect, not by a general period.',
  },
  {
    step: 'report',
    label_vi: 'Báo cáo kết quả kiểm tra',
    label_en: 'Inspection report',
    working_days: 10,
    extended_working_days: 15,
    counts_from: 'conduct',
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: `10 working days after the fieldwork ends, extendable to 15. ${CIRCULAR_56_NOTE}`,
  },
  {
    step: 'conclusion',
    label_vi: 'Kết luận kiểm tra',
    label_en: 'Conclusion',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: CIRCULAR_56,
    source_url: SOURCES.circular56,
    note: 'UNVERIFIED: the Law on Inspection 2025 (84/2025/QH15, Art. 36, read in summaries) gives 15 days to sign a conclusion after receiving its draft, in days the text does not call working days; this table counts working days only, so no period is applied until an administrator decides how to record it.',
  },
  {
    step: 'sanction',
    label_vi: 'Quyết định xử phạt vi phạm hành chính',
    label_en: 'Sanction decision',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: LAW_ON_HANDLING,
    source_url: SOURCES.circular56,
    note: 'UNVERIFIED: the period to decide a sanction after the record of the violation (Law on Handling Administrative Violations, Art. 66) was not read here; none is applied until an administrator records it.',
  },
  {
    step: 'enforcement',
    label_vi: 'Thi hành quyết định, khiếu nại',
    label_en: 'Enforcement, appeal',
    working_days: null,
    extended_working_days: null,
    counts_from: null,
    provision: LAW_ON_HANDLING,
    source_url: SOURCES.circular56,
    note: 'UNVERIFIED: the periods of enforcement and appeal were not read here; none is applied.',
  },
];

const DECREE_98 = 'Nghị định 98/2020/NĐ-CP (sửa đổi, bổ sung bởi Nghị định 17/2022/NĐ-CP)';
const AMOUNTS_NOTE = `The amounts agree in the sources read; the clause numbers do not: ${SOURCES.art62} cites Art. 62 cl. 3–4 as amended by Decree 17/2022 Art. 3(33), ${SOURCES.vinasc} gives the same acts and amounts in clauses 2–3 (an older text). An organisation pays twice an individual's fine (Decree 98/2020 Art. 4, not read here). Check against the consolidated text.`;

const SANCTIONS: ReadonlyArray<{
  code: string;
  violation_vi: string;
  violation_en: string;
  provision: string;
  min_vnd: number;
  max_vnd: number;
  remedial_vi: string;
  remedial_en: string;
  source_url: string;
  note: string;
  source_status?: 'disputed';
}> = [
  {
    code: 'unnotified_sales_site',
    violation_vi:
      'Thiết lập website, ứng dụng thương mại điện tử bán hàng mà không thông báo với cơ quan quản lý nhà nước có thẩm quyền',
    violation_en: 'Running a sales website or app without notifying the competent authority',
    provision: `${DECREE_98}, Điều 62 khoản 3`,
    min_vnd: 10_000_000,
    max_vnd: 20_000_000,
    remedial_vi: '',
    remedial_en: '',
    source_url: `${SOURCES.art62} ; ${SOURCES.vinasc}`,
    note: AMOUNTS_NOTE,
  },
  {
    code: 'unregistered_platform',
    violation_vi: 'Thiết lập website, ứng dụng cung cấp dịch vụ thương mại điện tử khi chưa được xác nhận đăng ký',
    violation_en: 'Running an e-commerce service website or app before its registration is confirmed',
    provision: `${DECREE_98}, Điều 62 khoản 4`,
    min_vnd: 20_000_000,
    max_vnd: 30_000_000,
    remedial_vi: '',
    remedial_en: '',
    source_url: `${SOURCES.art62} ; ${SOURCES.vinasc}`,
    note: `DISPUTED. ${AMOUNTS_NOTE} The 20–30 million range is also the one of the earlier decrees (185/2013, 124/2015) that many pages still quote; whether Decree 98/2020 as amended keeps it for this act was not confirmed in its text.`,
    source_status: 'disputed' as const,
  },
  {
    code: 'fake_notified_logo',
    violation_vi:
      'Sử dụng biểu tượng “Đã thông báo” gắn lên website, ứng dụng bán hàng khi chưa được xác nhận thông báo',
    violation_en: 'Showing the “notified” badge on a sales website or app whose notification was not confirmed',
    provision: `${DECREE_98}, Điều 62`,
    min_vnd: 5_000_000,
    max_vnd: 10_000_000,
    remedial_vi: '',
    remedial_en: '',
    source_url: SOURCES.logo,
    note: `Read in ${SOURCES.logo} (a summary of Decree 98/2020 before its 2022 amendment, which does not name the clause); whether Decree 17/2022 changed it was not checked. UNVERIFIED.`,
  },
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE case_step_rules (
      step text PRIMARY KEY CHECK (step ~ '^[a-z_]+$'),
      position integer NOT NULL,
      label_vi text NOT NULL CHECK (label_vi <> ''),
      label_en text NOT NULL CHECK (label_en <> ''),
      working_days integer CHECK (working_days > 0),
      extended_working_days integer CHECK (extended_working_days >= working_days),
      counts_from text,
      provision text NOT NULL CHECK (provision <> ''),
      source_url text NOT NULL CHECK (source_url <> ''),
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date
    )`.execute(db);
  for (const [index, rule] of STEPS.entries()) {
    await sql`
      INSERT INTO case_step_rules (step, position, label_vi, label_en, working_days, extended_working_days, counts_from,
        provision, source_url, source_status, note, effective_from)
      VALUES (${rule.step}, ${index + 1}, ${rule.label_vi}, ${rule.label_en}, ${rule.working_days},
        ${rule.extended_working_days}, ${rule.counts_from}, ${rule.provision}, ${rule.source_url}, 'unverified',
        ${rule.note}, '2025-01-01')`.execute(db);
  }

  await sql`
    CREATE TABLE sanction_rules (
      code text PRIMARY KEY CHECK (code ~ '^[a-z_]+$'),
      position integer NOT NULL,
      violation_vi text NOT NULL CHECK (violation_vi <> ''),
      violation_en text NOT NULL CHECK (violation_en <> ''),
      provision text NOT NULL CHECK (provision <> ''),
      individual_min_vnd bigint NOT NULL CHECK (individual_min_vnd >= 0),
      individual_max_vnd bigint NOT NULL,
      organisation_multiplier integer NOT NULL DEFAULT 2 CHECK (organisation_multiplier >= 1),
      remedial_vi text NOT NULL DEFAULT '',
      remedial_en text NOT NULL DEFAULT '',
      source_url text NOT NULL CHECK (source_url <> ''),
      source_status text NOT NULL CHECK (source_status IN ('verified', 'unverified', 'disputed')),
      note text NOT NULL DEFAULT '',
      effective_from date NOT NULL,
      effective_to date,
      CHECK (individual_max_vnd >= individual_min_vnd)
    )`.execute(db);
  for (const [index, rule] of SANCTIONS.entries()) {
    await sql`
      INSERT INTO sanction_rules (code, position, violation_vi, violation_en, provision, individual_min_vnd,
        individual_max_vnd, remedial_vi, remedial_en, source_url, source_status, note, effective_from)
      VALUES (${rule.code}, ${index + 1}, ${rule.violation_vi}, ${rule.violation_en}, ${rule.provision},
        ${rule.min_vnd}, ${rule.max_vnd}, ${rule.remedial_vi}, ${rule.remedial_en}, ${rule.source_url},
        ${rule.source_status ?? 'unverified'},
        ${rule.note}, '2022-01-15')`.execute(db);
  }

  await sql`CREATE SEQUENCE case_reference_no`.execute(db);
  await sql`
    CREATE TABLE cases (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      reference text NOT NULL UNIQUE,
      title text NOT NULL CHECK (title <> ''),
      summary text NOT NULL DEFAULT '',
      unit_id text,
      status text NOT NULL CHECK (status IN ('open', 'closed')),
      current_step text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      closed_at timestamptz
    )`.execute(db);
  await sql`
    CREATE TABLE case_links (
      case_id uuid NOT NULL REFERENCES cases (id),
      kind text NOT NULL CHECK (kind IN ('platform', 'finding', 'complaint', 'evidence', 'declaration', 'task', 'decision')),
      ref text NOT NULL CHECK (ref <> ''),
      note text NOT NULL DEFAULT '',
      added_by text NOT NULL,
      added_at timestamptz NOT NULL,
      PRIMARY KEY (case_id, kind, ref)
    )`.execute(db);
  await sql`
    CREATE TABLE case_steps (
      case_id uuid NOT NULL REFERENCES cases (id),
      step text NOT NULL,
      started_on date NOT NULL,
      due_on date,
      extended boolean NOT NULL DEFAULT false,
      completed_on date,
      completed_by text,
      document_no text,
      note text NOT NULL DEFAULT '',
      PRIMARY KEY (case_id, step)
    )`.execute(db);
  await sql`CREATE INDEX case_steps_open_due ON case_steps (due_on) WHERE completed_on IS NULL`.execute(db);
  await sql`
    CREATE TABLE case_sanctions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      case_id uuid NOT NULL REFERENCES cases (id),
      rule_code text NOT NULL,
      offender_kind text NOT NULL CHECK (offender_kind IN ('individual', 'organisation')),
      offender_name text NOT NULL CHECK (offender_name <> ''),
      platform_id uuid,
      amount_vnd bigint NOT NULL CHECK (amount_vnd >= 0),
      decision_no text NOT NULL UNIQUE,
      decision_date date NOT NULL,
      facts text NOT NULL CHECK (facts <> ''),
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL,
      public_id text
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE case_sanctions`.execute(db);
  await sql`DROP TABLE case_steps`.execute(db);
  await sql`DROP TABLE case_links`.execute(db);
  await sql`DROP TABLE cases`.execute(db);
  await sql`DROP SEQUENCE case_reference_no`.execute(db);
  await sql`DROP TABLE sanction_rules`.execute(db);
  await sql`DROP TABLE case_step_rules`.execute(db);
}

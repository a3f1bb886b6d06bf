import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const CLAIM_STATUSES = [
  'unverified',
  'submitted',
  'verified',
  'rejected',
  'supplement_requested',
  'superseded',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

/**
 * A business account's claim to an organisation (the register keeps its own organisations): the name and tax code
 * declared at sign-up, and the enterprise registration certificate (ERC) an officer verifies. Several accounts may
 * claim one tax code; one only is ever verified (a partial unique index).
 */
export interface AccountOrganisationTable {
  id: Generated<string>;
  name: string;
  tax_code: string;
  created_at: Timestamp;
  status: Generated<ClaimStatus>;
  erc_number: string | null;
  /** YYYY-MM-DD. */
  erc_issued_on: string | null;
  erc_issuer: string | null;
  representative_name: string | null;
  representative_title: string | null;
  /** The certificate filed last. */
  document_id: string | null;
  submitted_at: NullableTimestamp;
  /** Last day (Vietnam) of the officer's period (table of procedures: account_verification), set at each filing. */
  due_on: string | null;
  decided_at: NullableTimestamp;
  /** The actor of the decision (`user:<id>`), or `migration`/`setup:…` for claims verified outside the queue. */
  decided_by: string | null;
  /** The reasons of a refusal, or what is missing for a supplement request. */
  decision_reason: string | null;
  updated_at: Timestamp;
}

/** An ERC file as filed: PDF, JPEG or PNG (recognised by its first bytes), at most 5 MB. */
export interface AccountOrganisationDocumentTable {
  id: Generated<string>;
  organisation_id: string;
  filename: string;
  content_type: 'application/pdf' | 'image/jpeg' | 'image/png';
  byte_size: number;
  sha256: string;
  content: Buffer;
  created_at: Timestamp;
}

export interface AccountTable {
  id: Generated<string>;
  kind: 'officer' | 'business' | 'admin';
  /** Lower case; unique. */
  email: string;
  display_name: string;
  /** argon2id, PHC string. */
  password_hash: string;
  unit_id: string | null;
  role: 'viewer' | 'officer' | 'head' | null;
  organisation_id: string | null;
  is_active: Generated<boolean>;
  /** Base32 TOTP secret once enrolment is confirmed. */
  totp_secret: string | null;
  /** Secret shown during enrolment, until the first code confirms it. */
  totp_pending_secret: string | null;
  /** The last TOTP time step accepted: a code is never accepted twice. */
  totp_last_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: NullableTimestamp;
  /** When the owner of the address confirmed it (sign-up); null until then, and the account cannot sign in. */
  email_confirmed_at: NullableTimestamp;
}

/** The one-time link of a sign-up's confirmation e-mail: 256 random bits, stored as SHA-256 (hex). */
export interface EmailConfirmationTable {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie's token: a database leak does not give usable sessions. */
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

/** Password accepted, second step (TOTP) outstanding. */
export interface LoginChallengeTable {
  token_hash: string;
  account_id: string;
  expires_at: Timestamp;
  created_at: Timestamp;
}

/** Failed sign-in counters per account e-mail ('account:…') and per address ('ip:…'), shared by every process. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  name: string;
  /** SHA-256 (hex) of the token: tokens are 256 random bits, so a fast hash is enough. */
  token_hash: string;
  /** The first characters, to recognise a token in lists without storing it. */
  token_prefix: string;
  scopes: string[];
  expires_at: Timestamp;
  created_by: string;
  created_at: Timestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
}

declare module '../../core/db.ts' {
  interface DatabaseTables {
    account_organisations: AccountOrganisationTable;
    account_organisation_documents: AccountOrganisationDocumentTable;
    accounts: AccountTable;
    email_confirmations: EmailConfirmationTable;
    sessions: SessionTable;
    login_challenges: LoginChallengeTable;
    login_throttle: LoginThrottleTable;
    api_tokens: ApiTokenTable;
  }
}

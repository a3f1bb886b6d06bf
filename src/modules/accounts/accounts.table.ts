import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A business's organisation as the business declared it at sign-up (the register keeps its own). */
export interface AccountOrganisationTable {
  id: Generated<string>;
  name: string;
  tax_code: string;
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
    accounts: AccountTable;
    email_confirmations: EmailConfirmationTable;
    sessions: SessionTable;
    login_challenges: LoginChallengeTable;
    login_throttle: LoginThrottleTable;
    api_tokens: ApiTokenTable;
  }
}

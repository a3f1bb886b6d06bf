import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

/**
 * Who must sign in with two-step verification (REQUIRE_TOTP): administrators, every officer, or officers of a
 * role. Businesses are not offered it.
 */
export const TOTP_REQUIREMENTS = ['admin', 'officer', 'head', 'viewer'] as const;
export type TotpRequirement = (typeof TOTP_REQUIREMENTS)[number];
export const DEFAULT_REQUIRE_TOTP: readonly TotpRequirement[] = ['admin', 'head'];

/** Settings read from the environment once, validated, with the defaults DESIGN.md promises. */
const environmentSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORTAL_URL: z.url().optional(),
  /** Outgoing mail (smtp://user:pass@host:587, smtps://…); unset: messages are logged, not sent. */
  SMTP_URL: z.string().min(1).optional(),
  /** Sender of outgoing mail, e.g. "Cổng TMĐT <no-reply@example.gov.vn>". */
  MAIL_FROM: z.string().min(1).optional(),
  /** Requests per minute per IP on the public check; 0 turns the limit off (benchmarks do). */
  CHECK_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  /** Comma-separated: `admin`, `officer` (every officer), `head`, `viewer`; `none` requires it of nobody. */
  REQUIRE_TOTP: z
    .string()
    .default(DEFAULT_REQUIRE_TOTP.join(','))
    .refine((value) => value.trim() !== '', 'empty: list who must use it, or write none')
    .transform((value) =>
      value.trim().toLowerCase() === 'none'
        ? []
        : value
            .split(',')
            .map((item) => item.trim().toLowerCase())
            .filter(Boolean),
    )
    .pipe(z.array(z.enum(TOTP_REQUIREMENTS))),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'environment');
    throw new AppError('invalid_input', `environment variable ${field}: ${issue?.message}`, { field });
  }
  return parsed.data;
}

export const DEFAULT_DATA_DIR = './.ecomgov-data';

export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? DEFAULT_DATA_DIR);
}

import path from 'node:path';
import { z } from 'zod';
import { AppError, localizedText } from './errors.ts';
import { fieldIssuesOfZod } from './validation.ts';

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
  /** Requests per minute per IP on the public register search (API and page); 0 turns the limit off. */
  SEARCH_RATE_LIMIT: z.coerce.number().int().min(0).default(60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Environment = z.infer<typeof environmentSchema>;

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'environment');
    const problem = fieldIssuesOfZod(parsed.error.issues.slice(0, 1), env)[0]?.message;
    throw new AppError(
      'invalid_input',
      {
        vi: `Biến môi trường ${field}: ${problem ? localizedText(problem).vi : 'không hợp lệ'}`,
        en: `environment variable ${field}: ${issue?.message}`,
      },
      { field },
    );
  }
  return parsed.data;
}

export const DEFAULT_DATA_DIR = './.ecomgov-data';

export function resolveDataDir(dataDir: string | undefined): string {
  return path.resolve(dataDir ?? DEFAULT_DATA_DIR);
}

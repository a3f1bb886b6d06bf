import type { Database } from '../../core/db.ts';
import { createMailer, type Mailer } from '../../core/mail.ts';
import type { WorkingCalendar } from '../../core/working-days.ts';
import { loadWorkingCalendar } from '../calendar/index.ts';
import type { ApplicationsContext } from './applications.service.ts';
import type { DomainCheckOptions } from './domain-control.ts';

/** The portal's address when PORTAL_URL is unset (DESIGN.md "Badge"). */
export const DEFAULT_PORTAL_URL = 'http://127.0.0.1:3000';

export interface ApplicationsOptions {
  PORTAL_URL?: string | undefined;
  SMTP_URL?: string | undefined;
  MAIL_FROM?: string | undefined;
  mailer?: Mailer | undefined;
  /** Tests: scheme, port, curl-style resolve mappings and allowPrivate for the domain checks. */
  domainCheck?: DomainCheckOptions | undefined;
  /** Tests: a fixed calendar instead of the stored one. */
  calendar?: WorkingCalendar | undefined;
  log?: { warn(object: unknown, message: string): void; info?(object: unknown, message: string): void } | undefined;
  now?: (() => Date) | undefined;
}

/** What the applications module works with, from the environment and (in tests) explicit overrides. */
export function createApplicationsContext(database: Database, options: ApplicationsOptions = {}): ApplicationsContext {
  const log = options.log ?? {
    warn(object: unknown, message: string) {
      process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...(object as object) })}\n`);
    },
  };
  return {
    database,
    mailer:
      options.mailer ??
      createMailer(
        { SMTP_URL: options.SMTP_URL, MAIL_FROM: options.MAIL_FROM },
        { info: (object, message) => (log.info ? log.info(object, message) : log.warn(object, message)) },
      ),
    portalUrl: (options.PORTAL_URL ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''),
    workingCalendar: async () => options.calendar ?? loadWorkingCalendar(database.db),
    domainCheck: options.domainCheck ?? {},
    log,
    ...(options.now ? { now: options.now } : {}),
  };
}

import { z } from 'zod';
import { defineJob, type JobDefinition } from '../../core/jobs.ts';
import { createMailer, type MailLog } from '../../core/mail.ts';
import { parseReminderDays, sendDueReminders } from './directives.reminders.ts';

export interface DirectiveJobsOptions {
  SMTP_URL?: string | undefined;
  MAIL_FROM?: string | undefined;
  PORTAL_URL?: string | undefined;
  /** Days before a deadline to remind, "7,1" (default: the environment variable, else 7 and 1). */
  DIRECTIVE_REMINDER_DAYS?: string | undefined;
  log: MailLog;
}

/**
 * The tracker's scheduled task: every morning at 07:00 in Vietnam, e-mail the units whose tasks are
 * due soon or overdue. A run whose mail failed throws, so the queue retries it; what was sent stays sent.
 */
export function createDirectiveJobs(options: DirectiveJobsOptions): JobDefinition[] {
  // Read at start: a bad setting stops `serve` with a message instead of failing every morning.
  const daysBefore = parseReminderDays(options.DIRECTIVE_REMINDER_DAYS ?? process.env.DIRECTIVE_REMINDER_DAYS);
  const sendReminders = defineJob({
    name: 'directives-send-reminders',
    schema: z.object({}).loose(),
    cron: '0 7 * * *',
    handler: async (_payload, database) => {
      const mailer = createMailer(options, options.log);
      try {
        const run = await sendDueReminders(database, mailer, { daysBefore, portalUrl: options.PORTAL_URL });
        if (run.failed.length > 0) {
          throw new Error(
            `directive reminders failed for ${run.failed.map((failure) => `${failure.unit_id} (${failure.error})`).join(', ')}`,
          );
        }
      } finally {
        mailer.close();
      }
    },
  });
  return [sendReminders];
}

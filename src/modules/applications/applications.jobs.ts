import { z } from 'zod';
import { formatCalendarDate, todayInVietnam } from '../../core/dates.ts';
import type { Database } from '../../core/db.ts';
import { defineJob, type JobDefinition } from '../../core/jobs.ts';
import { deliverDueMail, enqueueMail } from '../../core/mail-outbox.ts';
import { listUnitOfficerEmails } from '../accounts/index.ts';
import { type ApplicationsOptions, createApplicationsContext } from './applications.context.ts';
import { type ApplicationsContext, listDueApplications } from './applications.service.ts';

/** The unit that reviews applications (E-Commerce and Digital Economy Agency). */
export const REVIEWING_UNIT = 'idea';

/**
 * The jobs of the module: every working morning, a reminder to the reviewing officers of applications due
 * today or overdue; every minute, a retry of e-mails the SMTP server did not take.
 */
export function createApplicationsJobs(options: ApplicationsOptions): JobDefinition[] {
  const contexts = new WeakMap<Database, ApplicationsContext>();
  const contextFor = (database: Database) => {
    let context = contexts.get(database);
    if (!context) {
      context = createApplicationsContext(database, options);
      contexts.set(database, context);
    }
    return context;
  };
  const deadlineReminder = defineJob({
    name: 'applications-deadline-reminder',
    schema: z.object({}).loose(),
    cron: '0 8 * * 1-6',
    handler: async (_payload, database) => {
      const context = contextFor(database);
      const now = context.now ? context.now() : new Date();
      // Saturdays that are make-up working days count; holidays do not.
      if (!(await context.workingCalendar()).isWorkingDay(todayInVietnam(now))) return;
      const due = await listDueApplications(context);
      if (due.length === 0) return;
      const recipients = await listUnitOfficerEmails(database.db, REVIEWING_UNIT);
      if (recipients.length === 0) return;
      const lines = due.map(
        (application) =>
          `- ${application.reference} · ${application.site_name} · ${formatCalendarDate(application.due_on)} · ${
            application.deadline_status === 'overdue' ? 'QUÁ HẠN / OVERDUE' : 'ĐẾN HẠN HÔM NAY / DUE TODAY'
          } · ${context.portalUrl}/workbench/applications/${application.id}`,
      );
      await database.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, {
          applicationId: null,
          recipients,
          subject: `Hồ sơ đến hạn xem xét: ${due.length} / Applications due: ${due.length}`,
          body: [
            'Các hồ sơ sau đến hạn hoặc quá hạn xem xét:',
            'These applications are due or overdue for review:',
            '',
            ...lines,
            '',
          ].join('\n'),
        });
      });
      await deliverDueMail(database.db, context.mailer, context.log);
    },
  });

  const mailRetry = defineJob({
    name: 'applications-mail-retry',
    schema: z.object({}).loose(),
    cron: '* * * * *',
    handler: async (_payload, database) => {
      const context = contextFor(database);
      await deliverDueMail(database.db, context.mailer, context.log);
    },
  });

  return [deadlineReminder, mailRetry] as JobDefinition[];
}

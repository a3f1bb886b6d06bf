import type { Command } from 'commander';
import { type CliServices, collectRepeated, parseIntegerOption, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { invalidInput } from '../../core/errors.ts';
import { procedureDeadline } from '../procedures/index.ts';
import { registerAnnualReportsCli } from './annual-reports.cli.ts';
import { createApplicationsContext } from './applications.context.ts';
import {
  APPLICATION_STATUSES,
  APPLICATION_TYPES,
  listReviewQueue,
  procedureOfApplication,
} from './applications.service.ts';
import { verifyBadge } from './badge.service.ts';
import { registerDecisionsCli } from './decisions.cli.ts';
import { checkApplicationDomains } from './filing.service.ts';

const QUEUE_STATUSES = [...APPLICATION_STATUSES, 'open', 'all'] as const;

export function registerApplicationsCli(program: Command, cli: CliServices): void {
  registerDecisionsCli(program, cli);
  registerAnnualReportsCli(program, cli);
  const applications = program
    .command('applications')
    .description('notifications and registration applications: the review queue, domain checks, deadlines');

  applications
    .command('list')
    .description('the review queue, nearest deadline first (default: applications waiting for a decision)')
    .option('--status <status>', `one of ${QUEUE_STATUSES.join(', ')}`, 'submitted')
    .option('--limit <n>', 'at most this many (1–1000)', parseIntegerOption('--limit', 1, 1000), 100)
    .action(async (options: { status: string; limit: number }, command: Command) => {
      if (!(QUEUE_STATUSES as readonly string[]).includes(options.status)) {
        throw invalidInput(
          {
            vi: `Tùy chọn --status: cần một trong ${QUEUE_STATUSES.join(', ')}, đã cho "${options.status}"`,
            en: `option --status: expected one of ${QUEUE_STATUSES.join(', ')}, got "${options.status}"`,
          },
          '--status',
        );
      }
      const result = await cli.withDatabase(command, (database) =>
        listReviewQueue(createApplicationsContext(database), {
          status: options.status as (typeof QUEUE_STATUSES)[number],
          limit: options.limit,
          offset: 0,
        }),
      );
      const rows = result.applications.map((application) => ({
        id: application.id,
        reference: application.reference,
        status: application.status,
        type: application.type,
        site_name: application.site_name,
        primary_domain: application.domains[0]?.domain ?? null,
        domains_proved: `${application.domains.filter((domain) => domain.verified).length}/${application.domains.length}`,
        due_on: application.due_on,
        deadline_status: application.deadline_status,
        registration_no: application.registration_no,
      }));
      printResult(cli.wantsJson(command), { total: result.total, applications: rows }, () =>
        rows.length === 0
          ? 'no applications'
          : rows
              .map(
                (row) =>
                  `${row.reference}  ${row.status === 'submitted' ? `${formatCalendarDate(row.due_on)} ${row.deadline_status}` : row.status}  ${row.site_name} (${row.primary_domain}, domains proved ${row.domains_proved})${row.registration_no ? `  ${row.registration_no}` : ''}`,
              )
              .join('\n'),
      );
    });

  applications
    .command('check-domains')
    .description('check the domain proofs of an application (web file, then DNS TXT)')
    .argument('<id>', 'application id')
    .option(
      '--resolve <host:port:address>',
      'connect to ADDRESS for HOST:PORT, as curl does (repeatable)',
      collectRepeated,
      [],
    )
    .option('--allow-private', 'allow private and loopback addresses (testing only)')
    .option('--http', 'fetch the token over http instead of https (testing only)')
    .option('--port <port>', 'port of the web check (testing only)', parseIntegerOption('--port', 1, 65535))
    .option('--no-dns', 'check the web file only, not the DNS TXT record')
    .action(
      async (
        id: string,
        options: { resolve: string[]; allowPrivate?: boolean; http?: boolean; port?: number; dns: boolean },
        command: Command,
      ) => {
        const outcome = await cli.withDatabase(command, (database) =>
          checkApplicationDomains(
            createApplicationsContext(database, {
              domainCheck: {
                resolve: options.resolve,
                allowPrivate: options.allowPrivate === true,
                scheme: options.http ? 'http' : 'https',
                port: options.port,
                dns: options.dns,
              },
            }),
            id,
            cliContext(),
          ),
        );
        printResult(cli.wantsJson(command), outcome.results, () =>
          outcome.application.domains
            .map(
              (domain) =>
                `${domain.domain}: ${domain.verified ? `proved (${domain.verified_by})` : `not proved — ${domain.last_check_detail ?? 'not checked'}`}`,
            )
            .join('\n'),
        );
      },
    );

  applications
    .command('deadline')
    .description(
      'the review deadline of an application received at a time: the working days of its procedure in the table of procedures (`procedures list`), on the stored Vietnam calendar',
    )
    .option('--received <iso>', 'ISO 8601 time of receipt (default: now)')
    .option('--type <type>', `the application's type: ${APPLICATION_TYPES.join(', ')}`, 'notification')
    .action(async (options: { received?: string; type: string }, command: Command) => {
      const received = options.received ? new Date(options.received) : new Date();
      if (Number.isNaN(received.getTime()))
        throw invalidInput(
          {
            vi: `Tùy chọn --received: "${options.received}" không phải thời điểm ISO 8601`,
            en: `option --received: "${options.received}" is not an ISO 8601 time`,
          },
          '--received',
        );
      const type = APPLICATION_TYPES.find((known) => known === options.type);
      if (!type) {
        throw invalidInput(
          {
            vi: `Tùy chọn --type phải là một trong: ${APPLICATION_TYPES.join(', ')}`,
            en: `option --type must be one of: ${APPLICATION_TYPES.join(', ')}`,
          },
          '--type',
        );
      }
      const deadline = await cli.withDatabase(command, (database) =>
        procedureDeadline(database.db, procedureOfApplication(type), received),
      );
      printResult(
        cli.wantsJson(command),
        {
          received_at: received.toISOString(),
          procedure: deadline.procedure.code,
          provision: deadline.procedure.provision,
          working_days: deadline.workingDays,
          due_on: deadline.dueOn,
          deadline_at: deadline.deadlineAt.toISOString(),
        },
        () =>
          `due on ${formatCalendarDate(deadline.dueOn)} (end of day, Vietnam time: ${deadline.deadlineAt.toISOString()}): ${deadline.workingDays} working days, ${deadline.procedure.provision}`,
      );
    });

  const badge = program.command('badge').description('the verifiable badge of notified and registered sites');
  badge
    .command('verify')
    .description('is the badge of record NUMBER genuine on DOMAIN? (NUMBER may be an old-portal WebDetails/123)')
    .argument('<number>', 'registration number, or the old portal record WebDetails/<id> / AppDetails/<id>')
    .argument('<domain>', 'host or URL of the page showing the badge')
    .action(async (number: string, domain: string, _options, command: Command) => {
      const legacy = /(?:web|app)details\//i.test(number);
      const verdict = await cli.withDatabase(command, (database) =>
        verifyBadge(database.db, legacy ? { legacyId: number, domain } : { registrationNo: number, domain }),
      );
      printResult(
        cli.wantsJson(command),
        verdict,
        () => `${verdict.valid ? 'valid' : 'INVALID'}: ${verdict.reason} — ${verdict.message.en}`,
      );
    });
}

import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { invalidInput } from '../../core/errors.ts';
import { CLAIM_STATUSES, type ClaimStatus } from './accounts.table.ts';
import { listClaimQueue } from './organisations.service.ts';

/** `ecomgov organisations claims`: the officers' queue of claims to organisations, for scripts and the terminal. */
export function registerOrganisationsCli(program: Command, cli: CliServices): void {
  const organisations = program
    .command('organisations')
    .description('business accounts’ claims to organisations, verified from their registration certificate');

  organisations
    .command('claims')
    .description('claims awaiting a decision or a supplement (default), nearest due day first, with competing claims')
    .option('--status <status>', `open (default) or one of: ${CLAIM_STATUSES.join(', ')}`)
    .action(async (options: { status?: string }, command: Command) => {
      const status = options.status ?? 'open';
      if (status !== 'open' && !CLAIM_STATUSES.includes(status as ClaimStatus)) {
        throw invalidInput(
          {
            vi: `--status phải là open hoặc một trong: ${CLAIM_STATUSES.join(', ')}`,
            en: `--status must be open or one of ${CLAIM_STATUSES.join(', ')}`,
          },
          '--status',
        );
      }
      const claims = await cli.withDatabase(command, (database) =>
        listClaimQueue(database.db, { status: status as ClaimStatus | 'open' }),
      );
      printResult(cli.wantsJson(command), claims, () =>
        claims.length === 0
          ? 'no claims'
          : claims
              .map((claim) =>
                [
                  claim.id,
                  claim.tax_code,
                  claim.status,
                  claim.due_on ? `${claim.due_on} ${claim.deadline_status}` : '-',
                  claim.account_email ?? '',
                  `${claim.competing.length} competing`,
                  claim.name,
                ].join('\t'),
              )
              .join('\n'),
      );
    });
}

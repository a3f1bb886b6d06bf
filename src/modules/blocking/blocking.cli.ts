import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { invalidInput } from '../../core/errors.ts';
import { type Block, listBlocks } from './blocking.service.ts';
import { BLOCK_STATUSES, type BlockStatus } from './blocking.table.ts';

function describe(block: Block): string {
  const decision = block.decision_no
    ? `${block.decision_no} of ${formatCalendarDate(block.decision_date ?? '')}, in effect ${formatCalendarDate(block.effective_from ?? '')} → ${block.effective_to ? formatCalendarDate(block.effective_to) : '…'}`
    : 'no decision yet';
  return [
    `${block.id}  ${block.status}  ${block.platform_name}`,
    `    ${decision}`,
    `    domains: ${block.domains.join(', ') || '—'}${block.android_apps.length + block.ios_apps.length ? `; apps: ${[...block.android_apps, ...block.ios_apps].join(', ')}` : ''}`,
    `    legal basis: ${block.legal_basis}`,
    block.lift_reason ? `    lifted: ${block.lift_reason}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function parseStatus(value: string): BlockStatus {
  if (!(BLOCK_STATUSES as readonly string[]).includes(value)) {
    throw invalidInput(
      {
        vi: `--status phải là một trong: ${BLOCK_STATUSES.join(', ')}`,
        en: `--status must be one of: ${BLOCK_STATUSES.join(', ')}`,
      },
      '--status',
    );
  }
  return value as BlockStatus;
}

/** `ecomgov blocks list [--status S]`. */
export function registerBlockingCli(program: Command, cli: CliServices): void {
  const blocks = program.command('blocks').description('the blocking workflow: block requests and their decisions');
  blocks
    .command('list')
    .description('block requests, newest change first (at most 200)')
    .option('--status <status>', `only requests in this step (${BLOCK_STATUSES.join(', ')})`, parseStatus)
    .action(async (options: { status?: BlockStatus }, command: Command) => {
      const rows = await cli.withDatabase(command, (database) => listBlocks(database.db, { status: options.status }));
      printResult(cli.wantsJson(command), rows, () =>
        rows.length ? rows.map(describe).join('\n') : 'no block requests',
      );
    });
}

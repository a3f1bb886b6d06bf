import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Command } from 'commander';
import { type CliServices, printResult } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { formatCalendarDate } from '../../core/dates.ts';
import { invalidInput } from '../../core/errors.ts';
import {
  competentUnitIds,
  complaintStats,
  importComplaints,
  listOverdueTargets,
  listTargets,
  routeComplaintTarget,
} from './complaints.service.ts';
import { TARGET_STATES, type TargetState } from './complaints.table.ts';

/** `ecomgov complaints import|targets|route|advance|stats`: the hotline's call log, the targets and their clock. */
export function registerComplaintsCli(program: Command, cli: CliServices): void {
  const complaints = program
    .command('complaints')
    .description('consumer complaints: import the hotline log, list the targets, run the explanation clock');

  complaints
    .command('import')
    .description('import complaints, one JSON object a line (DESIGN.md "Complaint"); all or nothing, idempotent')
    .argument('<file>', 'NDJSON file')
    .action(async (file: string, _options: unknown, command: Command) => {
      let gzip: boolean;
      try {
        // gzip told by its first bytes (1f 8b), as a call centre's export may be compressed whatever its name.
        const head = Buffer.alloc(2);
        const descriptor = fs.openSync(file, 'r');
        try {
          gzip = fs.readSync(descriptor, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
        } finally {
          fs.closeSync(descriptor);
        }
      } catch (error) {
        throw invalidInput(
          {
            vi: `Không đọc được tệp ${file}: ${(error as Error).message}`,
            en: `Cannot read ${file}: ${(error as Error).message}`,
          },
          'file',
        );
      }
      const open = () => {
        const stream = fs.createReadStream(file);
        if (!gzip) return stream;
        const gunzip = zlib.createGunzip();
        stream.on('error', (error) => gunzip.destroy(error));
        return stream.pipe(gunzip);
      };
      const result = await cli.withDatabase(command, (database) =>
        importComplaints(database, cliContext(), open, path.basename(file)),
      );
      printResult(
        cli.wantsJson(command),
        result,
        () =>
          `${result.lines} line(s): ${result.added} added, ${result.merged} merged into earlier complaints, ${result.skipped} already imported`,
      );
    });

  complaints
    .command('targets')
    .description('the targets complained about, with their counts and state')
    .option('--state <state>', `only one state (${TARGET_STATES.join(', ')})`)
    .action(async (options: { state?: string }, command: Command) => {
      if (options.state !== undefined && !(TARGET_STATES as readonly string[]).includes(options.state)) {
        throw invalidInput(
          {
            vi: `--state phải là một trong: ${TARGET_STATES.join(', ')}`,
            en: `--state must be one of: ${TARGET_STATES.join(', ')}`,
          },
          'state',
        );
      }
      const targets = await cli.withDatabase(command, (database) =>
        listTargets(database.db, options.state as TargetState | undefined),
      );
      printResult(
        cli.wantsJson(command),
        targets.map((target) => ({
          target: target.target,
          kind: target.kind,
          complaints: target.complaints,
          reporters: target.reporters,
          duplicates: target.duplicates,
          amount_vnd: target.amount_vnd,
          state: target.state,
          explanation_due_on: target.explanation_due_on,
          listed_on: target.listed_on,
          unit: target.unit_id,
        })),
        () =>
          targets
            .map(
              (target) =>
                `${target.target.padEnd(32)} ${String(target.complaints).padStart(5)} complaint(s) ${String(target.reporters).padStart(4)} reporter(s)  ${target.state}${target.explanation_due_on ? ` (due ${formatCalendarDate(target.explanation_due_on)})` : ''}`,
            )
            .join('\n'),
      );
    });

  complaints
    .command('route')
    .description('route a target to another competent unit (audited)')
    .argument('<target>', "the target's id or what it is (domain, app id, name) as `complaints targets` lists it")
    .requiredOption('--unit <unit>', `the unit (${competentUnitIds().join(', ')})`)
    .option('--note <text>', 'why')
    .action(async (wanted: string, options: { unit: string; note?: string }, command: Command) => {
      const routed = await cli.withDatabase(command, async (database) => {
        const target = (await listTargets(database.db)).find(
          (candidate) => candidate.id === wanted || candidate.target === wanted.trim().toLowerCase(),
        );
        if (!target) {
          throw invalidInput({ vi: `Không có đối tượng “${wanted}”`, en: `no target “${wanted}”` }, 'target');
        }
        return { target: target.target, ...(await routeComplaintTarget(database, cliContext(), target.id, options)) };
      });
      printResult(cli.wantsJson(command), routed, () => `${routed.target}: ${routed.from} → ${routed.to}`);
    });

  complaints
    .command('advance')
    .description('put on the public list every target whose explanation period is over without an adequate reply')
    .action(async (_options: unknown, command: Command) => {
      const listed = await cli.withDatabase(command, (database) => listOverdueTargets(database, cliContext()));
      printResult(cli.wantsJson(command), { listed }, () =>
        listed.length === 0 ? 'nothing overdue' : `listed: ${listed.join(', ')}`,
      );
    });

  complaints
    .command('stats')
    .description('statistics per platform: complaints by channel and payment method, amounts reported')
    .action(async (_options: unknown, command: Command) => {
      const stats = await cli.withDatabase(command, (database) => complaintStats(database.db));
      printResult(cli.wantsJson(command), stats, () =>
        stats
          .map(
            (item) =>
              `${item.target.padEnd(32)} ${String(item.complaints).padStart(5)}  ${item.amount_vnd} VND  ${Object.entries(
                item.by_channel,
              )
                .map(([channel, count]) => `${channel} ${count}`)
                .join(', ')}  ${Object.entries(item.by_payment_method)
                .map(([method, count]) => `${method} ${count}`)
                .join(', ')}`,
          )
          .join('\n'),
      );
    });
}

import { once } from 'node:events';
import fs from 'node:fs';
import type { Command } from 'commander';
import { exportAuditEvents, verifyAuditChain } from '../../core/audit.ts';
import { type CliServices, printResult } from '../../core/cli.ts';

/** `ecomgov audit verify` and `ecomgov audit export`. */
export function registerAuditCli(program: Command, cli: CliServices): void {
  const audit = program.command('audit').description('the append-only, hash-chained audit trail');

  audit
    .command('verify')
    .description('walk the chain; exit 0 when intact, 1 naming the first event altered or removed')
    .action(async (_options, command: Command) => {
      const report = await cli.withDatabase(command, (database) => verifyAuditChain(database.db));
      printResult(cli.wantsJson(command), report, () =>
        report.ok
          ? `audit trail intact: ${report.events} events, last hash ${report.lastHash}`
          : `audit trail BROKEN at event ${report.eventId}: ${report.message} (${report.events} events verified before it)`,
      );
      if (!report.ok) process.exitCode = 1;
    });

  audit
    .command('export')
    .description('write the events of a record (or all) as CSV, oldest first, to stdout or --out FILE')
    .option('--entity-type <type>', 'platform, application, account, api_token, …')
    .option('--entity-id <id>', 'the record’s id')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (options: { entityType?: string; entityId?: string; out?: string }, command: Command) => {
      const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
      const count = await cli.withDatabase(command, (database) =>
        exportAuditEvents(
          database.db,
          { entityType: options.entityType, entityId: options.entityId },
          async (chunk) => {
            if (!out.write(chunk)) await once(out, 'drain');
          },
        ),
      );
      if (options.out) {
        await new Promise<void>((resolve, reject) =>
          (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        if (cli.wantsJson(command)) printResult(true, { file: options.out, events: count }, () => '');
        else process.stderr.write(`${options.out}: ${count} events\n`);
      }
    });
}

import { once } from 'node:events';
import fs from 'node:fs';
import type { Command } from 'commander';
import { type CliServices, printResult, startProgress } from '../../core/cli.ts';
import { cliContext } from '../../core/context.ts';
import { exportRegistry, type ImportProgress, importRegistryFile } from './registry.service.ts';

/** What the import does after reading the file, as the progress line says it. */
const IMPORT_STAGES: Record<Exclude<ImportProgress['stage'], 'reading'>, string> = {
  checking: 'matching rows to the register, checking for conflicts',
  writing: 'writing the register',
  indexing: 'rebuilding indexes',
};

export function registerRegistryCli(program: Command, cli: CliServices): void {
  const registry = program
    .command('registry')
    .description('the register of notified sites/apps and registered platforms');

  registry
    .command('import')
    .description('load a Registry CSV (all or nothing; importing the same file twice changes nothing)')
    .argument('<file>', 'Registry CSV file')
    .action(async (file: string, _options, command: Command) => {
      const totalBytes = fs.existsSync(file) ? fs.statSync(file).size : undefined;
      const progress = startProgress({ label: 'registry import', totalBytes, json: cli.wantsJson(command) });
      const counts = await cli.withDatabase(command, (database) =>
        importRegistryFile(database, file, cliContext(), {
          onProgress: ({ rows, bytes, stage }) =>
            progress.update({ rows, bytes, stage: stage === 'reading' ? undefined : IMPORT_STAGES[stage] }),
        }),
      );
      await progress.finish();
      const { changedPlatformIds: _, ...summary } = counts;
      printResult(
        cli.wantsJson(command),
        { file, ...summary },
        () =>
          `${file}: ${counts.rows} rows — ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`,
      );
    });

  registry
    .command('export')
    .description('write the register as Registry CSV (to stdout, or --out FILE)')
    .option('--out <file>', 'write to this file instead of stdout')
    .option(
      '--full-personal-numbers',
      "write individuals' personal identification numbers in full (masked otherwise): a copy for officers to import again",
    )
    .action(async (options: { out?: string; fullPersonalNumbers?: boolean }, command: Command) => {
      const out = options.out ? fs.createWriteStream(options.out) : process.stdout;
      const count = await cli.withDatabase(command, (database) =>
        exportRegistry(
          database.db,
          async (chunk) => {
            if (!out.write(chunk)) await once(out, 'drain');
          },
          { personalNumbers: options.fullPersonalNumbers ? 'full' : 'masked' },
        ),
      );
      if (options.out) {
        await new Promise<void>((resolve, reject) =>
          (out as fs.WriteStream).end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
        if (cli.wantsJson(command)) printResult(true, { file: options.out, rows: count }, () => '');
        else process.stderr.write(`${options.out}: ${count} rows\n`);
      }
    });
}

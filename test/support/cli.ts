import { Command } from 'commander';
import type { CliServices } from '../../src/core/cli.ts';
import type { Database } from '../../src/core/db.ts';
import { AppError } from '../../src/core/errors.ts';

export interface CliRun {
  code: number;
  stdout: string;
  error?: AppError;
}

/**
 * Runs `ecomgov …` in process on the test database (PGlite or the server) with the commands that
 * `register` adds, as src/bin/cli.ts would (exit 2 for invalid input), capturing what it prints.
 */
export async function runCliInProcess(
  database: Database,
  register: (program: Command, services: CliServices) => void,
  args: string[],
): Promise<CliRun> {
  const services: CliServices = {
    withDatabase: (_command, use) => use(database),
    wantsJson: (command) => command.optsWithGlobals<{ json?: boolean }>().json === true,
  };
  const program = new Command('ecomgov')
    .option('--json')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  register(program, services);
  let stdout = '';
  const write = process.stdout.write;
  // The commands print strings; the test runner's own messages to its parent are binary: let those through.
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk !== 'string')
      return (write as (...args: unknown[]) => boolean).call(process.stdout, chunk, ...rest);
    stdout += chunk;
    return true;
  }) as typeof process.stdout.write;
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'ecomgov', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout };
  } catch (error) {
    if (error instanceof AppError) return { code: error.code === 'invalid_input' ? 2 : 1, stdout, error };
    if ((error as { code?: string }).code?.startsWith('commander.')) return { code: 2, stdout };
    throw error;
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
  }
}

import type { Command } from 'commander';
import type { Database } from './db.ts';
import { AppError, type FieldIssue, issueMessageEn } from './errors.ts';

/** What a module's CLI commands get from the program: its global options and the database. */
export interface CliServices {
  /** Opens the database named by the global options (migrated to the latest schema); closes it after `use`. */
  withDatabase<T>(command: Command, use: (database: Database) => Promise<T>): Promise<T>;
  /** `--json` given anywhere on the command line. */
  wantsJson(command: Command): boolean;
}

/** Prints one JSON document (with `--json`) or the human text. */
export function printResult(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** The CLI's exit codes (DESIGN.md): 2 bad usage or invalid input, 1 anything else. */
export function exitCodeFor(error: unknown): number {
  return error instanceof AppError && error.code === 'invalid_input' ? 2 : 1;
}

function formatIssue(issue: FieldIssue): string {
  const place = [issue.line !== undefined ? `line ${issue.line}` : '', issue.field ? `field ${issue.field}` : '']
    .filter(Boolean)
    .join(', ');
  return place ? `  ${place}: ${issueMessageEn(issue)}` : `  ${issueMessageEn(issue)}`;
}

export function describeError(error: unknown): string {
  if (error instanceof AppError) {
    return [`error: ${error.message}`, ...error.issues.map(formatIssue)].join('\n');
  }
  return `error: ${(error as Error)?.message ?? String(error)}`;
}

/** Reads a positive integer option, naming the option when it is not one. */
export function parseIntegerOption(name: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new AppError(
        'invalid_input',
        `option ${name}: expected a whole number from ${min} to ${max}, got "${value}"`,
        {
          field: name,
        },
      );
    }
    return parsed;
  };
}

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
        {
          vi: `tùy chọn ${name}: cần một số nguyên từ ${min} đến ${max}, nhận được "${value}"`,
          en: `option ${name}: expected a whole number from ${min} to ${max}, got "${value}"`,
        },
        {
          field: name,
        },
      );
    }
    return parsed;
  };
}

/** Reads an option that takes one of a few words, naming the option and the words when it is none of them. */
export function parseChoiceOption<Choice extends string>(
  name: string,
  choices: readonly Choice[],
): (value: string) => Choice {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new AppError(
        'invalid_input',
        {
          vi: `tùy chọn ${name}: cần một trong ${choices.join(', ')}, nhận được "${value}"`,
          en: `option ${name}: expected one of ${choices.join(', ')}, got "${value}"`,
        },
        { field: name },
      );
    }
    return value as Choice;
  };
}

/** commander's parser of a repeatable option (`--resolve A --resolve B`): each value added to the list. */
export function collectRepeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** What a long job reports as it goes. */
export interface ProgressReport {
  /** Rows (or other items) done so far. */
  rows: number;
  /** Bytes of the input read so far, when the total is known in bytes. */
  bytes?: number;
  /**
   * A step whose own progress cannot be counted (writing a million staged rows, rebuilding indexes): shown with the
   * time so far instead of a rate and the time left.
   */
  stage?: string | undefined;
}

export interface Progress {
  update(report: ProgressReport): void;
  /** The last line (the totals), then nothing more; await it before printing the result. */
  finish(report?: ProgressReport): Promise<void>;
}

export interface ProgressOptions {
  /** What is being done: "registry import". */
  label: string;
  /** What is counted: "rows" (the default), "files". */
  unit?: string;
  /** The input's size in bytes, for the percentage and the ETA; unknown: rows and rate only. */
  totalBytes?: number | undefined;
  /** With --json nothing is shown: the JSON document is the output. */
  json: boolean;
  /** Where progress goes (stderr: stdout carries the result). */
  stream?: NodeJS.WriteStream;
  /** Seconds between plain lines when the stream is not a terminal. */
  lineEverySeconds?: number;
  now?: () => number;
}

const NO_PROGRESS: Progress = { update() {}, finish: async () => {} };

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  const minutes = Math.floor(whole / 60);
  return minutes >= 60
    ? `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`
    : `${minutes}:${String(whole % 60).padStart(2, '0')}`;
}

/**
 * Progress of a long CLI job (an import of a million rows takes minutes): a bar with rows, rows/s and the time left
 * on a terminal; a plain line every few seconds, and at each new stage, when the output is a file or a pipe (logs of
 * scheduled jobs); nothing with --json. Written to stderr.
 */
export function startProgress(options: ProgressOptions): Progress {
  if (options.json) return NO_PROGRESS;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const unit = options.unit ?? 'rows';
  const started = now();
  const elapsed = () => (now() - started) / 1000;
  // A stage reported before the first count (opening the database, loading the register) is preparation: the rate and
  // the time left are measured from the first count on, else seconds of loading would read as a slow import.
  let preparing = false;
  let countingFrom: number | undefined;
  const follow = (report: ProgressReport) => {
    if (countingFrom !== undefined) return;
    if (report.stage !== undefined) preparing = true;
    else countingFrom = preparing ? now() : started;
  };
  const counting = () => (now() - (countingFrom ?? started)) / 1000;
  const rate = (rows: number) => rows / Math.max(counting(), 0.001);
  const eta = (report: ProgressReport) => {
    if (!options.totalBytes || !report.bytes || report.rows === 0) return undefined;
    return (counting() * (options.totalBytes - report.bytes)) / report.bytes;
  };
  const percentOf = (report: ProgressReport) =>
    options.totalBytes && report.bytes !== undefined
      ? Math.min(100, Math.floor((100 * report.bytes) / options.totalBytes))
      : undefined;
  /** After the count: the rate and the time left, or the stage and the time so far. */
  const detail = (report: ProgressReport) => {
    if (report.stage) return `${report.stage}, ${formatDuration(elapsed())} so far`;
    const left = eta(report);
    return `${formatCount(rate(report.rows))} ${unit}/s${left === undefined ? '' : `, ${formatDuration(left)} left`}`;
  };
  const describe = (report: ProgressReport) => {
    const percent = percentOf(report);
    return `${options.label}: ${formatCount(report.rows)} ${unit}${percent === undefined ? '' : ` (${percent}%)`}, ${detail(report)}`;
  };
  const totals = (report: ProgressReport) =>
    `${options.label}: ${formatCount(report.rows)} ${unit} in ${formatDuration(elapsed())}`;

  if (!stream.isTTY) {
    const every = (options.lineEverySeconds ?? 5) * 1000;
    let lastLine = started;
    let last: ProgressReport = { rows: 0 };
    return {
      update(report) {
        follow(report);
        const newStage = report.stage !== last.stage && report.stage !== undefined;
        last = report;
        if (newStage || now() - lastLine >= every) {
          lastLine = now();
          stream.write(`${describe(report)}\n`);
        }
      },
      async finish(report = last) {
        stream.write(`${totals(report)}\n`);
      },
    };
  }

  // Loaded only on a terminal: scripts and tests never need it.
  let bar: import('cli-progress').SingleBar | undefined;
  let last: ProgressReport = { rows: 0 };
  const payload = (report: ProgressReport) => ({ count: formatCount(report.rows), detail: detail(report) });
  const barReady = import('cli-progress').then(({ default: cliProgress }) => {
    bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${options.label} [{bar}] {percentage}% | {count} ${unit} | {detail}`,
        barsize: 24,
        hideCursor: true,
        clearOnComplete: false,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(options.totalBytes ?? 1, 0, payload(last));
  });
  return {
    update(report) {
      follow(report);
      last = report;
      bar?.update(options.totalBytes ? (report.bytes ?? 0) : 0, payload(report));
    },
    async finish(report = last) {
      await barReady;
      bar?.update(options.totalBytes ?? 1, {
        count: formatCount(report.rows),
        detail: `done in ${formatDuration(elapsed())}`,
      });
      bar?.stop();
    },
  };
}

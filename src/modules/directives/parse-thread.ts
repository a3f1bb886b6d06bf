import type { Worker } from 'node:worker_threads';
import { AppError, type AppErrorCode, type ErrorText } from '../../core/errors.ts';
import { startTypeScriptWorker } from '../../core/workers.ts';
import type { CalendarDay, WorkingCalendar } from '../../core/working-days.ts';
import type { ParsedDirective } from './directive.schemas.ts';

/**
 * Parsing a directive's text off the main thread, within a time budget. The parser is linear in its text, but a
 * text is whatever a client sends: should one still take long, the server goes on answering others, and the
 * thread is ended when its budget runs out. One thread, reused and started again when it was ended; texts are
 * parsed one after the other (a parse takes milliseconds).
 */

/** How long one text may take to parse. The longest real dispatches take a few tens of milliseconds. */
export const PARSE_TIME_BUDGET_MS = 2000;

export interface ParseRequest {
  id: number;
  text: string;
  /** The days of the working calendar to count working days on (the stored one); the shipped one when absent. */
  calendarDays?: readonly CalendarDay[] | undefined;
}

export type ParseReply =
  | { id: number; ok: true; directive: ParsedDirective }
  | { id: number; ok: false; code: AppErrorCode; text: ErrorText; field?: string | undefined };

interface Pending {
  resolve(directive: ParsedDirective): void;
  reject(error: unknown): void;
}

class ParseThread {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The parse under way: texts wait for it, so each one's budget counts its own time only. */
  private queue: Promise<unknown> = Promise.resolve();

  parse(text: string, budgetMs: number, calendar: WorkingCalendar | undefined): Promise<ParsedDirective> {
    const run = this.queue.then(() => this.parseNow(text, budgetMs, calendar));
    this.queue = run.catch(() => {});
    return run;
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    const worker = startTypeScriptWorker(new URL('./parse.worker.ts', import.meta.url));
    this.worker = worker;
    this.ready = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (message: ParseReply | { ready: true }) => {
        if ('ready' in message) {
          resolve(worker);
          return;
        }
        const pending = this.pending.get(message.id);
        this.pending.delete(message.id);
        if (!pending) return;
        if (message.ok) pending.resolve(message.directive);
        else pending.reject(new AppError(message.code, message.text, { field: message.field }));
      });
      worker.on('error', (error) => {
        reject(error);
        this.fail(worker, error);
      });
      worker.on('exit', (code) => {
        const error = new AppError('internal', {
          vi: `Luồng đọc văn bản đã dừng (${code}).`,
          en: `The directive parsing thread exited (${code}).`,
        });
        reject(error);
        this.fail(worker, error);
      });
    });
    return this.ready;
  }

  /** Forgets a thread that ended or failed, failing what it was given; the next text starts a new one. */
  private fail(worker: Worker, error: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }

  private async parseNow(
    text: string,
    budgetMs: number,
    calendar: WorkingCalendar | undefined,
  ): Promise<ParsedDirective> {
    const worker = await this.start();
    const id = this.nextId++;
    worker.ref();
    try {
      return await new Promise<ParsedDirective>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.pending.delete(id);
          this.fail(worker, undefined);
          void worker.terminate();
          reject(overBudget(text.length, budgetMs));
        }, budgetMs);
        this.pending.set(id, {
          resolve: (directive) => {
            clearTimeout(timer);
            resolve(directive);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        worker.postMessage({ id, text, calendarDays: calendar?.days } satisfies ParseRequest);
      });
    } finally {
      // An idle thread does not keep the process alive (a CLI run ends when its work does).
      if (this.worker === worker) worker.unref();
    }
  }
}

function overBudget(length: number, budgetMs: number): AppError {
  const seconds = (budgetMs / 1000).toLocaleString('en-US', { maximumFractionDigits: 3 });
  return new AppError(
    'payload_too_large',
    {
      vi: `Đọc văn bản (${length.toLocaleString('vi-VN')} ký tự) mất quá ${seconds.replace('.', ',')} giây, thời gian tối đa cho một văn bản, nên đã dừng. Văn bản chỉ đạo thật được đọc trong chưa đến một giây: hãy kiểm tra lại văn bản đã dán.`,
      en: `Parsing the text (${length.toLocaleString('en-US')} characters) took longer than ${seconds} s, the most one text may take, and was stopped. Real directives parse in well under a second: check the text pasted.`,
    },
    { field: 'text' },
  );
}

const thread = new ParseThread();

/**
 * Parses a directive's text in the parsing thread; a text over its budget (PARSE_TIME_BUDGET_MS unless
 * `budgetMs` says otherwise: tests) is refused with payload_too_large (413), the thread ended. Periods in working
 * days count on `calendar` (the stored calendar, with the official days an administrator loaded) when given.
 */
export function parseDirectiveOffThread(
  text: string,
  options: { budgetMs?: number; calendar?: WorkingCalendar | undefined } = {},
): Promise<ParsedDirective> {
  return thread.parse(text, options.budgetMs ?? PARSE_TIME_BUDGET_MS, options.calendar);
}

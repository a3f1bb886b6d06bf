/**
 * The worker thread that parses directive texts (see parse-thread.ts): a text in, its Directive JSON or the
 * AppError that refused it out. The thread is ended from outside when a text takes longer than its budget.
 */
import { parentPort } from 'node:worker_threads';
import { AppError } from '../../core/errors.ts';
import { buildWorkingCalendar } from '../../core/working-days.ts';
import { parseDirective } from './parse.ts';
import type { ParseReply, ParseRequest } from './parse-thread.ts';

const port = parentPort;
if (!port) throw new Error('parse.worker.ts runs as a worker thread only');

port.on('message', (request: ParseRequest) => {
  let reply: ParseReply;
  try {
    const calendar = request.calendarDays ? buildWorkingCalendar(request.calendarDays) : undefined;
    reply = { id: request.id, ok: true, directive: parseDirective(request.text, calendar ? { calendar } : {}) };
  } catch (error) {
    reply =
      error instanceof AppError
        ? { id: request.id, ok: false, code: error.code, text: error.text, field: error.field }
        : {
            id: request.id,
            ok: false,
            code: 'internal',
            text: { vi: (error as Error).message, en: (error as Error).message },
          };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });

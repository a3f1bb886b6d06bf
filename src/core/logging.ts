import type { Writable } from 'node:stream';
import type { LoggerOptions } from 'pino';
import type { LogFormat } from './config.ts';

/** Secrets a request or response may carry: never written, whatever the format. */
const REDACTED_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'];

export interface LoggerSettings extends Pick<LoggerOptions, 'level' | 'redact'> {
  /** Where pino writes; unset: JSON lines on stdout. */
  stream?: Writable;
}

/**
 * pino's settings for the app's logger: JSON lines (for a log collector), or readable lines through
 * pino-pretty (for a person at a terminal). pino-pretty is imported only when chosen, and formats on the
 * main thread, synchronously, so its lines come in order with the rest of what the process prints.
 */
export async function createLoggerSettings(
  level: string,
  format: LogFormat,
  /** Tests: where the lines go instead of stdout. */
  destination?: Writable,
): Promise<LoggerSettings> {
  const settings: LoggerSettings = { level, redact: REDACTED_PATHS };
  if (format === 'json') return destination ? { ...settings, stream: destination } : settings;
  const { default: pretty } = await import('pino-pretty');
  return {
    ...settings,
    stream: pretty({
      destination: destination ?? 1,
      sync: true,
      colorize: destination === undefined && process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
    }),
  };
}

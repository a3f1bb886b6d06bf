/**
 * The worker thread of a large import (see registry.staging.ts): reads and validates the file and prepares its
 * staged batches, at most `batchesAhead` ahead of the main thread, which answers 'next' for each one it takes.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../../core/errors.ts';
import type { RegistryCsvOptions } from './registry.csv.ts';
import { stageFileInThisThread, type WorkerMessage } from './registry.staging.ts';

const { filePath, options, batchesAhead } = workerData as {
  filePath: string;
  options: Pick<RegistryCsvOptions, 'maxIssues'>;
  batchesAhead: number;
};
const port = parentPort;
if (!port) throw new Error('registry.staging-worker.ts runs as a worker thread only');

let credits = batchesAhead;
let waiting: (() => void) | undefined;
port.on('message', () => {
  credits++;
  waiting?.();
  waiting = undefined;
});

const send = (message: WorkerMessage) => port.postMessage(message);

try {
  for await (const chunk of stageFileInThisThread(filePath, options)) {
    while (credits === 0) {
      await new Promise<void>((resolve) => {
        waiting = resolve;
      });
    }
    credits--;
    send(chunk);
  }
} catch (error) {
  const message = (error as Error).message;
  send(
    isAppError(error)
      ? { type: 'error', text: error.text, code: error.code }
      : {
          type: 'error',
          text: { vi: `${filePath}: không đọc được tệp (${message})`, en: `${filePath}: ${message}` },
          code: 'invalid_input',
        },
  );
}
// The main thread ends this worker once it has taken the last message.

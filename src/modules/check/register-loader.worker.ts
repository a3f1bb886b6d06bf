/**
 * The worker thread that packs a large register (see register-loader.ts): takes record chunks as the main thread
 * reads them, and gives the packed register back, its memory moved rather than copied.
 */
import { parentPort } from 'node:worker_threads';
import { type LoaderMessage, type LoaderReply, PackedRegisterLoader } from './register-loader.ts';

const port = parentPort;
if (!port) throw new Error('register-loader.worker.ts runs as a worker thread only');

const loader = new PackedRegisterLoader();
let failed = false;

port.on('message', (message: LoaderMessage) => {
  if (failed) return;
  try {
    if (message.type === 'end') {
      const { state, transfer } = loader.register.transferState();
      port.postMessage({ type: 'packed', state } satisfies LoaderReply, transfer);
      return;
    }
    // A Buffer sent to another thread arrives as a plain Uint8Array.
    const { records } = message;
    const bytes = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
    if (message.type === 'platforms') loader.addPlatforms(bytes);
    else loader.addIdentities(bytes);
  } catch (error) {
    failed = true;
    port.postMessage({ type: 'error', message: (error as Error).message } satisfies LoaderReply);
  }
});

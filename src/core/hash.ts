import { createHash } from 'node:crypto';

/** SHA-256 of bytes (or of a string's UTF-8), in lower-case hex: the one form the project stores and prints hashes in. */
export function sha256Hex(data: Buffer | Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

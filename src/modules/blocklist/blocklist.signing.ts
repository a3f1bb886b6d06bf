/**
 * The feed signing key (Ed25519, node:crypto): made on first start in a folder outside the repository (the data
 * folder, or FEED_SIGNING_KEY_DIR), the private key readable by its owner only. A signature is 64 bytes, written as
 * one line of base64 (`FILE.sig`, `/feeds/blocklist.rpz.sig`). The key is never logged.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../core/errors.ts';

const PRIVATE_FILE = 'feed-signing-key.ed25519.pem';
const PUBLIC_FILE = 'feed-signing-key.ed25519.pub.pem';

export interface FeedSigner {
  publicKeyPem: string;
  /** The detached signature of `data`, as the `.sig` file holds it (base64 and a newline). */
  sign(data: Buffer): string;
}

export function publicKeyPath(dir: string): string {
  return path.join(dir, PUBLIC_FILE);
}

/** Reads the key pair from `dir`, or makes it there when there is none (two processes at once: one wins). */
export function loadOrCreateSigningKey(dir: string): FeedSigner {
  const privatePath = path.join(dir, PRIVATE_FILE);
  if (!fs.existsSync(privatePath)) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    try {
      fs.writeFileSync(privatePath, pem, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const privateKey = crypto.createPrivateKey(fs.readFileSync(privatePath));
  const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const publicPath = publicKeyPath(dir);
  if (!fs.existsSync(publicPath) || fs.readFileSync(publicPath, 'utf8') !== publicKeyPem) {
    fs.writeFileSync(publicPath, publicKeyPem, { mode: 0o644 });
  }
  return {
    publicKeyPem,
    sign: (data) => `${crypto.sign(null, data, privateKey).toString('base64')}\n`,
  };
}

/** Whether `signature` (base64 text, or the 64 raw bytes) is the key's signature of `data`. */
export function verifyFeedSignature(data: Buffer, signature: Buffer, publicKeyPem: string): boolean {
  let key: crypto.KeyObject;
  try {
    key = crypto.createPublicKey(publicKeyPem);
  } catch {
    throw new AppError(
      'invalid_input',
      { vi: 'Khóa công khai không đọc được (PEM)', en: 'the public key is not a PEM key' },
      {
        field: 'key',
      },
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new AppError(
      'invalid_input',
      { vi: 'Khóa công khai không phải Ed25519', en: 'the public key is not Ed25519' },
      {
        field: 'key',
      },
    );
  }
  const raw = signature.length === 64 ? signature : Buffer.from(signature.toString('utf8').trim(), 'base64');
  if (raw.length !== 64) return false;
  return crypto.verify(null, data, key, raw);
}

import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { type Algorithm, hash, verify } from '@node-rs/argon2';
import { invalidInput } from '../../core/errors.ts';

/**
 * Passwords are hashed with argon2id at the parameters OWASP recommends (19 MiB, 2 passes, 1 lane:
 * about 60 ms here); high-entropy secrets we generate (session and API tokens) only need SHA-256.
 */
const ARGON2ID = 2 as Algorithm;
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Spends the time of a real verification, so an unknown e-mail answers as slowly as a wrong password. */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/** Length is what matters (NIST SP 800-63B): at least 12 characters, and not the e-mail address. */
export function checkNewPassword(password: string, email: string, field = 'password'): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) {
    throw invalidInput(
      {
        vi: `Mật khẩu cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`,
        en: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
      },
      field,
    );
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw invalidInput(
      {
        vi: `Mật khẩu tối đa ${PASSWORD_MAX_LENGTH} ký tự.`,
        en: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
      },
      field,
    );
  }
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    throw invalidInput(
      { vi: 'Mật khẩu không được trùng với địa chỉ email.', en: 'The password must not be the e-mail address.' },
      field,
    );
  }
}

/** No 0/O, 1/l/I: generated passwords are read aloud and typed. 20 characters ≈ 110 bits. */
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generatePassword(length = 20): string {
  let password = '';
  for (let i = 0; i < length; i++) password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

/** A random secret for a cookie or an API token: 256 bits, base64url. */
export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function equalSecrets(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

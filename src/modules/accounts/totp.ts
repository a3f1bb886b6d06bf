import { Secret, TOTP } from 'otpauth';

/** Two-step verification by time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s), as phone apps expect. */
const ISSUER = 'ecomgov';
const PERIOD = 30;
const DIGITS = 6;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD,
  });
}

/** The otpauth:// URI an authenticator app reads (typed, pasted or from a QR code). */
export function totpUri(secret: string, accountEmail: string): string {
  return totpFor(secret, accountEmail).toString();
}

/** The code for a moment (tests, and nothing else, compute codes). */
export function generateTotpCode(secret: string, timestamp = Date.now()): string {
  return totpFor(secret).generate({ timestamp });
}

/**
 * The time step of a valid code (one step of clock drift allowed either way), or undefined. A code
 * at or before `lastStep` was already used: refusing it stops replay of an overheard code.
 */
export function acceptTotpCode(
  secret: string,
  code: string,
  lastStep: number | null,
  timestamp = Date.now(),
): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const totp = totpFor(secret);
  const delta = totp.validate({ token, timestamp, window: 1 });
  if (delta === null) return undefined;
  const step = totp.counter({ timestamp }) + delta;
  return lastStep !== null && step <= lastStep ? undefined : step;
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEnvironment } from './config.ts';
import { AppError } from './errors.ts';

describe('REQUIRE_TOTP', () => {
  it('requires two-step verification of administrators and heads of units unless told otherwise', () => {
    assert.deepEqual(readEnvironment({}).REQUIRE_TOTP, ['admin', 'head']);
  });

  it('reads a list, in any case and spacing, and none for nobody', () => {
    assert.deepEqual(readEnvironment({ REQUIRE_TOTP: ' Admin , officer' }).REQUIRE_TOTP, ['admin', 'officer']);
    assert.deepEqual(readEnvironment({ REQUIRE_TOTP: 'none' }).REQUIRE_TOTP, []);
  });

  it('refuses a kind that cannot enrol, or an empty value, naming the variable', () => {
    for (const value of ['admin,business', ' ']) {
      assert.throws(
        () => readEnvironment({ REQUIRE_TOTP: value }),
        (error: unknown) =>
          error instanceof AppError && error.field === 'REQUIRE_TOTP' && /REQUIRE_TOTP/.test(error.message),
      );
    }
  });
});

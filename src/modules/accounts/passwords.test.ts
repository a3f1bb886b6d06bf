import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../core/errors.ts';
import { checkNewPassword, generatePassword, hashPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('hashes with argon2id at 19 MiB, 2 passes, 1 lane, with a salt of its own each time', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    assert.match(first, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.notEqual(first, second);
    assert.equal(await verifyPassword(first, 'correct horse battery staple'), true);
    assert.equal(await verifyPassword(first, 'correct horse battery stapl'), false);
  });

  it('treats a malformed stored hash as a wrong password, not a crash', async () => {
    assert.equal(await verifyPassword('not a hash', 'anything'), false);
  });

  it('asks for at least 12 characters, counting Vietnamese letters as one each', () => {
    assert.throws(() => checkNewPassword('ngắn quá', 'a@b.vn'), AppError);
    assert.doesNotThrow(() => checkNewPassword('mật khẩu đủ dài', 'a@b.vn'));
  });

  it('refuses the e-mail address as the password', () => {
    assert.throws(() => checkNewPassword('officer@moit.gov.vn', 'Officer@moit.gov.vn'), /e-mail/);
  });

  it('generates 20-character passwords without look-alike characters', () => {
    const password = generatePassword();
    assert.equal(password.length, 20);
    assert.doesNotMatch(password, /[0O1lI]/);
    assert.notEqual(generatePassword(), password);
  });
});

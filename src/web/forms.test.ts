import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { fieldIssuesOfZod, requiredSecret } from '../core/validation.ts';
import { formView } from './forms.ts';

const t = (text: { vi: string; en: string }) => text.en;

describe('formView', () => {
  it('prefixes the ids of a form’s fields, keeping their names, so two forms of a page may share a field name', () => {
    const state = {
      values: {},
      issues: [{ field: 'current_password', message: { vi: 'Mật khẩu hiện tại không đúng.', en: 'Wrong.' } }],
    };
    const first = formView(t, state, { idPrefix: 'totp-' });
    const second = formView(t);
    const label = { vi: 'Mật khẩu hiện tại', en: 'Current password' };
    const hint = { vi: 'Gợi ý', en: 'Hint' };
    const one = String(first.text({ name: 'current_password', label, hint, type: 'password' }));
    const two = String(second.text({ name: 'current_password', label, type: 'password' }));
    assert.match(one, /<label for="totp-current_password">/);
    assert.match(one, /id="totp-current_password" name="current_password"/);
    assert.match(one, /aria-describedby="totp-current_password-hint totp-current_password-error"/);
    assert.match(one, /<p class="field-error" id="totp-current_password-error">Wrong\.<\/p>/);
    assert.match(String(first.summary()), /href="#totp-current_password"/);
    assert.match(two, /id="current_password" name="current_password"/);
    assert.doesNotMatch(two, /field-error/);
  });

  it('names the fieldset of choices with the prefix too', () => {
    const view = formView(t, { values: {}, issues: [] }, { idPrefix: 'token-' });
    const html = String(
      view.choices({
        name: 'scope',
        label: { vi: 'Phạm vi', en: 'Scopes' },
        multiple: true,
        choices: [{ value: 'check:read', label: { vi: 'check:read', en: 'check:read' } }],
      }),
    );
    assert.match(html, /<fieldset[^>]* id="token-scope"/);
    assert.match(html, /name="scope" value="check:read"/);
  });
});

describe('requiredSecret', () => {
  const schema = z.object({ password: requiredSecret(20) });

  it('keeps a password exactly as typed, spaces and all', () => {
    assert.deepEqual(schema.parse({ password: '  hai  từ ' }), { password: '  hai  từ ' });
  });

  it('calls a missing or empty one required, and a long one too long', () => {
    for (const input of [{}, { password: '' }]) {
      const result = schema.safeParse(input);
      assert.equal(result.success, false);
      assert.deepEqual(
        fieldIssuesOfZod(result.error?.issues ?? [], input).map((issue) => issue.message),
        [{ vi: 'Chưa điền mục này.', en: 'This is required.' }],
      );
    }
    const long = { password: 'x'.repeat(21) };
    const result = schema.safeParse(long);
    assert.deepEqual(fieldIssuesOfZod(result.error?.issues ?? [], long)[0]?.message, {
      vi: 'Tối đa 20 ký tự.',
      en: 'Use at most 20 characters.',
    });
  });
});

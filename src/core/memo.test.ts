import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundedMemo } from './memo.ts';

describe('boundedMemo', () => {
  it('computes a key once, undefined values included, and forgets all at the limit', () => {
    const calls: string[] = [];
    const lengthOf = boundedMemo(2, (key: string) => {
      calls.push(key);
      return key === '' ? undefined : key.length;
    });
    assert.equal(lengthOf('ab'), 2);
    assert.equal(lengthOf('ab'), 2);
    assert.equal(lengthOf(''), undefined);
    assert.equal(lengthOf(''), undefined);
    assert.deepEqual(calls, ['ab', '']);
    assert.equal(lengthOf('abc'), 3);
    assert.equal(lengthOf('ab'), 2);
    assert.deepEqual(calls, ['ab', '', 'abc', 'ab']);
  });
});

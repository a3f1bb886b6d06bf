import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalJson, GENESIS_HASH, hashAuditEvent } from './audit.ts';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('spells equal values the same whatever order their keys were written in', () => {
    assert.equal(canonicalJson({ x: 'Đã đăng ký', y: 2 }), canonicalJson({ y: 2, x: 'Đã đăng ký' }));
  });
});

describe('hashAuditEvent', () => {
  const event = {
    seq: 1,
    occurred_at: '2026-12-01T03:00:00.000Z',
    actor: 'user:1',
    request_id: null,
    ip: '203.0.113.5',
    action: 'account.created',
    entity_type: 'account',
    entity_id: '1',
    changes: { role: 'head' },
  };

  it('is SHA-256 of the previous hash followed by the canonical JSON of the event', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH + canonicalJson(event))
      .digest('hex');
    assert.equal(hashAuditEvent(GENESIS_HASH, event), expected);
  });

  it('changes when any field or the previous hash changes', () => {
    const base = hashAuditEvent(GENESIS_HASH, event);
    assert.notEqual(hashAuditEvent(GENESIS_HASH, { ...event, ip: '203.0.113.6' }), base);
    assert.notEqual(hashAuditEvent(GENESIS_HASH, { ...event, changes: { role: 'officer' } }), base);
    assert.notEqual(hashAuditEvent('f'.repeat(64), event), base);
  });
});

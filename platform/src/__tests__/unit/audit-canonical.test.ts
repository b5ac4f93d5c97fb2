import assert from 'node:assert/strict';
import { sm3 } from 'sm-crypto-v2';
import { GENESIS_HASH, MAC_FORM, auditTime, canonicalJson, chainHash, checkpointMessage, macOf, macSecret, storedTime } from '../../audit/canonical';

/** Pins the byte forms: a change here invalidates every stored MAC, seal and signature. */
describe('audit trail canonical forms', () => {
  const key = Buffer.alloc(32, 7);
  const fields = {
    at: '2026-11-26T08:30:00.123Z',
    actor: 'dr.wang',
    action: 'data.update',
    resource: 'data:person_basic',
    recordId: '0192f0a4-7c1e-7000-8000-000000000001',
    detail: { b: [1, 'x'], a: { 名: null } },
    clientIp: '192.0.2.7',
    outcome: 'ok',
  };
  const MAC = 'e60d58bdc544aea9f4699cc7e1310091434965326143e5033fce4d85e68b874d';

  it('MACs a JSON array with sorted keys, as HMAC-SM3', () => {
    const form = canonicalJson([MAC_FORM, fields.at, fields.actor, fields.action, fields.resource, fields.recordId, fields.detail, fields.clientIp, fields.outcome]);
    assert.equal(form, '["lingshu-audit/1","2026-11-26T08:30:00.123Z","dr.wang","data.update","data:person_basic","0192f0a4-7c1e-7000-8000-000000000001",{"a":{"名":null},"b":[1,"x"]},"192.0.2.7","ok"]');
    assert.equal(macOf(macSecret(key), fields), MAC);
    assert.equal(sm3(form, { key: key.toString('hex'), mode: 'hmac' }), MAC, 'an independent SM3 agrees');
  });

  it('ignores key order and undefined members, as jsonb does', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: undefined, c: [undefined, 2] } }), '{"a":{"c":[null,2]},"b":1}');
    assert.equal(macOf(macSecret(key), { ...fields, detail: { a: { 名: null }, b: [1, 'x'] } }), MAC);
  });

  it('chains SM3(prev ‖ mac ‖ seq as 8 bytes big-endian)', () => {
    const bytes = new Uint8Array([...Buffer.from(GENESIS_HASH, 'hex'), ...Buffer.from(MAC, 'hex'), 0, 0, 0, 0, 0, 0, 0, 1]);
    assert.equal(chainHash(GENESIS_HASH, MAC, 1), sm3(bytes));
    assert.equal(chainHash(GENESIS_HASH, MAC, 1), '54f4131fd0ae6c05385abb4f19a8643abc56e7a546858722ff0be72aa8743994');
  });

  it('signs "lingshu-audit/1 checkpoint <seq> <hash>"', () => {
    assert.equal(checkpointMessage(42, 'ab'.repeat(32)), `lingshu-audit/1 checkpoint 42 ${'ab'.repeat(32)}`);
  });

  it('stamps the same text as toISOString', () => {
    for (const ms of [0, 5, 50, 999, 1000, Date.UTC(2026, 10, 26, 23, 59, 59, 999), Date.UTC(2027, 0, 1), Date.now()]) {
      assert.equal(auditTime(ms), new Date(ms).toISOString());
    }
  });

  it('reads timestamps back exactly, and keeps sub-millisecond digits so that their MAC fails', () => {
    assert.equal(storedTime('2026-11-26T08:30:00.120000'), '2026-11-26T08:30:00.120Z');
    assert.equal(storedTime('2026-11-26T08:30:00.120001'), '2026-11-26T08:30:00.120001Z');
  });

  it('refuses a short MAC key', () => {
    assert.throws(() => macSecret(Buffer.alloc(8)), /at least 16 bytes/);
  });
});

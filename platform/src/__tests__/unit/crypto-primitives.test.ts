import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { HmacSm3, deriveKey, hmacSm3, sm3, sm3Hex, timingSafeEqualHex } from '../../security/crypto';
import { sm3 as sm3Of } from '../../security/crypto/hmac-sm3';

/** sm-crypto (an independent pure-JS implementation) as a reference; it ships no types. */
interface SmCryptoV1 {
  sm3(input: string | number[], options?: { key: string | number[] }): string;
  sm4: { encrypt(input: number[], key: string, options: { padding: 'none'; output: 'array' }): number[] };
}
const reference = require('sm-crypto') as SmCryptoV1;

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('crypto: SM3 and SM4 known answers', () => {
  const SM4_KEY = hex('0123456789abcdeffedcba9876543210');

  it('SM4 single block (GB/T 32907 A.1) through Node sm4-ecb, agreeing with sm-crypto', () => {
    const ecb = createCipheriv('sm4-ecb', SM4_KEY, null).setAutoPadding(false);
    const block = Buffer.concat([ecb.update(SM4_KEY), ecb.final()]);
    assert.equal(block.toString('hex'), '681edf34d206965e86b3e94f536e4246');
    const theirs = reference.sm4.encrypt([...SM4_KEY], SM4_KEY.toString('hex'), { padding: 'none', output: 'array' });
    assert.equal(Buffer.from(theirs).toString('hex'), block.toString('hex'));
  });

  it('SM4 encrypted 1,000,000 times (GB/T 32907 A.2)', function () {
    this.timeout(20_000);
    const ecb = createCipheriv('sm4-ecb', SM4_KEY, null).setAutoPadding(false);
    let block: Buffer = SM4_KEY;
    for (let i = 0; i < 1_000_000; i++) block = ecb.update(block);
    assert.equal(block.toString('hex'), '595298c7c6fd271f0402f804c33d3f66');
  });

  it('SM3("abc") (GB/T 32905 A.1)', () => {
    const expected = '66c7f0f4 62eeedd9 d1f2d46b dc10e4e2 4167c487 5cf2f7a2 297da02b 8f4ba8e0'.replace(/ /g, '');
    assert.equal(sm3Hex('abc'), expected);
    assert.equal(sm3(new TextEncoder().encode('abc')).toString('hex'), expected);
  });

  it('SM3 of the 512-bit "abcd"×16 (GB/T 32905 A.2)', () => {
    assert.equal(
      sm3Hex('abcd'.repeat(16)),
      'debe9ff9 2275b8a1 38604889 c18e5a4d 6fdb70e5 387e5765 293dcba3 9c0c5732'.replace(/ /g, ''),
    );
  });

  it('SM3 hashes strings as UTF-8', () => {
    assert.equal(sm3Hex('灵枢'), sm3Hex(Buffer.from('灵枢', 'utf8')));
    assert.equal(sm3Hex('灵枢'), reference.sm3('灵枢'));
  });

  it('HMAC-SM3 agrees with sm-crypto for short, block-sized and long keys', () => {
    for (const keyLength of [16, 32, 64, 100]) {
      const key = Buffer.from(Array.from({ length: keyLength }, (_, i) => (i * 7 + keyLength) & 0xff));
      for (const data of ['', 'abc', '健康档案'.repeat(40)]) {
        assert.equal(hmacSm3(key, data).toString('hex'), reference.sm3(data, { key: key.toString('hex') }), `key ${keyLength}`);
      }
    }
  });

  it('deriveKey is HMAC-SM3(key, label), truncated', () => {
    const key = Buffer.alloc(32, 1);
    assert.deepEqual(deriveKey(key, 'lingshu-enc', 16), hmacSm3(key, 'lingshu-enc').subarray(0, 16));
    assert.notDeepEqual(deriveKey(key, 'a'), deriveKey(key, 'b'));
    assert.throws(() => deriveKey(key, 'a', 33), RangeError);
  });

  it('timingSafeEqualHex compares case-insensitively and rejects other lengths', () => {
    assert.equal(timingSafeEqualHex('0aFF', '0aff'), true);
    assert.equal(timingSafeEqualHex('0aff', '0afe'), false);
    assert.equal(timingSafeEqualHex('0aff', '0aff00'), false);
    assert.equal(timingSafeEqualHex('', ''), true);
  });
});

describe('crypto: HmacSm3 (own SM3 compression for short messages)', () => {
  it('SM3("abc") and the 64-byte standard vector (GB/T 32905 A.1, A.2)', () => {
    assert.equal(sm3Of(Buffer.from('abc')).toString('hex'), '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    assert.equal(sm3Of(Buffer.from('abcd'.repeat(16))).toString('hex'), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('equals Node createHmac for keys of 0–100 bytes and messages of 0–200 bytes, in one part or split', () => {
    for (const keyLength of [0, 1, 16, 32, 63, 64, 65, 100]) {
      const key = randomBytes(keyLength);
      const mac = new HmacSm3(key);
      for (let n = 0; n <= 200; n++) {
        const message = randomBytes(n);
        const expected = createHmac('sm3', key).update(message).digest('hex');
        assert.equal(mac.digest(message).toString('hex'), expected, `key ${keyLength} B, message ${n} B`);
        const cut = n % 7;
        assert.equal(mac.digest(message.subarray(0, cut), Buffer.alloc(0), message.subarray(cut)).toString('hex'), expected, `split at ${cut}`);
      }
    }
  });

  it('agrees with sm-crypto\'s HMAC on a text message', () => {
    const key = randomBytes(32);
    const theirs = reference.sm3('510102199001011234', { key: key.toString('hex') });
    assert.equal(new HmacSm3(key).digest(Buffer.from('510102199001011234')).toString('hex'), theirs);
  });
});

import assert from 'node:assert/strict';
import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import { blindIndex, CryptoError, deriveBlindIndexKey, FieldCipher, keyIdOf } from '../../security/crypto';
import { Sm4Ctr } from '../../security/crypto/field-cipher';

interface SmCryptoV1 {
  sm4: { encrypt(input: number[], key: string, options: { padding: 'none'; output: 'array' }): number[] };
}
const reference = require('sm-crypto') as SmCryptoV1;

const ID_NUMBER = '11010519491231002X';
const AAD = 'person_basic.id_no';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

/** The documented derivation and layout, recomputed here without the library. */
function openByHand(token: string, dataKey: Buffer, aad = '') {
  const [version, keyId, encoded] = token.split('.');
  const sealed = Buffer.from(encoded, 'base64url');
  const iv = sealed.subarray(0, 16);
  const cipher = sealed.subarray(16, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  const encKey = createHmac('sm3', dataKey).update('lingshu-enc').digest().subarray(0, 16);
  const macKey = createHmac('sm3', dataKey).update('lingshu-mac').digest();
  const aadLength = Buffer.alloc(4);
  aadLength.writeUInt32BE(Buffer.byteLength(aad));
  const expectedTag = createHmac('sm3', macKey)
    .update(`${version}.${keyId}.`)
    .update(iv)
    .update(cipher)
    .update(aad)
    .update(aadLength)
    .digest()
    .subarray(0, 16);
  return { version, keyId, iv, cipher, tag, encKey, expectedTag };
}

function expectCryptoError(work: () => unknown, what: string) {
  assert.throws(work, (err: unknown) => err instanceof CryptoError, what);
}

describe('crypto: FieldCipher', () => {
  const dataKey = randomBytes(32);
  const cipher = new FieldCipher('k1', dataKey);

  it('round-trips Chinese, empty, long and astral text', () => {
    for (const plain of ['张三', '', ID_NUMBER, '北京市朝阳区'.repeat(20_000), '𠀀𝄞 emoji 🙂', 'a.b.c']) {
      assert.equal(cipher.decrypt(cipher.encrypt(plain)), plain);
      assert.equal(cipher.decrypt(cipher.encrypt(plain, AAD), AAD), plain);
    }
  });

  it('writes v1.<keyId>.<base64url(iv ‖ ciphertext ‖ 16-byte tag)>', () => {
    const token = cipher.encrypt(ID_NUMBER, AAD);
    assert.match(token, /^v1\.k1\.[A-Za-z0-9_-]+$/);
    assert.equal(Buffer.from(token.split('.')[2], 'base64url').length, 16 + ID_NUMBER.length + 16);
    assert.equal(token.length, 'v1.k1.'.length + 67);
    assert.equal(keyIdOf(token), 'k1');
    assert.equal(FieldCipher.keyIdOf(token), 'k1');
  });

  it('uses a fresh IV every time', () => {
    const tokens = new Set(Array.from({ length: 200 }, () => cipher.encrypt(ID_NUMBER)));
    assert.equal(tokens.size, 200);
    const ivs = new Set([...tokens].map(t => Buffer.from(t.split('.')[2], 'base64url').subarray(0, 16).toString('hex')));
    assert.equal(ivs.size, 200);
  });

  it('produces what Node sm4-ctr and HMAC-SM3 produce under the documented derivation', () => {
    const plain = '身份证 ' + ID_NUMBER + ' 住址 北京市朝阳区';
    const token = cipher.encrypt(plain, AAD);
    const parts = openByHand(token, dataKey, AAD);
    const expected = createCipheriv('sm4-ctr', parts.encKey, parts.iv).update(plain, 'utf8');
    assert.deepEqual(parts.cipher, expected);
    assert.deepEqual(parts.tag, parts.expectedTag);
    // The first keystream block again, from sm-crypto's SM4 (independent of OpenSSL).
    const block0 = reference.sm4.encrypt([...parts.iv], parts.encKey.toString('hex'), { padding: 'none', output: 'array' });
    const first = Buffer.from(plain, 'utf8').subarray(0, 16).map((b, i) => b ^ block0[i]);
    assert.deepEqual(parts.cipher.subarray(0, 16), Buffer.from(first));
  });

  it('Sm4Ctr matches Node sm4-ctr across block boundaries and counter carries', () => {
    const key = randomBytes(16);
    const ctr = new Sm4Ctr(key);
    const ivs = ['ffffffffffffffffffffffffffffffff', '0000000000000000fffffffffffffffe', '00000000000000000000000000000000'];
    for (const ivHex of [...ivs, randomBytes(16).toString('hex')]) {
      const iv = Buffer.from(ivHex, 'hex');
      for (const length of [0, 1, 15, 16, 17, 33, 100]) {
        const input = randomBytes(length);
        const output = Buffer.alloc(length);
        ctr.apply(iv, input, output);
        assert.deepEqual(output, createCipheriv('sm4-ctr', key, iv).update(input), `${ivHex} × ${length}`);
      }
    }
  });

  it('rejects a token with any single character changed', () => {
    const token = cipher.encrypt(ID_NUMBER, AAD);
    for (let i = 0; i < token.length; i++) {
      const replacement = ALPHABET[(ALPHABET.indexOf(token[i]) + 1) % ALPHABET.length];
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      expectCryptoError(() => cipher.decrypt(tampered, AAD), `position ${i}`);
    }
  });

  it('rejects truncated, extended and non-token input', () => {
    const token = cipher.encrypt(ID_NUMBER);
    for (const bad of [token.slice(0, -1), `${token}A`, `${token}=`, token.slice(0, 20), 'v1.k1.', 'v1.k1.AAAA', '', 'plain text', `v2${token.slice(2)}`]) {
      expectCryptoError(() => cipher.decrypt(bad), bad);
    }
    expectCryptoError(() => keyIdOf('11010519491231002X'), 'not a token');
  });

  it('rejects the wrong associated data', () => {
    const token = cipher.encrypt(ID_NUMBER, AAD);
    expectCryptoError(() => cipher.decrypt(token), 'missing aad');
    expectCryptoError(() => cipher.decrypt(token, 'person_basic.phone'), 'other column');
    expectCryptoError(() => cipher.decrypt(cipher.encrypt(ID_NUMBER), AAD), 'aad added');
  });

  it('rejects the wrong key and names the key ids when they differ', () => {
    const token = cipher.encrypt(ID_NUMBER);
    expectCryptoError(() => new FieldCipher('k1', randomBytes(32)).decrypt(token), 'other key, same id');
    assert.throws(() => new FieldCipher('k2', dataKey).decrypt(token), /under key k1, this cipher holds key k2/);
  });

  it('validates key ids and data key length', () => {
    for (const id of ['', 'a.b', 'x'.repeat(41), 'spaced id']) expectCryptoError(() => new FieldCipher(id, dataKey), id);
    expectCryptoError(() => new FieldCipher('k1', randomBytes(16)), 'short key');
  });
});

describe('crypto: blind index', () => {
  const key = deriveBlindIndexKey(randomBytes(32));

  it('is equal for an ID number with x or X, full-width or padded', () => {
    const index = blindIndex(key, '11010519491231002X');
    assert.match(index, /^[0-9a-f]{32}$/);
    assert.equal(blindIndex(key, '11010519491231002x'), index);
    assert.equal(blindIndex(key, ' 11010519491231002x\n'), index);
    assert.equal(blindIndex(key, '１１０１０５１９４９１２３１００２ｘ'), index);
    assert.notEqual(blindIndex(key, '110105194912310021'), index);
  });

  it('is HMAC-SM3 of the normalized value, truncated to 128 bits', () => {
    assert.equal(blindIndex(key, ' abc '), createHmac('sm3', key).update('ABC').digest('hex').slice(0, 32));
  });

  it('differs across keys and derives its key apart from the data key', () => {
    const dataKey = randomBytes(32);
    const other = deriveBlindIndexKey(randomBytes(32));
    assert.notEqual(blindIndex(key, ID_NUMBER), blindIndex(other, ID_NUMBER));
    assert.deepEqual(deriveBlindIndexKey(dataKey), createHmac('sm3', dataKey).update('lingshu-blind').digest());
  });

  it('takes a custom normalization', () => {
    const digitsOnly = (s: string) => s.replace(/\D/g, '');
    assert.equal(blindIndex(key, '138-0013-8000', digitsOnly), blindIndex(key, '13800138000', digitsOnly));
    assert.notEqual(blindIndex(key, 'ab', s => s), blindIndex(key, 'AB', s => s));
  });
});

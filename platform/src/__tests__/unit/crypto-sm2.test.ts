import assert from 'node:assert/strict';
import {
  CryptoError,
  generateSm2KeyPair,
  sm2Decrypt,
  sm2Encrypt,
  sm2Sign,
  sm2Signer,
  sm2Verify,
} from '../../security/crypto';

/** sm-crypto: an independent implementation (jsbn), slow (~40 signatures/s): a handful of calls only. */
interface SmCryptoV1 {
  sm2: {
    doSignature(msg: string | number[], privateKey: string, options: { hash: true; userId?: string }): string;
    doVerifySignature(msg: string | number[], sig: string, publicKey: string, options: { hash: true; userId?: string }): boolean;
    doEncrypt(msg: string, publicKey: string, cipherMode: 1): string;
    doDecrypt(cipher: string, privateKey: string, cipherMode: 1): string;
  };
}
const reference = require('sm-crypto') as SmCryptoV1;

const N = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
const flipHex = (s: string, at: number) => s.slice(0, at) + (s[at] === '0' ? '1' : '0') + s.slice(at + 1);

describe('crypto: SM2', function () {
  this.timeout(20_000);
  const keys = generateSm2KeyPair();
  const message = '患者 张三 身份证号 11010519491231002X 的体检报告';

  it('generates uncompressed hex key pairs', () => {
    assert.match(keys.publicKey, /^04[0-9a-f]{128}$/);
    assert.match(keys.privateKey, /^[0-9a-f]{64}$/);
    assert.notEqual(generateSm2KeyPair().privateKey, keys.privateKey);
  });

  it('verifies a published example on the recommended curve (message "message digest", default id)', () => {
    const publicKey =
      '04' +
      '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020' +
      'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13';
    const signature =
      'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3' +
      'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa';
    assert.equal(sm2Verify('message digest', signature, publicKey), true);
    assert.equal(reference.sm2.doVerifySignature('message digest', signature, publicKey, { hash: true }), true);
    assert.equal(sm2Verify('message digesT', signature, publicKey), false);
  });

  it('signs what sm-crypto verifies (SM3 with Z, default user id)', () => {
    const signature = sm2Sign(message, keys.privateKey);
    assert.match(signature, /^[0-9a-f]{128}$/);
    assert.equal(reference.sm2.doVerifySignature(message, signature, keys.publicKey, { hash: true }), true);
    assert.equal(sm2Verify(message, signature, keys.publicKey), true);
  });

  it('verifies what sm-crypto signs, and rejects it once altered', () => {
    const signature = reference.sm2.doSignature(message, keys.privateKey, { hash: true });
    assert.equal(sm2Verify(message, signature, keys.publicKey), true);
    assert.equal(sm2Verify(`${message} `, signature, keys.publicKey), false);
    assert.equal(sm2Verify(message, flipHex(signature, 70), keys.publicKey), false);
  });

  it('agrees with sm-crypto on byte messages and a custom user id', () => {
    const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
    const userId = 'lingshu@hospital.example';
    const signature = sm2Sign(bytes, keys.privateKey, { userId, publicKey: keys.publicKey });
    assert.equal(reference.sm2.doVerifySignature([...bytes], signature, keys.publicKey, { hash: true, userId }), true);
    assert.equal(sm2Verify(bytes, signature, keys.publicKey, { userId }), true);
    assert.equal(sm2Verify(bytes, signature, keys.publicKey), false, 'the user id is part of the signed digest');
  });

  it('encrypts for sm-crypto and decrypts what sm-crypto encrypts (C1C3C2)', () => {
    const ours = sm2Encrypt(message, keys.publicKey);
    assert.equal(reference.sm2.doDecrypt(ours, keys.privateKey, 1), message);
    const theirs = reference.sm2.doEncrypt(message, keys.publicKey, 1);
    assert.equal(sm2Decrypt(theirs, keys.privateKey), message);
  });

  it('round-trips empty and long plaintexts with fresh randomness', () => {
    assert.equal(sm2Decrypt(sm2Encrypt('', keys.publicKey), keys.privateKey), '');
    const long = '电子病历'.repeat(2000);
    assert.equal(sm2Decrypt(sm2Encrypt(long, keys.publicKey), keys.privateKey), long);
    assert.notEqual(sm2Encrypt('x', keys.publicKey), sm2Encrypt('x', keys.publicKey));
  });

  it('refuses tampered ciphertext, the wrong key and malformed input with CryptoError', () => {
    const cipher = sm2Encrypt(message, keys.publicKey);
    const other = generateSm2KeyPair();
    const cases = [
      flipHex(cipher, cipher.length - 1), // C2
      flipHex(cipher, 10), // C1
      flipHex(cipher, 140), // C3
      cipher.slice(0, -2),
      'zz' + cipher.slice(2),
      cipher.slice(0, 100),
      '',
    ];
    for (const bad of cases) assert.throws(() => sm2Decrypt(bad, keys.privateKey), CryptoError);
    assert.throws(() => sm2Decrypt(cipher, other.privateKey), CryptoError);
    assert.throws(() => sm2Decrypt(cipher, 'nothex'), CryptoError);
    const emptyCipher = sm2Encrypt('', keys.publicKey);
    assert.throws(() => sm2Decrypt(flipHex(emptyCipher, 150), keys.privateKey), CryptoError);
  });

  it('verification returns false, never throws, on malformed input', () => {
    const signature = sm2Sign(message, keys.privateKey);
    const malformed: [string, string][] = [
      ['', keys.publicKey],
      ['zz'.repeat(64), keys.publicKey],
      [signature.slice(0, 127), keys.publicKey],
      [signature + '00', keys.publicKey],
      ['0'.repeat(64) + signature.slice(64), keys.publicKey], // r = 0
      [signature.slice(0, 64) + N, keys.publicKey], // s = n
      [signature, generateSm2KeyPair().publicKey],
      [signature, 'nothex'],
      [signature, '04' + '00'.repeat(64)], // not on the curve
      [signature, keys.publicKey.slice(2)],
    ];
    for (const [sig, publicKey] of malformed) assert.equal(sm2Verify(message, sig, publicKey), false, `${sig} / ${publicKey}`);
    const asAny = sm2Verify as (...args: unknown[]) => boolean;
    assert.equal(asAny(message, undefined, keys.publicKey), false);
    assert.equal(asAny(message, signature, null), false);
  });

  it('accepts the compressed form of the same public key', () => {
    const signature = sm2Sign(message, keys.privateKey);
    const y = BigInt(`0x${keys.publicKey.slice(66)}`);
    const compressed = (y % 2n === 0n ? '02' : '03') + keys.publicKey.slice(2, 66);
    assert.equal(sm2Verify(message, signature, compressed), true);
  });

  it('a Signer signs and verifies with its pair and refuses a mismatched pair', () => {
    const signer = sm2Signer(keys);
    assert.equal(signer.publicKey, keys.publicKey);
    const signature = signer.sign('audit entry 1');
    assert.equal(signer.verify('audit entry 1', signature), true);
    assert.equal(signer.verify('audit entry 2', signature), false);
    assert.equal(sm2Verify('audit entry 1', signature, keys.publicKey), true);
    assert.throws(() => sm2Signer({ publicKey: generateSm2KeyPair().publicKey, privateKey: keys.privateKey }), CryptoError);
  });

  it('rejects malformed and out-of-range private keys', () => {
    assert.throws(() => sm2Sign(message, 'abc'), CryptoError);
    assert.throws(() => sm2Sign(message, '0'.repeat(64)), CryptoError);
    assert.throws(() => sm2Sign(message, N), CryptoError);
  });
});

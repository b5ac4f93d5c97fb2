/**
 * `node test/dist/bench/crypto.js`: throughput of the SM crypto library on one core, one JSON
 * line per case. sm-crypto (pure JS, ~40 signatures/s) is the SM2 baseline, so it runs briefly.
 */
import { randomBytes } from 'node:crypto';
import {
  BlindIndexer,
  deriveBlindIndexKey,
  FieldCipher,
  generateSm2KeyPair,
  sm2Signer,
} from '@lingshu/platform/dist/security/crypto';

interface SmCryptoV1 {
  sm2: { doSignature(msg: string, privateKey: string, options: { hash: true; publicKey: string }): string };
}
const smCrypto = require('sm-crypto') as SmCryptoV1;

const SECONDS = Number(process.env.LINGSHU_BENCH_CRYPTO_SECONDS ?? 2);
const ID_NUMBER = '11010519491231002X';
const AAD = 'person_basic.id_no';
const MESSAGE = '{"seq":1024,"actor":"dr.zhang","action":"read","resource":"person_basic/42"}';

const emit = (line: Record<string, unknown>) => console.log(JSON.stringify(line));

/** Runs `op` in batches for about `seconds` after a short warm-up; returns operations per second. */
function measure(op: () => unknown, seconds = SECONDS, batch = 1000): number {
  const warmUntil = performance.now() + Math.min(200, seconds * 100);
  while (performance.now() < warmUntil) op();
  const started = performance.now();
  const until = started + seconds * 1000;
  let ops = 0;
  while (performance.now() < until) {
    for (let i = 0; i < batch; i++) op();
    ops += batch;
  }
  return Math.round((ops * 1000) / (performance.now() - started));
}

function main() {
  const dataKey = randomBytes(32);
  const cipher = new FieldCipher('bench', dataKey);
  const token = cipher.encrypt(ID_NUMBER, AAD);
  emit({ name: 'sm4-field-encrypt', opsPerSec: measure(() => cipher.encrypt(ID_NUMBER, AAD)), target: '≥ 100000' });
  emit({ name: 'sm4-field-decrypt', opsPerSec: measure(() => cipher.decrypt(token, AAD)), target: '≥ 100000' });
  const indexKey = deriveBlindIndexKey(dataKey);
  // As the runtime does it: one indexer per key (FieldProtector.index).
  const indexer = new BlindIndexer(indexKey);
  emit({ name: 'blind-index', opsPerSec: measure(() => indexer.index(ID_NUMBER)), target: '≥ 100000' });

  const keys = generateSm2KeyPair();
  const signer = sm2Signer(keys);
  const signature = signer.sign(MESSAGE);
  const ours = measure(() => signer.sign(MESSAGE), SECONDS, 50);
  emit({ name: 'sm2-sign', opsPerSec: ours, target: '≥ 1000' });
  emit({ name: 'sm2-verify', opsPerSec: measure(() => signer.verify(MESSAGE, signature), SECONDS, 50), target: '≥ 1000' });
  const baseline = measure(() => smCrypto.sm2.doSignature(MESSAGE, keys.privateKey, { hash: true, publicKey: keys.publicKey }), 1, 5);
  emit({ name: 'sm2-sign-sm-crypto', opsPerSec: baseline, ratio: Math.round((ours / baseline) * 10) / 10 });
}

main();

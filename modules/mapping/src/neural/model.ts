/**
 * A sentence-embedding model in ONNX format run by onnxruntime-node (loaded only when a model is
 * opened, so nothing loads the native library unless a model is configured). Feeds the inputs the
 * model declares (input_ids, attention_mask, token_type_ids; int64), takes `sentence_embedding`
 * when the model outputs it, else mean-pools `last_hidden_state` (or `token_embeddings`) over the
 * attention mask, and L2-normalises. Texts are embedded in batches; an LRU cache keeps recent
 * embeddings (vocabulary names recur across queries).
 */
import { createHash, getHashes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as OrtTypes from 'onnxruntime-node';
import { WordPieceTokenizer } from './tokenizer';

type Ort = typeof OrtTypes;
type Session = OrtTypes.InferenceSession;

/** Which setting a model error is about: the model file, its vocabulary or the token limit. */
export type NeuralSetting = 'model' | 'vocab' | 'maxTokens';

/** A model that cannot be used, naming the setting at fault (no stack trace needed to act on it). */
export class NeuralModelError extends Error {
  constructor(readonly setting: NeuralSetting, message: string) {
    super(message);
    this.name = 'NeuralModelError';
  }
}

export interface SentenceModelOptions {
  /** Path of model.onnx. */
  model: string;
  /** Path of vocab.txt (default: vocab.txt beside the model). */
  vocab?: string;
  /** Longest input in tokens, [CLS] and [SEP] included (default 64; names are short). */
  maxTokens?: number;
  /** Texts per session run (default 32). */
  batchSize?: number;
  /** Embeddings kept in the LRU cache (default 20,000). */
  cacheSize?: number;
  /** Intra-op threads for onnxruntime (default 1: the server shares its cores). */
  threads?: number;
  lowerCase?: boolean;
}

export interface SentenceModelInfo {
  /** The model's file name (not its path). */
  file: string;
  /** Hash of the model file: `sm3:<hex>` (or `sha256:<hex>` where OpenSSL has no SM3). */
  hash: string;
  bytes: number;
  dimensions: number;
  inputs: string[];
  /** The output used and how: `sentence_embedding`, or `last_hidden_state (mean-pooled)`. */
  output: string;
  maxTokens: number;
  vocabulary: { file: string; tokens: number };
}

const INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
const POOLED = 'sentence_embedding';
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

/** Hashes a file in chunks (SM3 where available). */
export async function hashFile(file: string): Promise<string> {
  const algorithm = getHashes().includes('sm3') ? 'sm3' : 'sha256';
  const h = createHash(algorithm);
  await new Promise<void>((resolve, reject) => {
    fs.createReadStream(file).on('data', chunk => h.update(chunk)).on('end', resolve).on('error', reject);
  });
  return `${algorithm}:${h.digest('hex')}`;
}

/** A small LRU map: reads move an entry to the young end. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;
  constructor(readonly capacity: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.map.delete(key);
    this.map.set(key, v);
    return v;
  }
  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
  get size(): number {
    return this.map.size;
  }
}

export class OnnxSentenceModel {
  readonly cache: LruCache<string, Float32Array>;
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly tokenizer: WordPieceTokenizer,
    readonly info: SentenceModelInfo,
    private readonly feeds: ReadonlyArray<(typeof INPUTS)[number]>,
    private readonly outputName: string,
    private readonly batchSize: number,
    cacheSize: number,
  ) {
    this.cache = new LruCache(cacheSize);
  }

  /**
   * Opens and checks a model: the files exist, the vocabulary has the special tokens, the session
   * loads, its inputs and outputs are the expected ones and one probe text runs. Every failure is
   * a NeuralModelError naming the setting.
   */
  static async open(options: SentenceModelOptions): Promise<OnnxSentenceModel> {
    const modelFile = path.resolve(options.model);
    const vocabFile = path.resolve(options.vocab ?? path.join(path.dirname(modelFile), 'vocab.txt'));
    const maxTokens = options.maxTokens ?? 64;
    if (!Number.isInteger(maxTokens) || maxTokens < 3 || maxTokens > 4096) throw new NeuralModelError('maxTokens', `must be a whole number from 3 to 4096, not ${options.maxTokens}`);
    const stat = fileStat(modelFile);
    if (!stat) throw new NeuralModelError('model', `no file ${modelFile}`);
    if (!fileStat(vocabFile)) throw new NeuralModelError('vocab', `no file ${vocabFile}${options.vocab ? '' : ' (the default: vocab.txt beside the model)'}`);
    let tokenizer: WordPieceTokenizer;
    try {
      tokenizer = WordPieceTokenizer.fromFile(vocabFile, { lowerCase: options.lowerCase });
    } catch (err) {
      throw new NeuralModelError('vocab', `${vocabFile}: ${firstLine(err)}`);
    }
    const ort: Ort = await import('onnxruntime-node');
    let session: Session;
    try {
      session = await ort.InferenceSession.create(modelFile, {
        intraOpNumThreads: options.threads ?? 1,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
    } catch (err) {
      throw new NeuralModelError('model', `${modelFile} is not a model onnxruntime can load: ${firstLine(err)}`);
    }
    const fail = async (message: string): Promise<never> => {
      await session.release().catch(() => undefined);
      throw new NeuralModelError('model', `${path.basename(modelFile)} ${message}`);
    };
    const inputs = [...session.inputNames];
    const feeds = INPUTS.filter(i => inputs.includes(i));
    if (!inputs.includes('input_ids')) await fail(`has no input_ids input (its inputs: ${inputs.join(', ') || 'none'})`);
    const unknown = inputs.filter(i => !(INPUTS as readonly string[]).includes(i));
    if (unknown.length) await fail(`needs inputs this stage cannot feed: ${unknown.join(', ')} (supported: ${INPUTS.join(', ')})`);
    const outputs = [...session.outputNames];
    const pooled = outputs.includes(POOLED);
    const tokenOutput = TOKEN_OUTPUTS.find(o => outputs.includes(o));
    if (!pooled && !tokenOutput) await fail(`outputs neither ${POOLED} nor ${TOKEN_OUTPUTS.join(' nor ')} (its outputs: ${outputs.join(', ') || 'none'})`);
    const info: SentenceModelInfo = {
      file: path.basename(modelFile),
      hash: await hashFile(modelFile),
      bytes: stat.size,
      dimensions: 0,
      inputs: [...feeds],
      output: pooled ? POOLED : `${tokenOutput} (mean-pooled)`,
      maxTokens,
      vocabulary: { file: path.basename(vocabFile), tokens: tokenizer.size },
    };
    const model = new OnnxSentenceModel(ort, session, tokenizer, info, feeds, pooled ? POOLED : tokenOutput!, options.batchSize ?? 32, options.cacheSize ?? 20_000);
    try {
      const [probe] = await model.run(['高血压 probe']);
      if (!probe.length || probe.some(x => !Number.isFinite(x))) await fail('gave no usable embedding for a probe text');
      info.dimensions = probe.length;
    } catch (err) {
      if (err instanceof NeuralModelError) throw err;
      await fail(`fails on a probe text: ${firstLine(err)}`);
    }
    return model;
  }

  /** L2-normalised embeddings, from the cache where possible. */
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Array<Float32Array | undefined> = texts.map(t => this.cache.get(t));
    const todo = [...new Set(texts.filter((_t, i) => !out[i]))];
    if (todo.length) {
      const vectors = await this.run(todo);
      const byText = new Map(todo.map((t, i) => [t, vectors[i]]));
      for (const [t, v] of byText) this.cache.set(t, v);
      texts.forEach((t, i) => (out[i] ??= byText.get(t)));
    }
    return out as Float32Array[];
  }

  /** Embeds without the cache: texts sorted by length (less padding), run in batches. */
  async run(texts: readonly string[]): Promise<Float32Array[]> {
    const enc = texts.map(t => this.tokenizer.encode(t, this.info.maxTokens).ids);
    const order = enc.map((_e, i) => i).sort((a, b) => enc[a].length - enc[b].length);
    const result = new Array<Float32Array>(texts.length);
    for (let b = 0; b < order.length; b += this.batchSize) {
      const idx = order.slice(b, b + this.batchSize);
      const vectors = await this.runBatch(idx.map(i => enc[i]));
      idx.forEach((i, j) => (result[i] = vectors[j]));
    }
    return result;
  }

  private async runBatch(batch: number[][]): Promise<Float32Array[]> {
    const { Tensor } = this.ort;
    const n = batch.length;
    const seq = Math.max(...batch.map(b => b.length));
    const ids = new BigInt64Array(n * seq).fill(BigInt(this.tokenizer.padId));
    const mask = new BigInt64Array(n * seq);
    batch.forEach((row, r) => row.forEach((id, c) => {
      ids[r * seq + c] = BigInt(id);
      mask[r * seq + c] = 1n;
    }));
    const all: Record<string, OrtTypes.Tensor> = {
      input_ids: new Tensor('int64', ids, [n, seq]),
      attention_mask: new Tensor('int64', mask, [n, seq]),
      token_type_ids: new Tensor('int64', new BigInt64Array(n * seq), [n, seq]),
    };
    const feeds = Object.fromEntries(this.feeds.map(f => [f, all[f]]));
    const output = (await this.session.run(feeds, [this.outputName]))[this.outputName];
    const data = output.data as Float32Array;
    const dims = output.dims;
    const vectors: Float32Array[] = [];
    if (this.outputName === POOLED) {
      if (dims.length !== 2 || dims[0] !== n) throw new Error(`${POOLED} has shape [${dims.join(', ')}], expected [${n}, D]`);
      const d = Number(dims[1]);
      for (let r = 0; r < n; r++) vectors.push(normalise(Float32Array.from(data.subarray(r * d, (r + 1) * d))));
      return vectors;
    }
    if (dims.length !== 3 || dims[0] !== n || dims[1] !== seq) throw new Error(`${this.outputName} has shape [${dims.join(', ')}], expected [${n}, ${seq}, D]`);
    const d = Number(dims[2]);
    for (let r = 0; r < n; r++) {
      const v = new Float32Array(d);
      let count = 0;
      for (let c = 0; c < seq; c++) {
        if (mask[r * seq + c] === 0n) continue;
        count++;
        const base = (r * seq + c) * d;
        for (let k = 0; k < d; k++) v[k] += data[base + k];
      }
      for (let k = 0; k < d; k++) v[k] /= Math.max(count, 1);
      vectors.push(normalise(v));
    }
    return vectors;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}

/** L2-normalises in place (a zero vector stays zero). */
export function normalise(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

/** Dot product (the cosine of two normalised vectors). */
export function dot(a: Float32Array, b: Float32Array, offset = 0): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[offset + i];
  return s;
}

function fileStat(file: string): fs.Stats | undefined {
  try {
    const s = fs.statSync(file);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
}

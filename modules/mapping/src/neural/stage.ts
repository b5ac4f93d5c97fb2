/**
 * The neural-similarity stage on an ONNX sentence model: the cosine of the entry with each
 * candidate name (re-ranking), and recall of the vocabulary names nearest to the entry (candidates
 * the lexical stages missed). A vocabulary's name vectors are computed once per vocabulary version
 * in the background and kept in a file keyed by the model's hash and the vocabulary's digest; until
 * they are ready, recall adds nothing and queries never wait for them.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NeuralStage } from '../suggest';
import type { Term } from '../vocabulary-import';
import { dot, OnnxSentenceModel, type SentenceModelInfo, type SentenceModelOptions } from './model';

export interface NeuralStageOptions {
  /** Folder for the vocabulary name vectors (none: kept in memory only). */
  cacheDir?: string;
  /** Names embedded per step while preparing a vocabulary (default 256); the event loop runs in between. */
  prepareChunk?: number;
}

interface Prepared {
  id: string;
  terms: readonly Term[];
  digest: string;
  state: 'computing' | 'ready' | 'failed';
  source?: 'file' | 'computed';
  vectors?: Float32Array;
  error?: string;
  ms?: number;
  promise: Promise<void>;
}

export interface NeuralStageStatus {
  model: SentenceModelInfo;
  cache: { entries: number; hits: number; misses: number };
  vocabularies: Array<{ id: string; terms: number; digest: string; state: Prepared['state']; source?: Prepared['source']; ms?: number; error?: string }>;
}

/** A vocabulary's version for the vector file: a digest of its codes and names. */
export function vocabularyDigest(terms: readonly Term[]): string {
  const h = createHash('sha256');
  for (const t of terms) h.update(`${t.code}\t${t.name}\n`);
  return h.digest('hex').slice(0, 16);
}

export class OnnxNeuralStage implements NeuralStage {
  private readonly prepared = new WeakMap<readonly Term[], Prepared>();
  private readonly byId = new Map<string, Prepared>();
  private readonly cacheDir?: string;
  private readonly chunk: number;

  constructor(readonly model: OnnxSentenceModel, options: NeuralStageOptions = {}) {
    this.cacheDir = options.cacheDir;
    this.chunk = options.prepareChunk ?? 256;
  }

  /** Opens the model (see OnnxSentenceModel.open for the checks) and builds the stage. */
  static async open(options: SentenceModelOptions & NeuralStageOptions): Promise<OnnxNeuralStage> {
    return new OnnxNeuralStage(await OnnxSentenceModel.open(options), options);
  }

  async similarity(query: string, names: readonly string[]): Promise<number[]> {
    if (names.length === 0) return [];
    const [q, ...vectors] = await this.model.embed([query, ...names]);
    return vectors.map(v => Math.max(0, Math.min(1, dot(q, v))));
  }

  /**
   * The `k` vocabulary names nearest to the query. Starts preparing the vocabulary's vectors when
   * they are not there yet and answers nothing until they are.
   */
  async nearest(query: string, vocabulary: { id: string; terms: readonly Term[] }, k: number): Promise<Array<{ code: string; similarity: number }>> {
    const p = this.prepare(vocabulary);
    if (p.state !== 'ready' || !p.vectors || k <= 0) return [];
    const [q] = await this.model.embed([query]);
    const d = q.length;
    const n = p.terms.length;
    // Top-k by insertion into a small sorted list (k ≪ n).
    const top: Array<[number, number]> = [];
    for (let i = 0; i < n; i++) {
      const s = dot(q, p.vectors, i * d);
      if (top.length < k) {
        top.push([i, s]);
        top.sort((a, b) => b[1] - a[1]);
      } else if (s > top[k - 1][1]) {
        top[k - 1] = [i, s];
        top.sort((a, b) => b[1] - a[1]);
      }
    }
    return top.map(([i, s]) => ({ code: p.terms[i].code, similarity: Math.max(0, Math.min(1, s)) }));
  }

  /** Prepares (or returns) a vocabulary's name vectors; `await stage.prepare(v).promise` waits for them. */
  prepare(vocabulary: { id: string; terms: readonly Term[] }): Prepared {
    const known = this.prepared.get(vocabulary.terms);
    if (known) return known;
    const p: Prepared = { id: vocabulary.id, terms: vocabulary.terms, digest: vocabularyDigest(vocabulary.terms), state: 'computing', promise: Promise.resolve() };
    p.promise = this.compute(p).then(
      () => undefined,
      err => {
        p.state = 'failed';
        p.error = String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300);
      },
    );
    this.prepared.set(vocabulary.terms, p);
    this.byId.set(vocabulary.id, p);
    return p;
  }

  private file(p: Prepared): string | undefined {
    if (!this.cacheDir) return undefined;
    const model = this.model.info.hash.replace(/^[a-z0-9]+:/, '').slice(0, 16);
    const safe = p.id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
    return path.join(this.cacheDir, `${safe}-${p.digest}-${model}-${this.model.info.maxTokens}.f32`);
  }

  private async compute(p: Prepared): Promise<void> {
    const t0 = Date.now();
    const d = this.model.info.dimensions;
    const file = this.file(p);
    const bytes = p.terms.length * d * 4;
    if (file && fs.existsSync(file) && fs.statSync(file).size === bytes) {
      const buf = await fs.promises.readFile(file);
      p.vectors = buf.byteOffset % 4 === 0 ? new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4) : new Float32Array(new Uint8Array(buf).buffer);
      p.source = 'file';
    } else {
      const vectors = new Float32Array(p.terms.length * d);
      for (let i = 0; i < p.terms.length; i += this.chunk) {
        const part = await this.model.run(p.terms.slice(i, i + this.chunk).map(t => t.name));
        part.forEach((v, j) => vectors.set(v, (i + j) * d));
        await new Promise<void>(resolve => setImmediate(resolve));
      }
      p.vectors = vectors;
      p.source = 'computed';
      if (file) {
        await fs.promises.mkdir(path.dirname(file), { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        await fs.promises.writeFile(tmp, Buffer.from(vectors.buffer, vectors.byteOffset, vectors.byteLength));
        await fs.promises.rename(tmp, file);
      }
    }
    p.ms = Date.now() - t0;
    p.state = 'ready';
  }

  status(): NeuralStageStatus {
    return {
      model: { ...this.model.info },
      cache: { entries: this.model.cache.size, hits: this.model.cache.hits, misses: this.model.cache.misses },
      vocabularies: [...this.byId.values()].map(p => ({
        id: p.id, terms: p.terms.length, digest: p.digest, state: p.state,
        ...(p.source ? { source: p.source } : {}), ...(p.ms !== undefined ? { ms: p.ms } : {}), ...(p.error ? { error: p.error } : {}),
      })),
    };
  }

  close(): Promise<void> {
    return this.model.close();
  }
}

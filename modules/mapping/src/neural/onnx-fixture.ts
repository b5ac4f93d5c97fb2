/**
 * Writes tiny ONNX sentence models for tests and trials (no model can be downloaded in CI): the
 * protobuf ModelProto is encoded by hand. The graph is an embedding table [V, D] gathered by
 * input_ids → last_hidden_state [batch, seq, D]; variants add a `sentence_embedding` output
 * (ReduceMean over the sequence), declare attention_mask / token_type_ids inputs, or have the
 * wrong input or output names (for the start-up checks).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// ---- protobuf wire format

function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

const tag = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number | bigint): number[] => [...tag(field, 0), ...varint(n)];
function bytes(field: number, data: Uint8Array | number[]): number[] {
  return [...tag(field, 2), ...varint(data.length), ...data];
}
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

const FLOAT = 1;
const INT64 = 7;
const ATTR_INTS = 7;

/** TypeProto with a tensor type and a shape of fixed sizes or named (symbolic) dimensions. */
function tensorType(elem: number, shape: Array<number | string>): number[] {
  const dims = shape.flatMap(d => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  return bytes(1, [...int(1, elem), ...bytes(2, dims)]);
}
const valueInfo = (name: string, elem: number, shape: Array<number | string>) => [...str(1, name), ...bytes(2, tensorType(elem, shape))];

function node(op: string, inputs: string[], outputs: string[], name: string, attributes: number[][] = []): number[] {
  return [...inputs.flatMap(i => str(1, i)), ...outputs.flatMap(o => str(2, o)), ...str(3, name), ...str(4, op), ...attributes.flatMap(a => bytes(5, a))];
}
const intsAttribute = (name: string, values: number[]) => [...str(1, name), ...values.flatMap(v => int(8, v)), ...int(20, ATTR_INTS)];
const intAttribute = (name: string, value: number) => [...str(1, name), ...int(3, value), ...int(20, 2)];

function floatTensor(name: string, dims: number[], data: Float32Array): number[] {
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return [...dims.flatMap(d => int(1, d)), ...int(2, FLOAT), ...str(8, name), ...bytes(9, raw)];
}

export interface TinyModelOptions {
  /** The embedding table: one row of D numbers per vocabulary token. */
  table: number[][];
  /** Also output `sentence_embedding` (the mean over the sequence, padding included). */
  sentenceEmbedding?: boolean;
  /** Extra declared inputs (the graph ignores them). */
  extraInputs?: Array<'attention_mask' | 'token_type_ids' | string>;
  /** Name of the ids input (default input_ids). */
  idsInput?: string;
  /** Name of the token output (default last_hidden_state). */
  tokenOutput?: string;
}

/** The bytes of a tiny ONNX model (IR 8, opset 13). */
export function tinyOnnxModel(options: TinyModelOptions): Uint8Array {
  const v = options.table.length;
  const d = options.table[0]?.length ?? 0;
  const table = new Float32Array(v * d);
  options.table.forEach((row, i) => table.set(row, i * d));
  const ids = options.idsInput ?? 'input_ids';
  const hidden = options.tokenOutput ?? 'last_hidden_state';
  const nodes = [node('Gather', ['table', ids], [hidden], 'embed', [intAttribute('axis', 0)])];
  const outputs = [valueInfo(hidden, FLOAT, ['batch', 'seq', d])];
  if (options.sentenceEmbedding) {
    nodes.push(node('ReduceMean', [hidden], ['sentence_embedding'], 'pool', [intsAttribute('axes', [1]), intAttribute('keepdims', 0)]));
    outputs.push(valueInfo('sentence_embedding', FLOAT, ['batch', d]));
  }
  const inputs = [ids, ...(options.extraInputs ?? [])].map(n => valueInfo(n, INT64, ['batch', 'seq']));
  const graph = [
    ...nodes.flatMap(n => bytes(1, n)),
    ...str(2, 'tiny-sentence-model'),
    ...bytes(5, floatTensor('table', [v, d], table)),
    ...inputs.flatMap(i => bytes(11, i)),
    ...outputs.flatMap(o => bytes(12, o)),
  ];
  const model = [...int(1, 8), ...str(2, 'lingshu-test'), ...bytes(7, graph), ...bytes(8, [...str(1, ''), ...int(2, 13)])];
  return Uint8Array.from(model);
}

/**
 * Writes model.onnx and vocab.txt into `dir`: the vocabulary is [PAD] [UNK] [CLS] [SEP] then
 * `tokens`; `vectors` gives a token's row (others, special tokens included, are zero unless
 * `fill` gives them one).
 */
export function writeTinyModel(
  dir: string,
  tokens: readonly string[],
  vectors: Readonly<Record<string, number[]>>,
  options: Omit<TinyModelOptions, 'table'> & { dimensions?: number; fill?: (token: string, index: number) => number[] } = {},
): { model: string; vocab: string; tokens: string[] } {
  const all = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', ...tokens.filter(t => !['[PAD]', '[UNK]', '[CLS]', '[SEP]'].includes(t))];
  const d = options.dimensions ?? Object.values(vectors)[0]?.length ?? 8;
  const table = all.map((t, i) => vectors[t] ?? options.fill?.(t, i) ?? new Array<number>(d).fill(0));
  fs.mkdirSync(dir, { recursive: true });
  const model = path.join(dir, 'model.onnx');
  const vocab = path.join(dir, 'vocab.txt');
  fs.writeFileSync(model, tinyOnnxModel({ ...options, table }));
  fs.writeFileSync(vocab, all.join('\n') + '\n');
  return { model, vocab, tokens: all };
}

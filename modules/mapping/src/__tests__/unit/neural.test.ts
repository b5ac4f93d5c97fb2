import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KnowledgeBase, NeuralModelError, normalize, OnnxNeuralStage, OnnxSentenceModel, Reranker, Suggester, WordPieceTokenizer, writeTinyModel, type Term } from '../..';

/**
 * The neural stage with real onnxruntime-node on tiny models written by the test (a hand-encoded
 * ONNX graph: an embedding table gathered by input_ids). Characters get one-hot vectors, so a text's
 * embedding is its bag of characters; 塞 shares 死's vector (梗塞 ≈ 梗死) and 高/烧 share 发/热's.
 */
const TERMS: Term[] = [
  ['I63.9', '脑梗死'], ['I69.3', '脑梗死后遗症'], ['I61.9', '脑出血'], ['I26.9', '肺栓塞'], ['I21.9', '急性心肌梗死'],
  ['I74.3', '下肢动脉栓塞'], ['R50.9', '发热'], ['I10', '特发性(原发性)高血压'], ['J18.9', '肺炎'],
  ['K56.7', '肠梗阻'], ['K55.0', '急性肠梗死'],
].map(([code, name]) => ({ code, name }));

function charTable(extra: string): { chars: string[]; vectors: Record<string, number[]>; d: number } {
  const chars = [...new Set([...TERMS.flatMap(t => [...normalize(t.name)]), ...extra])];
  const d = chars.length;
  const vectors: Record<string, number[]> = {};
  chars.forEach((c, i) => {
    vectors[c] = new Array<number>(d).fill(0);
    vectors[c][i] = 1;
  });
  vectors['塞'] = [...vectors['死']];
  vectors['高'] = [...vectors['发']];
  vectors['烧'] = [...vectors['热']];
  for (const q of '急性') vectors[q] = vectors[q].map(x => x * 0.2); // qualifiers weigh little
  return { chars, vectors, d };
}

describe('mapping: neural stage (onnxruntime-node, tiny ONNX models)', function () {
  this.timeout(20_000);
  let dir: string;
  const models: OnnxSentenceModel[] = [];
  const open = async (o: Parameters<typeof OnnxSentenceModel.open>[0]) => {
    const m = await OnnxSentenceModel.open(o);
    models.push(m);
    return m;
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lingshu-neural-'));
  });
  after(async () => {
    for (const m of models) await m.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('loads onnxruntime-node only when a model is opened', () => {
    const script = `const m = require(${JSON.stringify(path.resolve(__dirname, '..', '..'))});
      const s = new m.Suggester({ id: 'v', terms: [{ code: 'A', name: '脑梗死' }] });
      s.suggestAsync('脑梗塞').then(r => {
        const loaded = Object.keys(require.cache).some(k => k.includes('onnxruntime'));
        console.log(JSON.stringify({ top: r.candidates[0].code, loaded }));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 15_000 });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { top: 'A', loaded: false });
  });

  it('tokenizes mixed Chinese and Latin text BERT-style (CJK per character, lower case, WordPiece, [UNK], truncation)', () => {
    const t = new WordPieceTokenizer(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '2', '型', '糖', '尿', '病', 'co', '##pd', '急', '性', '加', '重', '左', '膝', ',', 'ⅱ']);
    assert.deepEqual(t.tokenize('2型糖尿病'), ['2', '型', '糖', '尿', '病']);
    assert.deepEqual(t.tokenize('ＣＯＰＤ急性加重'), ['co', '##pd', '急', '性', '加', '重']); // NFKC, lower case, WordPiece
    assert.deepEqual(t.tokenize('左膝,'), ['左', '膝', ',']);
    assert.deepEqual(t.tokenize('左膝(xyz)'), ['左', '膝', '[UNK]', '[UNK]', '[UNK]'], 'an uncovered word and unknown punctuation are [UNK]');
    assert.deepEqual(t.tokenize('copdx 痛'), ['[UNK]', '[UNK]'], 'a word with an uncovered remainder is one [UNK]');
    const e = t.encode('2型糖尿病', 5);
    assert.deepEqual(e.tokens, ['[CLS]', '2', '型', '糖', '[SEP]']);
    assert.deepEqual(e.ids, [2, 4, 5, 6, 3]);
    assert.equal(e.truncated, true);
    assert.equal(t.encode('左膝').truncated, false);
    assert.throws(() => new WordPieceTokenizer(['a', 'b']), /no \[UNK\], \[CLS\], \[SEP\], \[PAD\] tokens/);
  });

  it('mean pooling honours the attention mask: a text embeds the same alone or batched with a longer one', async () => {
    const { chars, vectors, d } = charTable('');
    // [PAD] gets a loud vector: it would show if padding were pooled.
    const f = writeTinyModel(path.join(dir, 'pool'), chars, { ...vectors, '[PAD]': new Array<number>(d).fill(9) }, { dimensions: d, extraInputs: ['attention_mask', 'token_type_ids'] });
    const m = await open({ model: f.model });
    assert.deepEqual(m.info.inputs, ['input_ids', 'attention_mask', 'token_type_ids']);
    assert.equal(m.info.output, 'last_hidden_state (mean-pooled)');
    assert.equal(m.info.dimensions, d);
    assert.match(m.info.hash, /^(sm3|sha256):[0-9a-f]{64}$/);
    const [alone] = await m.run(['脑梗死']);
    const [batched] = await m.run(['脑梗死', '急性心肌梗死后遗症脑出血']);
    for (let i = 0; i < d; i++) assert.ok(Math.abs(alone[i] - batched[i]) < 1e-6, `dimension ${i}: ${alone[i]} vs ${batched[i]}`);
    let norm = 0;
    for (const x of alone) norm += x * x;
    assert.ok(Math.abs(norm - 1) < 1e-5, 'L2-normalised');
    // Cached embeddings are the same vectors; the cache counts hits.
    const hits = m.cache.hits;
    const [a, b] = await m.embed(['脑梗塞', '脑梗塞']);
    const [c] = await m.embed(['脑梗塞']);
    assert.equal(c, a);
    assert.equal(b, a);
    assert.ok(m.cache.hits > hits);
    // 梗塞 ≈ 梗死 in this table.
    const [x, y] = await m.embed(['脑梗死', '脑梗塞']);
    let cos = 0;
    for (let i = 0; i < d; i++) cos += x[i] * y[i];
    assert.ok(cos > 0.99, String(cos));
  });

  it('feeds only the inputs the model declares and prefers its sentence_embedding output', async () => {
    const { chars, vectors, d } = charTable('');
    const f = writeTinyModel(path.join(dir, 'pooled'), chars, vectors, { dimensions: d, sentenceEmbedding: true });
    const m = await open({ model: f.model, vocab: f.vocab, maxTokens: 16 });
    assert.deepEqual(m.info.inputs, ['input_ids']);
    assert.equal(m.info.output, 'sentence_embedding');
    const [v] = await m.embed(['发热']);
    assert.equal(v.length, d);
  });

  it('a bad path or a model without the expected inputs/outputs fails at open with the setting named', async () => {
    const { chars, vectors, d } = charTable('');
    const err = async (p: Promise<unknown>, setting: string, re: RegExp) => {
      await assert.rejects(p, (e: unknown) => {
        assert.ok(e instanceof NeuralModelError, String(e));
        assert.equal(e.setting, setting);
        assert.match(e.message, re);
        return true;
      });
    };
    await err(OnnxSentenceModel.open({ model: path.join(dir, 'nowhere', 'model.onnx') }), 'model', /no file .*nowhere.*model\.onnx/);
    const noVocab = path.join(dir, 'novocab');
    fs.mkdirSync(noVocab);
    fs.writeFileSync(path.join(noVocab, 'model.onnx'), 'x');
    await err(OnnxSentenceModel.open({ model: path.join(noVocab, 'model.onnx') }), 'vocab', /no file .*vocab\.txt \(the default: vocab\.txt beside the model\)/);
    const garbage = writeTinyModel(path.join(dir, 'garbage'), chars, vectors, { dimensions: d });
    fs.writeFileSync(garbage.model, 'not a protobuf at all');
    await err(OnnxSentenceModel.open({ model: garbage.model }), 'model', /is not a model onnxruntime can load/);
    const badInput = writeTinyModel(path.join(dir, 'badinput'), chars, vectors, { dimensions: d, idsInput: 'tokens' });
    await err(OnnxSentenceModel.open({ model: badInput.model }), 'model', /has no input_ids input \(its inputs: tokens\)/);
    const badOutput = writeTinyModel(path.join(dir, 'badoutput'), chars, vectors, { dimensions: d, tokenOutput: 'logits' });
    await err(OnnxSentenceModel.open({ model: badOutput.model }), 'model', /outputs neither sentence_embedding nor last_hidden_state nor token_embeddings \(its outputs: logits\)/);
    await err(OnnxSentenceModel.open({ model: badOutput.model, maxTokens: 2 }), 'maxTokens', /3 to 4096/);
    const badVocab = writeTinyModel(path.join(dir, 'badvocab'), chars, vectors, { dimensions: d });
    fs.writeFileSync(badVocab.vocab, 'a\nb\n');
    await err(OnnxSentenceModel.open({ model: badVocab.model }), 'vocab', /has no \[UNK\]/);
  });

  it('re-ranks and recalls: 梗塞 finds 脑梗死 (missed lexically), the reasons name the sentence model; vectors cached to a file', async () => {
    const { chars, vectors, d } = charTable('梗塞高烧');
    const f = writeTinyModel(path.join(dir, 'stage'), chars, vectors, { dimensions: d, extraInputs: ['attention_mask'] });
    const cacheDir = path.join(dir, 'vectors');
    const stage = await OnnxNeuralStage.open({ model: f.model, cacheDir });
    models.push(stage.model);
    const vocabulary = { id: 'ICD-10/test', terms: TERMS };
    const plain = new Suggester(vocabulary);
    const neural = new Suggester(vocabulary, { neural: stage });
    // Until the vectors are ready recall adds nothing (queries never wait for them).
    const early = await neural.suggestAsync('高烧');
    assert.ok(!early.candidates.some(c => c.code === 'R50.9'));
    await stage.prepare(vocabulary).promise;
    assert.equal(stage.status().vocabularies[0].state, 'ready');
    assert.equal(stage.status().vocabularies[0].source, 'computed');
    const files = fs.readdirSync(cacheDir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^ICD-10_test-[0-9a-f]{16}-[0-9a-f]{16}-64\.f32$/);
    assert.equal(fs.statSync(path.join(cacheDir, files[0])).size, TERMS.length * d * 4);

    const lexical = plain.suggest('梗塞').candidates.map(c => c.code);
    assert.ok(!lexical.includes('I63.9'), `lexical candidates ${lexical}`);
    const t0 = performance.now();
    const r = await neural.suggestAsync('梗塞');
    const ms = performance.now() - t0;
    const codes = r.candidates.map(c => c.code);
    const infarct = r.candidates.find(c => c.code === 'I63.9');
    assert.ok(infarct, `neural candidates ${codes}`);
    assert.ok(codes.indexOf('I63.9') < codes.indexOf('I74.3'), `脑梗死 above 下肢动脉栓塞: ${codes}`);
    assert.ok(infarct.signals.neural > 0.8, String(infarct.signals.neural));
    assert.ok(infarct.why.includes('sentence model'), infarct.why.join());
    // A synonym with no character in common: recalled only by the model.
    const fever = await neural.suggestAsync('高烧');
    const f1 = fever.candidates.find(c => c.code === 'R50.9');
    assert.ok(f1 && f1.why.includes('sentence model') && f1.signals.neural > 0.99, JSON.stringify(f1));
    assert.ok(!plain.suggest('高烧').candidates.some(c => c.code === 'R50.9'));

    // Re-ranking alone (no recall), with the weight a re-ranker can learn for the signal:
    // 肠梗塞 is lexically closer to 肠梗阻; the model knows 梗塞 ≈ 梗死 and lifts 急性肠梗死 to top-1.
    assert.equal(plain.suggest('肠梗塞').candidates[0].code, 'K56.7');
    const rerankOnly = new Suggester(vocabulary, { neural: { similarity: (q, names) => stage.similarity(q, names) }, reranker: new Reranker({ neural: 6 }) });
    const bowel = await rerankOnly.suggestAsync('肠梗塞');
    assert.equal(bowel.candidates[0].code, 'K55.0', bowel.candidates.map(c => `${c.name} ${c.score.toFixed(2)}`).join('; '));
    assert.deepEqual(bowel.proposal, ['K55.0']);
    assert.ok(bowel.candidates[0].why.includes('sentence model'));

    // A text a reviewer confirmed stays top-1 with its confidence through the stage.
    const kb = new KnowledgeBase();
    const withKb = new Suggester(vocabulary, { neural: stage, knowledge: kb });
    kb.confirm({ institution: 'H1', dictionary: vocabulary.id, sourceText: '高烧', codes: ['I10'], by: 'test' });
    const confirmed = await withKb.suggestAsync('高烧');
    assert.equal(confirmed.candidates[0].code, 'I10');
    assert.ok(confirmed.confidence >= 0.99 && confirmed.autoAccept, String(confirmed.confidence));

    // A second stage on the same model and vocabulary reads the vectors from the file.
    const again = new OnnxNeuralStage(stage.model, { cacheDir });
    await again.prepare(vocabulary).promise;
    assert.equal(again.status().vocabularies[0].source, 'file');
    const near = await again.nearest('梗塞', vocabulary, 3);
    assert.ok(near.some(n => n.code === 'I63.9'), JSON.stringify(near));
    console.log(`      (information: suggestAsync with the tiny model took ${ms.toFixed(2)} ms)`);
  });
});

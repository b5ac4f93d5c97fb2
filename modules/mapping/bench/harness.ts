/**
 * npm run bench:mapping — evaluates the engine and two lexical baselines in two modes:
 * `synthetic` (the gold set, no knowledge base) and `kb` (bench/realistic.ts: institutions H1–H7
 * confirmed first as the knowledge base, H8 measured). Prints one JSON line per method and mode
 * (mode, method, top1, recall10, setF1, p95ms, …), the auto-accept band and the learning curve of
 * each mode. `--write-gold` also writes bench/data/gold.jsonl; `--kb-only`, `--synthetic-only`
 * and `--kb-only --baselines-only` run a part (`--neural-only`: the neural line alone). With LINGSHU_MAPPING_MODEL set (and optionally
 * LINGSHU_MAPPING_MODEL_VOCAB, LINGSHU_MAPPING_MODEL_MAX_TOKENS) the synthetic mode adds a
 * `lingshu+neural` line: the same suggester with the ONNX neural stage (re-rank and recall);
 * LINGSHU_BENCH_NEURAL_LIMIT measures an evenly spread subset of that many gold items.
 * `--vocabulary V --test T [--knowledge K]` evaluates on your own files instead (bench/external.ts;
 * mode `external`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Mapper } from '../src/translate';
import { cblue, usagi, type Method } from './baselines';
import { buildBenchData, rng, type Domain, type GoldItem } from './gold';
import { argValue, loadExternal } from './external';
import { buildRealistic, type InstitutionItem } from './realistic';
import type { Vocabulary } from '../src/vocabulary-import';
import { core } from '../src/normalize';
import { OnnxNeuralStage } from '../src/neural';

interface Output {
  codes: string[];
  set: string[];
  autoAccept?: boolean;
  confidence?: number;
  /** Time of an answer computed ahead (async methods); else evaluate() times run(). */
  ms?: number;
}

/** (confidence, proposal exactly right) of every lingshu answer, for the auto-accept band table. */
let answers: Array<[number, boolean]> = [];

interface Scores {
  method: string;
  mode?: string;
  items: number;
  top1: number;
  top1Single: number;
  top1Multi: number;
  recall10: number;
  setF1: number;
  setF1Multi: number;
  autoAcceptPrecision?: number;
  autoAcceptCoverage?: number;
  p95ms: number;
  p50ms: number;
  byDomain: Record<string, number>;
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

function f1(pred: string[], gold: string[]): number {
  const tp = pred.filter(p => gold.includes(p)).length;
  if (tp === 0) return 0;
  const p = tp / pred.length;
  const r = tp / gold.length;
  return (2 * p * r) / (p + r);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

function evaluate(name: string, gold: GoldItem[], run: (item: GoldItem) => Output): Scores {
  let top1 = 0, single = 0, singleN = 0, multi = 0, multiN = 0, rec = 0, setF1 = 0, setF1Multi = 0, auto = 0, autoOk = 0;
  const times: number[] = [];
  const dom = new Map<string, [number, number]>();
  for (const item of gold) {
    const t0 = performance.now();
    const out = run(item);
    const ms = out.ms ?? performance.now() - t0;
    if (item.domain === 'diagnosis') times.push(ms);
    const ok = out.codes.length > 0 && item.codes.includes(out.codes[0]);
    top1 += ok ? 1 : 0;
    const d = dom.get(item.domain) ?? [0, 0];
    dom.set(item.domain, [d[0] + (ok ? 1 : 0), d[1] + 1]);
    if (item.codes.length === 1) {
      singleN++;
      single += ok ? 1 : 0;
    } else {
      multiN++;
      multi += ok ? 1 : 0;
      setF1Multi += f1(out.set, item.codes);
    }
    const top10 = out.codes.slice(0, 10);
    rec += item.codes.filter(c => top10.includes(c)).length / item.codes.length;
    setF1 += f1(out.set, item.codes);
    if (out.confidence !== undefined) answers.push([out.confidence, out.set.length === item.codes.length && out.set.every(c => item.codes.includes(c))]);
    if (out.autoAccept) {
      auto++;
      const exact = out.set.length === item.codes.length && out.set.every(c => item.codes.includes(c));
      autoOk += exact ? 1 : 0;
    }
  }
  const n = gold.length;
  const scores: Scores = {
    method: name,
    items: n,
    top1: round(top1 / n),
    top1Single: round(single / singleN),
    top1Multi: round(multiN ? multi / multiN : 0),
    recall10: round(rec / n),
    setF1: round(setF1 / n),
    setF1Multi: round(multiN ? setF1Multi / multiN : 0),
    p95ms: round(percentile(times, 0.95), 3),
    p50ms: round(percentile(times, 0.5), 3),
    byDomain: Object.fromEntries([...dom].map(([k, [a, b]]) => [k, round(a / b)])),
  };
  if (name.startsWith('lingshu')) {
    scores.autoAcceptPrecision = round(auto ? autoOk / auto : 0);
    scores.autoAcceptCoverage = round(auto / n);
  }
  return scores;
}

async function main(): Promise<void> {
  if (argValue(process.argv, '--vocabulary')) return externalMode();
  const t0 = performance.now();
  const { vocabularies, gold } = buildBenchData();
  if (process.argv.includes('--kb-only')) return kbMode(vocabularies.diagnosis);
  if (process.argv.includes('--write-gold')) {
    const dir = path.resolve(__dirname, '..', '..', 'bench', 'data');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'gold.jsonl'), gold.map(g => JSON.stringify(g)).join('\n') + '\n');
  }
  const domains = Object.keys(vocabularies) as Domain[];
  const t1 = performance.now();
  const mapper = new Mapper();
  for (const d of domains) mapper.addVocabulary(vocabularies[d]);
  const buildMs = performance.now() - t1;
  const info = {
    gold: gold.length,
    goldByDomain: Object.fromEntries(domains.map(d => [d, gold.filter(g => g.domain === d).length])),
    multiCodeItems: gold.filter(g => g.codes.length > 1).length,
    vocabulary: Object.fromEntries(domains.map(d => [d, vocabularies[d].terms.length])),
    indexBuildMs: Math.round(buildMs),
    dataMs: Math.round(t1 - t0),
  };
  console.error(JSON.stringify(info));
  if (process.argv.includes('--neural-only')) return neuralLine(vocabularies, gold, domains);

  const results: Scores[] = [];
  results.push(
    evaluate('lingshu', gold, item => {
      const r = mapper.suggester(item.dictionary).suggest(item.text, { limit: 10 });
      const codes = [...new Set([...r.proposal, ...r.candidates.map(c => c.code)])];
      return { codes, set: r.proposal, autoAccept: r.autoAccept, confidence: r.confidence };
    }),
  );
  for (const make of [usagi, cblue]) {
    const methods = new Map<string, Method>(domains.map(d => [vocabularies[d].id, make(vocabularies[d])]));
    results.push(
      evaluate(methods.values().next().value!.name, gold, item => {
        const codes = methods.get(item.dictionary)!.rank(item.text, 10);
        return { codes, set: codes.slice(0, 1) };
      }),
    );
  }
  for (const r of results) console.log(JSON.stringify({ mode: 'synthetic', ...r }));
  printBand('synthetic');
  await neuralLine(vocabularies, gold, domains);

  // Learning curve: confirm 10 %, 20 %, 40 % of the diagnosis list (shuffled); top-1 on the rest
  // (rest = the same last 60 % at every step, so the figures compare).
  const rand = rng(7);
  const list = gold.filter(g => g.domain === 'diagnosis');
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  const s = mapper.suggester(vocabularies.diagnosis.id);
  const curve: Record<string, number> = {};
  let confirmed = 0;
  for (const frac of [0, 0.1, 0.2, 0.4]) {
    const upto = Math.floor(frac * list.length);
    for (; confirmed < upto; confirmed++) {
      const g = list[confirmed];
      mapper.confirm({ institution: 'bench', dictionary: g.dictionary, sourceText: g.text, codes: g.codes, by: 'bench' });
    }
    const rest = list.slice(Math.floor(0.4 * list.length));
    const ok = rest.filter(g => {
      const r = s.suggest(g.text, { limit: 1 });
      return r.proposal.length > 0 && g.codes.includes(r.proposal[0]);
    }).length;
    curve[`top1@${Math.round(frac * 100)}%`] = round(ok / rest.length);
  }
  console.log(JSON.stringify({ mode: 'synthetic', method: 'lingshu-learning-curve', list: list.length, ...curve, rerankerUpdates: s.reranker.updates }));
  if (!process.argv.includes('--synthetic-only')) kbMode(vocabularies.diagnosis);
}

/** The synthetic gold set through the neural stage, when LINGSHU_MAPPING_MODEL is set. */
async function neuralLine(vocabularies: Record<Domain, Vocabulary>, gold: GoldItem[], domains: Domain[]): Promise<void> {
  const model = process.env.LINGSHU_MAPPING_MODEL;
  if (!model) return;
  const max = process.env.LINGSHU_MAPPING_MODEL_MAX_TOKENS;
  const stage = await OnnxNeuralStage.open({ model, vocab: process.env.LINGSHU_MAPPING_MODEL_VOCAB || undefined, maxTokens: max ? Number(max) : undefined });
  const mapper = new Mapper(undefined, { neural: stage });
  const p0 = performance.now();
  for (const d of domains) await stage.prepare({ id: vocabularies[d].id, terms: mapper.addVocabulary(vocabularies[d]).terms }).promise;
  const prepareMs = Math.round(performance.now() - p0);
  const limit = Number(process.env.LINGSHU_BENCH_NEURAL_LIMIT) || gold.length;
  const step = gold.length / Math.min(limit, gold.length);
  const items = limit < gold.length ? Array.from({ length: limit }, (_x, i) => gold[Math.floor(i * step)]) : gold;
  const outputs = new Map<GoldItem, Output>();
  for (const item of items) {
    const t0 = performance.now();
    const r = await mapper.suggester(item.dictionary).suggestAsync(item.text, { limit: 10 });
    const ms = performance.now() - t0;
    outputs.set(item, { codes: [...new Set([...r.proposal, ...r.candidates.map(c => c.code)])], set: r.proposal, autoAccept: r.autoAccept, confidence: r.confidence, ms });
  }
  const scores = evaluate('lingshu+neural', items, item => outputs.get(item)!);
  answers = [];
  const info = stage.model.info;
  console.log(JSON.stringify({ mode: 'synthetic', ...scores, model: { file: info.file, hash: info.hash, dimensions: info.dimensions, output: info.output }, vectorsMs: prepareMs, subset: items.length < gold.length }));
  await stage.close();
}

function printBand(mode: string): void {
  const band: Record<string, { precision: number; coverage: number }> = {};
  for (const t of [0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99]) {
    const acc = answers.filter(([c]) => c >= t);
    band[String(t)] = { precision: round(acc.filter(([, ok]) => ok).length / (acc.length || 1)), coverage: round(acc.length / answers.length) };
  }
  console.log(JSON.stringify({ mode, method: 'lingshu-auto-accept-band', band }));
  answers = [];
}

/**
 * The knowledge-base mode, like the evaluation on real hospital strings: the diagnosis lists of
 * institutions H1…H7 are confirmed first (several thousand mappings), then H8's list is measured.
 * Every method is reported on H8; `…+kb-text` baselines also look the exact text up in the
 * knowledge base first (the simplest use of confirmations). The learning curve loads 0 %, 10 %,
 * 25 %, 50 % and 100 % of the other institutions' confirmations.
 */
function kbMode(vocabulary: Vocabulary): void {
  const realCount = vocabulary.terms.findIndex(t => /^X\d/.test(t.code));
  const items = buildRealistic(vocabulary, realCount);
  const test = items.filter(i => i.institution === 'H8');
  const kb = items.filter(i => i.institution !== 'H8');
  const rand = rng(11);
  for (let i = kb.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [kb[i], kb[j]] = [kb[j], kb[i]];
  }
  knowledgeMode('kb', vocabulary, kb, test);
}

/** Your own vocabulary, knowledge-base list and test list (bench/external.ts). */
function externalMode(): void {
  const t0 = performance.now();
  const data = loadExternal(process.argv);
  console.error(JSON.stringify({ mode: 'external', vocabulary: data.vocabulary.terms.length, skipped: data.skipped, loadMs: Math.round(performance.now() - t0) }));
  knowledgeMode('external', data.vocabulary, data.knowledge, data.test);
}

/**
 * Confirms `kb` step by step (0, 10, 25, 50, 100 %) and measures `test` at each step; then every
 * method on `test` with the whole knowledge base loaded.
 */
function knowledgeMode(mode: string, vocabulary: Vocabulary, kb: GoldItem[], test: GoldItem[]): void {
  const kbTexts = new Map<string, string[]>();
  for (const k of kb) if (!kbTexts.has(core(k.text))) kbTexts.set(core(k.text), k.codes);
  const unseen = test.filter(t => !kbTexts.has(core(t.text)));
  console.error(JSON.stringify({ mode, knowledgeBase: kb.length, test: test.length, testUnseenText: unseen.length, multiCodeTest: test.filter(t => t.codes.length > 1).length }));
  if (process.argv.includes('--baselines-only')) {
    for (const make of [usagi, cblue]) {
      const m = make(vocabulary);
      console.log(JSON.stringify({ mode, ...evaluate(m.name, test, item => ({ codes: m.rank(item.text, 10), set: m.rank(item.text, 1) })) }));
    }
    return;
  }
  const mapper = new Mapper();
  const s = mapper.addVocabulary(vocabulary);
  const lingshu = (item: GoldItem): Output => {
    const r = s.suggest(item.text, { limit: 10 });
    const codes = [...new Set([...r.proposal, ...r.candidates.map(c => c.code)])];
    return { codes, set: r.proposal, autoAccept: r.autoAccept, confidence: r.confidence };
  };
  const curve: Record<string, number> = {};
  const curveUnseen: Record<string, number> = {};
  let loaded = 0;
  const t0 = performance.now();
  let loadMs = 0;
  for (const frac of [0, 0.1, 0.25, 0.5, 1]) {
    const upto = Math.floor(frac * kb.length);
    const l0 = performance.now();
    for (; loaded < upto; loaded++) {
      const k = kb[loaded] as Partial<InstitutionItem> & GoldItem;
      mapper.confirm({ institution: k.institution ?? 'knowledge', dictionary: k.dictionary, sourceText: k.text, codes: k.codes, by: 'bench' });
    }
    loadMs += performance.now() - l0;
    if (frac === 0) {
      const r = evaluate('lingshu-no-kb', test, lingshu);
      answers = [];
      console.log(JSON.stringify({ mode, ...r }));
    }
    const top1 = (list: GoldItem[]) => round(list.filter(g => {
      const r = s.suggest(g.text, { limit: 1 });
      return r.proposal.length > 0 && g.codes.includes(r.proposal[0]);
    }).length / list.length);
    curve[`top1@${Math.round(frac * 100)}%`] = top1(test);
    curveUnseen[`top1@${Math.round(frac * 100)}%`] = top1(unseen);
  }
  const results: Scores[] = [evaluate('lingshu', test, lingshu)];
  const unseenScores = evaluate('lingshu-unseen-text', unseen, lingshu);
  for (const make of [usagi, cblue]) {
    const m = make(vocabulary);
    results.push(evaluate(m.name, test, item => {
      const codes = m.rank(item.text, 10);
      return { codes, set: codes.slice(0, 1) };
    }));
    results.push(evaluate(`${m.name}+kb-text`, test, item => {
      const known = kbTexts.get(core(item.text));
      const codes = [...new Set([...(known ?? []), ...m.rank(item.text, 10)])];
      return { codes, set: known ?? codes.slice(0, 1) };
    }));
  }
  for (const r of results) console.log(JSON.stringify({ mode, ...r }));
  console.log(JSON.stringify({ mode, ...unseenScores }));
  answers = answers.slice(0, test.length); // the band over the full H8 list only
  printBand(mode);
  console.log(JSON.stringify({ mode, method: 'lingshu-learning-curve', knowledgeBase: kb.length, test: test.length, ...curve, unseenText: curveUnseen, loadMs: Math.round(loadMs), totalMs: Math.round(performance.now() - t0), rerankerUpdates: s.reranker.updates }));
}

main().catch(err => {
  console.error(`bench:mapping failed: ${(err as Error).message}`);
  process.exit(1);
});

/**
 * npm run bench:mapping — evaluates the engine and two lexical baselines on the gold set.
 * Prints one JSON line per method (method, top1, recall10, setF1, p95ms, …) and one line with the
 * learning curve. `--write-gold` also writes bench/data/gold.jsonl.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Mapper } from '../src/translate';
import { cblue, usagi, type Method } from './baselines';
import { buildBenchData, rng, type Domain, type GoldItem } from './gold';

interface Output {
  codes: string[];
  set: string[];
  autoAccept?: boolean;
  confidence?: number;
}

/** (confidence, proposal exactly right) of every lingshu answer, for the auto-accept band table. */
const answers: Array<[number, boolean]> = [];

interface Scores {
  method: string;
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
    const ms = performance.now() - t0;
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
  if (name === 'lingshu') {
    scores.autoAcceptPrecision = round(auto ? autoOk / auto : 0);
    scores.autoAcceptCoverage = round(auto / n);
  }
  return scores;
}

function main(): void {
  const t0 = performance.now();
  const { vocabularies, gold } = buildBenchData();
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
  for (const r of results) console.log(JSON.stringify(r));
  const band: Record<string, { precision: number; coverage: number }> = {};
  for (const t of [0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.99]) {
    const acc = answers.filter(([c]) => c >= t);
    band[String(t)] = { precision: round(acc.filter(([, ok]) => ok).length / (acc.length || 1)), coverage: round(acc.length / answers.length) };
  }
  console.log(JSON.stringify({ method: 'lingshu-auto-accept-band', band }));

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
  console.log(JSON.stringify({ method: 'lingshu-learning-curve', list: list.length, ...curve, rerankerUpdates: s.reranker.updates }));
}

main();

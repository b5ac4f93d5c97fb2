/**
 * translate(institution, dictionary, local code or text) → standard code(s): the mapping service.
 * Order: the institution's confirmed local code, then confirmed text (any institution), then the
 * suggester's proposal inside the auto-accept band; otherwise unmapped with the best candidates.
 */
import { KnowledgeBase, type ConfirmInput } from './knowledge';
import { core as coreOf } from './normalize';
import { Suggester, type SuggesterOptions, type Suggestion } from './suggest';
import type { Vocabulary } from './vocabulary-import';

export type TranslationStatus = 'confirmed' | 'auto' | 'unmapped';

export interface Translation {
  institution: string;
  dictionary: string;
  input: string;
  codes: string[];
  status: TranslationStatus;
  confidence: number;
  /** Where the codes came from: local-code, text, suggester, or none. */
  source: 'local-code' | 'text' | 'suggester' | 'none';
  /** Candidates for review when not confirmed. */
  candidates?: Suggestion[];
}

export class UnknownDictionaryError extends Error {
  constructor(readonly dictionary: string) {
    super(`dictionary: no vocabulary named ${dictionary}`);
  }
}

export class Mapper {
  readonly knowledge: KnowledgeBase;
  private readonly suggesters = new Map<string, Suggester>();
  private readonly pending = new Map<string, number>();

  constructor(knowledge = new KnowledgeBase(), private readonly defaults: Omit<SuggesterOptions, 'knowledge'> & { retrainEvery?: number } = {}) {
    this.knowledge = knowledge;
  }

  /** Registers (or replaces) a standard vocabulary. */
  addVocabulary(vocabulary: Vocabulary, options: Omit<SuggesterOptions, 'knowledge'> = {}): Suggester {
    const s = new Suggester(vocabulary, { ...this.defaults, ...options, knowledge: this.knowledge });
    this.suggesters.set(vocabulary.id, s);
    return s;
  }

  /** Forgets a vocabulary's suggester (its knowledge-base rows stay in the knowledge base). */
  removeVocabulary(id: string): boolean {
    this.pending.delete(id);
    return this.suggesters.delete(id);
  }

  suggester(dictionary: string): Suggester {
    const s = this.suggesters.get(dictionary);
    if (!s) throw new UnknownDictionaryError(dictionary);
    return s;
  }

  dictionaries(): string[] {
    return [...this.suggesters.keys()];
  }

  /**
   * Confirms a mapping (validating the codes against the vocabulary). The knowledge base uses it at
   * once; every `retrainEvery` confirmations of a dictionary the re-ranker is re-trained (and the
   * new weights kept only when they rank held-out confirmations better).
   */
  confirm(input: ConfirmInput, options: { learn?: boolean } = {}) {
    const s = this.suggester(input.dictionary);
    const unknown = (input.codes ?? []).filter(c => !s.term(c));
    if (unknown.length > 0) throw new Error(`codes: not in ${input.dictionary}: ${unknown.join(', ')}`);
    const c = this.knowledge.confirm(input);
    const n = (this.pending.get(input.dictionary) ?? 0) + 1;
    this.pending.set(input.dictionary, n);
    if (options.learn !== false && n >= (this.defaults.retrainEvery ?? 500)) this.retrain(input.dictionary);
    return c;
  }

  /** Re-trains a dictionary's re-ranker on its latest confirmations (at most 800). */
  retrain(dictionary: string) {
    this.pending.set(dictionary, 0);
    const confirmed = this.knowledge
      .entries()
      .filter(e => e.dictionary === dictionary)
      .slice(-800)
      .map(e => ({ text: e.sourceText, codes: e.codes }));
    return this.suggester(dictionary).retrain(confirmed);
  }

  translate(institution: string, dictionary: string, codeOrText: string): Translation {
    const s = this.suggester(dictionary);
    const input = String(codeOrText ?? '').trim();
    const base = { institution, dictionary, input };
    const local = this.knowledge.byLocalCode(institution, dictionary, input);
    if (local) return { ...base, codes: local.codes, status: 'confirmed', confidence: 1, source: 'local-code' };
    if (s.term(input)) return { ...base, codes: [input], status: 'confirmed', confidence: 1, source: 'local-code' };
    const byText = this.knowledge.byText(dictionary, input);
    if (byText.length > 0) {
      const latest = this.knowledge.latestForText(dictionary, coreOf(input));
      return { ...base, codes: latest?.codes ?? [byText[0].code], status: 'confirmed', confidence: 1, source: 'text' };
    }
    if (!input) return { ...base, codes: [], status: 'unmapped', confidence: 0, source: 'none' };
    const r = s.suggest(input);
    if (r.autoAccept) return { ...base, codes: r.proposal, status: 'auto', confidence: r.confidence, source: 'suggester' };
    return { ...base, codes: [], status: 'unmapped', confidence: r.confidence, source: 'none', candidates: r.candidates };
  }
}


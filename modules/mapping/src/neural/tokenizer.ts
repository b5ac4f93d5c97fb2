/**
 * A BERT-style tokenizer for sentence models: a basic tokenizer (NFKC, lower case, control
 * characters dropped, every CJK character its own token, punctuation split off) followed by
 * WordPiece (greedy longest match, continuation pieces prefixed `##`, [UNK] for a word that cannot
 * be covered), wrapped in [CLS] … [SEP] and truncated to a maximum length.
 */
import * as fs from 'node:fs';

export interface Encoding {
  tokens: string[];
  ids: number[];
  /** True when the text had more pieces than fit. */
  truncated: boolean;
}

export interface TokenizerOptions {
  /** Lower-case the text (uncased vocabularies; default true). */
  lowerCase?: boolean;
  /** Words longer than this many characters are [UNK] (default 100, as BERT). */
  maxCharsPerWord?: number;
}

const SPECIAL = ['[UNK]', '[CLS]', '[SEP]', '[PAD]'] as const;

/** The CJK ideograph blocks BERT treats as one token per character. */
export function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

const PUNCTUATION = /^\p{P}$/u;

function isPunctuation(ch: string, cp: number): boolean {
  // ASCII non-alphanumerics count as punctuation (BERT: $, ^, ` and the like).
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return PUNCTUATION.test(ch);
}

const isControl = (ch: string) => /^[\p{Cc}\p{Cf}]$/u.test(ch) && ch !== '\t' && ch !== '\n' && ch !== '\r';

export class WordPieceTokenizer {
  readonly vocab: ReadonlyMap<string, number>;
  readonly size: number;
  readonly unkId: number;
  readonly clsId: number;
  readonly sepId: number;
  readonly padId: number;
  private readonly lowerCase: boolean;
  private readonly maxCharsPerWord: number;

  constructor(tokens: readonly string[], options: TokenizerOptions = {}) {
    const vocab = new Map<string, number>();
    tokens.forEach((t, i) => {
      if (t && !vocab.has(t)) vocab.set(t, i);
    });
    const missing = SPECIAL.filter(s => !vocab.has(s));
    if (missing.length) throw new Error(`the vocabulary has no ${missing.join(', ')} token${missing.length > 1 ? 's' : ''}`);
    this.vocab = vocab;
    this.size = tokens.length;
    this.unkId = vocab.get('[UNK]')!;
    this.clsId = vocab.get('[CLS]')!;
    this.sepId = vocab.get('[SEP]')!;
    this.padId = vocab.get('[PAD]')!;
    this.lowerCase = options.lowerCase ?? true;
    this.maxCharsPerWord = options.maxCharsPerWord ?? 100;
  }

  /** Reads a vocab.txt (one token a line, the line number is the id). */
  static fromFile(file: string, options?: TokenizerOptions): WordPieceTokenizer {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    return new WordPieceTokenizer(lines, options);
  }

  /** The basic tokenizer: words, CJK characters and punctuation marks. */
  basic(text: string): string[] {
    let s = String(text ?? '').normalize('NFKC');
    if (this.lowerCase) s = s.toLowerCase();
    const out: string[] = [];
    let word = '';
    const flush = () => {
      if (word) out.push(word);
      word = '';
    };
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      if (/\s/u.test(ch)) flush();
      else if (isCjk(cp) || isPunctuation(ch, cp)) {
        flush();
        out.push(ch);
      } else word += ch;
    }
    flush();
    return out;
  }

  /** WordPiece on one word: greedy longest match; a word with an uncovered part is [UNK]. */
  wordPiece(word: string): string[] {
    const chars = [...word];
    if (chars.length > this.maxCharsPerWord) return ['[UNK]'];
    const pieces: string[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: string | undefined;
      while (start < end) {
        const sub = (start > 0 ? '##' : '') + chars.slice(start, end).join('');
        if (this.vocab.has(sub)) {
          found = sub;
          break;
        }
        end--;
      }
      if (!found) return ['[UNK]'];
      pieces.push(found);
      start = end;
    }
    return pieces;
  }

  tokenize(text: string): string[] {
    return this.basic(text).flatMap(w => this.wordPiece(w));
  }

  /** [CLS] pieces [SEP], at most `maxLength` ids in all. */
  encode(text: string, maxLength = 128): Encoding {
    const pieces = this.tokenize(text);
    const room = Math.max(0, maxLength - 2);
    const kept = pieces.slice(0, room);
    const tokens = ['[CLS]', ...kept, '[SEP]'];
    return { tokens, ids: tokens.map(t => this.vocab.get(t) ?? this.unkId), truncated: pieces.length > room };
  }
}

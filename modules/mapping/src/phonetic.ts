/**
 * Sound-alike keys for typed Chinese. Diagnoses are typed with a pinyin input method, so the
 * common typo is a homophone (脑 → 恼, 血 → 雪, 管 → 官). phoneticKey() replaces every Chinese
 * character by one stand-in per toneless syllable (a private-use character, so the key keeps the
 * text's length and works in the same tries and n-gram measures); other characters stay as they are.
 */
import { pinyin } from 'pinyin-pro';

const syllableOf = new Map<string, string>();
const standIn = new Map<string, string>();
const HAN = /\p{Script=Han}/u;

function standInFor(ch: string): string {
  let syllable = syllableOf.get(ch);
  if (syllable === undefined) {
    syllable = pinyin(ch, { toneType: 'none' });
    syllableOf.set(ch, syllable);
  }
  let s = standIn.get(syllable);
  if (s === undefined) {
    s = String.fromCharCode(0xe000 + standIn.size);
    standIn.set(syllable, s);
  }
  return s;
}

/** The text with each Chinese character replaced by the stand-in of its syllable. */
export function phoneticKey(text: string): string {
  let out = '';
  for (const ch of text) out += HAN.test(ch) ? standInFor(ch) : ch;
  return out;
}

/**
 * Sound-alike keys for typed Chinese. Diagnoses are typed with a pinyin input method, so the
 * common typo is a homophone (脑 → 恼, 血 → 雪, 管 → 官). phoneticKey() replaces every Chinese
 * character by one stand-in per toneless syllable (a private-use character, so the key keeps the
 * text's length and works in the same tries and n-gram measures); other characters stay as they are.
 * pinyinInitials() gives the initials users type to find a name (高血压 → gxy).
 */
import { pinyin } from 'pinyin-pro';

const syllableOf = new Map<string, string>();
const standIn = new Map<string, string>();
const HAN = /\p{Script=Han}/u;

/** The toneless syllable of one Chinese character (its most common reading). */
function syllable(ch: string): string {
  let s = syllableOf.get(ch);
  if (s === undefined) {
    s = pinyin(ch, { toneType: 'none' });
    syllableOf.set(ch, s);
  }
  return s;
}

function standInFor(ch: string): string {
  const key = syllable(ch);
  let s = standIn.get(key);
  if (s === undefined) {
    s = String.fromCharCode(0xe000 + standIn.size);
    standIn.set(key, s);
  }
  return s;
}

/** The text with each Chinese character replaced by the stand-in of its syllable. */
export function phoneticKey(text: string): string {
  let out = '';
  for (const ch of text) out += HAN.test(ch) ? standInFor(ch) : ch;
  return out;
}

/** The pinyin initials of the Chinese characters, other letters and digits lower-cased (2型糖尿病 → 2xtnb). */
export function pinyinInitials(text: string): string {
  let out = '';
  for (const ch of text) {
    if (HAN.test(ch)) out += syllable(ch).charAt(0);
    else if (/[0-9a-z]/i.test(ch)) out += ch.toLowerCase();
  }
  return out;
}

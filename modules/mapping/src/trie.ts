/**
 * A character trie over normalized standard names and aliases. Answers exact look-ups, prefix
 * completions and — for combined entries — every indexed name that occurs inside a query.
 */

interface Node {
  children: Map<string, Node>;
  /** Ids ending here, with the kind of key (name, alias, abbreviation). */
  ends?: Array<{ id: number; kind: TrieKind }>;
}

export type TrieKind = 'name' | 'alias' | 'abbreviation';

export interface TrieHit {
  id: number;
  kind: TrieKind;
  key: string;
  /** Start offset inside the query (for contained hits). */
  start?: number;
}

export class Trie {
  private readonly root: Node = { children: new Map() };

  insert(key: string, id: number, kind: TrieKind): void {
    if (!key) return;
    let node = this.root;
    for (const ch of key) {
      let next = node.children.get(ch);
      if (!next) {
        next = { children: new Map() };
        node.children.set(ch, next);
      }
      node = next;
    }
    node.ends ??= [];
    if (!node.ends.some(e => e.id === id && e.kind === kind)) node.ends.push({ id, kind });
  }

  private find(key: string): Node | undefined {
    let node: Node | undefined = this.root;
    for (const ch of key) {
      node = node.children.get(ch);
      if (!node) return undefined;
    }
    return node;
  }

  exact(key: string): TrieHit[] {
    return (this.find(key)?.ends ?? []).map(e => ({ ...e, key }));
  }

  /** Names that start with `key` (breadth-first, shortest first), at most `limit`. */
  prefix(key: string, limit = 20): TrieHit[] {
    const start = this.find(key);
    if (!start) return [];
    const out: TrieHit[] = [];
    const queue: Array<[Node, string]> = [[start, key]];
    while (queue.length > 0 && out.length < limit) {
      const [node, k] = queue.shift()!;
      if (k !== key) for (const e of node.ends ?? []) if (out.length < limit) out.push({ ...e, key: k });
      for (const [ch, child] of node.children) queue.push([child, k + ch]);
    }
    return out;
  }

  /** Every indexed key of at least `minLength` characters that occurs inside `text`. */
  contained(text: string, minLength = 2): TrieHit[] {
    const chars = [...text];
    const out: TrieHit[] = [];
    for (let i = 0; i < chars.length; i++) {
      let node: Node | undefined = this.root;
      let key = '';
      for (let j = i; j < chars.length && node; j++) {
        node = node.children.get(chars[j]);
        if (!node) break;
        key += chars[j];
        if (node.ends && j - i + 1 >= minLength) for (const e of node.ends) out.push({ ...e, key, start: i });
      }
    }
    return out;
  }
}

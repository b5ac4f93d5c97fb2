/**
 * Evaluation on your own data (`mode: "external"`): a standard vocabulary, an optional list of
 * confirmed mappings loaded first as the knowledge base, and a test list — for example real
 * hospital diagnosis strings against a full ICD-10 table, which this repository does not hold.
 *
 *   npm run bench:mapping -- --vocabulary icd10.csv [--knowledge confirmed.csv] --test test.csv
 *
 * Vocabulary: CSV, TSV or XLSX read by the product's own importer (code/编码, name/名称, optional
 * alias/别名 columns). Knowledge and test lists: CSV, TSV, XLSX or JSON Lines, one local entry per
 * row — a text column (text/sourceText/本地名称/诊断名称/名称/name) and a code column
 * (codes/code/标准编码/编码; several codes separated by | ; or ，), optionally institution/机构.
 * The JSON Lines of the knowledge-base export and of bench/data/gold.jsonl are read as they are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findColumn, formatOf, importVocabulary, parseDelimited, readXlsx, type Vocabulary } from '../src/vocabulary-import';
import type { GoldItem } from './gold';

export interface ExternalData {
  vocabulary: Vocabulary;
  knowledge: GoldItem[];
  test: GoldItem[];
  /** Rows left out, by file: no text, no code, or a code not in the vocabulary. */
  skipped: Record<string, number>;
}

const TEXT_HEADERS = ['text', 'sourcetext', 'source', 'local', '本地名称', '诊断名称', '原始名称', '名称', 'name'];
const CODE_HEADERS = ['codes', 'code', '标准编码', 'icd', 'icd10', '编码', '标准代码'];
const INSTITUTION_HEADERS = ['institution', '机构', '医院'];

/** The value of `--name` in argv, or undefined. */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

export function loadExternal(argv: readonly string[]): ExternalData {
  const vocabularyFile = argValue(argv, '--vocabulary')!;
  const testFile = argValue(argv, '--test');
  if (!testFile) throw new Error('--test <file> is required with --vocabulary');
  const imported = importVocabulary(fs.readFileSync(vocabularyFile), { format: formatOf(vocabularyFile) });
  if (imported.terms.length === 0) throw new Error(`${vocabularyFile}: no terms (${imported.issues.slice(0, 3).map(i => `row ${i.row} ${i.field}: ${i.rule}`).join('; ')})`);
  const vocabulary: Vocabulary = { id: 'external', terms: imported.terms };
  const known = new Set(vocabulary.terms.map(t => t.code));
  const skipped: Record<string, number> = {};
  const read = (file: string): GoldItem[] => {
    const items: GoldItem[] = [];
    let bad = 0;
    for (const item of readItems(file)) {
      const codes = item.codes.filter(c => known.has(c));
      if (!item.text.trim() || codes.length === 0 || codes.length !== item.codes.length) bad++;
      else items.push({ ...item, dictionary: vocabulary.id, codes });
    }
    skipped[path.basename(file)] = bad;
    return items;
  };
  const knowledgeFile = argValue(argv, '--knowledge');
  return { vocabulary, knowledge: knowledgeFile ? read(knowledgeFile) : [], test: read(testFile), skipped };
}

/** Entries of a list file: JSON Lines, or a table with a header row. */
function readItems(file: string): Array<GoldItem & { institution?: string }> {
  const content = fs.readFileSync(file);
  if (/\.(jsonl|ndjson)$/i.test(file)) {
    return content
      .toString('utf8')
      .split('\n')
      .filter(l => l.trim())
      .map(l => JSON.parse(l) as Record<string, unknown>)
      .map(o => ({
        domain: 'diagnosis',
        dictionary: 'external',
        text: String(o.text ?? o.sourceText ?? ''),
        codes: Array.isArray(o.codes) ? o.codes.map(String) : splitCodes(String(o.code ?? '')),
        variant: 'external',
        institution: o.institution === undefined ? undefined : String(o.institution),
      }));
  }
  const format = formatOf(file);
  const rows = format === 'xlsx' ? readXlsx(content) : parseDelimited(content.toString('utf8'), format === 'tsv' ? '\t' : ',');
  // An exact header first, else one that contains a hint (诊断名称(原始), ICD-10编码 …).
  const header = rows[0] ?? [];
  const codeCol = findColumn(header, undefined, CODE_HEADERS, ['编码', '代码', 'code', 'icd']);
  const textCol = findColumn(header, undefined, TEXT_HEADERS, ['名称', '诊断', 'text', 'name'], codeCol);
  const instCol = findColumn(header, undefined, INSTITUTION_HEADERS, ['机构', '医院', 'institution']);
  if (textCol < 0 || codeCol < 0) throw new Error(`${file}: needs a text column (${TEXT_HEADERS.join('/')}) and a code column (${CODE_HEADERS.join('/')})`);
  return rows.slice(1).map(r => ({
    domain: 'diagnosis',
    dictionary: 'external',
    text: r[textCol] ?? '',
    codes: splitCodes(r[codeCol] ?? ''),
    variant: 'external',
    institution: instCol >= 0 ? r[instCol] : undefined,
  }));
}

function splitCodes(cell: string): string[] {
  return cell.split(/[|;；，,]/).map(c => c.trim()).filter(Boolean);
}

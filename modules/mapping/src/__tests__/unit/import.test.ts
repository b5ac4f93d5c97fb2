import { strict as assert } from 'node:assert';
import { formatOf, importVocabulary, parseDelimited } from '../..';

/** A minimal .xlsx (stored zip entries) with shared and inline strings. */
function xlsx(rows: string[][]): Buffer {
  const shared: string[] = [];
  const cells = rows
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => {
      const ref = String.fromCharCode(65 + j) + (i + 1);
      if (j === 2) return `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
      shared.push(v);
      return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
    }).join('')}</row>`)
    .join('');
  const files: Array<[string, string]> = [
    ['xl/sharedStrings.xml', `<sst>${shared.map(s => `<si><t>${s.replace(/&/g, '&amp;')}</t></si>`).join('')}</sst>`],
    ['xl/worksheets/sheet1.xml', `<worksheet><sheetData>${cells}</sheetData></worksheet>`],
  ];
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const n = Buffer.from(name, 'utf8');
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, n, data);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

describe('mapping: vocabulary import', () => {
  it('parses quoted CSV with a BOM and finds columns by header', () => {
    const csv = '\ufeff编码,名称,别名\r\nI10,"特发性(原发性)高血压","高血压病|原发性高血压"\r\nJ18.9,"肺炎, 未特指",\r\n';
    const { terms, issues } = importVocabulary(csv, { format: 'csv' });
    assert.deepEqual(issues, []);
    assert.equal(terms.length, 2);
    assert.deepEqual(terms[0].aliases, ['高血压病', '原发性高血压']);
    assert.equal(terms[1].name, '肺炎, 未特指');
  });
  it('reads TSV and reports bad rows by row and field', () => {
    const tsv = 'code\tname\nA01\t伤寒\n\t无编码\nA02\t\n';
    const { terms, issues } = importVocabulary(tsv, { format: formatOf('icd.tsv') });
    assert.equal(terms.length, 1);
    assert.deepEqual(issues, [
      { row: 3, field: 'code', rule: 'required' },
      { row: 4, field: 'name', rule: 'required' },
    ]);
  });
  it('reads the first worksheet of an .xlsx workbook', () => {
    const buf = xlsx([['代码', '名称', '别名'], ['E11.9', '2型糖尿病不伴有并发症', 'T2DM'], ['I10', 'A&B', '']]);
    const { terms, issues } = importVocabulary(buf, { format: formatOf('icd.xlsx') });
    assert.deepEqual(issues, []);
    assert.deepEqual(terms[0], { code: 'E11.9', name: '2型糖尿病不伴有并发症', aliases: ['T2DM'] });
    assert.equal(terms[1].name, 'A&B');
  });
  it('names a missing column and an unreadable file', () => {
    assert.equal(importVocabulary('foo,bar\n1,2', { codeColumn: 'ICD' }).issues[0].field, 'code');
    // Headers that only contain the usual words (国临版 exports): found by hint.
    const hinted = importVocabulary('序号,ICD-10编码,疾病名称(国临版2.0)\n1,I10.x00x002,高血压病\n', { format: 'csv' });
    assert.deepEqual(hinted.terms, [{ code: 'I10.x00x002', name: '高血压病' }]);
    // No header at all: the first two columns, even when a name holds such a word.
    assert.deepEqual(importVocabulary('I10,高血压疾病\n', { format: 'csv' }).terms, [{ code: 'I10', name: '高血压疾病' }]);
    assert.match(importVocabulary(Buffer.from('not a zip'), { format: 'xlsx' }).issues[0].rule, /unreadable xlsx/);
    assert.deepEqual(parseDelimited('a,"b""c"\n', ','), [['a', 'b"c']]);
  });
});

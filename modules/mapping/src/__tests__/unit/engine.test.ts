import { strict as assert } from 'node:assert';
import { Bm25Index, bracketVariants, core, dice, editSimilarity, normalize, Reranker, Segmenter, JiebaSegmenter, medicalSegmenter, splitCombined, thuoclWords, Trie, emptySignals } from '../..';

describe('mapping: normalize', () => {
  it('folds full-width characters, case, brackets and numerals', () => {
    assert.equal(normalize('Ⅱ型糖尿病（待查）'), '2型糖尿病待查');
    assert.equal(normalize('ＣＴ 平扫'), 'ct平扫');
    assert.equal(normalize('二型糖尿病'), '2型糖尿病');
    assert.equal(normalize('糖尿病伴有肾病'), '糖尿病伴肾病');
  });
  it('drops qualifiers and laterality in core() but never to nothing', () => {
    assert.equal(core('左侧股骨颈骨折（待查）'), '股骨颈骨折');
    assert.equal(core('疑似肺炎'), '肺炎');
    assert.equal(core('左'), '左');
  });
  it('derives bracket variants of a standard name', () => {
    assert.deepEqual(bracketVariants('甲状腺毒症[甲状腺功能亢进症]').sort(), ['甲状腺功能亢进症', '甲状腺毒症'].sort());
    assert.deepEqual(bracketVariants('特发性(原发性)高血压'), ['特发性高血压']);
    assert.deepEqual(bracketVariants('贫血'), []);
  });
  it('splits combined entries on 伴, 合并 and separators', () => {
    assert.deepEqual(splitCombined('高血压伴2型糖尿病'), ['高血压', '2型糖尿病']);
    assert.deepEqual(splitCombined('冠心病；心衰'), ['冠心病', '心衰']);
    assert.deepEqual(splitCombined('肺炎'), ['肺炎']);
  });
  it('measures similarity', () => {
    assert.equal(dice('脑梗死', '脑梗死'), 1);
    assert.ok(dice('脑梗塞', '脑梗死') > 0.4 && dice('脑梗塞', '脑梗死') < 1);
    assert.equal(editSimilarity('abc', 'abd'), 1 - 1 / 3);
  });
});

describe('mapping: trie, BM25, segmenter, re-ranker', () => {
  it('trie finds exact keys, prefixes and names inside a text', () => {
    const t = new Trie();
    t.insert('高血压', 1, 'name');
    t.insert('高血压性心脏病', 2, 'name');
    t.insert('糖尿病', 3, 'name');
    assert.deepEqual(t.exact('高血压').map(h => h.id), [1]);
    assert.deepEqual(t.prefix('高血').map(h => h.id), [1, 2]);
    assert.deepEqual(t.contained('高血压伴糖尿病').map(h => h.id).sort(), [1, 3]);
    assert.deepEqual(t.exact('低血压'), []);
  });
  it('BM25 ranks the document sharing rarer tokens first', () => {
    const ix = new Bm25Index();
    ix.add(['a', 'b']);
    ix.add(['a', 'c']);
    ix.add(['a', 'd', 'e']);
    const hits = ix.search([['c', 1], ['a', 1]], 2, 1);
    assert.equal(hits[0].doc, 1);
    assert.equal(hits.length, 2);
  });
  it('segments with bidirectional maximum matching over THUOCL', () => {
    assert.ok(thuoclWords().length > 18000, 'THUOCL lexicon is shipped');
    const s = new Segmenter(['急性', '支气管炎', '支气管']);
    assert.deepEqual(s.cut('急性支气管炎'), ['急性', '支气管炎']);
  });
  it('segments with jieba and the medical dictionary; added standard names stay whole', () => {
    const j = medicalSegmenter();
    assert.ok(j instanceof JiebaSegmenter, 'jieba loads on this platform');
    assert.deepEqual(j.cut('腰部急性卡他性结膜炎既往史'), ['腰部', '急性卡他性结膜炎', '既往史']);
    assert.deepEqual(j.cut('高血压伴糖尿病'), ['高血压', '伴', '糖尿病']);
    assert.deepEqual(j.cut('左咽鼓管异常开放'), ['左', '咽鼓管', '异常', '开放']);
    j.add(['咽鼓管异常开放']);
    assert.deepEqual(j.cut('左咽鼓管异常开放'), ['左', '咽鼓管异常开放']);
  });
  it('re-ranker learns to prefer the signal that separates confirmed codes', () => {
    const r = new Reranker({ words: 0 });
    const pos = { ...emptySignals(), words: 1, dice: 0.5 };
    const neg = { ...emptySignals(), dice: 0.7 };
    assert.ok(r.score(pos) < r.score(neg));
    for (let i = 0; i < 50; i++) r.learn([{ positive: pos, negatives: [neg] }], { rate: 0.2 });
    assert.ok(r.score(pos) > r.score(neg), 'confirmed candidate now outranks');
    assert.ok(r.updates > 0);
    const copy = Reranker.fromJSON(r.toJSON());
    assert.equal(copy.score(pos), r.score(pos));
  });
});

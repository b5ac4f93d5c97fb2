import { strict as assert } from 'node:assert';
import { alignRewrites, Mapper, RewriteRules, splitCombined, type Vocabulary } from '../..';

const VOCAB: Vocabulary = {
  id: 'icd',
  terms: [
    ['N40', '前列腺增生'],
    ['N41.9', '前列腺炎'],
    ['N42.9', '前列腺疾病'],
    ['I63.9', '脑梗死'],
    ['I69.3', '脑梗死后遗症'],
    ['I21.9', '心肌梗死'],
    ['I40.9', '心肌炎'],
    ['I42.9', '心肌病'],
    ['K56.7', '肠梗阻'],
    ['K25.4', '胃溃疡伴出血'],
    ['K25.9', '胃溃疡'],
    ['K80.2', '胆囊结石不伴有胆囊炎'],
    ['K81.9', '胆囊炎'],
    ['R58', '出血'],
  ].map(([code, name]) => ({ code, name })),
};

describe('mapping: rewrites learned from confirmations', () => {
  it('aligns a local text with the standard name into segment rewrites', () => {
    const pairs = alignRewrites('脑梗塞后遗症期', '脑梗死后遗症');
    assert.deepEqual(pairs, [['梗塞', '梗死'], ['症期', '症']]);
    // No common run of two characters: the whole text is one rewrite.
    assert.deepEqual(alignRewrites('心梗', '心肌梗死'), [['心梗', '心肌梗死']]);
    // The standard name saying more gives nothing to rewrite.
    assert.deepEqual(alignRewrites('肺炎', '社区获得性肺炎'), []);
    // Wording moved from the front to a bracket is not a deletion: 急性 must not be learned away.
    assert.deepEqual(alignRewrites('阑尾炎急性缓解期', '急性阑尾炎'), []);
    assert.deepEqual(alignRewrites('胃溃疡急性缓解期', '胃溃疡'), [['急性缓解期', '']]);
  });

  it('applies learned rules to later queries, counts support and leaves a text\'s own rules out', () => {
    const rules = new RewriteRules(seg => seg === '肺炎');
    rules.learn('脑梗塞后遗症期', ['脑梗死后遗症']);
    assert.deepEqual(rules.apply('心肌梗塞').map(f => f.text), ['心肌梗死']);
    rules.learn('多发脑梗塞', ['脑梗死']);
    assert.equal(rules.rulesFor('梗塞')[0].support, 2);
    assert.equal(rules.rulesFor('梗塞')[0].to, '梗死');
    // Learning the same text twice does not add support.
    rules.learn('多发脑梗塞', ['脑梗死']);
    assert.equal(rules.rulesFor('梗塞')[0].support, 2);
    // Excluding the only source of a rule removes it (re-training on that confirmation).
    rules.learn('症状性肺炎', ['肺炎']);
    assert.equal(rules.apply('心肌梗塞', '多发脑梗塞')[0].reliability < rules.apply('心肌梗塞')[0].reliability, true);
    // A source segment that is standard wording gets a low reliability.
    rules.learn('肺炎链', ['肺病']);
    const std = rules.rulesFor('肺炎').concat(rules.rulesFor('炎链'));
    assert.ok(std.every(r => r.from !== '肺炎' || r.standard));
  });

  it('a confirmation lifts a different later entry that shares the habit, and says why', () => {
    const mapper = new Mapper();
    const s = mapper.addVocabulary(VOCAB);
    const before = s.suggest('良性前列腺肥大');
    assert.notEqual(before.candidates[0].code, 'N40', 'lexically 前列腺炎 reads closer');
    mapper.confirm({ institution: 'H1', dictionary: 'icd', sourceText: '前列腺肥大', codes: ['N40'], by: 'coder' });
    const after = s.suggest('良性前列腺肥大');
    assert.equal(after.candidates[0].code, 'N40');
    assert.ok(after.candidates[0].signals.kbRewrite > 0);
    assert.ok(after.candidates[0].why.some(w => w.startsWith('learned rewrite') && w.includes('肥大')), after.candidates[0].why.join(' | '));
  });

  it('does not split a standard name that joins two conditions; splits on spaces', () => {
    const s = new Mapper().addVocabulary(VOCAB);
    assert.deepEqual(s.suggest('胃溃疡伴出血（门诊）复查').proposal, ['K25.4']);
    assert.deepEqual(splitCombined('脑梗死 胃溃疡'), ['脑梗死', '胃溃疡']);
    // 不伴 negates: one code.
    assert.deepEqual(s.suggest('胆结石不伴胆囊炎（复查）').proposal, ['K80.2']);
    assert.deepEqual([...s.suggest('脑梗死 胃溃疡').proposal].sort(), ['I63.9', 'K25.9']);
  });
});

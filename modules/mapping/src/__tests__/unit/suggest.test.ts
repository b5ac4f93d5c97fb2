import { strict as assert } from 'node:assert';
import { KnowledgeBase, Mapper, Suggester, type Vocabulary } from '../..';

const ICD: Vocabulary = {
  id: 'icd10',
  terms: [
    ['I10', '特发性(原发性)高血压'],
    ['I11.9', '高血压性心脏病不伴有(充血性)心力衰竭'],
    ['E11.9', '2型糖尿病不伴有并发症'],
    ['E11.2', '2型糖尿病伴有肾的并发症'],
    ['J44.9', '慢性阻塞性肺疾病'],
    ['J06.9', '急性上呼吸道感染'],
    ['J18.9', '肺炎'],
    ['E05.9', '甲状腺毒症[甲状腺功能亢进症]'],
    ['I63.9', '脑梗死'],
    ['I69.3', '脑梗死后遗症'],
    ['S72.0', '股骨颈骨折'],
  ].map(([code, name]) => ({ code, name })),
};

describe('mapping: suggester', () => {
  const s = new Suggester(ICD);
  it('exact names and bracket synonyms are top-1 and auto-accepted', () => {
    for (const [q, code] of [['脑梗死', 'I63.9'], ['甲状腺功能亢进症', 'E05.9'], ['肺炎', 'J18.9']]) {
      const r = s.suggest(q);
      assert.equal(r.candidates[0].code, code, q);
      assert.ok(r.autoAccept, `${q} auto-accepted`);
      assert.ok(r.candidates[0].why.includes('exact name'), r.candidates[0].why.join());
    }
  });
  it('expands known abbreviations and says so', () => {
    const r = s.suggest('慢阻肺');
    assert.equal(r.candidates[0].code, 'J44.9');
    assert.ok(r.candidates[0].why.includes('known abbreviation'));
  });
  it('tolerates full-width characters, qualifiers, laterality and typos', () => {
    assert.equal(s.suggest('Ⅱ型糖尿病（待查）').candidates[0].code, 'E11.9');
    assert.equal(s.suggest('左侧股骨颈骨折').candidates[0].code, 'S72.0');
    assert.equal(s.suggest('脑梗塞').candidates[0].code, 'I63.9');
  });
  it('proposes a set for a combined diagnosis, one code for a combined standard name', () => {
    const r = s.suggest('高血压伴2型糖尿病');
    assert.deepEqual([...r.proposal].sort(), ['E11.9', 'I10']);
    assert.deepEqual(s.suggest('2型糖尿病伴有肾的并发症').proposal, ['E11.2']);
  });
  it('every suggestion has a score, a confidence and reasons', () => {
    for (const c of s.suggest('急性上感').candidates) {
      assert.equal(typeof c.score, 'number');
      assert.ok(c.confidence >= 0 && c.confidence <= 1);
      assert.ok(Array.isArray(c.why));
    }
  });
  it('an unrelated entry is not auto-accepted', () => {
    assert.equal(s.suggest('牙齿美白咨询').autoAccept, false);
  });
});

describe('mapping: knowledge base and translate', () => {
  it('a confirmation makes the same text top-1 at once, anywhere, and lifts similar texts', () => {
    const mapper = new Mapper();
    const s = mapper.addVocabulary(ICD);
    assert.notEqual(s.suggest('老年脑软化').candidates[0]?.code, 'I69.3');
    mapper.confirm({ institution: 'A', dictionary: 'icd10', sourceCode: 'Z001', sourceText: '老年脑软化', codes: ['I69.3'], by: 'coder1' });
    const r = s.suggest('老年脑软化');
    assert.equal(r.candidates[0].code, 'I69.3');
    assert.ok(r.candidates[0].why.some(w => w.startsWith('confirmed before')));
    assert.equal(s.suggest('老年性脑软化症').candidates[0].code, 'I69.3', 'similar text rises');
    const t = mapper.translate('B', 'icd10', '老年脑软化');
    assert.deepEqual(t.codes, ['I69.3']);
    assert.equal(t.source, 'text');
    assert.deepEqual(mapper.translate('A', 'icd10', 'Z001').codes, ['I69.3']);
    assert.equal(mapper.translate('A', 'icd10', 'Z001').source, 'local-code');
  });
  it('a confirmed text beats a standard name that reads the same', () => {
    const mapper = new Mapper();
    const s = mapper.addVocabulary(ICD);
    assert.equal(s.suggest('脑梗死后遗症').candidates[0].code, 'I69.3');
    mapper.confirm({ institution: 'A', dictionary: 'icd10', sourceText: '脑梗死后遗症', codes: ['I63.9'], by: 'coder1' });
    assert.equal(s.suggest('脑梗死后遗症').candidates[0].code, 'I63.9');
    assert.deepEqual(s.suggest('脑梗死后遗症').proposal, ['I63.9']);
  });
  it('keeps one-to-many mappings and round-trips through export/import', () => {
    const kb = new KnowledgeBase();
    const mapper = new Mapper(kb);
    const s = mapper.addVocabulary(ICD);
    mapper.confirm({ institution: 'A', dictionary: 'icd10', sourceText: '高血压糖尿病', codes: ['I10', 'E11.9'], by: 'coder1', at: '2026-01-01T00:00:00Z' });
    assert.deepEqual([...s.suggest('高血压糖尿病').proposal].sort(), ['E11.9', 'I10']);
    const copy = new KnowledgeBase();
    const { loaded, errors } = copy.import(kb.export() + '{bad json\n');
    assert.equal(loaded, 1);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].line, 2);
    assert.deepEqual(copy.entries()[0].codes, ['I10', 'E11.9']);
    assert.equal(copy.entries()[0].by, 'coder1');
  });
  it('rejects codes outside the vocabulary and unknown dictionaries', () => {
    const mapper = new Mapper();
    mapper.addVocabulary(ICD);
    assert.throws(() => mapper.confirm({ institution: 'A', dictionary: 'icd10', sourceText: 'x', codes: ['NOPE'], by: 'u' }), /codes: not in icd10: NOPE/);
    assert.throws(() => mapper.translate('A', 'drugs', 'x'), /dictionary: no vocabulary named drugs/);
  });
  it('translate returns unmapped with candidates below the auto-accept band', () => {
    const mapper = new Mapper();
    mapper.addVocabulary(ICD, { autoAccept: 0.999999 });
    const t = mapper.translate('A', 'icd10', '高血压');
    assert.equal(t.status, 'unmapped');
    assert.equal(t.candidates?.[0].code, 'I10');
  });
  it('a neural stage, when configured, contributes a signal', async () => {
    const s = new Suggester(ICD, { neural: { similarity: async (_q, names) => names.map(n => (n.includes('后遗症') ? 1 : 0)) } });
    const r = await s.suggestAsync('脑梗');
    assert.ok(r.candidates.some(c => c.signals.neural === 1));
  });
});

describe('mapping: re-ranker training from confirmations', () => {
  it('adopts re-trained weights only when held-out confirmations rank better', () => {
    const s = new Suggester(ICD);
    const before = s.reranker.toJSON().weights;
    const confirmed = Array.from({ length: 40 }, (_v, i) => ({ text: i % 2 ? '脑梗死' : '肺炎', codes: [i % 2 ? 'I63.9' : 'J18.9'] }));
    const r = s.retrain(confirmed);
    assert.equal(r.heldOut, 10);
    assert.equal(r.before, 1, 'already right: nothing to gain');
    assert.equal(r.adopted, false);
    assert.deepEqual(s.reranker.toJSON().weights, before);
  });
  it('the mapper re-trains after every N confirmations without losing them', () => {
    const mapper = new Mapper(undefined, { retrainEvery: 3 });
    const s = mapper.addVocabulary(ICD);
    for (const text of ['脑梗塞', '老年脑软化', '肺部感染']) {
      mapper.confirm({ institution: 'A', dictionary: 'icd10', sourceText: text, codes: [text === '肺部感染' ? 'J18.9' : 'I63.9'], by: 'u' });
    }
    assert.equal(mapper.knowledge.size, 3);
    assert.equal(s.suggest('肺部感染').candidates[0].code, 'J18.9');
  });

  it('codes to the most specific name the entry supports', () => {
    const v: Vocabulary = {
      id: 'spec',
      terms: [
        ['K29.1', '糜烂性胃炎'],
        ['K29.1-1', '糜烂性胃炎伴穿孔'],
        ['K29.1-2', '糜烂性胃炎伴出血'],
        ['K35.9', '阑尾炎'],
        ['K35.8', '急性阑尾炎'],
        ['K35.3', '急性阑尾炎伴穿孔'],
        ['R58', '出血'],
      ]
        .map(([code, name]) => ({ code, name }))
        .concat(ICD.terms), // enough names that 穿孔 is not a stop n-gram
    };
    const sp = new Suggester(v);
    const top = (q: string) => sp.suggest(q).proposal;
    // The entry has the child's extra wording (并 for 伴): the child, and the reason says so.
    const r = sp.suggest('糜烂性胃炎并穿孔');
    assert.deepEqual(r.proposal, ['K29.1-1']);
    assert.ok(r.candidates[0].why.includes('most specific name that fits'), r.candidates[0].why.join());
    // Without it, or with only qualifiers, the shorter name stays.
    assert.deepEqual(top('糜烂性胃炎（已治疗）'), ['K29.1']);
    // A bracketed modifier in the middle is read in front: 阑尾炎（急性）缓解期 → 急性阑尾炎.
    assert.deepEqual(top('阑尾炎（急性）缓解期'), ['K35.8']);
    // A combined entry is still a set, not the joined name.
    assert.deepEqual(top('糜烂性胃炎，出血').sort(), ['K29.1', 'R58']);
  });

  it('reads homophone typos in pinyin and says so', () => {
    const s = new Suggester(ICD);
    // 恼 for 脑 and 雪 for 血, as a pinyin input method types them.
    const r = s.suggest('多发恼梗死');
    assert.equal(r.candidates[0].code, 'I63.9');
    assert.ok(r.candidates[0].why.some(w => w === 'sounds alike (pinyin)'), r.candidates[0].why.join());
    assert.equal(s.suggest('股骨颈骨哲').candidates[0].code, 'S72.0');
    // Written the same: no sound-alike credit.
    assert.equal(s.suggest('脑梗死').candidates[0].signals.soundAlike, 0);
  });

  it('reads ICD boilerplate as optional (其他和未特指的腹痛 ← 腹痛) unless another term has the plain name', () => {
    const terms = ICD.terms.concat([{ code: 'R10.4', name: '其他和未特指的腹痛' }, { code: 'J98.9', name: '呼吸性疾患，未特指' }]);
    const sp = new Suggester({ id: 'bp', terms });
    assert.deepEqual(sp.suggest('腹痛待查').proposal, ['R10.4']);
    assert.deepEqual(sp.suggest('呼吸性疾患').proposal, ['J98.9']);
    const both = new Suggester({ id: 'bp2', terms: terms.concat([{ code: 'R10.9', name: '腹痛' }]) });
    assert.deepEqual(both.suggest('腹痛').proposal, ['R10.9']);
  });
});

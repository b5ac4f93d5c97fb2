import assert from 'node:assert/strict';
import type { EnumeratedValueDomain } from '@lingshu/metamodel';
import { dazhouInstitutions, dazhouTownshipList, isGb32100, starterCatalog, valueDomainId } from '../index';
import { gb32100Ok } from './helpers';

const DAZHOU_COUNTIES = ['511702', '511703', '511722', '511723', '511724', '511725', '511781'];

describe('seeds: Dazhou institutions', () => {
  const inst = dazhouInstitutions();

  it('has 28 hospitals, 7 county cloud-HIS systems and 234 primary-care institutions', () => {
    assert.equal(inst.hospitals.length, 28);
    assert.equal(inst.cloudHis.length, 7);
    assert.equal(inst.primaryCare.length, 234);
    assert.equal(inst.all.length, 28 + 234);
  });

  it('names the major Dazhou hospitals', () => {
    const names = inst.hospitals.map(h => h.name);
    for (const n of ['达州市中心医院', '达州市中西医结合医院', '达州市第二人民医院', '达州市妇幼保健院', '通川区人民医院', '达川区人民医院', '宣汉县人民医院', '开江县人民医院', '大竹县人民医院', '渠县人民医院', '万源市中心医院']) {
      assert.ok(names.includes(n), n);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('gives every institution a valid, unique unified social credit code', () => {
    const codes = [...inst.all.map(i => i.code), ...inst.cloudHis.map(c => c.operatorCode)];
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) {
      assert.ok(gb32100Ok(code), `${code} passes GB 32100`);
      assert.ok(isGb32100(code), code);
    }
    const broken = inst.all[0].code.slice(0, 17) + (inst.all[0].code[17] === '0' ? '1' : '0');
    assert.equal(gb32100Ok(broken), false);
  });

  it('uses WS 218 categories of the catalog and Dazhou county codes', () => {
    const ws218 = starterCatalog().find(i => i.id === valueDomainId('WS 218-2002')) as EnumeratedValueDomain;
    const categories = new Set(ws218.values.map(v => v.code));
    for (const i of inst.all) {
      assert.ok(categories.has(i.category), `${i.name} ${i.category}`);
      assert.ok(DAZHOU_COUNTIES.includes(i.countyCode), `${i.name} ${i.countyCode}`);
      assert.ok(i.level.length > 0);
      assert.equal(i.code.slice(0, 2), '12', `${i.name} is a public institution (事业单位)`);
    }
  });

  it('has one cloud-HIS per county, serving that county’s primary care', () => {
    assert.deepEqual(inst.cloudHis.map(c => c.countyCode).sort(), DAZHOU_COUNTIES);
    const served = inst.cloudHis.flatMap(c => c.institutionCodes);
    assert.equal(new Set(served).size, 234);
    for (const c of inst.cloudHis) {
      for (const code of c.institutionCodes) {
        const p = inst.primaryCare.find(x => x.code === code);
        assert.equal(p?.countyCode, c.countyCode);
        assert.equal(p?.cloudHisCode, c.code);
      }
    }
  });

  it('names primary care after real townships: 186 township health centres, 48 community centres/stations', () => {
    const townships = new Map(dazhouTownshipList().map(t => [t.code, t]));
    assert.equal(townships.size, 200);
    for (const p of inst.primaryCare) {
      const t = townships.get(p.townshipCode as string);
      assert.ok(t, p.name);
      assert.ok(p.name.startsWith(`${p.countyName}${t.name}`), p.name);
    }
    const healthCentres = inst.primaryCare.filter(p => p.category.startsWith('C'));
    const community = inst.primaryCare.filter(p => p.category.startsWith('B'));
    assert.equal(healthCentres.length, 186);
    assert.equal(community.length, 48);
    assert.ok(healthCentres.every(p => p.name.includes('卫生院')));
    assert.ok(community.every(p => p.name.includes('社区卫生服务')));
  });

  it('is deterministic', () => {
    assert.equal(dazhouInstitutions(), inst);
    assert.deepEqual(JSON.parse(JSON.stringify(dazhouInstitutions())), JSON.parse(JSON.stringify(inst)));
  });
});

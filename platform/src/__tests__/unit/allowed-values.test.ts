import assert from 'node:assert/strict';
import { formatAllowedValues, parseAllowedValues } from '../../screens/metadata-excel';

describe('允许值 in the WS table layout', () => {
  const values = (text: string) => {
    const parsed = parseAllowedValues(text);
    return parsed.kind === 'values' ? parsed.values.map(v => `${v.code}=${v.meaning}`) : parsed;
  };

  it('reads inline code lists in the ways WS tables write them', () => {
    assert.deepEqual(values('1.男 2.女'), ['1=男', '2=女']);
    assert.deepEqual(values('1 男；2 女；9 未说明'), ['1=男', '2=女', '9=未说明']);
    assert.deepEqual(values('01-居民身份证,02-居民户口簿'), ['01=居民身份证', '02=居民户口簿']);
    assert.deepEqual(values('1：门诊 2：急诊 3：住院'), ['1=门诊', '2=急诊', '3=住院']);
    assert.deepEqual(values('T.是 F.否'), ['T=是', 'F=否']);
  });

  it('reads references to code tables', () => {
    assert.deepEqual(parseAllowedValues('值含义见 CV02.01.101'), { kind: 'reference', identifier: 'CV02.01.101' });
    assert.deepEqual(parseAllowedValues('值含义见CV02.01.101代码表'), { kind: 'reference', identifier: 'CV02.01.101' });
    assert.deepEqual(parseAllowedValues('见 GB/T 2261.1-2003'), { kind: 'reference', identifier: 'GB/T 2261.1-2003' });
    assert.deepEqual(parseAllowedValues('CV09.00.404'), { kind: 'reference', identifier: 'CV09.00.404' });
  });

  it('keeps anything else as text, and nothing as none', () => {
    assert.deepEqual(parseAllowedValues('0-150'), { kind: 'text', text: '0-150' });
    assert.deepEqual(parseAllowedValues('按实际填写'), { kind: 'text', text: '按实际填写' });
    assert.deepEqual(parseAllowedValues('  '), { kind: 'none' });
  });

  it('writes short code tables inline and references long ones', () => {
    const header = { id: 'x', namespace: 'ws', version: 1, name: 'n', workflowStatus: 'published' as const, kind: 'value-domain' as const };
    const short = { ...header, identifier: 'GB/T 2261.1-2003', type: 'enumerated' as const, values: [{ code: '2', meaning: '女', order: 2 }, { code: '1', meaning: '男', order: 1 }] };
    assert.equal(formatAllowedValues(short), '1.男 2.女');
    assert.equal(values(formatAllowedValues(short)).toString(), '1=男,2=女');
    const long = { ...short, identifier: 'CV99.01.001', values: Array.from({ length: 20 }, (_, i) => ({ code: String(i), meaning: `v${i}` })) };
    assert.equal(formatAllowedValues(long), '值含义见 CV99.01.001');
    assert.equal(formatAllowedValues(undefined), '');
  });
});

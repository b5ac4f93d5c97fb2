import assert from 'node:assert/strict';
import { createForm } from '@formily/core';
import { Schema } from '@formily/json-schema';
import { compileSafe } from '../../index';

/** The real Formily 2.3.7 schema compiler, before and after `Schema.registerCompiler(compileSafe)`. */
describe('compileSafe inside Formily', () => {
  const g = globalThis as Record<string, unknown>;
  const INJECTED = "{{ constructor.constructor('globalThis.__lingshuPwned = (globalThis.__lingshuPwned || 0) + 1; return \"pwned\"')() }}";

  after(() => {
    delete g.__lingshuPwned;
  });

  it('Formily\'s own compiler runs an injected expression (the threat)', () => {
    assert.equal(Schema.compile(INJECTED, {}), 'pwned');
    assert.equal(g.__lingshuPwned, 1);
    delete g.__lingshuPwned;
  });

  describe('with the safe compiler registered', () => {
    before(() => Schema.registerCompiler(compileSafe));

    it('an injected expression evaluates to nothing and has no side effect', () => {
      assert.equal(Schema.compile(INJECTED, {}), undefined);
      const form = createForm();
      const schema = new Schema({ type: 'string', title: INJECTED, 'x-component-props': { placeholder: '{{ fetch("http://example.invalid") }}' } });
      const field = form.createField({ ...schema.toFieldProps(), name: 'a' } as never);
      assert.equal(field.title, undefined);
      assert.equal(g.__lingshuPwned, undefined);
    });

    it('reactions with $deps, $self and $values work through the safe language', () => {
      const form = createForm({ values: { sex: '2', weeks: 12 } });
      form.createField({ name: 'sex' });
      const weeks = new Schema({
        type: 'number',
        title: '孕周',
        'x-reactions': [
          { dependencies: ['sex'], fulfill: { state: { visible: "{{ $deps[0] === '2' }}" } } },
          { fulfill: { state: { description: "{{ $self.value > 10 ? '孕中期' : '孕早期' }}" } } },
          { fulfill: { state: { title: "{{ '孕周(' + $values.sex + ')' }}" } } },
        ],
      });
      const field = form.createField({ ...weeks.toFieldProps(), name: 'weeks' } as never);
      assert.equal(field.visible, true);
      assert.equal(field.description, '孕中期');
      assert.equal(field.title, '孕周(2)');
      form.setValuesIn('sex', '1');
      assert.equal(field.visible, false);
      assert.equal(field.title, '孕周(1)');
    });
  });
});

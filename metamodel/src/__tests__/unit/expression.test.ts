import assert from 'node:assert/strict';
import {
  ExpressionError,
  ExpressionRefused,
  checkSchemaExpressions,
  compileSafe,
  createSafeCompiler,
  evaluateExpression,
  parseExpression,
} from '../../index';

/** A class with a getter on its prototype, like Formily's Field. */
class FieldLike {
  private readonly data: Record<string, unknown> = { v: 3 };
  reads = 0;
  get value(): unknown {
    this.reads++;
    return this.data.v;
  }
  setValue(v: unknown): void {
    this.data.v = v;
  }
}

describe('safe expressions: the subset', () => {
  const scope = { a: 2, b: 5, s: 'abc', list: [1, 2, 3], o: { x: { y: 'deep' } }, $deps: ['1'] };

  it('evaluates literals, arithmetic, comparison, logic and ternaries', () => {
    assert.equal(compileSafe('1 + 2 * 3', {}), 7);
    assert.equal(compileSafe('(1 + 2) * 3', {}), 9);
    assert.equal(compileSafe('a * b - 1', scope), 9);
    assert.equal(compileSafe('b % a', scope), 1);
    assert.equal(compileSafe('-a + +"3"', scope), 1);
    assert.equal(compileSafe('a < b && b >= 5', scope), true);
    assert.equal(compileSafe('a === 2 ? "two" : "other"', scope), 'two');
    assert.equal(compileSafe("$deps[0] === '1'", scope), true);
    assert.equal(compileSafe('missing ?? "d"', scope), 'd');
    assert.equal(compileSafe('missing || 0', scope), 0);
    assert.equal(compileSafe('!a', scope), false);
    assert.equal(compileSafe('typeof s', scope), 'string');
    assert.equal(compileSafe('"a\\u4e2d\\n"', {}), 'a中\n');
    assert.equal(compileSafe('1e3 + .5', {}), 1000.5);
  });

  it('reads members, indexes and lengths; missing paths are undefined', () => {
    assert.equal(compileSafe('o.x.y', scope), 'deep');
    assert.equal(compileSafe('o["x"]["y"]', scope), 'deep');
    assert.equal(compileSafe('o?.nope?.y', scope), undefined);
    assert.equal(compileSafe('list[1] + list.length', scope), 5);
    assert.equal(compileSafe('s.length', scope), 3);
    assert.equal(compileSafe('s[0]', scope), 'a');
  });

  it('builds arrays and objects, calls whitelisted functions and methods', () => {
    assert.deepEqual(compileSafe('[a, b, s]', scope), [2, 5, 'abc']);
    assert.deepEqual({ ...(compileSafe('{ visible: a > 1, "t": s }', scope) as object) }, { visible: true, t: 'abc' });
    assert.equal(compileSafe('max(a, b, 4)', scope), 5);
    assert.equal(compileSafe('isEmpty(list)', scope), false);
    assert.equal(compileSafe('s.toUpperCase().startsWith("AB")', scope), true);
    assert.equal(compileSafe('list.includes(2)', scope), true);
    assert.equal(compileSafe('list.join("-")', scope), '1-2-3');
    assert.equal(compileSafe('Number("42") + 1', scope), 43);
  });

  it('reads getters a class defines (Formily fields) through the object', () => {
    const field = new FieldLike();
    assert.equal(compileSafe('$self.value + 1', { $self: field }), 4);
    assert.equal(field.reads, 1);
  });

  it('accepts extra whitelisted functions', () => {
    const compile = createSafeCompiler({ functions: { double: (x: unknown) => Number(x) * 2 } });
    assert.equal(compile('double(a)', scope), 4);
    assert.equal(compileSafe('double(a)', scope), undefined);
  });
});

describe('safe expressions: injection does nothing', () => {
  let sideEffect = 0;
  const field = new FieldLike();
  const scope = {
    $self: field,
    a: { b: 1 },
    $form: { submit: () => { sideEffect++; } },
    run: () => { sideEffect++; return 'ran'; },
  };

  const attacks = [
    "constructor.constructor('return process')()",
    "a.constructor.constructor('return process')()",
    'a.constructor',
    "a['constructor']",
    "a['__proto__']",
    '$self.__proto__',
    '$self["__proto__"].constructor',
    '$self.setValue(99)',
    '$self.setValue',
    '$form.submit()',
    'run()',
    'run',
    'this',
    'globalThis',
    'globalThis.process',
    'process.exit(1)',
    "fetch('http://example.invalid/steal')",
    "eval('1')",
    "Function('return this')()",
    "new Function('return 1')",
    '(() => 1)()',
    'function () { return 1 }',
    '`${constructor}`',
    'a.b = 2',
    'a = 1',
    '[].constructor.constructor("return 1")()',
    "''.constructor.constructor('return 1')()",
    "'x'.sub.call",
    'String.constructor',
    'list.map(x)',
    '{ __proto__: { polluted: 1 } }',
    'a.b++',
    'delete a.b',
    'a, run()',
    '/x/.test("x")',
    'a in a',
  ];

  for (const attack of attacks) {
    it(`${attack} → refused or undefined, no side effect`, () => {
      const before = sideEffect;
      const result = compileSafe(attack, scope);
      assert.ok(result === undefined, `evaluated to ${String(result)}`);
      assert.equal(sideEffect, before);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });
  }

  it('refuses (rather than ignores) the forms that try to reach code', () => {
    const refused = (e: string) =>
      assert.throws(() => evaluateExpression(e, scope), (err: Error) => err instanceof ExpressionError || err instanceof ExpressionRefused, e);
    for (const e of ["constructor.constructor('return process')()", 'a.constructor', '$self.__proto__', 'this', 'run()', 'run', '$form.submit()',
      "fetch('x')", '`${a}`', 'a = 1', '(() => 1)()', "''.constructor", '{ __proto__: 1 }', "'x'.sub('y')", '[1].map(run)']) refused(e);
  });

  it('leaves the field value untouched', () => {
    assert.equal(compileSafe('$self.value', scope), 3);
  });

  it('never sees globals, even when the scope has no such property', () => {
    assert.equal(compileSafe('process', {}), undefined);
    assert.equal(compileSafe('Object', {}), undefined);
    assert.equal(compileSafe('toString', {}), undefined);
    assert.equal(compileSafe('hasOwnProperty', { x: 1 }), undefined);
  });
});

describe('checkSchemaExpressions', () => {
  it('lists every {{ }} that does not parse, by path, and refuses run statements', () => {
    const schema = {
      type: 'object',
      properties: {
        sex: { type: 'string', 'x-visible': "{{$deps[0] === '1'}}", title: 'plain {{ text' },
        bad: { 'x-component-props': { placeholder: '{{ this.constructor }}' } },
        tpl: { title: '{{`x${1}`}}' },
        react: { 'x-reactions': [{ dependencies: ['sex'], fulfill: { state: { visible: '{{$deps[0] == 1}}' }, run: '$self.value = 1' } }] },
      },
    };
    const issues = checkSchemaExpressions(schema);
    assert.deepEqual(issues.map(i => [i.path, i.rule]), [
      ['properties/bad/x-component-props/placeholder', 'expression-syntax'],
      ['properties/tpl/title', 'expression-syntax'],
      ['properties/react/x-reactions/0/fulfill/run', 'statement-not-allowed'],
    ]);
    assert.match(issues[0].message, /"this" is not allowed at position 1/);
  });

  it('refuses, without running them, expressions that reach for code', () => {
    const schema = {
      a: "{{ constructor.constructor('return process')() }}",
      b: "{{ fetch('http://x') }}",
      c: '{{ $self.__proto__ }}',
      d: '{{ $form.submit() }}',
      e: "{{ a['constructor'] }}",
      f: '{{ { __proto__: 1 } }}',
      ok: "{{ $self.value > 1 && len($deps) > 0 && s.startsWith('x') ? max(1, 2) : $values.sex }}",
      extra: '{{ helper(1) }}',
    };
    const issues = checkSchemaExpressions(schema, '', ['helper']);
    assert.deepEqual(issues.map(i => [i.path, i.rule]), ['a', 'b', 'c', 'd', 'e', 'f'].map(p => [p, 'expression-refused']));
    assert.match(issues[0].message, /"constructor" is not accessible/);
    assert.match(issues[1].message, /"fetch" is not a function/);
    assert.deepEqual(checkSchemaExpressions({ extra: '{{ helper(1) }}' }).map(i => i.rule), ['expression-refused']);
  });

  it('accepts a schema without expressions', () => {
    assert.deepEqual(checkSchemaExpressions({ type: 'object', properties: { a: { title: '姓名' } } }), []);
  });

  it('reports syntax errors with a position', () => {
    assert.throws(() => parseExpression('a +'), /position 3/);
    assert.throws(() => parseExpression('a b'), /unexpected "b" at position 2/);
  });
});

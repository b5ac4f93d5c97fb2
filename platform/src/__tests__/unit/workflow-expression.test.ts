import assert from 'node:assert/strict';
import { ExpressionError, compileCondition } from '../../workflow/expression';
import { decide } from '../../workflow/service';
import { durationMs } from '../../workflow/definitions';

describe('workflow condition language (unit)', () => {
  const t = (src: string, vars: Record<string, unknown> = {}) => compileCondition(src).test(vars);
  const v = (src: string, vars: Record<string, unknown> = {}) => compileCondition(src).evaluate(vars);

  it('compares and combines process variables', () => {
    assert.equal(t('outcome == "approved"', { outcome: 'approved' }), true);
    assert.equal(t("outcome != 'approved'", { outcome: 'approved' }), false);
    assert.equal(t('amount > 1000 && urgent', { amount: 1500, urgent: true }), true);
    assert.equal(t('amount > 1000 and not urgent', { amount: 1500, urgent: true }), false);
    assert.equal(t('(a || b) && c', { a: false, b: true, c: true }), true);
    assert.equal(t('level in ["A", "B"]', { level: 'B' }), true);
    assert.equal(t('applicant.org.code == "511702"', { applicant: { org: { code: '511702' } } }), true);
    assert.equal(t('reviewers[1] == "li"', { reviewers: ['wang', 'li'] }), true);
    assert.equal(v('approvals * 100 / total', { approvals: 3, total: 5 }), 60);
    assert.equal(v('-x + 2', { x: 5 }), -3);
    assert.equal(t('missing == null'), true);
    assert.equal(t('reviewers', { reviewers: [] }), false, 'an empty list is false');
  });

  it('compares only like with like: "10" < 9 is false, not coerced', () => {
    assert.equal(t('a < b', { a: '10', b: 9 }), false);
    assert.equal(t('a >= b', { a: 'b', b: 'a' }), true);
  });

  it('reads own properties only: no prototypes, no functions, no calls', () => {
    assert.equal(v('x.length', { x: 'abc' }), undefined);
    assert.equal(v('o.toString', { o: {} }), undefined);
    assert.equal(v('f', { f: () => 1 }), undefined);
    assert.throws(() => compileCondition('o.constructor'), /"constructor" is not allowed/);
    assert.throws(() => compileCondition('o["__proto__"]'), /not allowed/);
    assert.throws(() => compileCondition('process.exit()'), (err: ExpressionError) => err.position === 12);
  });

  it('reports the position of a syntax error', () => {
    assert.throws(() => compileCondition('a == '), (err: ExpressionError) => err instanceof ExpressionError && err.position === 5);
    assert.throws(() => compileCondition('a == "x'), /unterminated string at position 5/);
    assert.throws(() => compileCondition('a # b'), /unexpected character "#" at position 2/);
  });
});

describe('multi-person approval rules (unit)', () => {
  const g = (...d: Array<'approve' | 'reject' | 'return' | null>) =>
    d.map(decision => ({ status: decision ? ('completed' as const) : ('open' as const), decision }));

  it('all (会签): every approval needed; one rejection or return decides at once', () => {
    assert.equal(decide('all', g('approve', null, null)), undefined);
    assert.equal(decide('all', g('approve', 'approve', 'approve')), 'approved');
    assert.equal(decide('all', g('approve', 'reject', null)), 'rejected');
    assert.equal(decide('all', g('return', null, null)), 'returned');
  });

  it('any (或签): one approval decides; rejected only when all rejected', () => {
    assert.equal(decide('any', g('reject', null)), undefined);
    assert.equal(decide('any', g('reject', 'approve')), 'approved');
    assert.equal(decide('any', g('reject', 'reject')), 'rejected');
  });

  it('percent: decided as soon as the share is reached or can no longer be', () => {
    assert.equal(decide('percent:60', g('approve', 'approve', null, null, null)), undefined);
    assert.equal(decide('percent:60', g('approve', 'approve', 'approve', null, null)), 'approved');
    assert.equal(decide('percent:60', g('reject', 'reject', null, null, null)), undefined);
    assert.equal(decide('percent:60', g('reject', 'reject', 'reject', null, null)), 'rejected');
    assert.equal(decide('percent:50', g('approve', 'reject')), 'approved');
  });

  it('ISO 8601 durations', () => {
    assert.equal(durationMs('P3D'), 3 * 86_400_000);
    assert.equal(durationMs('PT1H30M'), 5_400_000);
    assert.equal(durationMs('PT0.5S'), 500);
    assert.equal(durationMs('P1Y'), 365 * 86_400_000);
    assert.equal(durationMs('3 days'), undefined);
    assert.equal(durationMs('P'), undefined);
  });
});

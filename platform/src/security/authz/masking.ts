import { DataElement } from '@lingshu/metamodel';

export type MaskKind = 'id-number' | 'phone' | 'name' | 'address' | 'full';

/** The mask an element asks for, or one inferred from what the element is (WS/T 363 identifiers). */
export function maskKindOf(element: DataElement): MaskKind {
  const declared = (element as DataElement & { mask?: MaskKind }).mask;
  if (declared) return declared;
  if (element.checks?.includes('gb11643')) return 'id-number';
  const id = element.identifier;
  if (id.startsWith('DE02.01.010.') || /电话|手机/.test(element.name)) return 'phone';
  if (id.startsWith('DE02.01.039.') || /姓名/.test(element.name)) return 'name';
  if (id.startsWith('DE02.01.009.') || /地址|住址|门牌/.test(element.name)) return 'address';
  return 'full';
}

/** Masks one value the way Chinese health systems show it: 511702********1234, 138****5678, 张*明. */
export function maskValue(kind: MaskKind, value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  const s = [...String(value)];
  switch (kind) {
    case 'id-number':
      return s.length <= 10 ? '*'.repeat(s.length) : s.slice(0, 6).join('') + '*'.repeat(s.length - 10) + s.slice(-4).join('');
    case 'phone':
      return s.length <= 7 ? '*'.repeat(s.length) : s.slice(0, 3).join('') + '*'.repeat(s.length - 7) + s.slice(-4).join('');
    case 'name':
      return s.length === 1 ? '*' : s.length === 2 ? `${s[0]}*` : s[0] + '*'.repeat(s.length - 2) + s[s.length - 1];
    case 'address':
      return s.length <= 6 ? '*'.repeat(s.length) : s.slice(0, 6).join('') + '****';
    default:
      return '***';
  }
}

export type RowMasker = (<R extends Record<string, unknown>>(row: R) => R) & { masked?: ReadonlySet<string> };

/** A masker for the columns whose element sensitivity exceeds `clearance` (identity when none). */
export function compileMasker(columns: Array<{ column: string; element: DataElement }>, clearance: number): RowMasker {
  const masked = columns
    .filter(c => (c.element.sensitivity ?? 0) > clearance)
    .map(c => ({ column: c.column, kind: maskKindOf(c.element) }));
  if (masked.length === 0) return row => row;
  const masker: RowMasker = row => {
    const out: Record<string, unknown> = { ...row };
    for (const m of masked) if (m.column in out) out[m.column] = maskValue(m.kind, out[m.column]);
    return out as typeof row;
  };
  masker.masked = new Set(masked.map(m => m.column));
  return masker;
}

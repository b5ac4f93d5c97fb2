import { ColumnType } from '../contracts';
import { DataElement } from '../kinds';
import { elementFormat } from '../format/element-format';

const FIXED: Record<string, ColumnType> = {
  D: { sql: 'date', family: 'date' },
  DT: { sql: 'timestamp', family: 'timestamp' },
  T: { sql: 'time', family: 'time' },
  L: { sql: 'boolean', family: 'boolean' },
  BY: { sql: 'bytea', family: 'bytea' },
};

/** The portable PostgreSQL column type (accepted by openGauss and KingbaseES too) for an element. */
export function columnTypeOf(element: DataElement, maxOccurs = 1): ColumnType {
  if (maxOccurs > 1) return { sql: 'jsonb', family: 'json' };
  const fixed = FIXED[element.dataType];
  if (fixed !== undefined) return { ...fixed };
  const format = elementFormat(element);
  const max = format?.maxLength;
  if (element.dataType === 'N') return numericType(max, format?.scale ?? 0);
  if (max !== undefined) return { sql: `varchar(${max})`, family: 'text', length: max };
  return { sql: 'text', family: 'text' };
}

/** Integers by digit count (9 digits fit int4, 18 fit int8); decimals as numeric(p,s). */
function numericType(digits: number | undefined, scale: number): ColumnType {
  if (digits !== undefined && scale > 0) {
    return { sql: `numeric(${digits},${scale})`, family: 'numeric', precision: digits, scale };
  }
  if (digits !== undefined && digits <= 9) return { sql: 'integer', family: 'integer' };
  if (digits !== undefined && digits <= 18) return { sql: 'bigint', family: 'integer' };
  return { sql: 'numeric', family: 'numeric' };
}

/** Decimal digits before the point a type can hold; Infinity when unbounded. */
function integerDigits(type: ColumnType): number {
  if (type.sql === 'integer') return 10;
  if (type.sql === 'bigint') return 19;
  if (type.family === 'numeric' && type.precision !== undefined)
    return type.precision - (type.scale ?? 0);
  return Infinity;
}

function isNumberFamily(type: ColumnType): boolean {
  return type.family === 'integer' || type.family === 'numeric';
}

/** Whether every value of `from` fits `to` unchanged, so ALTER COLUMN … TYPE can never fail or lose data. */
export function isWidening(from: ColumnType, to: ColumnType): boolean {
  if (from.sql === to.sql) return true;
  if (from.family === 'text' && to.family === 'text') {
    return to.length === undefined || (from.length !== undefined && to.length >= from.length);
  }
  if (!isNumberFamily(from) || !isNumberFamily(to) || to.sql === 'integer') return false;
  if (to.sql === 'bigint') return from.sql === 'integer';
  // `to` is numeric: bounded by digits before and after the point.
  const toScale = to.precision === undefined ? Infinity : to.scale ?? 0;
  return integerDigits(to) >= integerDigits(from) && toScale >= (from.scale ?? 0);
}

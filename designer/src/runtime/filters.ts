import dayjs, { Dayjs } from 'dayjs';
import { screenQueryWhere } from '@lingshu/metamodel/dist/compile';
import type { ScreenFilter, ScreenList } from './types';

const isDayjs = (v: unknown): v is Dayjs => dayjs.isDayjs(v);

/** Form values → plain strings the data API compares (dates as YYYY-MM-DD, date-times as ISO local). */
function plain(filter: ScreenFilter, value: unknown): unknown {
  const one = (v: unknown) => (isDayjs(v) ? v.format(filter.input === 'datetime-range' ? 'YYYY-MM-DD[T]HH:mm:ss' : 'YYYY-MM-DD') : typeof v === 'string' ? v.trim() : v);
  return Array.isArray(value) ? value.map(one) : one(value);
}

/** The `where` of the query form's values (dayjs values made plain), or undefined when nothing is set. */
export function whereOf(list: Pick<ScreenList, 'filters'>, values: Record<string, unknown>): Record<string, unknown> | undefined {
  const flat: Record<string, unknown> = {};
  for (const f of list.filters) if (values[f.key] !== undefined) flat[f.key] = plain(f, values[f.key]);
  return screenQueryWhere(list, flat);
}

/** `?filter=` of a page of results. */
export function filterParam(where: Record<string, unknown> | undefined, page: { limit?: number; skip?: number; order?: string }): string {
  const filter: Record<string, unknown> = { ...page };
  if (where) filter.where = where;
  if (!filter.order) delete filter.order;
  return encodeURIComponent(JSON.stringify(filter));
}

import { ItemHeader } from './common';

/**
 * How a filter compares: `eq` exact, `contains` substring, `prefix` starts-with, `range` between
 * two bounds (either may be empty), `in` one of several codes.
 */
export type FilterOperator = 'eq' | 'contains' | 'prefix' | 'range' | 'in';
export const FILTER_OPERATORS: readonly FilterOperator[] = ['eq', 'contains', 'prefix', 'range', 'in'];

/** The kind of input a filter shows. */
export type FilterInput = 'input' | 'select' | 'date-range' | 'datetime-range' | 'number-range';

export interface ScreenFilter {
  /** Key of the filter's value in the query form (defaults to `field`). */
  key: string;
  title: string;
  /** The column compared; absent when `anyOf` is given. */
  field?: string;
  operator: FilterOperator;
  /** Several columns, any of which may match (e.g. person search by ID number or name). */
  anyOf?: Array<{ field: string; operator: FilterOperator }>;
  input?: FilterInput;
  /** Permissible values of a select, from the element's value domain. */
  options?: Array<{ value: string; label: string }>;
}

export interface ScreenColumn {
  field: string;
  title: string;
  width?: number;
  sortable?: boolean;
  /** A code column: show the meaning from these options. */
  options?: Array<{ value: string; label: string }>;
}

export interface ScreenList {
  columns: ScreenColumn[];
  filters: ScreenFilter[];
  defaultSort?: { field: string; direction: 'asc' | 'desc' };
  pageSize?: number;
}

export interface ScreenMenu {
  group: string;
  title: string;
  order?: number;
}

/**
 * A generated (or designed) screen over one dataset: a query list and a detail/edit form. The
 * form is a Formily JSON schema; its `{{ }}` expressions must parse in the safe expression
 * language (see expression/). Screens are versioned metadata like any other kind.
 */
export interface Screen extends ItemHeader {
  kind: 'screen';
  /** e.g. SCR.outpatient_visit */
  identifier: string;
  /** The dataset, by stable id or by code (at least one). */
  dataset: { id?: string; code?: string };
  form?: Record<string, unknown>;
  list: ScreenList;
  /** Role codes that see the screen in their menu; absent or empty: every role that may read the dataset. */
  roles?: string[];
  menu?: ScreenMenu;
}

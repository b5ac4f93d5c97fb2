/**
 * The function contracts other packages rely on. Each is implemented in its folder and
 * re-exported from index.ts.
 */
import { DataElement, DataType, Dataset, ResolvedDataset, MetadataItem, ValueDomain } from './kinds';

/** A parsed WS representation format. */
export interface RepresentationFormat {
  /** A letters, N digits, AN letters and digits, D date (D8), DT date-time (DT15), T time (T6). */
  charClass: 'A' | 'N' | 'AN' | 'D' | 'DT' | 'T';
  /** Minimum length (characters or digits); equals maxLength for a fixed length. */
  minLength?: number;
  /** Maximum length; undefined means unbounded. */
  maxLength?: number;
  /** Decimal places for `N..6,2`. */
  scale?: number;
  source: string;
}

/** A problem in metadata itself. `path` is a JSON-pointer-like path such as `inclusions/3/column`. */
export interface MetadataIssue {
  path: string;
  rule: string;
  message: string;
}

/** Lookups used when validating references between items. */
export interface MetadataLookup {
  element(id: string): DataElement | undefined;
  valueDomain(id: string): ValueDomain | undefined;
  /** A dataset by stable id or code (screens refer to one); without it, screen fields are not checked against columns. */
  dataset?(ref: { id?: string; code?: string }): Dataset | undefined;
}

/** An error in a data record. */
export interface RecordError {
  /** Column / property name. */
  field: string;
  /** Machine-readable rule: required, type, length, charset, format, range, code, pattern, checksum, unknown-field, max-occurs. */
  rule: string;
  message: string;
  /** Position of the offending character (0-based) when the rule is about a character. */
  position?: number;
  /** The offending value, truncated to 100 characters. */
  value?: unknown;
}

export interface RecordValidationOptions {
  /** PATCH semantics: missing mandatory fields are not errors. */
  partial?: boolean;
  /** Date used for value-domain validity (YYYY-MM-DD); today by default. */
  today?: string;
}

export interface RecordValidationResult {
  /** The record normalized for storage: D8 → YYYY-MM-DD, DT15 → YYYY-MM-DDTHH:mm:ss, numeric strings → numbers. */
  value: Record<string, unknown>;
  errors: RecordError[];
}

export type RecordValidator = (
  record: unknown,
  options?: RecordValidationOptions,
) => RecordValidationResult;

/** A column type in portable PostgreSQL. */
export interface ColumnType {
  /** SQL text, e.g. `varchar(50)`, `numeric(6,2)`, `date`. */
  sql: string;
  family: 'text' | 'integer' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'time' | 'bytea' | 'json';
  length?: number;
  precision?: number;
  scale?: number;
}

export type { DataType, MetadataItem, ResolvedDataset };

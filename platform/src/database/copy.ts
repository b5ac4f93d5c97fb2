/** COPY … FROM in text format; identifiers come from validated metadata and are quoted. */
export function copyStatement(table: string, columns: string[], source: string): string {
  return `COPY "${table}" (${columns.map(c => `"${c}"`).join(', ')}) FROM ${source}`;
}

const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of COPY text format. */
export function copyText(value: string): string {
  return SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, c => ESCAPES[c]) : value;
}

export const COPY_NULL = '\\N';

/**
 * How column values come back from either driver: dates and times as ISO-like text (no Date
 * objects, no time zone drift), numerics as JS numbers, int8 as numbers (counts fit).
 */
const asText = (v: string) => v;
const toTimestamp = (v: string) => v.replace(' ', 'T');

export const PG_TYPE_OIDS = {
  int8: 20,
  numeric: 1700,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

export const VALUE_PARSERS: Record<number, (v: string) => unknown> = {
  [PG_TYPE_OIDS.int8]: Number,
  [PG_TYPE_OIDS.numeric]: Number,
  [PG_TYPE_OIDS.date]: asText,
  [PG_TYPE_OIDS.time]: asText,
  [PG_TYPE_OIDS.timestamp]: toTimestamp,
  [PG_TYPE_OIDS.timestamptz]: asText,
};

/**
 * How column values come back from either driver: timestamps and bigints as text (exact, no JS Date
 * or float rounding), json and jsonb parsed with the written text of their decimals kept (core
 * parseFhirJson). Both drivers use the same parsers so results match.
 */
import { parseFhirJson } from '../core/index.js';

export const OID = { int8: 20, json: 114, jsonb: 3802, timestamptz: 1184, timestamp: 1114, date: 1082 } as const;

const identity = (value: string): string => value;

export const TEXT_PARSED_OIDS: number[] = [OID.int8, OID.timestamptz, OID.timestamp, OID.date];

/** The to_char() format that writes a UTC timestamp as toFhirInstant does (to_char's MS truncates). */
export const FHIR_INSTANT_FORMAT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

/**
 * Formats a timestamptz as PostgreSQL prints it in UTC ("2025-01-09 10:30:00.123456+00") as a FHIR
 * instant with milliseconds ("2025-01-09T10:30:00.123Z"): PostgreSQL keeps microseconds, the
 * embedded build milliseconds, so every meta.lastUpdated is cut to milliseconds to read the same on
 * both (as fhir.instant() in SQL and the bundle's response.lastModified do).
 */
export function toFhirInstant(timestamp: string): string {
  if (timestamp.includes('T')) return timestamp;
  const end = timestamp.endsWith('+00') ? timestamp.length - 3 : timestamp.length;
  const fraction = timestamp.slice(20, end);
  return `${timestamp.slice(0, 10)}T${timestamp.slice(11, 19)}.${fraction.slice(0, 3).padEnd(3, '0')}Z`;
}

export const textParsers: Record<number, (value: string) => unknown> = {
  ...Object.fromEntries(TEXT_PARSED_OIDS.map((oid) => [oid, identity])),
  [OID.json]: parseFhirJson,
  [OID.jsonb]: parseFhirJson,
};

/**
 * How column values come back from either driver: timestamps and bigints as text (exact, no JS Date
 * or float rounding), json and jsonb parsed. Both drivers use the same parsers so results match.
 */

export const OID = { int8: 20, json: 114, jsonb: 3802, timestamptz: 1184, timestamp: 1114, date: 1082 } as const;

const identity = (value: string): string => value;

export const TEXT_PARSED_OIDS: number[] = [OID.int8, OID.timestamptz, OID.timestamp, OID.date];

/** Formats a timestamptz as PostgreSQL prints it in UTC ("2025-01-09 10:30:00.123456+00") as a FHIR instant. */
export function toFhirInstant(timestamp: string): string {
  if (timestamp.includes('T')) return timestamp;
  const end = timestamp.endsWith('+00') ? timestamp.length - 3 : timestamp.length;
  return `${timestamp.slice(0, 10)}T${timestamp.slice(11, end)}Z`;
}

export const textParsers: Record<number, (value: string) => unknown> = Object.fromEntries(
  TEXT_PARSED_OIDS.map((oid) => [oid, identity]),
);

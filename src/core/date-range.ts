/**
 * The implicit range of a FHIR date, dateTime or instant value at its precision
 * (http://hl7.org/fhir/R4/search.html#date): 2024 covers [2024-01-01T00:00Z, 2025-01-01T00:00Z).
 * Values without a timezone are read as UTC.
 */

export interface DateRange {
  /** Inclusive lower bound, an ISO instant. */
  start: string;
  /** Exclusive upper bound, an ISO instant. */
  end: string;
  precision: 'year' | 'month' | 'day' | 'minute' | 'second' | 'millisecond';
}

const DATE_TIME = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  return sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
}

function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): Date {
  // Computed in the year 2000 (Date.UTC reads years below 100 as 19xx), then moved to the real year,
  // keeping the overflow of month 13 or day 32 into the next year.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(date.getUTCFullYear() - 2000 + year);
  return date;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const date = utc(year, month, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Parses a FHIR date/dateTime/instant into its range; undefined when the value is not one. */
export function dateRange(value: string): DateRange | undefined {
  const match = DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  if (month < 1 || month > 12 || !isRealDate(year, month, day)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59))) return undefined;
  if (!mo) return { start: utc(year, 1, 1).toISOString(), end: utc(year + 1, 1, 1).toISOString(), precision: 'year' };
  if (!d) return { start: utc(year, month, 1).toISOString(), end: utc(year, month + 1, 1).toISOString(), precision: 'month' };
  if (h === undefined) return { start: utc(year, month, day).toISOString(), end: utc(year, month, day + 1).toISOString(), precision: 'day' };
  const shift = offsetMinutes(zone);
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const start = utc(year, month, day, Number(h), Number(mi) - shift, s ? Number(s) : 0, ms);
  const precision = fraction ? 'millisecond' : s !== undefined ? 'second' : 'minute';
  const width = precision === 'millisecond' ? 1 : precision === 'second' ? 1000 : 60_000;
  return { start: start.toISOString(), end: new Date(start.getTime() + width).toISOString(), precision };
}

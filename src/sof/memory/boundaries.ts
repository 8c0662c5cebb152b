/**
 * lowBoundary() and highBoundary() for the in-memory runner, the same rules as the SQL functions
 * fhir.fp_boundary_* (src/sql-api/fhirpath-sql-functions.ts): a decimal widened by half a unit of
 * its last written digit (exact, on its source text), partial dates and times filled to the
 * millisecond, a dateTime without time zone taken at +14:00 (low) or -12:00 (high).
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** The boundary of a decimal given as written ('1.0' -> 0.95 / 1.05). */
export function decimalBoundary(text: string, low: boolean): number | undefined {
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = ''] = match;
  const scale = fraction.length + 1;
  const scaled = BigInt(`${sign}${whole}${fraction}0`) + (low ? -5n : 5n);
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  return Number(`${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`);
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const TIME = /^(\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?$/;
const DATE_TIME = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?)?))?(Z|[+-]\d{2}:\d{2})?$/;

export function dateBoundary(text: string, low: boolean): string | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [, year, month, day] = match;
  if (day !== undefined) return text;
  if (low) return `${year}-${month ?? '01'}-01`;
  const lastMonth = month ?? '12';
  const lastDay = new Date(Date.UTC(Number(year), Number(lastMonth), 0)).getUTCDate();
  return `${year}-${lastMonth}-${String(lastDay).padStart(2, '0')}`;
}

function fraction(text: string | undefined, low: boolean): string {
  if (text === undefined) return low ? '.000' : '.999';
  return text.length >= 4 ? text : text.padEnd(4, low ? '0' : '9');
}

export function timeBoundary(text: string, low: boolean): string | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const [, hour, minute, second, ms] = match;
  const fill = low ? '00' : '59';
  return `${hour}:${minute ?? fill}:${second ?? fill}${fraction(ms, low)}`;
}

export function dateTimeBoundary(text: string, low: boolean): string | undefined {
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, date, time, zone] = match;
  const day = dateBoundary(date, low);
  const clock = timeBoundary(time ?? (low ? '00' : '23'), low);
  if (day === undefined || clock === undefined) return undefined;
  return `${day}T${clock}${zone ?? (low ? '+14:00' : '-12:00')}`;
}

/** Which rule a value of a FHIR type (or a computed value of this form) follows. */
export function temporalKind(fhirType: string | null, value: string): 'date' | 'dateTime' | 'time' | undefined {
  if (fhirType === 'date') return 'date';
  if (fhirType === 'dateTime' || fhirType === 'instant') return 'dateTime';
  if (fhirType === 'time') return 'time';
  if (fhirType !== null) return undefined;
  if (DATE.test(value)) return 'date';
  if (TIME.test(value)) return 'time';
  return DATE_TIME.test(value) ? 'dateTime' : undefined;
}

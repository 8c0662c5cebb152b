/**
 * Checks a primitive JSON value against its FHIR type: the JSON type, the type's regular
 * expression from its StructureDefinition, and numeric ranges (http://hl7.org/fhir/R4/datatypes.html).
 */
import type { TypeSchema } from '../model/index.js';

/** Types whose pattern allows impossible days (2024-02-30): checked against the calendar too. */
const CALENDAR_TYPES = new Set(['date', 'dateTime', 'instant']);
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Is the day of a date, dateTime or instant (already matching its pattern, so months, hours,
 * minutes and seconds are in range) a day of the calendar? Only YYYY-MM-DD can name a day that
 * does not exist.
 */
function isCalendarDay(value: string): boolean {
  if (value.length < 10) return true;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  const leap = month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0);
  return day >= 1 && day <= DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0);
}

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

function numericProblem(typeName: string, value: number): string | undefined {
  if (!Number.isFinite(value)) return 'is not a finite number';
  if (typeName === 'decimal') return undefined;
  if (!Number.isInteger(value)) return 'is not an integer';
  if (value < INT_MIN || value > INT_MAX) return 'is outside the 32-bit integer range';
  if (typeName === 'unsignedInt' && value < 0) return 'is negative';
  if (typeName === 'positiveInt' && value < 1) return 'is not positive';
  return undefined;
}

/** A description of what is wrong with the value, or undefined when it is valid. */
export function primitiveProblem(type: TypeSchema, value: unknown): string | undefined {
  const primitive = type.primitive;
  if (!primitive) return undefined;
  if (typeof value !== primitive.jsonType) return `must be a JSON ${primitive.jsonType} (${type.name}), not ${Array.isArray(value) ? 'an array' : typeof value}`;
  if (typeof value === 'number') return numericProblem(type.name, value);
  if (typeof value === 'string') {
    if (type.name === 'xhtml') return value.trim() === '' ? 'is empty' : undefined;
    if (primitive.pattern && !primitive.pattern.test(value)) return `is not a valid ${type.name}`;
    if (CALENDAR_TYPES.has(type.name) && !isCalendarDay(value)) return `is not a real ${type.name} (no such day)`;
  }
  return undefined;
}

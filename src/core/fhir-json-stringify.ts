/**
 * stringifyFhirJson: JS values -> JSON text that writes every number whose text was recorded (see
 * number-texts.ts) as it was written, as long as the number still has that value (code that changed
 * a number is honoured). Values without recorded texts go to JSON.stringify unchanged; the rest is
 * written here with JSON.stringify's rules (toJSON, undefined members left out, null in arrays,
 * non-finite numbers as null, the same indentation).
 */
import { hasNumberTexts, numberTextAt } from './number-texts.js';

type Holder = Record<string | number, unknown>;

function writeNumber(holder: object | undefined, key: string | number, value: number): string {
  const text = holder ? numberTextAt(holder, key, value) : undefined;
  if (text !== undefined) return text;
  return Number.isFinite(value) ? String(value) : 'null';
}

function writeArray(array: unknown[], indent: string, step: string): string {
  if (array.length === 0) return '[]';
  const inner = indent + step;
  const items = array.map((_item, index) => writeValue(array as unknown as Holder, index, inner, step) ?? 'null');
  return step === '' ? `[${items.join(',')}]` : `[\n${inner}${items.join(`,\n${inner}`)}\n${indent}]`;
}

function writeObject(object: Holder, indent: string, step: string): string {
  const inner = indent + step;
  const members: string[] = [];
  const separator = step === '' ? ':' : ': ';
  for (const key of Object.keys(object)) {
    const written = writeValue(object, key, inner, step);
    if (written !== undefined) members.push(JSON.stringify(key) + separator + written);
  }
  if (members.length === 0) return '{}';
  return step === '' ? `{${members.join(',')}}` : `{\n${inner}${members.join(`,\n${inner}`)}\n${indent}}`;
}

/** The text of holder[key], or undefined when JSON leaves it out. */
function writeValue(holder: Holder, key: string | number, indent: string, step: string): string | undefined {
  let value = holder[key];
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(String(key));
  }
  switch (typeof value) {
    case 'number': return writeNumber(holder, key, value);
    case 'string': return JSON.stringify(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'bigint': return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value, indent, step) : writeObject(value as Holder, indent, step);
    default: return undefined;
  }
}

/**
 * Writes a JSON value as JSON.stringify would, except that recorded number texts are kept. `indent`
 * is the number of spaces per level (as JSON.stringify's third argument); none writes compact JSON.
 */
export function stringifyFhirJson(value: unknown, indent?: number): string {
  if (!hasNumberTexts(value)) return JSON.stringify(value, null, indent);
  const step = ' '.repeat(Math.min(10, Math.max(0, Math.floor(indent ?? 0))));
  return writeValue({ '': value }, '', '', step) as string;
}

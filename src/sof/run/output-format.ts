/**
 * The output formats of $run: json (one array of row objects), ndjson (one object per line) and csv
 * (RFC 4180: a header of column names unless header=false, fields quoted when they hold a comma,
 * a quote or a line break; null is an empty field; collections and complex values are their JSON).
 */
import type { RunFormat } from './run-parameters.js';

export const CONTENT_TYPES: Record<RunFormat, string> = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
};

export function csvField(value: string | null): string {
  if (value === null) return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvLine(fields: (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** A value of an in-memory row as a CSV field text. */
export function csvText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** Frames JSON row texts as the format's body: the chunks to write, in order. */
export async function* frameJsonRows(rows: AsyncIterable<string[]>, format: 'json' | 'ndjson'): AsyncGenerator<string> {
  if (format === 'ndjson') {
    for await (const batch of rows) if (batch.length > 0) yield `${batch.join('\n')}\n`;
    return;
  }
  // Nothing is written before the first batch is read, so an error there still becomes an answer.
  let first = true;
  for await (const batch of rows) {
    if (batch.length === 0) continue;
    yield `${first ? '[' : ','}${batch.join(',')}`;
    first = false;
  }
  yield first ? '[]' : ']';
}

/**
 * The text a $sql statement is run as, and the way back from PostgreSQL's error positions to the
 * character in the statement as sent. On PostgreSQL the `?` values are bind parameters; in the
 * embedded database the statement runs inside a function (dynamic SQL takes no untyped
 * parameters), so each value is written in as a parenthesized string constant, `('it''s')`: an
 * untyped literal, resolved to a type as PostgreSQL resolves an untyped parameter.
 */
import { join, param, quoteLiteral, raw, type Sql } from '../sql/index.js';
import { sqlErrors } from './sql-errors.js';
import { inputPosition, type LexedStatement } from './statement-lexer.js';

/** A statement as text, with where its length differs from the input (see LexedStatement.shifts). */
export interface PlacedText {
  text: string;
  shifts: LexedStatement['shifts'];
}

/** A value as it is bound: objects and arrays as their JSON text. */
export function bindValue(value: unknown): unknown {
  if (typeof value === 'string' && value.includes('\u0000')) {
    throw sqlErrors['sql.bad-parameter']({ detail: 'A value holds a NUL character, which PostgreSQL text cannot hold' });
  }
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** The statement as SQL: its text with $n placeholders and the values as bind parameters, in order. */
export function boundStatement(lexed: LexedStatement, params: unknown[]): Sql {
  return join(lexed.chunks.map((chunk) => (typeof chunk === 'number' ? param(bindValue(params[chunk - 1])) : raw(chunk))), '');
}

function literal(value: unknown): string {
  const bound = bindValue(value);
  if (bound === null || bound === undefined) return 'NULL';
  return `(${quoteLiteral(String(bound))})`;
}

/** The statement with each value written in as a string constant, and the shifts that places errors. */
export function inlinedStatement(lexed: LexedStatement, params: unknown[]): PlacedText {
  const literals = lexed.chunks.filter((chunk): chunk is number => typeof chunk === 'number').map((n) => literal(params[n - 1]));
  const text = lexed.chunks.map((chunk) => (typeof chunk === 'number' ? literals[chunk - 1] : chunk)).join('');
  let delta = 0;
  let placeholder = 0;
  const shifts = lexed.shifts.map(({ at, shift }) => {
    if (shift < 0) return { at: at + delta, shift };
    placeholder += 1;
    const value = literals[placeholder - 1];
    const moved = { at: at + delta, shift: value.length - 1 };
    delta += value.length - `$${placeholder}`.length;
    return moved;
  });
  return { text, shifts };
}

/** The character of the input a 1-based position of PostgreSQL's points at, given the text put before it. */
export function placeError(placed: Pick<PlacedText, 'shifts'>, lexed: LexedStatement, position: number, prefixLength: number): number | undefined {
  const inText = position - prefixLength;
  if (!Number.isFinite(inText) || inText < 1) return undefined;
  return inputPosition({ ...lexed, shifts: placed.shifts }, inText);
}

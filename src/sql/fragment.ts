/**
 * SQL as data. A query is a tree of frozen fragments; values only ever enter as bind parameters and
 * identifiers only through ident(). compile() is the one place that produces SQL text and $n
 * placeholders. Named parts can carry a comment (/* subject *\/) so generated queries read well in
 * logs and EXPLAIN output.
 */
import { stringifyFhirJson } from '../core/index.js';
import { quoteIdentifier } from './quote.js';

export interface Sql {
  readonly kind: 'sql';
  readonly parts: readonly SqlPart[];
}

export interface Param {
  readonly kind: 'param';
  readonly value: unknown;
}

export interface Ident {
  readonly kind: 'ident';
  readonly names: readonly string[];
}

export type SqlPart = string | Param | Ident | Sql;

export interface CompiledSql {
  text: string;
  values: unknown[];
}

/** Values that may appear inside sql`...`: fragments and identifiers are spliced, anything else is a parameter. */
export type SqlValue = Sql | Ident | Param | unknown;

function isPart(value: unknown): value is Sql | Ident | Param {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'sql' || kind === 'ident' || kind === 'param';
}

/** Tagged template: sql`select * from ${ident('patient')} where id = ${id}`. */
export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  const parts: SqlPart[] = [];
  strings.forEach((text, index) => {
    if (text !== '') parts.push(text);
    if (index < values.length) {
      const value = values[index];
      parts.push(isPart(value) ? value : param(value));
    }
  });
  return Object.freeze({ kind: 'sql', parts: Object.freeze(parts) });
}

export function param(value: unknown): Param {
  return Object.freeze({ kind: 'param', value });
}

/**
 * A JSON value as a parameter (serialized here, so arrays never become PostgreSQL arrays), with the
 * written text of its decimals: jsonb keeps a numeric's scale, so 105.00 is stored as 105.00.
 */
export function jsonParam(value: unknown): Param {
  return param(stringifyFhirJson(value));
}

const MAX_IDENTIFIER_BYTES = 63;

/** Checks an identifier that is about to be quoted; throws on names PostgreSQL would truncate or reject. */
export function assertIdentifier(name: string): void {
  if (name.length === 0 || name.includes('\u0000') || Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new Error(`invalid SQL identifier: ${JSON.stringify(name)}`);
  }
}

/** A quoted identifier; several names make a qualified one (schema.table). */
export function ident(...names: string[]): Ident {
  names.forEach(assertIdentifier);
  return Object.freeze({ kind: 'ident', names: Object.freeze([...names]) });
}

/** Trusted SQL text: keywords, operators, generated DDL. Never user input. */
export function raw(text: string): Sql {
  return Object.freeze({ kind: 'sql', parts: Object.freeze([text]) });
}

export function join(fragments: readonly SqlValue[], separator = ', '): Sql {
  const parts: SqlPart[] = [];
  fragments.forEach((fragment, index) => {
    if (index > 0) parts.push(separator);
    parts.push(isPart(fragment) ? fragment : param(fragment));
  });
  return Object.freeze({ kind: 'sql', parts: Object.freeze(parts) });
}

/**
 * A named part: the name becomes a comment in the SQL text. PostgreSQL nests block comments, so
 * neither an opening nor a closing mark of the name survives: any text can be a name.
 */
export function named(name: string, fragment: Sql): Sql {
  const safe = name.replace(/\*\//g, '* /').replace(/\/\*/g, '/ *');
  return sql`/* ${raw(safe)} */ ${fragment}`;
}

export const empty: Sql = raw('');

/**
 * Turns a fragment tree into SQL text with $1..$n placeholders and the matching values. The tree is
 * walked with a stack of its own, not by recursion, so no depth of nesting overflows the call stack.
 */
export function compile(fragment: Sql): CompiledSql {
  const values: unknown[] = [];
  const chunks: string[] = [];
  const stack: { parts: readonly SqlPart[]; next: number }[] = [{ parts: fragment.parts, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.parts.length) {
      stack.pop();
      continue;
    }
    const part = top.parts[top.next++];
    if (typeof part === 'string') chunks.push(part);
    else if (part.kind === 'param') {
      values.push(part.value);
      chunks.push(`$${values.length}`);
    } else if (part.kind === 'ident') chunks.push(part.names.map(quoteIdentifier).join('.'));
    else stack.push({ parts: part.parts, next: 0 });
  }
  return { text: chunks.join(''), values };
}

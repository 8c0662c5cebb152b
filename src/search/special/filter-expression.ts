/**
 * The _filter parameter grammar (http://hl7.org/fhir/R4/search_filter.html): parses a filter such as
 * `(status eq active or status eq completed) and not (code eq 123)` into an expression tree. Only
 * syntax lives here; which parameters exist and what an operator means for them is the compiler's.
 */
import type { FhirError } from '../../core/index.js';
import { searchErrors } from '../search-errors.js';

export const FILTER_OPERATORS = [
  'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'ap', 'sa', 'eb', 'pr', 'po', 'ss', 'sb', 'in', 'ni', 're',
] as const;

export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/**
 * How a value was written, read from its spelling alone (the parameter's type decides its meaning):
 * string: quoted, escapes resolved; number: 12, 5.4, -1e3 (a bare year such as 2014 reads as a number);
 * date: 2014-10, 2014-10-10, 2014-10-10T10:00:00Z; other: unquoted, starting like a number but neither
 * a number nor a date (5.4|http://unitsofmeasure.org|mg, 1234-5); token: any other unquoted value.
 */
export type FilterValueKind = 'string' | 'token' | 'number' | 'date' | 'other';

/** A parameter and what it is chained through: subject.name is {subject, chain: {name}}. */
export interface FilterPath {
  parameter: string;
  chain?: FilterPath;
}

/**
 * A parsed filter. `related[type eq has-member].target pr true` becomes a nested expression on the
 * path `related` whose filter is `type eq has-member and target pr true`: both hold for one value.
 */
export type FilterExpression =
  | { kind: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; expression: FilterExpression }
  | { kind: 'test'; path: FilterPath; operator: FilterOperator; value: string; valueKind: FilterValueKind }
  | { kind: 'nested'; path: FilterPath; filter: FilterExpression };

const NAME = /[_A-Za-z][_A-Za-z0-9-]*/y;
const WORD = /[A-Za-z]+/y;
const TOKEN = /[^\s\])]+/y;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
const DATE = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
const NUMERIC_START = /^-?\d/;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** Parentheses, not and brackets nest at most this deep (a guard against a stack overflow). */
const MAX_DEPTH = 100;

function valueKindOf(value: string): FilterValueKind {
  if (NUMBER.test(value)) return 'number';
  if (DATE.test(value)) return 'date';
  return NUMERIC_START.test(value) ? 'other' : 'token';
}

function pathOf(names: string[]): FilterPath {
  const [parameter, ...rest] = names;
  return rest.length === 0 ? { parameter } : { parameter, chain: pathOf(rest) };
}

/** A recursive-descent parser over the text; offsets in messages count characters from 0. */
class FilterParser {
  private position = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parse(): FilterExpression {
    const expression = this.parseOr();
    this.skipSpace();
    if (!this.atEnd()) throw this.error('"and", "or" or the end of the filter');
    return expression;
  }

  /** filter ("or" filter)*: or binds loosest. */
  private parseOr(): FilterExpression {
    if (++this.depth > MAX_DEPTH) throw this.fail(`at offset ${this.position}: filter nested deeper than ${MAX_DEPTH} levels`);
    let left = this.parseAnd();
    while (this.takeKeyword('or')) left = { kind: 'or', left, right: this.parseAnd() };
    this.depth--;
    return left;
  }

  /** filter ("and" filter)*: and binds tighter than or. */
  private parseAnd(): FilterExpression {
    let left = this.parseUnary();
    while (this.takeKeyword('and')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  /** "not" "(" filter ")" | "(" filter ")" | paramExp */
  private parseUnary(): FilterExpression {
    this.skipSpace();
    if (this.atEnd()) throw this.error('a filter');
    if (this.atNot()) {
      this.position += 3;
      this.skipSpace();
      return { kind: 'not', expression: this.parseGroup() };
    }
    return this.peek() === '(' ? this.parseGroup() : this.parseTest();
  }

  private parseGroup(): FilterExpression {
    const open = this.position;
    this.expect('(', '"("');
    const expression = this.parseOr();
    this.skipSpace();
    this.expect(')', `")" to close the "(" at offset ${open}`);
    return expression;
  }

  /** paramPath SP compareOp SP compValue, or name[filter].paramPath ... */
  private parseTest(): FilterExpression {
    const names = [this.parseName()];
    while (this.peek() === '.' || this.peek() === '[') {
      if (this.peek() === '[') return this.parseNested(names);
      this.position++;
      names.push(this.parseName());
    }
    this.expectSpace('a space after the parameter', 'a comparison operator');
    const operator = this.parseOperator();
    this.expectSpace('a space after the operator', 'a value');
    const { value, valueKind } = this.parseValue();
    return { kind: 'test', path: pathOf(names), operator, value, valueKind };
  }

  /** name[filter].rest: the bracketed filter and the rest hold for the same value of name. */
  private parseNested(names: string[]): FilterExpression {
    const open = this.position++;
    const filter = this.parseOr();
    this.skipSpace();
    this.expect(']', `"]" to close the "[" at offset ${open}`);
    this.expect('.', '"." and a parameter after "]"');
    const rest = this.parseTest();
    return { kind: 'nested', path: pathOf(names), filter: { kind: 'and', left: filter, right: rest } };
  }

  private parseName(): string {
    const name = this.match(NAME);
    if (name === undefined) throw this.error('a parameter name');
    return name;
  }

  private parseOperator(): FilterOperator {
    const start = this.position;
    const word = this.match(WORD)?.toLowerCase();
    if (word === undefined) throw this.error('a comparison operator');
    const operator = FILTER_OPERATORS.find((known) => known === word);
    if (operator) return operator;
    throw this.fail(`at offset ${start}: unknown operator "${word}", expected one of ${FILTER_OPERATORS.join(', ')}`);
  }

  private parseValue(): { value: string; valueKind: FilterValueKind } {
    if (this.peek() === '"') return { value: this.parseString(), valueKind: 'string' };
    const token = this.match(TOKEN);
    if (token === undefined) throw this.error('a value');
    return { value: token, valueKind: valueKindOf(token) };
  }

  /** A JSON string: \" \\ \/ \b \f \n \r \t and \uXXXX escapes. */
  private parseString(): string {
    const open = this.position++;
    let value = '';
    while (!this.atEnd()) {
      const char = this.text[this.position++];
      if (char === '"') return value;
      value += char === '\\' ? this.parseEscape() : char;
    }
    throw this.fail(`at offset ${open}: unterminated string, the quote is never closed`);
  }

  private parseEscape(): string {
    const at = this.position - 1;
    const code = this.text[this.position++] ?? '';
    if (Object.hasOwn(ESCAPES, code)) return ESCAPES[code];
    const hex = this.text.slice(this.position, this.position + 4);
    if (code === 'u' && /^[0-9A-Fa-f]{4}$/.test(hex)) {
      this.position += 4;
      return String.fromCharCode(parseInt(hex, 16));
    }
    throw this.fail(`at offset ${at}: invalid escape "\\${code}" in a string`);
  }

  /** Consumes and/or (any case) when it stands as a word at the current position. */
  private takeKeyword(keyword: 'and' | 'or'): boolean {
    this.skipSpace();
    const end = this.position + keyword.length;
    if (this.text.slice(this.position, end).toLowerCase() !== keyword) return false;
    if (end < this.text.length && !/[\s(]/.test(this.text[end])) return false;
    this.position = end;
    return true;
  }

  /** "not" counts as the keyword only when a "(" follows, so a parameter may still be called not. */
  private atNot(): boolean {
    return /^not\s*\(/i.test(this.text.slice(this.position, this.position + 64));
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.position;
    const found = pattern.exec(this.text)?.[0];
    if (found) this.position += found.length;
    return found || undefined;
  }

  private expect(char: string, what: string): void {
    if (this.peek() !== char) throw this.error(what);
    this.position++;
  }

  /** The space between the parts of a comparison; at the end, the part that is missing is the news. */
  private expectSpace(what: string, next: string): void {
    if (!/\s/.test(this.peek())) throw this.error(this.atEnd() ? next : what);
    this.skipSpace();
  }

  private skipSpace(): void {
    while (/\s/.test(this.peek())) this.position++;
  }

  private peek(): string {
    return this.text[this.position] ?? '';
  }

  private atEnd(): boolean {
    return this.position >= this.text.length;
  }

  /** "at offset N: expected X, found Y". */
  private error(expected: string): FhirError {
    const rest = this.text.slice(this.position).match(/^\S{1,20}/)?.[0];
    const found = rest === undefined ? (this.atEnd() ? 'the end of the filter' : 'a space') : `"${rest}"`;
    return this.fail(`at offset ${this.position}: expected ${expected}, found ${found}`);
  }

  private fail(message: string): FhirError {
    return searchErrors['search.bad-filter']({ detail: `Invalid _filter: ${message}` }, { expression: '_filter' });
  }
}

/** Parses a _filter value (http://hl7.org/fhir/R4/search_filter.html); throws search.bad-filter. */
export function parseFilter(text: string): FilterExpression {
  return new FilterParser(text).parse();
}

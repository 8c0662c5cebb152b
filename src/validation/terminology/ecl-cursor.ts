/**
 * The reading machinery under the ECL syntax check (ecl-syntax.ts): a position in the text, white
 * space and comments, literals and patterns, keywords with their word boundary, bracket nesting
 * with a depth limit, trying alternatives with backtracking and memory, and error messages that
 * say what was expected and what was found where.
 */

export class EclSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

export const problemAt = (problem: string, offset: number) => new EclSyntaxError(`${problem} at ${offset}`, offset);

/** Brackets deeper than this are refused rather than risking the call stack. */
const MAX_NESTING = 100;

/** What an error message quotes as the thing found at an offset. */
const TOKEN = /<<!|<<|<!|<=|<>|>>!|>>|>!|>=|!!>|!!<|!=|\{\{|\}\}|\.\.|[A-Za-z][A-Za-z0-9-]*|\d+|\S/y;
const BINARY_OPERATOR_WORD = /^(?:and|or|minus)$/i;

/** A parse remembered at an offset: where it ended and what it gave, or how it failed. */
export type Outcome<T> = { end: number; value: T } | { error: EclSyntaxError };

export class EclCursor {
  protected pos = 0;
  protected nesting = 0;

  constructor(protected readonly text: string) {}

  /** A case-insensitive word followed by white space, a comment, '(' (or the given character) or the end. */
  protected keyword(word: string, alsoBefore?: string): boolean {
    const end = this.pos + word.length;
    if (this.text.slice(this.pos, end).toLowerCase() !== word.toLowerCase()) return false;
    const after = this.text[end];
    const boundary = after === undefined || ' \t\r\n('.includes(after) || after === alsoBefore || this.text.startsWith('/*', end);
    if (boundary) this.pos = end;
    return boundary;
  }

  /** Optional white space and comments; whether there was any. */
  protected skipWs(): boolean {
    const start = this.pos;
    for (;;) {
      const next = this.peek();
      if (next === ' ' || next === '\t' || next === '\r' || next === '\n') this.pos++;
      else if (this.text.startsWith('/*', this.pos)) this.skipComment();
      else return this.pos > start;
    }
  }

  protected skipComment(): void {
    const close = this.text.indexOf('*/', this.pos + 2);
    if (close < 0) throw problemAt('comment not closed by */', this.pos);
    this.pos = close + 2;
  }

  protected commaSeparated(item: () => void): void {
    item();
    for (;;) {
      const start = this.pos;
      this.skipWs();
      if (!this.consume(',')) {
        this.pos = start;
        return;
      }
      this.skipWs();
      item();
    }
  }

  protected parenthesized<T>(inner: () => T): T {
    return this.nested(() => {
      this.pos++;
      this.skipWs();
      const value = inner();
      this.skipWs();
      this.expect(')');
      return value;
    });
  }

  protected nested<T>(parse: () => T): T {
    if (this.nesting >= MAX_NESTING) throw problemAt(`brackets nested more than ${MAX_NESTING} deep`, this.pos);
    this.nesting++;
    try {
      return parse();
    } finally {
      this.nesting--;
    }
  }

  /** The first alternative that parses; when none does, the error of the one that got furthest. */
  protected firstOf<T>(...alternatives: Array<() => T>): T {
    const start = this.pos;
    let furthest: EclSyntaxError | undefined;
    for (const alternative of alternatives) {
      try {
        return alternative();
      } catch (error) {
        if (!(error instanceof EclSyntaxError)) throw error;
        if (!furthest || error.offset > furthest.offset) furthest = error;
        this.pos = start;
      }
    }
    throw furthest;
  }

  /** Runs a parse once per offset and depth, replaying its outcome afterwards. */
  protected remembered<T>(memory: Map<string, Outcome<T>>, parse: () => T): T {
    const key = `${this.pos}:${this.nesting}`;
    const known = memory.get(key);
    if (known && 'error' in known) throw known.error;
    if (known) {
      this.pos = known.end;
      return known.value;
    }
    try {
      const value = parse();
      memory.set(key, { end: this.pos, value });
      return value;
    } catch (error) {
      if (error instanceof EclSyntaxError) memory.set(key, { error });
      throw error;
    }
  }

  protected lookahead<T>(parse: () => T): T {
    const start = this.pos;
    try {
      return parse();
    } finally {
      this.pos = start;
    }
  }

  protected matchAt(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.pos;
    const found = pattern.exec(this.text)?.[0];
    if (found) this.pos += found.length;
    return found;
  }

  protected expectMatch(pattern: RegExp, what: string): void {
    if (!this.matchAt(pattern)) throw this.expected(what);
  }

  protected consume(literal: string): boolean {
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  protected expect(literal: string): void {
    if (!this.consume(literal)) throw this.expected(`'${literal}'`);
  }

  protected peek(): string | undefined {
    return this.text[this.pos];
  }

  protected atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  protected expected(what: string): EclSyntaxError {
    return new EclSyntaxError(`expected ${what} at ${this.pos}, found ${this.foundHere()}`, this.pos);
  }

  protected unexpected(): EclSyntaxError {
    const token = this.tokenHere();
    if (token && BINARY_OPERATOR_WORD.test(token)) return problemAt(`'${token}' needs a space or '(' after it`, this.pos);
    return problemAt(`unexpected ${this.foundHere()}`, this.pos);
  }

  protected foundHere(): string {
    const token = this.tokenHere();
    return token === undefined ? 'end of text' : `'${token}'`;
  }

  protected tokenHere(): string | undefined {
    TOKEN.lastIndex = this.pos;
    return TOKEN.exec(this.text)?.[0];
  }
}

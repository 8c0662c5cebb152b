/**
 * JSON with FHIR decimals as written. JSON.parse turns 1.0 into 1, but a FHIR decimal's precision
 * is part of its value (lowBoundary() of 1.0 is 0.95, of 1 is 0.5). This parser returns the same
 * values as JSON.parse and remembers, beside them, the source text of every number whose text
 * differs from the JavaScript number's (1.0, 1.50, 1e2); the in-memory runner reads it back, and
 * stringifyWithDecimals() writes it back out.
 */

type Container = Record<string, unknown> | unknown[];

const sources = new WeakMap<Container, Map<string | number, string>>();

/** The source text of the number at container[key], when it differs from String(value). */
export function decimalSource(container: object, key: string | number): string | undefined {
  return sources.get(container as Container)?.get(key);
}

function remember(container: Container, key: string | number, text: string, value: number): void {
  if (String(value) === text) return;
  let map = sources.get(container);
  if (!map) sources.set(container, (map = new Map()));
  map.set(key, text);
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  fail(): never {
    throw new SyntaxError(`Unexpected token in JSON at position ${this.i}`);
  }

  space(): void {
    WHITESPACE.lastIndex = this.i;
    WHITESPACE.exec(this.text);
    this.i = WHITESPACE.lastIndex;
  }

  string(): string {
    const start = this.i;
    let j = start + 1;
    while (j < this.text.length && this.text[j] !== '"') j += this.text[j] === '\\' ? 2 : 1;
    if (j >= this.text.length) this.fail();
    this.i = j + 1;
    return JSON.parse(this.text.slice(start, j + 1)) as string;
  }

  value(container: Container | undefined, key: string | number): unknown {
    this.space();
    const c = this.text[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail();
    this.i = NUMBER.lastIndex;
    const number = Number(match[0]);
    if (container) remember(container, key, match[0], number);
    return number;
  }

  object(): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    this.i += 1;
    this.space();
    if (this.text[this.i] === '}') {
      this.i += 1;
      return object;
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail();
      const key = this.string();
      this.space();
      if (this.text[this.i++] !== ':') this.fail();
      const value = this.value(object, key);
      if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.space();
      const next = this.text[this.i++];
      if (next === '}') return object;
      if (next !== ',') this.fail();
    }
  }

  array(): unknown[] {
    const array: unknown[] = [];
    this.i += 1;
    this.space();
    if (this.text[this.i] === ']') {
      this.i += 1;
      return array;
    }
    for (;;) {
      array.push(this.value(array, array.length));
      this.space();
      const next = this.text[this.i++];
      if (next === ']') return array;
      if (next !== ',') this.fail();
    }
  }

  document(): unknown {
    const value = this.value(undefined, '');
    this.space();
    if (this.i !== this.text.length) this.fail();
    return value;
  }
}

/** JSON.parse that keeps the source text of decimals (see decimalSource). */
export function parseJsonWithDecimals(text: string): unknown {
  return new Parser(text).document();
}

/** JSON.stringify that writes remembered decimals as they were written. */
export function stringifyWithDecimals(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => (typeof item === 'number' ? decimalSource(value, i) ?? JSON.stringify(item) : stringifyWithDecimals(item))).join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const entries = Object.keys(object).filter((key) => object[key] !== undefined).map((key) => {
      const item = object[key];
      const text = typeof item === 'number' ? decimalSource(object, key) ?? JSON.stringify(item) : stringifyWithDecimals(item);
      return `${JSON.stringify(key)}:${text}`;
    });
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The requests a documented example makes: curl command lines (sh blocks), HTTP listings (http
 * blocks: a request line, headers, a body, and optionally the answer's status line and listing)
 * and SQL statements (sql blocks, sent to POST /$sql). Each becomes one inject call. Shell
 * variables of curl commands ($ROOT_SECRET) take the values the runner gives, as a shell would
 * expand them (not inside single quotes); `-u user:password` becomes HTTP Basic.
 */
import type { MarkdownBlock } from './markdown-blocks.js';

export interface ExampleRequest {
  /** The line in the markdown file where the request starts. */
  line: number;
  method: string;
  /** Path and query, e.g. /fhir/Patient?name=x. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** The status the doc says the answer has; any 2xx when absent. */
  status?: number;
}

interface Word { text: string; line: number }

/** The shell variables an example may use, with their values ($ROOT_SECRET). */
export type ShellVariables = Readonly<Record<string, string>>;

const VARIABLE = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/;

/** The variable at text[i] ($NAME or ${NAME}) as the shell expands it; undefined when there is none. */
function variableAt(text: string, i: number, variables: ShellVariables, line: number): { value: string; length: number } | undefined {
  const match = VARIABLE.exec(text.slice(i));
  if (!match) return undefined;
  const name = match[1] ?? match[2];
  const value = variables[name];
  if (value === undefined) throw new Error(`line ${line}: $${name} is not set for the doc test (it knows ${Object.keys(variables).join(', ') || 'none'}); escape a literal $ as \\$`);
  return { value, length: match[0].length };
}

/** Reads shell words character by character: the word being built, the line, the words so far. */
class WordReader {
  readonly words: (Word | null)[] = [];
  line: number;
  private current?: Word;

  constructor(private readonly text: string, firstLine: number, private readonly variables: ShellVariables) {
    this.line = firstLine;
  }

  add(chars: string): void {
    this.current ??= { text: '', line: this.line };
    this.current.text += chars;
  }

  finish(): void {
    if (this.current) this.words.push(this.current);
    this.current = undefined;
  }

  get inWord(): boolean {
    return this.current !== undefined;
  }

  /** Adds the value of a variable at i, if one starts there; returns the index of its last character, or undefined. */
  variable(i: number): number | undefined {
    const found = this.text[i] === '$' ? variableAt(this.text, i, this.variables, this.line) : undefined;
    if (!found) return undefined;
    this.add(found.value);
    return i + found.length - 1;
  }

  /** A double-quoted string starting after the quote at i: escapes of $ ` " \\ and variables; returns the closing quote's index. */
  doubleQuoted(i: number): number {
    const text = this.text;
    this.add('');
    for (i += 1; i < text.length && text[i] !== '"'; i += 1) {
      const end = this.variable(i);
      if (end !== undefined) { i = end; continue; }
      if (text[i] === '\\' && '$`"\\'.includes(text[i + 1])) i += 1;
      if (text[i] === '\n') this.line += 1;
      this.add(text[i]);
    }
    return i;
  }

  /** A single-quoted string starting after the quote at i, taken as it is; returns the closing quote's index. */
  singleQuoted(i: number): number {
    const end = this.text.indexOf("'", i + 1);
    if (end < 0) throw new Error(`line ${this.line}: unclosed '`);
    this.add(this.text.slice(i + 1, end));
    this.line += this.text.slice(i + 1, end).split('\n').length - 1;
    return end;
  }
}

/** Shell words of a block: quotes, backslash escapes and line continuations, # comments, variables; null ends a command. */
export function shellWords(text: string, firstLine = 1, variables: ShellVariables = {}): (Word | null)[] {
  const reader = new WordReader(text, firstLine, variables);
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const variableEnd = reader.variable(i);
    if (variableEnd !== undefined) i = variableEnd;
    else if (char === '\n') { reader.finish(); reader.words.push(null); reader.line += 1; } else if (char === ' ' || char === '\t') reader.finish();
    else if (char === '#' && !reader.inWord) { while (i + 1 < text.length && text[i + 1] !== '\n') i += 1; } else if (char === '\\') {
      if (text[i + 1] === '\n') reader.line += 1;
      else reader.add(text[i + 1]);
      i += 1;
    } else if (char === "'") i = reader.singleQuoted(i);
    else if (char === '"') i = reader.doubleQuoted(i);
    else reader.add(char);
  }
  reader.finish();
  return reader.words;
}

const IGNORED_FLAGS = new Set(['-s', '-S', '-sS', '-i', '-v', '--silent', '--show-error', '--include', '--compressed', '-g', '--globoff']);

/** The path and query of a curl URL: the scheme and the localhost:8080 origin dropped. */
function pathOf(url: string): string {
  const path = url.replace(/^https?:\/\//, '').replace(/^localhost(:\d+)?/, '');
  if (!path.startsWith('/')) throw new Error(`the URL ${url} is not on localhost`);
  return path;
}

/** `-u user:password`: HTTP Basic (RFC 7617), as curl sends it. */
function basicAuthorization(userAndPassword: string, line: number): string {
  if (!userAndPassword.includes(':')) throw new Error(`line ${line}: -u needs user:password (curl would prompt for the password)`);
  return `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;
}

function curlRequest(words: Word[]): ExampleRequest {
  const request: ExampleRequest = { line: words[0].line, method: '', url: '', headers: {} };
  for (let i = 1; i < words.length; i += 1) {
    const word = words[i].text;
    const value = () => { i += 1; if (i >= words.length) throw new Error(`line ${words[0].line}: ${word} without a value`); return words[i].text; };
    if (IGNORED_FLAGS.has(word)) continue;
    if (word === '-X' || word === '--request') request.method = value();
    else if (word === '-H' || word === '--header') {
      const header = value();
      const colon = header.indexOf(':');
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-u' || word === '--user') request.headers.authorization = basicAuthorization(value(), words[0].line);
    else if (['-d', '--data', '--data-raw', '--data-binary'].includes(word)) request.body = value();
    else if (word.startsWith('-')) throw new Error(`line ${words[0].line}: the curl option ${word} is not understood by the doc test`);
    else request.url = pathOf(word);
  }
  request.method ||= request.body === undefined ? 'GET' : 'POST';
  if (request.body !== undefined && !request.headers['content-type']) request.headers['content-type'] = 'application/x-www-form-urlencoded';
  return request;
}

/** Every command of an sh block must be a curl call. */
export function curlRequests(text: string, firstLine: number, variables: ShellVariables = {}): ExampleRequest[] {
  const requests: ExampleRequest[] = [];
  let command: Word[] = [];
  for (const word of [...shellWords(text, firstLine, variables), null]) {
    if (word) { command.push(word); continue; }
    if (command.length === 0) continue;
    if (command[0].text !== 'curl') throw new Error(`line ${command[0].line}: "${command[0].text}" is not a curl call; mark the block <!-- no-run: why -->`);
    requests.push(curlRequest(command));
    command = [];
  }
  return requests;
}

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\/\S*)\s*$/;
const STATUS_LINE = /^(\d{3})(\s|$)/;
const HEADER_LINE = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/;

/** The default media type of a body: FHIR JSON on /fhir, JSON on the native API, text otherwise. */
function defaultContentType(url: string, body: string): string {
  if (!/^[[{"]/.test(body)) return 'text/plain';
  return url.startsWith('/fhir') ? 'application/fhir+json' : 'application/json';
}

function finishHttp(request: ExampleRequest, body: string[]): ExampleRequest {
  const text = body.join('\n').trim();
  if (text !== '') {
    request.body = text;
    request.headers['content-type'] ??= defaultContentType(request.url, text);
  }
  return request;
}

/** An http block: requests, each optionally followed by the answer (a status line, then anything). */
export function httpRequests(text: string, firstLine: number): ExampleRequest[] {
  const requests: ExampleRequest[] = [];
  let current: ExampleRequest | undefined;
  let state: 'headers' | 'body' | 'answer' = 'answer';
  let body: string[] = [];
  text.split('\n').forEach((line, index) => {
    const request = REQUEST_LINE.exec(line);
    if (request) {
      if (current) requests.push(finishHttp(current, body));
      current = { line: firstLine + index, method: request[1], url: request[2], headers: {} };
      [state, body] = ['headers', []];
      return;
    }
    if (!current) { if (line.trim() !== '') throw new Error(`line ${firstLine + index}: expected a request line (METHOD /path), not "${line}"`); return; }
    const status = STATUS_LINE.exec(line);
    if (status && state !== 'answer' && current.status === undefined) { current.status = Number(status[1]); state = 'answer'; return; }
    const header = HEADER_LINE.exec(line);
    if (state === 'headers' && header) { current.headers[header[1].toLowerCase()] = header[2]; return; }
    if (state === 'headers') state = 'body';
    if (state === 'body') body.push(line);
  });
  if (current) requests.push(finishHttp(current, body));
  return requests;
}

/** An sql block: statements ending with ; (the last may omit it), -- comments dropped, each sent to $sql. */
export function sqlRequests(text: string, firstLine: number): ExampleRequest[] {
  const statements: ExampleRequest[] = [];
  let current: string[] = [];
  let start = firstLine;
  text.split('\n').forEach((line, index) => {
    const code = line.replace(/^\s*--.*$/, '');
    if (current.length === 0) { if (code.trim() === '') return; start = firstLine + index; }
    current.push(code);
    if (code.trimEnd().endsWith(';')) {
      statements.push({ line: start, method: 'POST', url: '/$sql', headers: { 'content-type': 'text/plain' }, body: current.join('\n').trim().replace(/;$/, '') });
      current = [];
    }
  });
  if (current.join('').trim() !== '') statements.push({ line: start, method: 'POST', url: '/$sql', headers: { 'content-type': 'text/plain' }, body: current.join('\n').trim() });
  return statements;
}

/** A block marked <!-- request: METHOD /path --> whose text is the body. */
function markedRequest(block: MarkdownBlock, marker: string): ExampleRequest {
  const match = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(marker);
  if (!match) throw new Error(`${block.file}:${block.line}: the request marker must be "METHOD /path", not "${marker}"`);
  return finishHttp({ line: block.line + 1, method: match[1], url: match[2], headers: {} }, [block.text]);
}

/** The requests of a block that runs; throws for a block that neither runs nor is marked no-run. */
export function blockRequests(block: MarkdownBlock, variables: ShellVariables = {}): ExampleRequest[] {
  const first = block.line + 1;
  if (block.marker?.kind === 'request') return [markedRequest(block, block.marker.text)];
  switch (block.language) {
    case 'sh': return curlRequests(block.text, first, variables);
    case 'http': return httpRequests(block.text, first);
    case 'sql': return sqlRequests(block.text, first);
    default: throw new Error(`${block.file}:${block.line}: a ${block.language || 'plain'} block that is not run: mark it <!-- no-run: why --> or <!-- request: METHOD /path -->`);
  }
}

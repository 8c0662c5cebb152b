/**
 * Reading TypeScript source without a compiler: the text with comments and the insides of
 * strings, template literals and regular expressions blanked (lines kept), the relative imports
 * with their lines, and the functions with their lengths. Made for the module rules check: a
 * lexer, not a parser, so a function is recognised by its shape (`function`, `=> {`, a method).
 */

export interface SourceImport {
  line: number;
  specifier: string;
}

export interface FunctionSpan {
  name: string;
  line: number;
  lines: number;
}

const regexAfter = new Set(['', '(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);
const regexAfterWords = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await)$/;

/** Blanks comments and the insides of strings, templates and regular expressions, keeping newlines. */
export function blankNonCode(text: string): string {
  const out = text.split('');
  const holes: number[] = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const part = nonCodeAt(text, i, holes, depth);
    if (part) {
      for (let k = part.from; k < part.to; k++) if (out[k] !== '\n') out[k] = ' ';
      i = part.stop;
      continue;
    }
    if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    i++;
  }
  return out.join('');
}

interface NonCode {
  /** What to blank, from and to (exclusive). */
  from: number;
  to: number;
  /** Where code resumes. */
  stop: number;
}

/**
 * The comment, string, template part or regular expression starting at `at`, or undefined when
 * code is there. `holes` holds the brace depth at each open `${` of a template.
 */
function nonCodeAt(text: string, at: number, holes: number[], depth: number): NonCode | undefined {
  const c = text[at];
  const next = text[at + 1];
  if (c === '/' && (next === '/' || next === '*')) {
    const end = next === '/' ? text.indexOf('\n', at) : text.indexOf('*/', at + 2);
    const stop = end < 0 ? text.length : next === '/' ? end : end + 2;
    return { from: at, to: stop, stop };
  }
  if (c === '"' || c === "'") {
    const stop = endOfQuoted(text, at, c);
    return { from: at + 1, to: stop - 1, stop };
  }
  if (c === '`' || (c === '}' && holes.length > 0 && holes[holes.length - 1] === depth)) {
    if (c === '}') holes.pop();
    const stop = endOfTemplatePart(text, at + 1);
    const opensHole = text[stop - 1] === '{' && text[stop - 2] === '$';
    if (opensHole) holes.push(depth);
    return { from: at + 1, to: opensHole ? stop - 2 : stop - 1, stop };
  }
  if (c === '/' && startsRegex(text, at)) {
    const stop = endOfRegex(text, at);
    return { from: at + 1, to: stop - 1, stop };
  }
  return undefined;
}

function endOfQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** From inside a template, the index after its closing backtick or after the `${` that opens a hole. */
function endOfTemplatePart(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '`') return i + 1;
    else if (text[i] === '$' && text[i + 1] === '{') return i + 2;
    else i++;
  }
  return i;
}

function startsRegex(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 20), at).trimEnd();
  return regexAfter.has(before.slice(-1)) || regexAfterWords.test(before);
}

function endOfRegex(text: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < text.length && text[i] !== '\n') {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    i++;
  }
  return i;
}

const lineOf = (text: string, at: number) => text.slice(0, at).split('\n').length;

/** The relative imports (static, re-exports and dynamic) of a file, with the line of each path. */
export function findImports(text: string): SourceImport[] {
  const code = blankNonCode(text);
  const found: SourceImport[] = [];
  const statement = /^[ \t]*(?:import|export)\b[^;]*?\bfrom\s*(['"])|^[ \t]*import\s*(['"])|\bimport\s*\(\s*(['"])/gm;
  for (const match of code.matchAll(statement)) {
    const quoteAt = match.index + match[0].length - 1;
    const end = text.indexOf(text[quoteAt], quoteAt + 1);
    const specifier = text.slice(quoteAt + 1, end);
    if (specifier.startsWith('.')) found.push({ line: lineOf(text, quoteAt), specifier });
  }
  return found;
}

const notMethods = new Set(['if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'await', 'new', 'typeof', 'function', 'super', 'throw']);
const functionStart = /\bfunction\b\s*\*?\s*([\w$]*)\s*(?:<[^>(]*>)?\s*\(|=>\s*\{|^[ \t]*(?:(?:public|private|protected|static|async|override|get|set)\s+)*\*?([\w$#]+)\s*(?:<[^>(]*>)?\s*\(/gm;

/** Every function with a block body: its name (as near as a lexer can tell), first line and length. */
export function findFunctions(text: string): FunctionSpan[] {
  const code = blankNonCode(text);
  const spans: FunctionSpan[] = [];
  for (const match of code.matchAll(functionStart)) {
    const isArrow = match[0].startsWith('=>');
    const method = match[2];
    if (method !== undefined && notMethods.has(method)) continue;
    const open = isArrow ? match.index + match[0].length - 1 : bodyAfterParameters(code, match.index + match[0].length - 1);
    if (open < 0) continue;
    const close = matchingBrace(code, open);
    const line = lineOf(code, match.index + (match[0].length - match[0].trimStart().length));
    const name = match[1] || method || arrowName(code, match.index) || '(anonymous)';
    spans.push({ name, line, lines: lineOf(code, close) - line + 1 });
  }
  return spans;
}

/** From the `(` of a parameter list, the `{` of the body, or -1 when the parentheses were a call. */
function bodyAfterParameters(code: string, open: number): number {
  const close = matchingBracket(code, open, '(', ')');
  let i = close + 1;
  while (/\s/.test(code[i] ?? '')) i++;
  if (code[i] === '{') return i;
  if (code[i] !== ':') return -1;
  let depth = 0;
  for (i++; i < code.length; i++) {
    const c = code[i];
    if (c === '<' || c === '(' || c === '[') depth++;
    else if ((c === '>' && code[i - 1] !== '=') || c === ')' || c === ']') depth--;
    else if (c === ';' || (c === '=' && code[i + 1] !== '>')) return -1;
    else if (c === '{' && depth === 0) return i;
  }
  return -1;
}

function matchingBracket(code: string, open: number, opening: string, closing: string): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === opening) depth++;
    else if (code[i] === closing && --depth === 0) return i;
  }
  return code.length - 1;
}

const matchingBrace = (code: string, open: number) => matchingBracket(code, open, '{', '}');

function arrowName(code: string, arrowAt: number): string | undefined {
  const lineStart = code.lastIndexOf('\n', arrowAt) + 1;
  const before = code.slice(lineStart, arrowAt);
  return /(?:const|let|var)\s+([\w$]+)/.exec(before)?.[1] ?? /([\w$]+)\s*[:=]\s*(?:async\b)?/.exec(before)?.[1];
}

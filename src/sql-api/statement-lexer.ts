/**
 * Reads a SQL statement as PostgreSQL would tokenize it, far enough to know where the code is:
 * outside string constants ('...', E'...', $tag$...$tag$), quoted identifiers and comments
 * (-- and nested block comments). That finds the `?` placeholders of the JDBC-style array form (`??` is a
 * literal `?`, as JDBC writes jsonb's ? operators), a second statement after a `;` (refused: one
 * request, one statement), the first keyword, and the keywords of data-modifying statements.
 */

export interface LexedStatement {
  /** The text with each `?` placeholder as $n and each `??` as `?`; a trailing `;` removed. */
  text: string;
  /** The same as code pieces and placeholder numbers (1-based), in order. */
  chunks: (string | number)[];
  placeholders: number;
  /** Where the text differs in length from the input: at offset `at` of `text`, `shift` characters more. */
  shifts: { at: number; shift: number }[];
  firstKeyword: string;
  /** Upper-case keywords found in code (for data-modifying WITH). */
  keywords: Set<string>;
  /** Text after a `;` that is more than space and comments. */
  hasSecondStatement: boolean;
}

const IDENTIFIER_START = /[A-Za-z_\u0080-\uffff]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/** End (exclusive) of a quoted section starting at i; backslash escapes for E'' strings. */
function quotedEnd(text: string, i: number, quote: string, backslashes: boolean): number {
  let j = i + 1;
  while (j < text.length) {
    if (backslashes && text[j] === '\\') {
      j += 2;
      continue;
    }
    if (text[j] === quote) {
      if (text[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j += 1;
  }
  return text.length;
}

function commentEnd(text: string, i: number): number {
  if (text.startsWith('--', i)) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end + 1;
  }
  let depth = 0;
  let j = i;
  while (j < text.length) {
    if (text.startsWith('/*', j)) {
      depth += 1;
      j += 2;
    } else if (text.startsWith('*/', j)) {
      depth -= 1;
      j += 2;
      if (depth === 0) return j;
    } else j += 1;
  }
  return text.length;
}

/** End of the non-code section (string, identifier, comment) starting at i, or i when it is code. */
export function skipNonCode(text: string, i: number): number {
  const c = text[i];
  if (c === "'") {
    const escaped = (text[i - 1] === 'E' || text[i - 1] === 'e') && !IDENTIFIER_PART.test(text[i - 2] ?? ' ');
    return quotedEnd(text, i, "'", escaped);
  }
  if (c === '"') return quotedEnd(text, i, '"', false);
  if (text.startsWith('--', i) || text.startsWith('/*', i)) return commentEnd(text, i);
  if (c === '$' && !IDENTIFIER_PART.test(text[i - 1] ?? ' ')) {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i));
    if (tag) {
      const end = text.indexOf(tag[0], i + tag[0].length);
      return end < 0 ? text.length : end + tag[0].length;
    }
  }
  return i;
}

function onlySpaceAndComments(text: string, from: number): boolean {
  let i = from;
  while (i < text.length) {
    if (/\s/.test(text[i])) i += 1;
    else if (text.startsWith('--', i) || text.startsWith('/*', i)) i = commentEnd(text, i);
    else return false;
  }
  return true;
}

/** Lexes one statement; with `placeholders`, `?` marks a parameter. */
export function lexStatement(input: string, placeholders: boolean): LexedStatement {
  let text = '';
  let count = 0;
  const chunks: (string | number)[] = [];
  let chunkStart = 0;
  const shifts: { at: number; shift: number }[] = [];
  const keywords = new Set<string>();
  let firstKeyword = '';
  let i = 0;
  while (i < input.length) {
    const end = skipNonCode(input, i);
    if (end > i) {
      text += input.slice(i, end);
      i = end;
      continue;
    }
    const c = input[i];
    if (c === ';') {
      chunks.push(text.slice(chunkStart));
      return { text, chunks, placeholders: count, shifts, firstKeyword, keywords, hasSecondStatement: !onlySpaceAndComments(input, i + 1) };
    }
    if (placeholders && c === '?') {
      const literal = input[i + 1] === '?';
      const replacement = literal ? '?' : `$${count + 1}`;
      shifts.push({ at: text.length, shift: replacement.length - (literal ? 2 : 1) });
      if (!literal) {
        chunks.push(text.slice(chunkStart), ++count);
        chunkStart = text.length + replacement.length;
      }
      text += replacement;
      i += literal ? 2 : 1;
      continue;
    }
    if (IDENTIFIER_START.test(c) && !IDENTIFIER_PART.test(input[i - 1] ?? ' ')) {
      const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(input.slice(i))?.[0] ?? c;
      const upper = word.toUpperCase();
      if (!firstKeyword) firstKeyword = upper;
      keywords.add(upper);
      text += word;
      i += word.length;
      continue;
    }
    text += c;
    i += 1;
  }
  chunks.push(text.slice(chunkStart));
  return { text, chunks, placeholders: count, shifts, firstKeyword, keywords, hasSecondStatement: false };
}

/** The position in the input of a 1-based position in the lexed text (PostgreSQL's error position). */
export function inputPosition(lexed: LexedStatement, position: number): number {
  let result = position;
  for (const { at, shift } of lexed.shifts) if (at < position - 1) result -= shift;
  return result;
}

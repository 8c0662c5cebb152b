/**
 * FHIR has an element named like a FHIRPath operator: Narrative.div. The grammar wants it written
 * `text.\`div\``, but FHIR users (and the FHIRPath Patch test cases) write `text.div`. Right after a
 * dot an operator cannot follow, so `.div` and `.mod` there can only be member names; this
 * rewrites them into delimited identifiers before parsing, outside strings and comments.
 */
const keywords = /^(div|mod)(?![A-Za-z0-9_])/;

/** The end (exclusive) of the string, delimited identifier or comment starting at `i`, or i when none. */
export function skipOpaque(text: string, i: number): number {
  const c = text[i];
  if (c === "'" || c === '`') {
    let j = i + 1;
    while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (text.startsWith('//', i)) {
    const end = text.indexOf('\n', i);
    return end < 0 ? text.length : end;
  }
  if (text.startsWith('/*', i)) {
    const end = text.indexOf('*/', i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return i;
}

export function escapeKeywordMembers(expression: string): string {
  if (!/\.(div|mod)/.test(expression)) return expression;
  let out = '';
  let i = 0;
  while (i < expression.length) {
    const end = skipOpaque(expression, i);
    if (end > i) {
      out += expression.slice(i, end);
      i = end;
      continue;
    }
    const keyword = expression[i] === '.' ? keywords.exec(expression.slice(i + 1)) : null;
    if (keyword) {
      out += `.\`${keyword[1]}\``;
      i += 1 + keyword[1].length;
      continue;
    }
    out += expression[i];
    i += 1;
  }
  return out;
}

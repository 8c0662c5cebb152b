/**
 * Quoting of names and text for the few statements that cannot take bind parameters (DDL, index
 * expressions that must match a condition's text, statements inlined for a sandbox). Values travel
 * as bind parameters everywhere else; these two functions are the only places that write a quoted
 * name or a string constant into SQL text.
 */

/** A double-quoted identifier, quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string constant that reads back as exactly this text whatever standard_conforming_strings is:
 * quotes doubled, and with a backslash in the text an E'' constant with backslashes doubled (as
 * PostgreSQL's own quote_literal writes it). A NUL character cannot be part of SQL text.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('a NUL character cannot be part of SQL text');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

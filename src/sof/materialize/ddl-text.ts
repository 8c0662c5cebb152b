/**
 * SQL text for DDL. CREATE VIEW and CREATE TABLE AS cannot take bind parameters, so the values a
 * compiled view carries (string literals and constants of the ViewDefinition) are written into the
 * text as SQL literals here, and only here, with the one string quoting of src/sql (quoteLiteral).
 */
import { quoteIdentifier, quoteLiteral, type Sql } from '../../sql/index.js';

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return quoteLiteral(value);
  throw new Error(`no SQL literal for a ${typeof value}`);
}

/** The fragment as SQL text with every parameter written as a literal. */
export function ddlText(fragment: Sql): string {
  const chunks: string[] = [];
  const walk = (node: Sql): void => {
    for (const part of node.parts) {
      if (typeof part === 'string') chunks.push(part);
      else if (part.kind === 'param') chunks.push(literal(part.value));
      else if (part.kind === 'ident') chunks.push(part.names.map(quoteIdentifier).join('.'));
      else walk(part);
    }
  };
  walk(fragment);
  return chunks.join('');
}

/** OR and AND over condition fragments, parenthesized, with the neutral element for empty lists. */
import { join, raw, sql, type Sql } from '../sql/index.js';

export function anyOf(conditions: readonly Sql[]): Sql {
  if (conditions.length === 0) return raw('FALSE');
  if (conditions.length === 1) return conditions[0];
  return sql`(${join(conditions, ' OR ')})`;
}

export function allOf(conditions: readonly Sql[]): Sql {
  if (conditions.length === 0) return raw('TRUE');
  if (conditions.length === 1) return conditions[0];
  return sql`(${join(conditions, ' AND ')})`;
}

export function not(condition: Sql): Sql {
  return sql`NOT ${condition}`;
}

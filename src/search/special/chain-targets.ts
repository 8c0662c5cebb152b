/**
 * Counts the targets of a search's chained parameters (subject:Patient.name=smith) before the
 * search is compiled, in the search's snapshot, so that chain-condition.ts can choose the plan by
 * their number: up to FEW_CHAIN_TARGETS targets a key array (the keys read here, so the targets'
 * query, which may have no index, runs once), more a probe per candidate. The count stops one
 * past the limit. Only the chains of a search of one type are counted (a system
 * search would count once per type); a chain that cannot be compiled is left for planning to
 * report.
 */
import { FhirError } from '../../core/index.js';
import type { Queryable } from '../../db/index.js';
import { sql, type Sql } from '../../sql/index.js';
import { chainTargetKeys } from './chain-condition.js';
import type { ChainTargets, CompileContext } from '../compile-context.js';
import { compileFilter } from '../compile-filter.js';
import type { SearchFilter } from '../search-request.js';

/**
 * The most targets a chain looks up as a key array (two keys each: relative and absolute). At
 * 100,000 patients the key array and the probe cost about the same near 400 targets
 * (docs/performance.md); the key array's cost grows with the square of the targets, the probe's
 * with the share of candidates it must read past.
 */
export const FEW_CHAIN_TARGETS = 400;

async function countTargets(q: Queryable, cc: CompileContext, resourceType: string, filter: SearchFilter): Promise<ChainTargets | undefined> {
  let keys: Sql;
  try {
    keys = chainTargetKeys(cc, { resourceType, alias: cc.nextAlias() }, filter, compileFilter).keys;
  } catch (error) {
    if (error instanceof FhirError) return undefined;
    throw error;
  }
  const { rows } = await q.query<{ k: string }>(sql`SELECT t.k FROM (${keys}) AS t LIMIT ${2 * FEW_CHAIN_TARGETS + 1}`);
  return rows.length > 2 * FEW_CHAIN_TARGETS ? 'many' : { few: rows.map((row) => row.k) };
}

/** Records in cc the targets of each chained filter of a search of one type. */
export async function countChainTargets(q: Queryable, cc: CompileContext, types: readonly string[], filters: readonly SearchFilter[]): Promise<void> {
  if (types.length !== 1) return;
  for (const filter of filters) {
    if (!filter.chain) continue;
    const counted = await countTargets(q, cc, types[0], filter);
    if (counted) cc.chainTargets.set(filter, new Map([[types[0], counted]]));
  }
}

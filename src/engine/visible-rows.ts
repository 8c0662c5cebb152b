/**
 * The one way the engine turns a request's row rules (FhirRequest.rows, core/row-rules.ts) into the
 * condition a stored row must meet to be read or written by its caller (search/row-condition.ts
 * compiles it). Every engine read that is not a search (read, vread, history, the rows a write
 * changes, reference checks, $run) takes its condition from here; searches carry the rules
 * themselves (SearchOptions.rows). Without rules, or for a type they do not narrow, there is no
 * condition and the SQL is the one it always was.
 */
import { visibleCondition } from '../search/index.js';
import type { RowCondition } from '../storage/index.js';
import type { EngineContext } from './engine-context.js';
import type { FhirRequest } from './fhir-request.js';
import { searchContext } from './interactions/conditional-match.js';

/** The alias row conditions of the engine's own statements use. */
export const ROW_ALIAS = 'visible_row';

/** What a row condition needs of a request: its rules, and its base when known (the server's absolute references). */
export type RowsOf = Pick<FhirRequest, 'rows'> & { baseUrl?: string };

/** The caller's condition on rows of the type under `alias`; undefined when its rules do not narrow the type. */
export function visibleRows(ctx: EngineContext, request: RowsOf | undefined, resourceType: string, alias = ROW_ALIAS): RowCondition | undefined {
  const condition = request ? visibleCondition(searchContext(ctx), request.rows, resourceType, alias, request.baseUrl) : undefined;
  return condition ? { alias, condition } : undefined;
}

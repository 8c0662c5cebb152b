/**
 * The attributes every search SQL function is created with: PL/pgSQL, IMMUTABLE (index
 * expressions call them) and PARALLEL SAFE; and the cost of those that read a document.
 */

export const PLPGSQL = 'LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE';

/**
 * A call reading a document costs tens of microseconds, not the default COST 100 (a few operators):
 * with the real cost the planner prefers an index on the expression to filtering rows walked in
 * another index's order (a primary key scan for ORDER BY id LIMIT n).
 */
export const KEY_FUNCTION = `${PLPGSQL} COST 1000`;

/**
 * flint_private.fetch_rows(cursor, max_rows, max_bytes): the rows of an open cursor as JSON text,
 * one FETCH at a time, while they stay within the row and byte limits of a $sql answer. A last row
 * with `stop` set ('rows' or 'bytes') says that a limit cut the answer; the row that would have
 * passed the byte cap is read but never returned, so no answer leaves PostgreSQL larger than the
 * cap. Both sandboxes read their rows through it; it runs with the rights of its caller, the $sql
 * role. (boundRows in sql-sandbox.ts applies the same rule to rows that come at once.)
 */
import { quoteIdentifier } from '../sql/index.js';
import { PRIVATE_SCHEMA } from './sandbox-role.js';

export const FETCH_ROWS = `${PRIVATE_SCHEMA}.fetch_rows`;
const SIGNATURE = `${FETCH_ROWS}(refcursor, integer, bigint)`;

export function fetchRowsDdl(role: string): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${FETCH_ROWS}(portal refcursor, max_rows integer, max_bytes bigint)
       RETURNS TABLE (line text, stop text) LANGUAGE plpgsql AS $$
     DECLARE r record; t text; total bigint := 0; taken integer := 0;
     BEGIN
       LOOP
         FETCH portal INTO r;
         IF NOT FOUND THEN RETURN; END IF;
         IF taken >= max_rows THEN line := NULL; stop := 'rows'; RETURN NEXT; RETURN; END IF;
         t := row_to_json(r)::text;
         total := total + octet_length(t) + 1;
         IF total > max_bytes THEN line := NULL; stop := 'bytes'; RETURN NEXT; RETURN; END IF;
         line := t; stop := NULL; taken := taken + 1; RETURN NEXT;
       END LOOP;
     END $$`,
    `REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`,
    `GRANT USAGE ON SCHEMA ${PRIVATE_SCHEMA} TO ${quoteIdentifier(role)}`,
    `GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO ${quoteIdentifier(role)}`,
  ];
}

/**
 * $sql in the embedded database (PGlite). It has one session, Flint's, and that session is a
 * superuser: SET ROLE would not hold, since the statement itself could undo it with
 * set_config('role', ...). So the statement runs inside flint_private.run_sql, a SECURITY DEFINER
 * function owned by the $sql role: inside it the statement has that role's rights only, and
 * PostgreSQL refuses any change of role or session authorization within a security-definer
 * function. Its rows come through fetch_rows, bounded in rows and bytes. After each statement the
 * session's advisory locks are released; in write mode its temporary tables are dropped and the
 * settings the statement changed are reset (in read-only mode the rollback undoes them).
 */
import { isDatabaseError, type Database, type Queryable } from '../db/index.js';
import { quoteIdentifier, raw, sql } from '../sql/index.js';
import { FETCH_ROWS, fetchRowsDdl } from './fetch-rows-function.js';
import { createSandboxRole, currentDatabase, grantSandbox, PRIVATE_SCHEMA, sandboxRoleName } from './sandbox-role.js';
import { fetchedResult, SqlStatementError, type FetchedRow, type SandboxStatement, type SqlResult, type SqlSandbox } from './sql-sandbox.js';
import { inlinedStatement, placeError } from './statement-text.js';

const RUN_SQL = `${PRIVATE_SCHEMA}.run_sql`;
const RUN_SQL_SIGNATURE = `${RUN_SQL}(text, boolean, integer, bigint)`;

/** The function; its search path (the role's schema, then Flint's) is restored when it returns. */
function runFunctionDdl(role: string, schema: string): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${RUN_SQL}(statement text, returns_rows boolean, max_rows integer, max_bytes bigint)
       RETURNS TABLE (line text, stop text) LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = ${quoteIdentifier(role)}, ${quoteIdentifier(schema)} AS $$
     DECLARE c refcursor;
     BEGIN
       IF NOT returns_rows THEN EXECUTE statement; RETURN; END IF;
       OPEN c FOR EXECUTE statement;
       RETURN QUERY SELECT * FROM ${FETCH_ROWS}(c, max_rows, max_bytes);
     END $$`,
    `ALTER FUNCTION ${RUN_SQL_SIGNATURE} OWNER TO ${quoteIdentifier(role)}`,
    `REVOKE ALL ON FUNCTION ${RUN_SQL_SIGNATURE} FROM PUBLIC`,
  ];
}

class Rollback {
  constructor(readonly result: SqlResult) {}
}

const SESSION_SETTINGS = sql`SELECT coalesce(json_agg(json_build_array(name, setting)), '[]')::text AS settings
  FROM pg_settings WHERE source = 'session'`;

/** Runs fn, then puts the session's settings back as they were before it (RESET ALL, then Flint's own). */
async function keepingSettings<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const { rows } = await tx.query<{ settings: string }>(SESSION_SETTINGS);
  const result = await fn();
  await tx.query(raw('RESET ALL'));
  await tx.query(sql`SELECT set_config(s ->> 0, s ->> 1, false) FROM json_array_elements(${rows[0].settings}::json) AS s`);
  return result;
}

export class EmbeddedSqlSandbox implements SqlSandbox {
  private constructor(private readonly db: Database, readonly role: string) {}

  static async open(db: Database, readOnly: boolean): Promise<EmbeddedSqlSandbox> {
    const role = sandboxRoleName(await currentDatabase(db));
    await createSandboxRole(db, role, false);
    await grantSandbox(db, role, readOnly, (schema) => [...fetchRowsDdl(role), ...runFunctionDdl(role, schema)]);
    return new EmbeddedSqlSandbox(db, role);
  }

  async run(statement: SandboxStatement): Promise<SqlResult> {
    const placed = inlinedStatement(statement.lexed, statement.params);
    const call = sql`SELECT line, stop FROM ${raw(RUN_SQL)}(${placed.text}, ${statement.returnsRows}, ${statement.maxRows}, ${statement.maxBytes})`;
    const fetch = async (tx: Queryable): Promise<SqlResult> => fetchedResult((await tx.query<FetchedRow>(call)).rows);
    try {
      return await this.db.transaction(async (tx) => {
        if (statement.readOnly) throw new Rollback(await fetch(tx));
        return keepingSettings(tx, () => fetch(tx));
      }, { readOnly: statement.readOnly });
    } catch (error) {
      if (error instanceof Rollback) return error.result;
      if (!isDatabaseError(error)) throw error;
      const position = Number((error as { internalPosition?: string }).internalPosition);
      throw new SqlStatementError(error, placeError(placed, statement.lexed, position, 0));
    } finally {
      await this.db.query(raw('SELECT pg_advisory_unlock_all()'));
      if (!statement.readOnly) await this.db.query(raw('DISCARD TEMP'));
    }
  }

  async close(): Promise<void> {
    // The statements ran on the database's own session, which its owner closes.
  }
}

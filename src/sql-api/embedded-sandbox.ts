/**
 * $sql in the embedded database (PGlite). It has one session, Flint's, and that session is a
 * superuser: SET ROLE would not hold, since the statement itself could undo it with
 * set_config('role', ...). So the statement runs inside flint_private.run_sql, a SECURITY DEFINER
 * function owned by the $sql role: inside it the statement has that role's rights only, and
 * PostgreSQL refuses any change of role or session authorization within a security-definer
 * function. The function also bounds the rows and bytes it hands back. After each statement the
 * session's advisory locks are released; in write mode its temporary tables are dropped and the
 * settings the statement changed are reset (in read-only mode the rollback undoes them).
 */
import { isDatabaseError, type Database, type Queryable } from '../db/index.js';
import { quoteIdentifier, raw, sql } from '../sql/index.js';
import { createSandboxRole, currentDatabase, grantSandbox, PRIVATE_SCHEMA, sandboxRoleName } from './sandbox-role.js';
import { SqlStatementError, type SandboxStatement, type SqlResult, type SqlSandbox, type TruncationReason } from './sql-sandbox.js';
import { inlinedStatement, placeError } from './statement-text.js';

const RUN_SQL = `${PRIVATE_SCHEMA}.run_sql`;
const RUN_SQL_SIGNATURE = `${RUN_SQL}(text, boolean, integer, bigint)`;

/** The function; its search path (the role's schema, then Flint's) is restored when it returns. */
function runFunctionDdl(role: string, schema: string): string[] {
  return [
    `CREATE OR REPLACE FUNCTION ${RUN_SQL}(statement text, returns_rows boolean, max_rows integer, max_bytes bigint)
       RETURNS TABLE (line text, stop text) LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = ${quoteIdentifier(role)}, ${quoteIdentifier(schema)} AS $$
     DECLARE r record; total bigint := 0; taken integer := 0; t text;
     BEGIN
       IF NOT returns_rows THEN EXECUTE statement; RETURN; END IF;
       FOR r IN EXECUTE statement LOOP
         IF taken >= max_rows THEN line := NULL; stop := 'rows'; RETURN NEXT; RETURN; END IF;
         t := row_to_json(r)::text;
         total := total + octet_length(t) + 1;
         IF total > max_bytes THEN line := NULL; stop := 'bytes'; RETURN NEXT; RETURN; END IF;
         line := t; stop := NULL; taken := taken + 1; RETURN NEXT;
       END LOOP;
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
    await grantSandbox(db, role, readOnly, (schema) => runFunctionDdl(role, schema));
    return new EmbeddedSqlSandbox(db, role);
  }

  async run(statement: SandboxStatement): Promise<SqlResult> {
    const placed = inlinedStatement(statement.lexed, statement.params);
    const call = sql`SELECT line, stop FROM ${raw(RUN_SQL)}(${placed.text}, ${statement.returnsRows}, ${statement.maxRows}, ${statement.maxBytes})`;
    const fetch = async (tx: Queryable): Promise<SqlResult> => {
      const { rows } = await tx.query<{ line: string | null; stop: TruncationReason | null }>(call);
      const last = rows.at(-1);
      return last?.stop ? { rows: rows.slice(0, -1).map((row) => row.line as string), truncated: last.stop } : { rows: rows.map((row) => row.line as string) };
    };
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

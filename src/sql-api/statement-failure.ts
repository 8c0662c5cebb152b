/**
 * A statement PostgreSQL rejected, as the error the client gets: a timeout as the db module says,
 * a write in read-only mode or a right the $sql role lacks as 403, anything else 400 sql.error
 * with PostgreSQL's message, SQLSTATE and the position in the statement as sent (also as the
 * issue extensions sql-sqlstate and sql-position).
 */
import type { FhirError } from '../core/index.js';
import { isDatabaseError, QUERY_CANCELED, translateDatabaseError } from '../db/index.js';
import { sqlErrors } from './sql-errors.js';
import type { SqlStatementError } from './sql-sandbox.js';

export const SQL_POSITION_EXTENSION = 'urn:flint:sql-position';
export const SQL_STATE_EXTENSION = 'urn:flint:sql-sqlstate';

const READ_ONLY_TRANSACTION = '25006';
const INSUFFICIENT_PRIVILEGE = '42501';

export function statementFailure(error: SqlStatementError): unknown {
  const database = error.databaseError;
  if (!isDatabaseError(database)) return database;
  if (database.code === QUERY_CANCELED) return translateDatabaseError(database);
  if (database.code === READ_ONLY_TRANSACTION) {
    return sqlErrors['sql.read-only']({ detail: `$sql is read-only here: ${database.message}` }, { cause: database });
  }
  if (database.code === INSUFFICIENT_PRIVILEGE) {
    return sqlErrors['sql.permission-denied']({ detail: `The role $sql runs as may not do this: ${database.message}` }, { cause: database });
  }
  return rejectedStatement(error);
}

function rejectedStatement(error: SqlStatementError): FhirError {
  const database = error.databaseError as { code?: string; message: string };
  const where = error.position !== undefined ? ` at character ${error.position}` : '';
  const extension = [
    ...(database.code ? [{ url: SQL_STATE_EXTENSION, valueCode: database.code }] : []),
    ...(error.position !== undefined ? [{ url: SQL_POSITION_EXTENSION, valueInteger: error.position }] : []),
  ];
  return sqlErrors['sql.error']({ detail: `${database.message} (SQLSTATE ${database.code ?? 'unknown'})${where}` }, { cause: database, extension });
}

/**
 * sql-api: SQL access to Flint's data. The $sql endpoint's execution (one statement, ? parameters
 * bound, statement timeout, row and byte limits, read-only mode), run in a sandbox as a role of its
 * own behind a concurrency limit, and the SQL functions installed in schema `fhir` at start (FHIR
 * JSON of a row, references, codings, extensions, and the FHIRPath helpers of SQL on FHIR views).
 * See docs/sql.md.
 */
export { executeSql, type SqlAccess, type SqlRequest } from './execute-sql.js';
export { sqlErrors } from './sql-errors.js';
export { SQL_POSITION_EXTENSION, SQL_STATE_EXTENSION } from './statement-failure.js';
export { SqlStatementError, type SqlResult, type SqlSandbox, type TruncationReason } from './sql-sandbox.js';
export { openSqlSandbox, UnavailableSqlSandbox, type SandboxOptions } from './open-sql-sandbox.js';
export { sandboxRoleName } from './sandbox-role.js';
export { SqlGate } from './sql-gate.js';
export { lexStatement, inputPosition, type LexedStatement } from './statement-lexer.js';
export { installFhirFunctions, FHIR_FUNCTIONS_VERSION, FHIR_FUNCTION_DDL } from './fhir-functions.js';

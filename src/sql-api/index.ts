/**
 * sql-api: SQL access to Flint's data. The $sql endpoint's execution (one statement, ? parameters
 * bound, statement timeout, row limit, read-only mode) and the SQL functions installed in schema
 * `fhir` at start (FHIR JSON of a row, references, codings, extensions, and the FHIRPath helpers of
 * SQL on FHIR views). See docs/sql.md.
 */
export { executeSql, SqlStatementError, type SqlRequest, type SqlResult } from './execute-sql.js';
export { lexStatement, inputPosition, type LexedStatement } from './statement-lexer.js';
export { installFhirFunctions, FHIR_FUNCTIONS_VERSION, FHIR_FUNCTION_DDL } from './fhir-functions.js';

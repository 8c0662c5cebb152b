/**
 * The catalogue of $sql's errors: the request (body, parameters, format), the statement (what
 * $sql refuses before running it, and what PostgreSQL rejects while running it) and the sandbox
 * it runs in. http turns them into OperationOutcomes like every other error.
 */
import { defineErrors, detail } from '../core/index.js';

export const sqlErrors = defineErrors('sql-api', {
  'sql.bad-body': { category: 'invalid', summary: 'The body is neither SQL text, a JSON string, nor a JSON array [sql, ...values]', message: detail },
  'sql.bad-parameter': { category: 'invalid', summary: '_timeout or _limit is not a positive integer, or a value holds a NUL character', message: detail },
  'sql.bad-format': { category: 'not-acceptable', summary: '_format is neither json nor yaml', message: detail },
  'sql.empty': { category: 'invalid', summary: 'The request holds no SQL statement', message: detail },
  'sql.multiple-statements': { category: 'invalid', summary: 'The request holds more than one statement', message: detail },
  'sql.forbidden-statement': { category: 'invalid', summary: 'Transaction control and session statements (BEGIN, SET...) are not allowed', message: detail },
  'sql.parameter-count': { category: 'invalid', summary: 'The number of values differs from the number of ? placeholders', message: detail },
  'sql.read-only': { category: 'forbidden', summary: '$sql is read-only here and the statement writes', message: detail },
  'sql.permission-denied': { category: 'forbidden', summary: 'The role $sql runs as may not do what the statement asks', message: detail },
  'sql.error': {
    category: 'invalid',
    summary: 'PostgreSQL rejected the statement; its SQLSTATE and the position in the statement are issue extensions',
    message: detail,
  },
  'sql.busy': { category: 'busy', summary: 'As many $sql statements as allowed are running and none ended in time', message: detail },
  'sql.sandbox-unavailable': { category: 'busy', summary: '$sql has no role to run as (see docs/sql.md to configure one)', message: detail },
  'sql.unavailable': { category: 'busy', summary: '$sql could not connect to the database as its role', message: detail },
  'sql.connection-lost': { category: 'busy', summary: 'The connection of the statement ended while it ran', message: detail },
});

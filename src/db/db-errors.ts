/**
 * The catalogue of the database's errors a client can get: an unreachable or lost database (503,
 * transient), a statement over its time limit, a serialization failure or lock timeout, a
 * transaction given up after its retries, and work stopped because the client went away.
 */
import { defineErrors } from '../core/index.js';

/** A message that is always the same text. */
const says = (text: string) => (): string => text;

export const dbErrors = defineErrors('db', {
  'db.unavailable': {
    category: 'busy', issueType: 'transient', summary: 'The database cannot be reached (refused, shutting down, starting, too many connections)',
    message: says('The database cannot be reached at the moment; retry later'),
  },
  'db.connection-lost': {
    category: 'busy', issueType: 'transient', summary: 'The connection to the database was lost while the request ran; nothing was completed',
    message: says('The connection to the database was lost while the request ran; it was not completed, retry it'),
  },
  'db.unresponsive': {
    category: 'busy', issueType: 'transient', summary: 'The database did not answer in time',
    message: says('The database did not answer in time; retry later'),
  },
  'db.statement-timeout': {
    category: 'too-costly', summary: 'A statement ran longer than its time limit and was stopped; nothing it did was kept',
    message: says('The statement ran longer than its time limit allows and was stopped; nothing it did was kept'),
  },
  'db.serialization-failure': {
    category: 'conflict', issueType: 'transient', summary: 'The transaction conflicted with concurrent transactions (serialization failure or deadlock)',
    message: says('The transaction conflicted with concurrent transactions and could not be completed; retry it'),
  },
  'db.lock-timeout': {
    category: 'conflict', issueType: 'lock-error', summary: 'A lock the request needed could not be obtained in time',
    message: says('A lock needed by the request could not be obtained in time'),
  },
  'db.retries-exhausted': {
    category: 'conflict', issueType: 'transient', summary: 'The transaction conflicted on every attempt and was given up; nothing was written',
    message: (a: { attempts: number }) => `The transaction conflicted with concurrent transactions on each of ${a.attempts} attempts `
      + `(${a.attempts - 1} retries after serialization failures or deadlocks) and was given up; nothing was written: `
      + 'send it again (after the Retry-After delay)',
  },
  'http.client-closed': {
    category: 'invalid', issueType: 'incomplete', summary: 'The client closed the connection before the answer; the work was stopped',
    message: says('The client closed the connection before the answer; the work was stopped'),
  },
});

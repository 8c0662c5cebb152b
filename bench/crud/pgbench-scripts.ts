/**
 * The pgbench scripts of the CRUD benchmark: the row work of each operation as the server's
 * storage statements do it (the same tables, columns, casts, isolation levels and number of
 * statements), run by PostgreSQL's own client with prepared statements. Resource JSON travels as a
 * bind parameter (-D variable), so PostgreSQL parses it on every execution, as for the server.
 */
import { compile } from '../../src/sql/index.js';
import { RESOURCE_TEXT } from '../../src/storage/index.js';
import { FAMILIES, observation, SEARCH_PATIENTS, UPDATE_PATIENTS } from './workload.js';
import { CREATE_BODY, TRANSACTION_BODY, UPDATE_TEMPLATE } from './wrk-scripts.js';

export interface PgbenchWork {
  script: string;
  variables: Record<string, string>;
}

const COLUMNS = 'id, txid, ts, cts, resource_type, status, resource';
/**
 * The read's columns: the resource as JSON text built by PostgreSQL, as storage/resource-text.ts reads
 * it. pgbench takes every :name as a variable, string literals included, so the colons of the
 * lastUpdated format ('HH24:MI:SS') are spelled chr(58) here; the work per row is the same.
 */
const TEXT_ROW = `id, txid, ts, resource_type, status, ${compile(RESOURCE_TEXT).text.replace(/'([^']*)'/g, (literal, body: string) =>
  body.includes(':') ? `(${body.split(':').map((part) => `'${part}'`).join(' || chr(58) || ')})` : literal)} AS text`;

/** The stored JSON: without resourceType and id (storage/resource-row.ts). */
function stored(resource: Record<string, unknown>): string {
  const { resourceType: _type, id: _id, ...rest } = resource;
  return JSON.stringify(rest);
}

function insert(table: string, type: string, variable: string): string {
  return `INSERT INTO ${table} (${COLUMNS}) VALUES (gen_random_uuid()::text, nextval('transaction_id_seq'), now(), now(), '${type}', 'created', CAST(:${variable} AS jsonb)) RETURNING txid, ts;`;
}

export function createWork(): PgbenchWork {
  return {
    script: `BEGIN ISOLATION LEVEL SERIALIZABLE;\n${insert('patient', 'Patient', 'body')}\nCOMMIT;\n`,
    variables: { body: stored(CREATE_BODY) },
  };
}

export function readWork(): PgbenchWork {
  return {
    script: `\\set k random(0, ${SEARCH_PATIENTS - 1})\nSELECT ${TEXT_ROW} FROM patient WHERE id = 'crud-' || CAST(:k AS text);\n`,
    variables: {},
  };
}

export function updateWork(): PgbenchWork {
  const id = `'upd-' || CAST(:k AS text)`;
  return {
    script: [
      `\\set k random(0, ${UPDATE_PATIENTS - 1})`,
      'BEGIN ISOLATION LEVEL SERIALIZABLE;',
      `SELECT txid, status FROM patient WHERE id = ${id} FOR UPDATE;`,
      `WITH archived AS (INSERT INTO patient_history (${COLUMNS}) SELECT ${COLUMNS} FROM patient WHERE id = ${id}) `
        + `UPDATE patient SET txid = nextval('transaction_id_seq'), ts = now(), status = 'updated', resource = CAST(:body AS jsonb) WHERE id = ${id} RETURNING txid, ts;`,
      'COMMIT;',
    ].join('\n'),
    variables: { body: stored(JSON.parse(UPDATE_TEMPLATE) as Record<string, unknown>) },
  };
}

export function transactionWork(): PgbenchWork {
  const entries = (TRANSACTION_BODY as { entry: { resource: Record<string, unknown> }[] }).entry;
  const observations = entries.slice(1).map((_, k) => insert('observation', 'Observation', `obs${k}`));
  const variables: Record<string, string> = { patient: stored(entries[0].resource) };
  entries.slice(1).forEach((_, k) => { variables[`obs${k}`] = stored(observation('Patient/bench', k)); });
  return {
    script: ['BEGIN ISOLATION LEVEL SERIALIZABLE;', insert('patient', 'Patient', 'patient'), ...observations, 'COMMIT;'].join('\n'),
    variables,
  };
}

/**
 * The page query the server runs for Patient?family=FamilyNNN&_count=10 (its text and parameters
 * from $explain for Family000): the parameter that holds "000" is rebuilt from a random family.
 */
export function searchWork(text: string, parameters: string[]): PgbenchWork {
  const variables: Record<string, string> = {};
  const script = text.replace(/\$(\d+)/g, (_, digits: string) => {
    const value = parameters[Number(digits) - 1];
    const at = value.indexOf('000');
    if (at < 0) {
      variables[`p${digits}`] = value;
      return `:p${digits}`;
    }
    variables[`p${digits}a`] = value.slice(0, at);
    variables[`p${digits}b`] = value.slice(at + 3);
    return `(:p${digits}a || lpad(CAST(:k AS text), 3, '0') || :p${digits}b)`;
  });
  return { script: `\\set k random(0, ${FAMILIES - 1})\n${script.replace(/\s+/g, ' ')};\n`, variables };
}

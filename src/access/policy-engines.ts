/**
 * The engines of access policies, each compiled once per policy version into a check of the
 * request object: `allow` (always), `matcho` (matcho.ts), `json-schema` (ajv, compiled once),
 * `sql` (one SELECT returning a boolean; each `{{path}}` becomes a bind parameter holding the
 * request's value, never text spliced into the query; run read-only with a short timeout, and a
 * query that fails denies and is logged), and `complex` (`and` / `or` of nested bodies of any
 * engine). A body that cannot be compiled is refused with access.invalid-policy.
 */
import { Ajv } from 'ajv';
import type { Database } from '../db/index.js';
import { join, param, raw, type Sql } from '../sql/index.js';
import { accessErrors } from './access-errors.js';
import { POLICY_ENGINES, type PolicyEngine } from './access-policy-type.js';
import { compileMatcho, valueAtPath } from './matcho.js';
import type { RequestObject } from './request-object.js';

export interface EvaluationContext {
  db: Database;
  log: { warn(details: object, message: string): void };
  /** The policy's id, for the log. */
  policyId: string;
}

export interface CompiledBody {
  engine: PolicyEngine;
  /** Whether it may query the database (engine sql, or a complex body holding one). */
  queries: boolean;
  allows(request: RequestObject, context: EvaluationContext): boolean | Promise<boolean>;
}

/** The longest a policy's SQL may run before it is cancelled (and denies). */
export const POLICY_SQL_TIMEOUT_MS = 1000;

const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: true });
const TEMPLATE = /\{\{\s*([A-Za-z0-9_./-]+?)\s*\}\}/g;

function invalid(where: string, reason: string): Error {
  return accessErrors['access.invalid-policy']({ detail: `${where}: ${reason}` });
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compileSchema(schema: unknown, where: string): CompiledBody {
  if (!isMap(schema) && typeof schema !== 'boolean') throw invalid(where, 'engine json-schema needs schema, a JSON Schema object');
  let validate: (data: unknown) => boolean;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw invalid(where, `the schema does not compile: ${(error as Error).message}`);
  }
  return { engine: 'json-schema', queries: false, allows: (request) => validate(request) === true };
}

/** A request value as a bind parameter: text, numbers and booleans as they are, a reference as Type/id, missing as null. */
function bindValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  const { reference, resourceType, id } = value as Record<string, unknown>;
  if (typeof reference === 'string') return reference;
  if (typeof resourceType === 'string' && typeof id === 'string') return `${resourceType}/${id}`;
  return JSON.stringify(value);
}

/** The query with each {{path}} a bind parameter holding the request's value. */
function boundQuery(text: string, paths: string[][], request: RequestObject): Sql {
  const pieces = text.split(TEMPLATE);
  const parts: Sql[] = [];
  pieces.forEach((piece, index) => {
    // split with a capture group alternates text and captured paths.
    if (index % 2 === 0) parts.push(raw(piece));
    else parts.push(join([param(bindValue(valueAtPath(request, paths[(index - 1) / 2])))], ''));
  });
  return join(parts, '');
}

function compileSql(body: unknown, where: string): CompiledBody {
  const text = isMap(body) ? body.query : undefined;
  if (typeof text !== 'string' || !/^\s*(select|with)\b/i.test(text)) throw invalid(where, 'engine sql needs sql.query, a SELECT returning one boolean');
  if (text.replace(/;\s*$/, '').includes(';')) throw invalid(where, 'sql.query is one statement');
  const statement = text.replace(/;\s*$/, '');
  const paths = [...statement.matchAll(TEMPLATE)].map((match) => match[1].split('.'));
  return {
    engine: 'sql',
    queries: true,
    async allows(request, context) {
      try {
        const result = await context.db.transaction((tx) => tx.query<Record<string, unknown>>(boundQuery(statement, paths, request)),
          { readOnly: true, timeoutMs: POLICY_SQL_TIMEOUT_MS });
        const row = result.rows[0];
        return row !== undefined && Object.values(row)[0] === true;
      } catch (error) {
        context.log.warn({ err: error, policy: context.policyId }, 'an access policy\'s SQL failed: the policy denies');
        return false;
      }
    },
  };
}

function compileComplex(body: Record<string, unknown>, where: string): CompiledBody {
  const and = body.and === undefined ? [] : body.and;
  const or = body.or === undefined ? [] : body.or;
  if (!Array.isArray(and) || !Array.isArray(or) || and.length + or.length === 0) {
    throw invalid(where, 'engine complex needs and and/or or, lists of policy bodies');
  }
  const all = and.map((item, index) => compileBody(item, `${where}.and[${index}]`));
  const some = or.map((item, index) => compileBody(item, `${where}.or[${index}]`));
  return {
    engine: 'complex',
    queries: [...all, ...some].some((part) => part.queries),
    async allows(request, context) {
      for (const part of all) if (!(await part.allows(request, context))) return false;
      if (some.length === 0) return true;
      for (const part of some) if (await part.allows(request, context)) return true;
      return false;
    },
  };
}

/** Compiles a policy body (the policy itself, or an item of and / or); throws access.invalid-policy. */
export function compileBody(body: unknown, where = 'AccessPolicy'): CompiledBody {
  if (!isMap(body)) throw invalid(where, 'a policy body is a JSON object');
  const engine = body.engine;
  if (typeof engine !== 'string' || !(POLICY_ENGINES as readonly string[]).includes(engine)) {
    throw invalid(where, `engine must be one of ${POLICY_ENGINES.join(', ')}`);
  }
  switch (engine as PolicyEngine) {
    case 'allow': return { engine: 'allow', queries: false, allows: () => true };
    case 'matcho': {
      if (!isMap(body.matcho)) throw invalid(where, 'engine matcho needs matcho, a pattern object');
      const matcher = compileMatcho(body.matcho);
      return { engine: 'matcho', queries: false, allows: (request) => matcher(request, request) };
    }
    case 'json-schema': return compileSchema(body.schema, where);
    case 'sql': return compileSql(body.sql, where);
    case 'complex': return compileComplex(body, where);
  }
}

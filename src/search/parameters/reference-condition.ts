/**
 * Reference search (http://hl7.org/fhir/R4/search.html#reference): Type/id, a bare id (any of the
 * parameter's target types), an absolute URL (the server's own base is read as a local reference),
 * a canonical url[|version], the :Type modifier, :identifier. Keys come from flint_reference_keys,
 * so the GIN index answers `&&`.
 */
import { invalid, isValidId, parseReference } from '../../core/index.js';
import { raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResolvedParameter, ValueTest } from '../compile-context.js';
import { keyExpression } from './key-expressions.js';
import { unescapeValue } from '../search-request.js';
import { tokenKey, tokenKeysCondition } from './token-condition.js';

/** The types a parameter's references may point to (its targets, narrowed by where(resolve() is X)). */
export function referenceTargets(cc: CompileContext, parameter: ResolvedParameter): string[] {
  const declared = parameter.definition.target ?? [];
  const narrowed = parameter.paths.flatMap((path) => path.targets ?? []);
  const targets = narrowed.length > 0 ? narrowed.filter((type) => declared.length === 0 || declared.includes(type)) : declared;
  if (targets.length > 0 && !targets.includes('Resource')) return [...new Set(targets)];
  return cc.search.model.resourceTypes();
}

/** The keys one query value looks up; an empty list matches nothing. */
export function referenceKeys(cc: CompileContext, parameter: ResolvedParameter, value: string, typeModifier?: string): string[] {
  let reference = unescapeValue(value);
  const base = `${cc.baseUrl}/`;
  if (reference.startsWith(base)) reference = reference.slice(base.length);
  const targets = referenceTargets(cc, parameter);
  const parsed = parseReference(reference);
  if (parsed?.kind === 'relative') {
    const type = parsed.resourceType as string;
    const id = parsed.id as string;
    if (typeModifier && typeModifier !== type) return [];
    // A local reference is stored relative, or absolute with this server's base.
    return targets.includes(type) ? [`${type}/${id}`, `${base}${type}/${id}`] : [];
  }
  if (isValidId(reference)) {
    const types = typeModifier ? [typeModifier].filter((type) => targets.includes(type)) : targets;
    return types.flatMap((type) => [`${type}/${reference}`, `${base}${type}/${reference}`]);
  }
  return [reference];
}

export function referenceKeysCondition(document: string, parameter: ResolvedParameter, keys: string[] | Sql): Sql {
  return sql`${keyExpression('flint_reference_keys', document, parameter.paths)} && ${keys}::text[]`;
}

function identifierCondition(test: ValueTest): Sql {
  const paths = test.parameter.paths.map((path) => ({ ...path, path: `${path.path}."identifier"`, type: 'Identifier' }));
  return tokenKeysCondition(test.document, { parameter: { ...test.parameter, paths } }, test.values.map(tokenKey));
}

export function referenceCondition(cc: CompileContext, test: ValueTest): Sql {
  if (test.modifier === 'identifier') return identifierCondition(test);
  if (test.modifier && !cc.search.model.isResourceType(test.modifier)) {
    throw invalid('search.bad-modifier', `Reference parameter ${test.param.split(':')[0]} does not support :${test.modifier}`, { expression: test.param });
  }
  const keys = test.values.flatMap((value) => referenceKeys(cc, test.parameter, value, test.modifier));
  if (keys.length === 0) return raw('FALSE');
  return referenceKeysCondition(test.document, test.parameter, keys);
}

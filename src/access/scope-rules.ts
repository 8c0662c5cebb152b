/**
 * SMART scopes enforced (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html) for
 * a caller whose bearer token carries resource scopes (patient/, user/, system/): the interaction
 * needs its permission letter on the request's type (read and vread r; search and history s;
 * create c; update and patch u; delete d; conditional ones s as well), or the request is refused
 * with access.missing-scope naming the scope it needed. The rows of each type are those of the
 * scopes permitting it: `patient/` scopes the launch patient's compartment (none without a launch
 * patient), `user/` and `system/` every row (the policies narrow them), and a granular v2 scope's
 * query is search criteria ANDed in. A type no scope names gets no rows. A client signing in with
 * HTTP Basic is not narrowed by its registered scopes: its policies alone decide.
 */
import { ALL_ROWS, anyRule, bothRules, NO_ROWS, type Caller, type RowRule } from '../core/index.js';
import type { Route } from '../engine/index.js';
import { accessErrors } from './access-errors.js';
import { parseScope, type ResourceScope, type ScopeInteraction } from './smart-scopes.js';

const LETTERS: Partial<Record<Route['interaction'], ScopeInteraction[]>> = {
  read: ['r'], vread: ['r'],
  'search-type': ['s'], 'search-compartment': ['s'], 'history-instance': ['s'], 'history-type': ['s'],
  create: ['c'], update: ['u'], patch: ['u'], delete: ['d'],
  'conditional-update': ['u', 's'], 'conditional-patch': ['u', 's'], 'conditional-delete': ['d', 's'],
  operation: ['r'],
};

/** The resource scopes of a caller's token; none for HTTP Basic and for tokens without resource scopes. */
export function tokenResourceScopes(caller: Caller): ResourceScope[] {
  if (caller.via !== 'bearer') return [];
  const scopes: ResourceScope[] = [];
  for (const text of caller.scopes) {
    try {
      const scope = parseScope(text);
      if (scope.kind === 'resource') scopes.push(scope);
    } catch {
      // A scope this server does not know grants nothing.
    }
  }
  return scopes;
}

/** The type a request's scope must name, and the letters it needs; undefined when the request names no type. */
export function neededPermission(route: Route, headers: Record<string, string | undefined>): { type: string; letters: ScopeInteraction[] } | undefined {
  const type = route.interaction === 'search-compartment' ? route.compartmentTarget : route.resourceType;
  const letters = LETTERS[route.interaction];
  if (!type || type === '*' || !letters) return undefined;
  return { type, letters: route.interaction === 'create' && headers['if-none-exist'] ? ['c', 's'] : letters };
}

function permitsType(scope: ResourceScope, type: string): boolean {
  return scope.resourceType === '*' || scope.resourceType === type;
}

/** Refuses (access.missing-scope) unless one scope permits each letter the request needs on its type. */
export function checkScopes(scopes: readonly ResourceScope[], route: Route, headers: Record<string, string | undefined>): void {
  const needed = neededPermission(route, headers);
  if (!needed) return;
  const missing = needed.letters.filter((letter) => !scopes.some((scope) => permitsType(scope, needed.type) && scope.interactions.has(letter)));
  if (missing.length === 0) return;
  const context = ['patient', 'user', 'system'].find((name) => scopes.some((scope) => scope.context === name)) ?? 'user';
  throw accessErrors['access.missing-scope']({ scope: `${context}/${needed.type}.${needed.letters.join('')}` });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function scopeRule(scope: ResourceScope, caller: Caller): RowRule {
  const patient = caller.launch?.patient;
  const context: RowRule = scope.context !== 'patient' ? ALL_ROWS
    : patient ? { kind: 'compartment', compartment: 'Patient', id: patient } : NO_ROWS;
  if (!scope.query) return context;
  return bothRules(context, { kind: 'criteria', query: scope.query.map(([name, value]) => [decode(name), decode(value)]) });
}

/**
 * The rows of a type the scopes grant: for the request's own type the scopes with a letter it
 * needs, for other types (includes, chains) those that read or search.
 */
export function scopeRowRule(scopes: readonly ResourceScope[], caller: Caller, type: string, letters: readonly ScopeInteraction[]): RowRule {
  const permitting = scopes.filter((scope) => permitsType(scope, type) && letters.some((letter) => scope.interactions.has(letter)));
  return anyRule(permitting.map((scope) => scopeRule(scope, caller)));
}

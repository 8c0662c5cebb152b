/**
 * SMART App Launch 2.x scopes (https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html):
 * the parse of a scope string into a typed value and back, what a client may be granted of what it
 * asks for, and whether granted scopes permit an interaction on a resource type. Resource scopes are
 * `context/Type.permissions[?query]`, with the v1 permissions read, write and * read as the same
 * sets of interactions as v2's c r u d s letters; granular scopes keep their query for the caller
 * to narrow by.
 */
import { accessErrors } from './access-errors.js';

export type ScopeContext = 'patient' | 'user' | 'system';

/** c create, r read (and vread, history), u update (and patch), d delete, s search. */
export type ScopeInteraction = 'c' | 'r' | 'u' | 'd' | 's';

/** One name=value of a granular scope's query, kept as written (no decoding). */
export type ScopeQueryParam = readonly [name: string, value: string];

/** A scope on FHIR resources: `patient/Observation.rs`, `user/*.cruds`, `system/*.read`. */
export interface ResourceScope {
  kind: 'resource';
  context: ScopeContext;
  /** A resource type name, or '*' for every type. */
  resourceType: string;
  interactions: ReadonlySet<ScopeInteraction>;
  /** The granular constraint of a v2 scope (`?category=...|vital-signs`); absent when unrestricted. */
  query?: readonly ScopeQueryParam[];
  /** 1 for read / write / *, 2 for the c r u d s letters. */
  version: 1 | 2;
  text: string;
}

export const NAMED_SCOPES = [
  'openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access',
] as const;

/** A launch-context or identity scope, which names no resource. */
export type NamedScopeName = typeof NAMED_SCOPES[number];

export interface NamedScope {
  kind: 'named';
  name: NamedScopeName;
  text: string;
}

export type SmartScope = ResourceScope | NamedScope;

/** The v2 letters, in the one order a scope may list them. */
const LETTERS: readonly ScopeInteraction[] = ['c', 'r', 'u', 'd', 's'];

/** The v1 permissions and the interactions each stands for. */
const V1_PERMISSIONS: ReadonlyMap<string, readonly ScopeInteraction[]> = new Map([
  ['read', ['r', 's']],
  ['write', ['c', 'u', 'd']],
  ['*', LETTERS],
]);

/** RFC 6749 section 3.3: a scope token is printable ASCII other than space, the double quote and the backslash. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const RESOURCE_SCOPE = /^(patient|user|system)\/([^.?]*)\.([^?]*)(?:\?(.*))?$/;
const RESOURCE_TYPE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const QUERY_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]*$/;

function refuse(scope: string, reason: string): never {
  throw accessErrors['access.invalid-scope']({ scope, reason });
}

function isNamedScope(text: string): text is NamedScopeName {
  return (NAMED_SCOPES as readonly string[]).includes(text);
}

/** The interactions of v2 letters: each at most once, in the order c r u d s. */
function parseLetters(text: string, letters: string): Set<ScopeInteraction> {
  const found = new Set<ScopeInteraction>();
  let next = 0;
  for (const letter of letters) {
    const at = LETTERS.indexOf(letter as ScopeInteraction, next);
    if (at < 0) {
      refuse(text, LETTERS.includes(letter as ScopeInteraction)
        ? 'the permissions c r u d s must each appear at most once, in that order'
        : `"${letter}" is not a permission (read, write, * or letters of cruds)`);
    }
    found.add(LETTERS[at]);
    next = at + 1;
  }
  return found;
}

/** A granular query: name=value pairs joined by &, none empty. */
function parseQuery(text: string, query: string): ScopeQueryParam[] {
  return query.split('&').map((pair) => {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    const value = equals < 0 ? '' : pair.slice(equals + 1);
    if (!QUERY_NAME.test(name) || value === '') refuse(text, 'the query must be name=value pairs joined by &, each with a value');
    return [name, value] as const;
  });
}

function parseResourceScope(text: string, match: RegExpExecArray): ResourceScope {
  const [, context, resourceType, permissions, query] = match;
  if (resourceType !== '*' && !RESOURCE_TYPE.test(resourceType)) refuse(text, 'the resource type must be a FHIR type name or *');
  if (permissions === '') refuse(text, 'the permissions after the "." are missing');
  const v1 = V1_PERMISSIONS.get(permissions);
  if (v1 && query !== undefined) refuse(text, 'a query narrows only a v2 scope (letters of cruds)');
  const scope: ResourceScope = {
    kind: 'resource',
    context: context as ScopeContext,
    resourceType,
    interactions: v1 ? new Set(v1) : parseLetters(text, permissions),
    version: v1 ? 1 : 2,
    text,
  };
  if (query !== undefined) scope.query = parseQuery(text, query);
  return scope;
}

/** One scope string as a typed value; anything this server does not know is access.invalid-scope. */
export function parseScope(text: string): SmartScope {
  if (isNamedScope(text)) return { kind: 'named', name: text, text };
  if (text === '') refuse(text, 'the scope is empty');
  if (!SCOPE_TOKEN.test(text)) refuse(text, 'a scope is printable ASCII without spaces, " or \\');
  const match = RESOURCE_SCOPE.exec(text);
  if (match) return parseResourceScope(text, match);
  if (text.startsWith('launch/')) refuse(text, 'the launch context scopes are launch/patient and launch/encounter');
  return refuse(text, 'expected context/Type.permissions (context patient, user or system) or a launch or identity scope');
}

/** The scopes of a space-separated scope parameter (RFC 6749 section 3.3), each once, in order. */
export function parseScopes(spaceSeparated: string): SmartScope[] {
  const texts = spaceSeparated.split(/[ ]+/).filter((text) => text !== '');
  return [...new Set(texts)].map(parseScope);
}

function formatPermissions(scope: ResourceScope): string {
  if (scope.version === 1) {
    for (const [name, interactions] of V1_PERMISSIONS) if (sameInteractions(interactions, scope.interactions)) return name;
  }
  return LETTERS.filter((letter) => scope.interactions.has(letter)).join('');
}

function sameInteractions(list: readonly ScopeInteraction[], set: ReadonlySet<ScopeInteraction>): boolean {
  return list.length === set.size && list.every((letter) => set.has(letter));
}

/** A scope back to its text: v1 scopes in v1 words, v2 scopes with their letters in order. */
export function formatScope(scope: SmartScope): string {
  if (scope.kind === 'named') return scope.name;
  const query = scope.query ? `?${scope.query.map(([name, value]) => `${name}=${value}`).join('&')}` : '';
  return `${scope.context}/${scope.resourceType}.${formatPermissions(scope)}${query}`;
}

/** The query's text with its pairs sorted, so that two orders of the same pairs compare equal. */
function queryKey(query: readonly ScopeQueryParam[] | undefined): string {
  return (query ?? []).map(([name, value]) => `${name}=${value}`).sort().join('&');
}

/**
 * Whether an allowed scope covers a requested one: named scopes by name; resource scopes when the
 * context is the same, the type is the same or allowed is `*`, the interactions are a subset, and
 * allowed has no query or the same query (kept simple and safe: a narrower query is not worked out).
 */
function covers(allowed: SmartScope, requested: SmartScope): boolean {
  if (allowed.kind === 'named' || requested.kind === 'named') {
    return allowed.kind === 'named' && requested.kind === 'named' && allowed.name === requested.name;
  }
  return allowed.context === requested.context
    && (allowed.resourceType === '*' || allowed.resourceType === requested.resourceType)
    && [...requested.interactions].every((letter) => allowed.interactions.has(letter))
    && (allowed.query === undefined || queryKey(allowed.query) === queryKey(requested.query));
}

/** What a client may get of the scopes it requests, given the scopes it is allowed. */
export function grantScopes(requested: readonly SmartScope[], allowed: readonly SmartScope[]): { granted: SmartScope[]; refused: SmartScope[] } {
  const granted: SmartScope[] = [];
  const refused: SmartScope[] = [];
  for (const scope of requested) {
    (allowed.some((candidate) => covers(candidate, scope)) ? granted : refused).push(scope);
  }
  return { granted, refused };
}

export interface ScopeRequest {
  /** The context the call is made in; absent, a scope of any context may permit it. */
  context?: ScopeContext;
  resourceType: string;
  interaction: ScopeInteraction;
}

/**
 * Whether granted scopes permit an interaction. `queries` has the query of each permitting scope
 * (an empty list for a scope without one, which permits without restriction); the caller narrows
 * by them, a resource being permitted when it matches any of them. `unrestricted` says that one of
 * them is empty.
 */
export interface ScopePermission {
  permitted: boolean;
  unrestricted: boolean;
  queries: (readonly ScopeQueryParam[])[];
}

function permits(scope: ResourceScope, request: ScopeRequest): boolean {
  return (request.context === undefined || scope.context === request.context)
    && (scope.resourceType === '*' || scope.resourceType === request.resourceType)
    && scope.interactions.has(request.interaction);
}

/** Whether any resource scope among the granted ones permits the interaction, and with which queries. */
export function scopePermits(scopes: readonly SmartScope[], request: ScopeRequest): ScopePermission {
  const matching = scopes.filter((scope): scope is ResourceScope => scope.kind === 'resource' && permits(scope, request));
  const byKey = new Map(matching.map((scope) => [queryKey(scope.query), scope.query ?? []] as const));
  const queries = [...byKey.values()];
  return { permitted: queries.length > 0, unrestricted: byKey.has(''), queries };
}

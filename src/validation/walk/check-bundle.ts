/**
 * Rules of Bundles beyond their definition's invariants (http://hl7.org/fhir/R4/bundle.html):
 * entry.fullUrl is absolute and agrees with the resource's type and id, link relations occur
 * once, search results have ids; and the index of entries that references inside the Bundle
 * resolve against (and the same index over the resources of a Parameters resource).
 */
import { isAbsoluteUri, isJsonObject, parseReference, type JsonObject } from '../../core/index.js';
import { VALIDATION_CODES as CODES } from '../validation-issues.js';
import { report, type BundleScope, type WalkContext } from './walk-context.js';

const RESTFUL_TAIL = /\/([A-Z][A-Za-z0-9]*)\/([A-Za-z0-9\-.]{1,64})$/;

function entriesOf(bundle: JsonObject): JsonObject[] {
  return Array.isArray(bundle.entry) ? bundle.entry.filter(isJsonObject) : [];
}

/** Documents and messages must resolve every reference inside themselves. */
const SELF_CONTAINED = new Set(['document', 'message']);

function addToScope(scope: BundleScope, resource: JsonObject): void {
  if (typeof resource.resourceType !== 'string' || typeof resource.id !== 'string') return;
  const key = `${resource.resourceType}/${resource.id}`;
  scope.byTypeAndId.set(key, [...(scope.byTypeAndId.get(key) ?? []), resource]);
}

export function bundleScope(bundle: JsonObject): BundleScope {
  const scope: BundleScope = { byFullUrl: new Map(), byTypeAndId: new Map(), selfContained: SELF_CONTAINED.has(bundle.type as string) };
  for (const entry of entriesOf(bundle)) {
    const resource = entry.resource;
    if (!isJsonObject(resource)) continue;
    if (typeof entry.fullUrl === 'string') scope.byFullUrl.set(entry.fullUrl, resource);
    addToScope(scope, resource);
  }
  return scope;
}

/** The resources of a Bundle (or Parameters) a reference names: the entry with that fullUrl, else those with its Type/id. */
export function resourcesNamed(scope: BundleScope, reference: string): JsonObject[] {
  const byUrl = scope.byFullUrl.get(reference);
  if (byUrl) return [byUrl];
  const parsed = parseReference(reference);
  return parsed?.kind === 'relative' ? scope.byTypeAndId.get(`${parsed.resourceType}/${parsed.id}`) ?? [] : [];
}

function addParameterResources(scope: BundleScope, parameters: unknown): void {
  if (!Array.isArray(parameters)) return;
  for (const parameter of parameters) {
    if (!isJsonObject(parameter)) continue;
    if (isJsonObject(parameter.resource)) addToScope(scope, parameter.resource);
    addParameterResources(scope, parameter.part);
  }
}

/** The resources of a Parameters resource (parts included) resolve references between each other, as a Bundle's entries do. */
export function parametersScope(parameters: JsonObject): BundleScope {
  const scope: BundleScope = { byFullUrl: new Map(), byTypeAndId: new Map(), selfContained: false };
  addParameterResources(scope, parameters.parameter);
  return scope;
}

function checkFullUrl(walk: WalkContext, entry: JsonObject, path: string): void {
  const fullUrl = entry.fullUrl;
  if (typeof fullUrl !== 'string') return;
  if (!isAbsoluteUri(fullUrl)) {
    report(walk, 'error', 'invalid', CODES.bundleFullUrl, `The fullUrl must be an absolute URL (not '${fullUrl}')`, `${path}.fullUrl`);
    return;
  }
  const resource = entry.resource;
  const tail = RESTFUL_TAIL.exec(fullUrl);
  if (!tail || !isJsonObject(resource) || typeof resource.id !== 'string' || !/^https?:/.test(fullUrl)) return;
  if (tail[1] !== resource.resourceType || tail[2] !== resource.id) {
    report(walk, 'error', 'invalid', CODES.bundleFullUrl,
      `The fullUrl '${fullUrl}' looks like a RESTful server URL, so it must end with the resource's type and id (${resource.resourceType}/${resource.id})`, `${path}.fullUrl`);
  }
}

function checkLinks(walk: WalkContext, bundle: JsonObject, here: string): void {
  if (!Array.isArray(bundle.link)) return;
  const seen = new Set<string>();
  bundle.link.forEach((link, index) => {
    if (!isJsonObject(link) || typeof link.relation !== 'string') return;
    if (seen.has(link.relation)) {
      report(walk, 'error', 'invalid', CODES.bundleLink, `The link relation '${link.relation}' can only occur once`, `${here}.link[${index}]`);
    }
    seen.add(link.relation);
  });
}

export function checkBundle(walk: WalkContext, bundle: JsonObject, here: string): void {
  checkLinks(walk, bundle, here);
  const isSearchset = bundle.type === 'searchset';
  (Array.isArray(bundle.entry) ? bundle.entry : []).forEach((entry, index) => {
    if (!isJsonObject(entry)) return;
    const path = `${here}.entry[${index}]`;
    checkFullUrl(walk, entry, path);
    const search = entry.search;
    const resource = entry.resource;
    if (isSearchset && isJsonObject(resource) && resource.id === undefined && resource.resourceType !== 'OperationOutcome'
      && (!isJsonObject(search) || search.mode !== 'outcome')) {
      report(walk, 'error', 'invalid', CODES.bundleDuplicate, 'Search results must have ids', `${path}.resource`);
    }
  });
}

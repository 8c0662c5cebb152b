/**
 * The state of one validation walk: the model, the compiled definitions, terminology, the
 * settings, the issues found so far, and the resources the FHIRPath variables name.
 */
import type { Issue, IssueSeverity, IssueType, JsonObject } from '../../core/index.js';
import type { FhirModel } from '../../model/index.js';
import type { DefinitionRegistry } from '../schema/definition-registry.js';
import type { Terminology } from '../terminology/terminology.js';

export interface WalkSettings {
  /** Only the structural checks (known elements, arrays, primitive forms): checkStructure. */
  structureOnly: boolean;
  /** Severity of an extension whose definition is unknown. */
  unknownExtension: 'error' | 'warning' | 'information';
  /** Severity of a meta.profile the server does not know. */
  unknownProfile: 'error' | 'warning';
  /** URL prefixes of extensions accepted without a definition (an organisation's own extensions). */
  extensionDomains: readonly string[];
  /** URLs of the example domains (example.org, example.com, example.net, *.example): allowed, or errors outside examples. */
  exampleUrls: 'allow' | 'error';
  /** HTML tags inside markdown: allowed (they are escaped when shown), or errors. */
  markdownHtml: 'allow' | 'error';
  /** Collect relative references so the caller can check their targets exist. */
  collectReferences: boolean;
  /** Report issues of severity information (writes leave them out: nobody sees them). */
  information: boolean;
}

export const DEFAULT_SETTINGS: WalkSettings = {
  structureOnly: false,
  unknownExtension: 'warning',
  unknownProfile: 'warning',
  extensionDomains: [],
  exampleUrls: 'allow',
  markdownHtml: 'allow',
  collectReferences: false,
  information: true,
};

/** A reference whose target the caller resolves after the walk. */
export interface PendingReference {
  resourceType: string;
  id: string;
  path: string;
}

export interface WalkContext {
  model: FhirModel;
  registry: DefinitionRegistry;
  terminology: Terminology;
  settings: WalkSettings;
  issues: Issue[];
  references: PendingReference[];
  /** The resource being walked (%resource) and the outermost one (%rootResource). */
  resource: JsonObject;
  rootResource: JsonObject;
  /** Where the current resource sits in a Bundle (for references between entries). */
  bundle?: BundleScope;
  /** The local references (#id) met in the current resource, for dom-3. */
  localReferences?: LocalReferences;
  /** The contained resource being walked, if any. */
  currentContained?: JsonObject;
  /** Does a value conform to a profile (for profile discriminators)? */
  conforms: (walk: WalkContext, value: unknown, profile: string) => boolean;
}

export interface LocalReferences {
  /** Every reference, canonical, uri or url value that starts with #. */
  values: Set<string>;
  /** Contained resources that refer to their container ('#'). */
  toContainer: Set<JsonObject>;
}

export interface BundleScope {
  /** fullUrl -> resource, and Type/id -> resources. */
  byFullUrl: Map<string, JsonObject>;
  byTypeAndId: Map<string, JsonObject[]>;
  /** A document or message: references to urn:uuid must name an entry. */
  selfContained: boolean;
}

export function report(
  walk: WalkContext, severity: IssueSeverity, type: IssueType, code: string, diagnostics: string, path: string,
): void {
  if (severity === 'information' && !walk.settings.information) return;
  walk.issues.push({ severity, type, code, diagnostics, expression: [path] });
}

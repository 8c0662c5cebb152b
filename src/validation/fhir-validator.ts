/**
 * The validator of the server: a resource against its base definition, the profiles it claims in
 * meta.profile and any the caller names, with terminology from the model, extension and reference
 * checks, and (when asked) the existence of referenced resources. A StructureDefinition being
 * written must also compile. Compiled definitions and expansions are cached and follow model
 * changes.
 */
import { FhirError, isJsonObject, type Issue, type JsonObject, type Resource } from '../core/index.js';
import type { FhirModel, StructureDefinition } from '../model/index.js';
import { definesType, splitCanonical } from '../model/index.js';
import { EXTENSION_CODES } from './extension-check.js';
import { DefinitionRegistry } from './schema/definition-registry.js';
import { Terminology } from './terminology/terminology.js';
import { VALIDATION_CODES as CODES } from './validation-issues.js';
import { conformsTo } from './walk/profile-conformance.js';
import { validateResource } from './walk/validate-resource.js';
import { DEFAULT_SETTINGS, type PendingReference, type WalkContext, type WalkSettings } from './walk/walk-context.js';

export type ValidatorSettings = Omit<WalkSettings, 'collectReferences' | 'information'>;

export interface ValidateOptions {
  /** Profiles to validate against besides meta.profile (the $validate profile parameter). */
  profiles?: readonly string[];
  /** Resolves a relative reference: does Type/id exist? Given, every relative reference is checked. */
  referenceExists?: (resourceType: string, id: string) => Promise<boolean>;
  /** Leave out issues of severity information (default: include them). */
  withoutInformation?: boolean;
}

export interface WalkResult {
  issues: Issue[];
  references: PendingReference[];
}

export class FhirValidator {
  readonly registry: DefinitionRegistry;
  readonly terminology: Terminology;
  readonly settings: ValidatorSettings;

  constructor(readonly model: FhirModel, settings: Partial<ValidatorSettings> = {}) {
    this.registry = new DefinitionRegistry(model);
    this.terminology = new Terminology(model);
    this.settings = { ...DEFAULT_SETTINGS, ...settings };
  }

  /** The synchronous walk: every issue, and the relative references found when collectReferences. */
  walk(resource: unknown, options: { profiles?: readonly string[]; collectReferences?: boolean; structureOnly?: boolean; information?: boolean } = {}): WalkResult {
    const root = (isJsonObject(resource) ? resource : {}) as JsonObject;
    const walk: WalkContext = {
      model: this.model,
      registry: this.registry,
      terminology: this.terminology,
      settings: {
        ...this.settings,
        structureOnly: options.structureOnly ?? this.settings.structureOnly,
        collectReferences: options.collectReferences === true,
        information: options.information ?? true,
      },
      issues: [],
      references: [],
      resource: root,
      rootResource: root,
      conforms: conformsTo,
    };
    validateResource(walk, resource, '', options.profiles ?? []);
    walk.issues = withoutRestatedExtensionValues(walk.issues);
    if (!walk.settings.structureOnly && isJsonObject(resource) && resource.resourceType === 'StructureDefinition') {
      walk.issues.push(...this.checkDefinition(resource as StructureDefinition));
    }
    return { issues: walk.issues, references: walk.references };
  }

  /** Validates a resource; with referenceExists, also that every relative reference names an existing resource. */
  async validate(resource: Resource, options: ValidateOptions = {}): Promise<Issue[]> {
    const { issues, references } = this.walk(resource, {
      profiles: options.profiles, collectReferences: options.referenceExists !== undefined, information: options.withoutInformation !== true,
    });
    if (options.referenceExists) {
      for (const reference of references) {
        if (await options.referenceExists(reference.resourceType, reference.id)) continue;
        issues.push({
          severity: 'error', type: 'not-found', code: CODES.referenceNotFound,
          diagnostics: `The referenced resource ${reference.resourceType}/${reference.id} does not exist`, expression: [reference.path],
        });
      }
    }
    return issues;
  }

  /**
   * A StructureDefinition must compile against the model (its base known, its elements real, no
   * cycle); `others` are definitions that arrive with it (a package). Definitions of types are
   * the metadata module's to check (they change the model's types); logical models are not
   * validated against.
   */
  checkDefinition(definition: StructureDefinition, others: readonly StructureDefinition[] = []): Issue[] {
    if (typeof definition.url !== 'string' || definition.kind === 'logical' || definesType(definition)) return [];
    const lookup = (canonical: string): StructureDefinition | undefined => {
      const { url, version } = splitCanonical(canonical);
      const local = [definition, ...others].find((candidate) => candidate.url === url && (version === undefined || candidate.version === version));
      return local ?? this.model.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', canonical);
    };
    try {
      this.registry.compile(definition, lookup);
      return [];
    } catch (error) {
      if (!(error instanceof FhirError)) throw error;
      return [{ severity: 'error', type: 'processing', code: CODES.definition, diagnostics: error.message, expression: error.issues[0]?.expression ?? ['StructureDefinition'] }];
    }
  }
}

const EXTENSION_VALUE_CODES = new Set(Object.values(EXTENSION_CODES) as string[]);
const RESTATING_CODES = new Set<string>([CODES.typeNotAllowed, CODES.cardinalityMax]);

/**
 * The structural check of an extension's value type (extension-check.ts) and the walk of its
 * definition find the same wrong value; the structural issue is kept.
 */
function withoutRestatedExtensionValues(issues: Issue[]): Issue[] {
  const paths = new Set(issues.filter((issue) => EXTENSION_VALUE_CODES.has(issue.code)).map((issue) => issue.expression?.[0]));
  if (paths.size === 0) return issues;
  return issues.filter((issue) => !(RESTATING_CODES.has(issue.code) && paths.has(issue.expression?.[0])));
}

const structureValidators = new WeakMap<FhirModel, FhirValidator>();

/** Every structural problem of a resource (known elements, arrays, primitive forms), as issues. */
export function checkStructure(model: FhirModel, resource: unknown): Issue[] {
  let validator = structureValidators.get(model);
  if (!validator) {
    validator = new FhirValidator(model, { structureOnly: true });
    structureValidators.set(model, validator);
  }
  return validator.walk(resource, { structureOnly: true }).issues;
}

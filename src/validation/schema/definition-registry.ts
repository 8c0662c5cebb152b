/**
 * Compiled StructureDefinitions, each compiled once and cached by url|version: base types from
 * their snapshot, profiles from their differential (or their snapshot when they have no
 * differential) checked together with what they derive from. The cache is dropped when the
 * model's definitions change (FhirModel.onChange). Compilation failures and derivation cycles are
 * FhirErrors with code validation.definition.
 */
import { FhirError } from '../../core/index.js';
import type { FhirModel, StructureDefinition } from '../../model/index.js';
import { compileTypeSchema, definesType, typeNameFromCanonical, type TypeSchema } from '../../model/index.js';
import { compileElements, compileError } from './compile-elements.js';
import type { ElementRule } from './element-rule.js';
import { linkRules, type CompiledDefinition, type ExtensionContext } from './compiled-definition.js';
import { validationErrors } from '../validation-errors.js';

type Entry = { ok: CompiledDefinition } | { error: FhirError };

function keyOf(definition: StructureDefinition): string {
  return definition.version ? `${definition.url}|${definition.version}` : definition.url;
}

function contextsOf(definition: StructureDefinition): ExtensionContext[] {
  const contexts = (definition as { context?: { type: string; expression: string }[] }).context ?? [];
  return contexts.map((context) => ({ type: context.type as ExtensionContext['type'], expression: context.expression }));
}

export class DefinitionRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly roots = new Map<string, ElementRule | null>();
  private readonly resolved = new Map<string, CompiledDefinition | null>();
  private readonly compiling = new Set<string>();

  constructor(private readonly model: FhirModel) {
    model.onChange((resource) => {
      if (resource.resourceType === 'StructureDefinition') {
        this.entries.clear();
        this.roots.clear();
        this.resolved.clear();
      }
    });
  }

  /** The compiled base definition of a type (Patient, HumanName), or undefined for an unknown type. */
  baseType(typeName: string): CompiledDefinition | undefined {
    const definition = this.model.structureDefinition(typeName);
    return definition ? this.compile(definition) : undefined;
  }

  /** The root rule of a type's base definition (cached; the walk asks for it at every value). */
  baseRoot(typeName: string): ElementRule | undefined {
    let root = this.roots.get(typeName);
    if (root === undefined) {
      root = this.baseType(typeName)?.root ?? null;
      this.roots.set(typeName, root);
    }
    return root ?? undefined;
  }

  /** The compiled definition a canonical names (url or url|version), or undefined when none is known. */
  resolve(canonical: string): CompiledDefinition | undefined {
    const cached = this.resolved.get(canonical);
    if (cached !== undefined) return cached ?? undefined;
    const definition = this.model.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', canonical);
    const compiled = definition ? this.compile(definition) : undefined;
    this.resolved.set(canonical, compiled ?? null);
    return compiled;
  }

  /** Compiles a definition (cached when it is the one the model holds); throws validation.definition. */
  compile(definition: StructureDefinition, lookup: (canonical: string) => StructureDefinition | undefined = (canonical) => this.lookup(canonical)): CompiledDefinition {
    const key = keyOf(definition);
    const cached = this.entries.get(key);
    if (cached && this.isCurrent(definition)) {
      if ('error' in cached) throw cached.error;
      return cached.ok;
    }
    if (this.compiling.has(key)) {
      throw validationErrors['validation.definition']({ detail: `${key} derives from itself (a cycle of baseDefinition)` });
    }
    this.compiling.add(key);
    try {
      const compiled = this.build(definition, lookup);
      if (this.isCurrent(definition)) this.entries.set(key, { ok: compiled });
      return compiled;
    } catch (error) {
      const failure = error instanceof FhirError ? error : compileError(key, (error as Error).message);
      if (this.isCurrent(definition)) this.entries.set(key, { error: failure });
      throw failure;
    } finally {
      this.compiling.delete(key);
    }
  }

  private lookup(canonical: string): StructureDefinition | undefined {
    return this.model.canonical.resolve<StructureDefinition & { url: string }>('StructureDefinition', canonical);
  }

  private isCurrent(definition: StructureDefinition): boolean {
    return this.lookup(keyOf(definition)) === definition;
  }

  private build(definition: StructureDefinition, lookup: (canonical: string) => StructureDefinition | undefined): CompiledDefinition {
    const key = keyOf(definition);
    const specialization = definesType(definition);
    const elements = specialization ? definition.snapshot?.element : (definition.differential?.element ?? definition.snapshot?.element);
    if (!elements) throw compileError(key, specialization ? 'a definition of a type needs a snapshot' : 'it has neither a differential nor a snapshot');
    const rootContainer = this.typeOf(definition, specialization);
    if (!rootContainer) throw compileError(key, `its type ${JSON.stringify(definition.type)} is not a type this server knows`);
    const isResource = definition.kind === 'resource';
    const root = compileElements({ model: this.model, source: key, type: definition.type, elements, isResource, rootContainer });
    const compiled: CompiledDefinition = {
      url: definition.url,
      version: definition.version,
      key,
      type: definition.type,
      derivation: specialization ? 'specialization' : 'constraint',
      root,
      contexts: contextsOf(definition),
      definition,
    };
    if (!specialization) compiled.base = this.compileBase(definition, lookup, key);
    if (compiled.base) linkRules(root, compiled.base.root);
    return compiled;
  }

  /** The elements of the constrained type; a definition of a type (possibly new) brings its own. */
  private typeOf(definition: StructureDefinition, specialization: boolean): TypeSchema | undefined {
    if (typeof definition.type !== 'string') return undefined;
    const known = this.model.getType(definition.type);
    if (!specialization || known?.url === definition.url) return known;
    try {
      return compileTypeSchema(definition);
    } catch {
      return undefined;
    }
  }

  private compileBase(definition: StructureDefinition, lookup: (canonical: string) => StructureDefinition | undefined, key: string): CompiledDefinition {
    const baseUrl = definition.baseDefinition;
    if (!baseUrl) throw compileError(key, 'a constraint needs a baseDefinition');
    const base = lookup(baseUrl);
    if (!base) throw compileError(key, `its baseDefinition ${baseUrl} is not known`);
    if (base.type !== definition.type && typeNameFromCanonical(baseUrl) !== definition.type) {
      throw compileError(key, `it constrains ${definition.type} but its base ${baseUrl} defines ${base.type}`);
    }
    return this.compile(base, lookup);
  }
}

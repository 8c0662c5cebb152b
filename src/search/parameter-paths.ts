/**
 * Translates a SearchParameter's FHIRPath expression (http://hl7.org/fhir/R4/searchparameter.html)
 * into PostgreSQL jsonpath strings over the stored resource, using the model's element types:
 * choice types become their JSON keys (value.as(Quantity) -> $."valueQuantity"), where(a = 'x')
 * becomes a filter, extension('url') a filter on url, resolve() is X a target restriction.
 * Each path carries the FHIR type of the values it selects, so each parameter type knows what it reads.
 */
import { parseExpression, type BinaryExpression, type Expression } from '../fhirpath/index.js';
import { choiceKey, type ElementContainer, type FhirModel, type SearchParamType } from '../model/index.js';

export interface SearchPath {
  /** A lax-mode jsonpath over the resource column. */
  path: string;
  /** The FHIR type of the selected values (HumanName, Reference, dateTime, ...). */
  type: string;
  /** For references narrowed by where(resolve() is X): the allowed target types. */
  targets?: string[];
  /** The path passes an element that repeats (a JSON array): it can select several values. */
  repeats?: true;
}

interface Cursor extends SearchPath {
  container?: ElementContainer;
}

class UntranslatableExpression extends Error {}

/** Parsed expressions: the core's shared parameters (clinical-patient) are long unions read for every type. */
const parsedExpressions = new Map<string, Expression>();

function parsed(expression: string): Expression {
  let tree = parsedExpressions.get(expression);
  if (!tree) {
    tree = parseExpression(expression);
    parsedExpressions.set(expression, tree);
  }
  return tree;
}

/** The FHIR types each search parameter type can read (http://hl7.org/fhir/R4/search.html#ptypes). */
const READABLE_TYPES: Record<string, string[]> = {
  string: ['string', 'markdown', 'HumanName', 'Address', 'code', 'id', 'uri', 'url', 'canonical'],
  token: ['code', 'Coding', 'CodeableConcept', 'Identifier', 'ContactPoint', 'boolean', 'string', 'id', 'uri', 'url', 'canonical', 'oid', 'uuid'],
  reference: ['Reference', 'canonical', 'uri', 'url'],
  date: ['date', 'dateTime', 'instant', 'Period', 'Timing'],
  number: ['integer', 'decimal', 'positiveInt', 'unsignedInt'],
  quantity: ['Quantity', 'Age', 'Duration', 'Distance', 'Count', 'Money', 'SimpleQuantity', 'MoneyQuantity'],
  uri: ['uri', 'url', 'canonical', 'oid', 'uuid', 'string'],
};

export function quotedKey(name: string): string {
  return `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function jsonString(value: string): string {
  return JSON.stringify(value);
}

function stringLiteral(node: Expression | undefined): string | undefined {
  return node?.kind === 'literal' && node.type === 'string' ? String(node.value) : undefined;
}

/** A name written alone (`use`, `Quantity`): a member of the focus. */
function memberName(node: Expression | undefined): string | undefined {
  return node?.kind === 'member' && node.base.kind === 'focus' ? node.name : undefined;
}

function typeName(node: Expression | undefined): string | undefined {
  return memberName(node)?.replace(/^FHIR\./, '');
}

/** Where translation starts: the resource, or (for composite components) an element of it. */
export interface PathRoot {
  /** The type the expression's first name may spell (Observation), when the root is a resource. */
  resourceType?: string;
  container?: ElementContainer;
}

class PathTranslator {
  constructor(private readonly model: FhirModel, private readonly start: PathRoot) {}

  translate(node: Expression): Cursor[] {
    switch (node.kind) {
      case 'member': return node.base.kind === 'focus' ? this.root(node.name) : this.translate(node.base).flatMap((cursor) => this.member(cursor, node.name));
      case 'call':
        if (node.base.kind === 'focus') throw new UntranslatableExpression(`function ${node.name} on the resource`);
        return this.call(this.translate(node.base), node.name, node.args);
      case 'binary': return this.binary(node);
      case 'type-operator':
        if (node.operator !== 'as') throw new UntranslatableExpression(`${node.operator} operator`);
        return this.ofType(this.translate(node.operand), node.typeName.replace(/^FHIR\./, ''));
      case 'index': return this.index(node.base, node.index);
      default: throw new UntranslatableExpression(node.kind);
    }
  }

  private binary(node: BinaryExpression): Cursor[] {
    if (node.operator === '|') return [...this.translate(node.left), ...this.translate(node.right)];
    if (node.operator === 'and') return this.existsAnd(node);
    throw new UntranslatableExpression(`operator ${node.operator}`);
  }

  /** The first name: the resource type (or Resource), another resource type (no values), or an element. */
  private root(name: string): Cursor[] {
    const here: Cursor = { path: '$', type: this.start.resourceType ?? 'Element', container: this.start.container };
    if (this.start.resourceType && [this.start.resourceType, 'Resource', 'DomainResource'].includes(name)) return [here];
    if (this.model.getType(name)?.kind === 'resource') return [];
    return this.member(here, name);
  }

  /** A child element; a choice element becomes one cursor per type. */
  private member(cursor: Cursor, name: string): Cursor[] {
    const element = cursor.container?.elements.get(name);
    if (!element) return [];
    const types = element.types.length > 0 ? element.types.map((type) => type.code) : ['BackboneElement'];
    const repeats = cursor.repeats || element.isArray ? { repeats: true as const } : {};
    return types.map((type) => ({
      path: `${cursor.path}.${quotedKey(element.isChoice ? choiceKey(name, type) : name)}`,
      type,
      container: this.model.childrenOf(element, type),
      ...repeats,
    }));
  }

  private call(cursors: Cursor[], name: string, args: Expression[]): Cursor[] {
    switch (name) {
      case 'as': case 'ofType': return this.ofType(cursors, typeName(args[0]));
      case 'where': return cursors.flatMap((cursor) => this.where(cursor, args[0]));
      case 'extension': return cursors.map((cursor) => this.extension(cursor, stringLiteral(args[0])));
      case 'first': return cursors.map((cursor) => ({ ...cursor, path: `${cursor.path}[0]` }));
      default: throw new UntranslatableExpression(`function ${name}`);
    }
  }

  private ofType(cursors: Cursor[], type: string | undefined): Cursor[] {
    return cursors.filter((cursor) => cursor.type === type);
  }

  private index(base: Expression, index: Expression): Cursor[] {
    if (index.kind !== 'literal' || (index.type !== 'integer' && index.type !== 'decimal')) throw new UntranslatableExpression('indexer');
    return this.translate(base).map((cursor) => ({ ...cursor, path: `${cursor.path}[${Number(index.value)}]` }));
  }

  private extension(cursor: Cursor, url: string | undefined): Cursor {
    if (url === undefined) throw new UntranslatableExpression('extension()');
    return {
      path: `${cursor.path}."extension" ? (@."url" == ${jsonString(url)})`,
      type: 'Extension',
      container: this.model.getType('Extension'),
      repeats: true,
    };
  }

  /** where(resolve() is X), where(member = 'literal'), where(hasExtension('url')). */
  private where(cursor: Cursor, condition: Expression | undefined): Cursor[] {
    if (condition?.kind === 'type-operator' && condition.operator === 'is') {
      const target = condition.typeName.replace(/^FHIR\./, '');
      return target ? [{ ...cursor, targets: [target] }] : [];
    }
    if (condition?.kind === 'binary' && condition.operator === '=') {
      const member = memberName(condition.left);
      const value = stringLiteral(condition.right);
      if (member && value !== undefined) return [{ ...cursor, path: `${cursor.path} ? (@.${quotedKey(member)} == ${jsonString(value)})` }];
    }
    if (condition?.kind === 'call' && condition.base.kind === 'focus' && condition.name === 'hasExtension') {
      const url = stringLiteral(condition.args[0]);
      if (url !== undefined) return [{ ...cursor, path: `${cursor.path} ? (@."extension"."url" == ${jsonString(url)})` }];
    }
    throw new UntranslatableExpression('where()');
  }

  /**
   * `X.exists() and X != false` (Patient.deceased): a boolean X as it is, any other X as true when
   * present (a jsonpath predicate, filtered so that absence yields nothing).
   */
  private existsAnd(node: BinaryExpression): Cursor[] {
    const right = node.right;
    if (right.kind !== 'binary' || right.operator !== '!=') throw new UntranslatableExpression('and');
    return this.translate(right.left).map((cursor) => (cursor.type === 'boolean'
      ? cursor : { path: `(exists(${cursor.path})) ? (@ == true)`, type: 'boolean' }));
  }
}

/** An extension reached without .value: its value[x], as the parameter reads it. */
function extensionValues(model: FhirModel, cursor: Cursor): Cursor[] {
  if (cursor.type !== 'Extension') return [cursor];
  const value = model.getType('Extension')?.elements.get('value');
  return (value?.types ?? []).map((type) => ({ path: `${cursor.path}.${quotedKey(choiceKey('value', type.code))}`, type: type.code, repeats: true }));
}

function readable(parameterType: SearchParamType, cursors: Cursor[]): Cursor[] {
  const types = Object.hasOwn(READABLE_TYPES, parameterType) ? READABLE_TYPES[parameterType] : undefined;
  if (!types) return cursors;
  const kept = cursors.filter((cursor) => types.includes(cursor.type));
  return kept.length > 0 || cursors.length === 0 ? kept : cursors;
}

/**
 * The jsonpaths of a parameter's expression for one resource type; undefined when the expression
 * uses something SQL cannot follow (the parameter is then reported as unsupported).
 */
export function searchPaths(model: FhirModel, resourceType: string, expression: string, parameterType: SearchParamType): SearchPath[] | undefined {
  return translatePaths(model, { resourceType, container: model.getType(resourceType) }, expression, parameterType);
}

/** The paths of an expression with the element containers of their values (the bases of composite parameters). */
export function basePaths(model: FhirModel, resourceType: string, expression: string): { path: string; container?: ElementContainer }[] | undefined {
  try {
    const cursors = new PathTranslator(model, { resourceType, container: model.getType(resourceType) }).translate(parsed(expression));
    return cursors.map(({ path, container }) => ({ path, container }));
  } catch (error) {
    if (error instanceof UntranslatableExpression) return undefined;
    throw error;
  }
}

/** The jsonpaths of an expression read from a given root (a resource, or an element for components). */
export function translatePaths(model: FhirModel, root: PathRoot, expression: string, parameterType: SearchParamType): SearchPath[] | undefined {
  try {
    const cursors = new PathTranslator(model, root).translate(parsed(expression));
    const expanded = cursors.flatMap((cursor) => extensionValues(model, cursor));
    return readable(parameterType, expanded).map(({ path, type, targets, repeats }) => ({
      path, type, ...(targets ? { targets } : {}), ...(repeats ? { repeats } : {}),
    }));
  } catch (error) {
    if (error instanceof UntranslatableExpression) return undefined;
    throw error;
  }
}

/**
 * Strict mode: a static check of an expression against the R4 model before it runs, for
 * definitions that should fail early (search parameters, invariants). It follows the types along
 * each path from the root type and reports (fhirpath.semantic) an element the type does not have,
 * a choice element written with its type (`valueQuantity` instead of `value.ofType(Quantity)`), a
 * path that starts with another resource type than the root, and, when asked, an order-dependent
 * function (first, skip, [n]...) on the unordered result of children() or descendants().
 * Where the type is not known (after most functions, on abstract types) checking stops, so the
 * check only reports what is certainly wrong. https://hl7.org/fhirpath/N1/#type-safety-and-strict-evaluation
 */
import { r4 } from './fhirpath-library.js';
import { childTypePath, describeElement } from './element-model.js';
import type { LibraryTreeNode } from './library-tree.js';
import { fhirpathErrors } from './fhirpath-errors.js';

export interface StrictOptions {
  /** The resource type (or model path) of the input. */
  rootType: string;
  /** Also reject order-dependent functions on the result of children() and descendants(). */
  checkOrderedFunctions?: boolean;
}

interface Focus {
  types?: string[];
  unordered?: boolean;
}

const unknown: Focus = {};
const keepsType = new Set(['where', 'first', 'last', 'single', 'tail', 'skip', 'take', 'distinct', 'trace', 'intersect', 'exclude', 'union', 'combine', 'repeat']);
const ordered = new Set(['first', 'last', 'tail', 'skip', 'take', 'single']);
const abstract = new Set(['Resource', 'DomainResource', 'Element', 'BackboneElement']);
/** Functions whose arguments are evaluated on each input item; other arguments are not checked. */
const lambdas = new Set(['where', 'select', 'exists', 'all', 'repeat', 'iif']);
const knownTypes = new Set(Object.keys(r4.path2Type).map((path) => path.slice(0, path.lastIndexOf('.'))));

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** The type named by a type argument (`Quantity`, `FHIR.Quantity`): its last identifier. */
function typeNameOf(node: LibraryTreeNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'MemberInvocation' || node.type === 'TypeSpecifier') {
    const text = (node.text ?? '').replace(/`/g, '');
    return text.startsWith('System.') ? undefined : text.replace(/^FHIR\./, '');
  }
  const names = (node.children ?? []).map(typeNameOf).filter((name) => name !== undefined);
  return names.at(-1);
}

const ofTypes = (name: string | undefined): Focus => (name ? { types: [name] } : unknown);

class StrictChecker {
  constructor(private readonly expression: string, private readonly options: StrictOptions) {}

  fail(message: string): never {
    throw fhirpathErrors['fhirpath.semantic']({ reason: message }, { expression: this.expression });
  }

  infer(node: LibraryTreeNode, focus: Focus, root: Focus): Focus {
    const children = node.children ?? [];
    switch (node.type) {
      case 'EntireExpression':
      case 'TermExpression':
      case 'ParenthesizedTerm':
        return this.infer(children[0], focus, root);
      case 'InvocationTerm':
        return this.invoke(children[0], focus, root, true);
      case 'InvocationExpression':
        return this.invoke(children[1], this.infer(children[0], focus, root), root);
      case 'IndexerExpression': {
        const list = this.infer(children[0], focus, root);
        this.infer(children[1], unknown, root);
        this.checkOrdered(list, 'an indexer');
        return { types: list.types };
      }
      case 'TypeExpression':
        this.infer(children[0], focus, root);
        return node.text === 'as' ? ofTypes(typeNameOf(children[1])) : unknown;
      case 'LiteralTerm':
        return { types: [children[0]?.type === 'StringLiteral' ? 'System.String' : 'System.Other'] };
      default:
        children.forEach((child) => this.infer(child, focus, root));
        return unknown;
    }
  }

  invoke(node: LibraryTreeNode, focus: Focus, root: Focus, startsPath = false): Focus {
    if (node.type === 'MemberInvocation') return this.member(node.text ?? '', startsPath, focus);
    if (node.type === 'ThisInvocation') return focus;
    if (node.type === 'FunctionInvocation') return this.call(node, focus, root);
    return unknown;
  }

  checkOrdered(focus: Focus, what: string): void {
    if (this.options.checkOrderedFunctions && focus.unordered) this.fail(`${what} needs an ordered input, not children() or descendants()`);
  }

  call(node: LibraryTreeNode, focus: Focus, root: Focus): Focus {
    const functn = node.children?.[0];
    const name = functn?.children?.[0]?.text ?? '';
    const params = functn?.children?.[1]?.children ?? [];
    const item: Focus = { types: focus.types };
    params.forEach((param, i) => {
      const result = this.infer(param, lambdas.has(name) ? item : unknown, root);
      if (name === 'iif' && i === 0 && result.types?.[0] === 'System.String') this.fail('iif() criterion must be a Boolean');
    });
    if (ordered.has(name)) this.checkOrdered(focus, `${name}()`);
    if (name === 'children' || name === 'descendants') return { unordered: true };
    if (name === 'ofType' || name === 'as') return ofTypes(typeNameOf(params[0]));
    if (name === 'extension') return { types: ['Extension'] };
    return keepsType.has(name) ? { types: focus.types, unordered: focus.unordered } : unknown;
  }

  member(name: string, startsPath: boolean, focus: Focus): Focus {
    const clean = name.replace(/^`|`$/g, '');
    if (startsPath && /^[A-Z]/.test(clean) && (clean in r4.type2Parent || knownTypes.has(clean))) {
      if (focus.types && !focus.types.some((type) => isA(type, clean))) this.fail(`'${clean}' does not match the input type ${focus.types.join(' | ')}`);
      return focus;
    }
    const types = focus.types?.map((type) => type.replace(/^FHIR\./, '')).map((type) => r4.pathsDefinedElsewhere[type] ?? type);
    if (!types || types.some((type) => abstract.has(type) || !knownTypes.has(type))) return unknown;
    const next = types.flatMap((type) => this.element(type, clean));
    if (next.length === 0) this.fail(`${types.join(' | ')} has no element '${clean}'`);
    return { types: next };
  }

  element(type: string, name: string): string[] {
    const facts = describeElement(type, name);
    if (!facts) return [];
    const base = Object.keys(r4.choiceTypePaths).find((path) => facts.path.startsWith(path) && facts.path !== path
      && r4.choiceTypePaths[path].includes(facts.path.slice(path.length)));
    if (base) this.fail(`choice element '${name}' must be written '${base.slice(base.lastIndexOf('.') + 1)}' (with ofType())`);
    if (facts.choiceTypes) return facts.choiceTypes.map((t) => (t in r4.type2Parent ? t : lowerFirst(t)));
    const child = childTypePath(facts);
    return child ? [child] : [];
  }
}

function isA(type: string, ancestor: string): boolean {
  for (let t: string | undefined = type; t; t = r4.type2Parent[t]) if (t === ancestor) return true;
  return false;
}

/** Throws FhirError fhirpath.semantic when the expression is certainly wrong for the root type. */
export function checkStrict(tree: LibraryTreeNode, expression: string, options: StrictOptions): void {
  const root: Focus = { types: [options.rootType] };
  new StrictChecker(expression, options).infer(tree, root, root);
}

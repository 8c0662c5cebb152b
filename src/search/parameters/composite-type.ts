/**
 * Composite search (http://hl7.org/fhir/R4/search.html#composite): values of the components joined
 * by $, each tested by its own parameter type against the same element (one component of an
 * Observation, or the Observation itself), so code and value must match together. A composite
 * compiles whole filters (no modifier, not even :missing), is no component of another, and cannot
 * be sorted by or indexed.
 */
import { raw, sql, type Sql } from '../../sql/index.js';
import type { CompileContext, ResolvedParameter, ValueTest } from '../compile-context.js';
import { basePaths, translatePaths } from '../parameter-paths.js';
import { searchErrors } from '../search-errors.js';
import { splitEscaped } from '../search-request.js';
import { allOf, anyOf } from '../sql-logic.js';
import type { ParameterType, ValueCompiler } from './parameter-type.js';

interface CompositeBase {
  /** The jsonpath of the element the components are read from. */
  path: string;
  components: ResolvedParameter[];
}

function bases(cc: CompileContext, resourceType: string, parameter: ResolvedParameter, param: string): CompositeBase[] {
  const { definition } = parameter;
  const cannot = () => searchErrors['search.unsupported-parameter']({ detail: `The components of composite parameter "${definition.code}" cannot be searched` }, { expression: param });
  const found = basePaths(cc.search.model, resourceType, definition.expression ?? '');
  if (!found || found.length === 0) throw cannot();
  return found.map((base) => ({
    path: base.path,
    components: (definition.component ?? []).map((component) => {
      const componentDefinition = cc.search.model.searchParameters.byCanonical(component.definition);
      const paths = componentDefinition && translatePaths(cc.search.model, { container: base.container }, component.expression, componentDefinition.type);
      if (!componentDefinition || !paths || paths.length === 0) throw cannot();
      return { definition: componentDefinition, paths };
    }),
  }));
}

function compositeCondition(cc: CompileContext, test: ValueTest, compileValue: ValueCompiler): Sql {
  if (test.modifier) throw searchErrors['search.bad-modifier']({ detail: `Composite parameter ${test.param.split(':')[0]} does not support :${test.modifier}` }, { expression: test.param });
  const alias = cc.nextAlias();
  return anyOf(test.values.map((value) => {
    const values = splitEscaped(value, '$');
    return anyOf(bases(cc, test.resourceType, test.parameter, test.param).map((base) => {
      if (values.length !== base.components.length) {
        throw searchErrors['search.bad-composite']({ param: test.param, components: base.components.length, value }, { expression: test.param });
      }
      const tests = base.components.map((component, index) => compileValue(cc, {
        resourceType: test.resourceType, document: `${alias}.doc`, parameter: component, param: test.param, values: [values[index]],
      }));
      return sql`EXISTS (SELECT 1 FROM jsonb_path_query(${raw(test.document)}, ${`${base.path}[*]`}::jsonpath) AS ${raw(alias)}(doc) WHERE ${allOf(tests)})`;
    }));
  }));
}

export const compositeType: ParameterType = {
  code: 'composite',
  filterCondition: compositeCondition,
  functions: [],
};

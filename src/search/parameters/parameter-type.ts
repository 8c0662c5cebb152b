/**
 * What a search parameter type is to Flint (http://hl7.org/fhir/R4/search.html#ptypes): one
 * interface that each type's module implements once (string-type.ts, token-type.ts, ...), and that
 * the compiler, _sort, index management, _filter and the installation of the key functions look up
 * in the registry (parameter-types.ts) instead of switching on the type. A capability a type lacks
 * is left out: the consumer then answers what it answered for such a type before (a parameter that
 * cannot be searched, sorted or indexed).
 */
import type { SearchParamType } from '../../model/index.js';
import type { Sql } from '../../sql/index.js';
import type { CompileContext, ResourceScope, ValueTest } from '../compile-context.js';
import type { SearchPath } from '../parameter-paths.js';
import type { KeyFunction } from './key-expressions.js';

/** The SQL type a sort key compares in (and keyset cursors cast their values to). */
export type SortType = 'text' | 'timestamptz' | 'numeric';

/** A sort key as SQL text over a document and a parameter's paths. */
export interface SortKeyExpression {
  text: string;
  type: SortType;
}

/** The expression index a type's conditions can use: a key function and the index method over it. */
export interface KeyIndex {
  fn: KeyFunction;
  method: 'gin' | 'gist';
  opclass?: string;
}

/** Compiles one value test by its parameter's type (what a composite compiles its components with). */
export type ValueCompiler = (cc: CompileContext, test: ValueTest) => Sql;

/** One `path operator value` test of a _filter (http://hl7.org/fhir/R4/search_filter.html), as a type sees it. */
export interface FilterOperand {
  cc: CompileContext;
  scope: ResourceScope;
  operator: string;
  /** The value as written after the operator. */
  value: string;
  /** The parameter's code when the test names it directly; undefined through a chain (subject.name). */
  direct?: string;
  /** The test as an ordinary search filter on the same path: a modifier and a value (the operand's by default). */
  run(modifier: string | undefined, value?: string): Sql;
  /** The operator is not one this type supports (400 search.bad-filter). */
  unsupported(): never;
}

export interface ParameterType {
  /** The SearchParameter.type the module implements. */
  readonly code: SearchParamType;
  /**
   * The condition a parameter's values (OR-ed) put on a document, with the filter's modifier; an
   * unknown modifier is an error. :missing is the compiler's, the same for every type. Absent for
   * a type whose values cannot be searched on their own (composite components, special).
   */
  valueCondition?(cc: CompileContext, test: ValueTest): Sql;
  /** A type that compiles a whole filter itself instead of by value (composite: by its components' types). */
  filterCondition?(cc: CompileContext, test: ValueTest, compileValue: ValueCompiler): Sql;
  /** _sort (http://hl7.org/fhir/R4/search.html#sort): the key of a resource, ascending or descending. */
  sortKey?(document: string, paths: readonly SearchPath[], descending: boolean): SortKeyExpression;
  /** The expression index its conditions use (indexes/search-indexes.ts); absent: it cannot have one. */
  readonly index?: KeyIndex;
  /**
   * _filter: the condition of an operator this type gives its own meaning, or undefined to leave
   * it to the common meaning (eq and ne as the type's plain search, pr as :missing).
   */
  filterTest?(operand: FilterOperand): Sql | undefined;
  /** The CREATE OR REPLACE FUNCTION statements of the key functions it owns (key-functions.ts installs them). */
  readonly functions: readonly string[];
}

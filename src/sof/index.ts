/**
 * sof: SQL on FHIR v2 (https://sql-on-fhir.org/ig/). The ViewDefinition resource type, the check
 * of a view (shape, FHIRPath subset, types, columns), its compilation to one PostgreSQL SELECT over
 * the resource tables, the in-memory runner over FHIR JSON, $run, and $materialize / $refresh /
 * $drop of views in schema sof. See docs/sql-on-fhir.md.
 */
export { addViewDefinitionType, VIEW_DEFINITION, VIEW_DEFINITION_URL } from './view-definition/view-definition-type.js';
export { parseView, SQL_NAME } from './view/parse-view.js';
export { viewColumns } from './view/view-columns.js';
export type { View, ViewColumn, ViewConstant, ViewSelect, ViewWhere } from './view/view-types.js';
export { compileView, ROW, type CompiledView, type CompiledColumn, type ViewSource, type SelectOptions } from './compile/compile-view.js';
export { SUPPORTED_FUNCTIONS } from './compile/functions.js';
export type { SqlColumnType } from './compile/column-types.js';
export { MemoryView, type Row } from './memory/run-in-memory.js';
export { parseJsonWithDecimals, stringifyWithDecimals, decimalSource } from './memory/decimal-json.js';
export { SOF_FUNCTIONS, referenceKey } from './memory/sof-functions.js';
export { readRunParameters, type RunParameters, type RunFormat } from './run/run-parameters.js';
export { runView, type RunOutput } from './run/run-view.js';
export { materializeView, refreshView, dropView, SOF_SCHEMA, MATERIALIZE_KINDS, type MaterializeKind, type Materialized } from './materialize/materialize.js';
export { ddlText } from './materialize/ddl-text.js';
export { prepareView, viewSource, translateViewError, type SofContext } from './sof-context.js';
export { registerSofOperations, viewDefinitionIssues, RUN_OPERATION_URL } from './operations.js';
export { sofErrors, type SofErrorCode } from './sof-errors.js';

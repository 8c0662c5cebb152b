/**
 * The operations of ViewDefinition in the engine's registry: $run (type and instance level; over
 * HTTP the sof routes stream it, in a batch or transaction entry its output is a Binary),
 * $materialize, $refresh and $drop (instance level). $run reads only the rows the caller's row
 * rules let it see. They appear in the CapabilityStatement.
 * Also the check of a ViewDefinition when it is written, so a stored view always compiles.
 */
import { isFhirError, type Issue, type Resource } from '../core/index.js';
import { visibleRows, type OperationCall, type OperationRegistry } from '../engine/index.js';
import type { OperationInput, OperationParameter } from '../operation/index.js';
import { dropView, MATERIALIZE_KINDS, materializeView, refreshView, type Materialized, type MaterializeKind } from './materialize/materialize.js';
import { RUN_PARAMETERS, runParameters, SOF_PARAMETER_ERRORS } from './run/run-parameters.js';
import { runView } from './run/run-view.js';
import { prepareView, type SofContext } from './sof-context.js';
import { sofErrors } from './sof-errors.js';
import { VIEW_DEFINITION } from './view-definition/view-definition-type.js';

export const RUN_OPERATION_URL = 'http://sql-on-fhir.org/OperationDefinition/$viewdefinition-run';

/** $run as a Binary holding the whole output (for batch and transaction entries). */
async function runAsBinary(call: OperationCall, input: OperationInput) {
  const output = await runView(call.ctx, runParameters(input), call.route.id, (type, alias) => visibleRows(call.ctx, call.request, type, alias));
  const chunks: string[] = [];
  for await (const chunk of output.chunks) chunks.push(chunk);
  const body: Resource = { resourceType: 'Binary', contentType: output.contentType, data: Buffer.from(chunks.join('')).toString('base64') };
  return { status: 200, body, headers: {} };
}

const MATERIALIZE_PARAMETERS: OperationParameter[] = [{ name: 'kind', min: 0, max: 1, type: 'code', alsoAccepts: ['string'] }];

function kindOf(input: OperationInput): MaterializeKind {
  const kind = input.string('kind') ?? 'view';
  if (!MATERIALIZE_KINDS.includes(kind as MaterializeKind)) {
    throw sofErrors['sof.invalid-parameter']({ detail: `kind must be one of ${MATERIALIZE_KINDS.join(', ')}` }, { expression: 'kind' });
  }
  return kind as MaterializeKind;
}

function materializedParameters(result: Materialized): Resource {
  return {
    resourceType: 'Parameters',
    parameter: [
      { name: 'name', valueString: result.name },
      { name: 'kind', valueCode: result.kind },
      ...result.columns.map((column) => ({
        name: 'column',
        part: [
          { name: 'name', valueString: column.name },
          { name: 'sqlType', valueCode: column.sqlType },
          ...(column.fhirType ? [{ name: 'type', valueString: column.fhirType }] : []),
        ],
      })),
    ],
  };
}

function instanceId(call: OperationCall): string {
  if (!call.route.id) throw sofErrors['sof.invalid-parameter']({ detail: 'This operation applies to a ViewDefinition instance' });
  return call.route.id;
}

export function registerSofOperations(registry: OperationRegistry): void {
  const view = { resourceTypes: [VIEW_DEFINITION], parameterErrors: SOF_PARAMETER_ERRORS };
  registry.register({
    ...view, name: 'run', levels: ['type', 'instance'], affectsState: false, definition: RUN_OPERATION_URL,
    parameters: RUN_PARAMETERS, handler: runAsBinary,
  });
  registry.register({
    ...view, name: 'materialize', levels: ['instance'], affectsState: true, parameters: MATERIALIZE_PARAMETERS,
    handler: async (call, input) => ({ status: 200, body: materializedParameters(await materializeView(call.ctx, instanceId(call), kindOf(input))), headers: {} }),
  });
  registry.register({
    ...view, name: 'refresh', levels: ['instance'], affectsState: true, parameters: [],
    handler: async (call) => ({ status: 200, body: materializedParameters(await refreshView(call.ctx, instanceId(call))), headers: {} }),
  });
  registry.register({
    ...view, name: 'drop', levels: ['instance'], affectsState: true, parameters: [],
    handler: async (call) => {
      const dropped = await dropView(call.ctx, instanceId(call));
      return { status: 200, body: { resourceType: 'Parameters', parameter: dropped.map((name) => ({ name: 'dropped', valueString: name })) }, headers: {} };
    },
  });
}

/** The problems that keep a ViewDefinition from running, for the validator of writes (none for other types). */
export function viewDefinitionIssues(ctx: SofContext, resource: Resource): Issue[] {
  if (resource.resourceType !== VIEW_DEFINITION) return [];
  try {
    prepareView(ctx, resource);
    return [];
  } catch (error) {
    if (isFhirError(error)) return error.issues;
    throw error;
  }
}

/**
 * The operations of ViewDefinition in the engine's registry: $run (type and instance level; over
 * HTTP the sof routes stream it, in a batch or transaction entry its output is a Binary),
 * $materialize, $refresh and $drop (instance level). They appear in the CapabilityStatement.
 * Also the check of a ViewDefinition when it is written, so a stored view always compiles.
 */
import { FhirError, isFhirError, isJsonObject, isResource, type Issue, type Resource } from '../core/index.js';
import type { OperationCall, OperationRegistry } from '../engine/index.js';
import { dropView, MATERIALIZE_KINDS, materializeView, refreshView, type Materialized, type MaterializeKind } from './materialize/materialize.js';
import { readRunParameters } from './run/run-parameters.js';
import { runView } from './run/run-view.js';
import { prepareView, type SofContext } from './sof-context.js';
import { VIEW_DEFINITION } from './view-definition/view-definition-type.js';

export const RUN_OPERATION_URL = 'http://sql-on-fhir.org/OperationDefinition/$viewdefinition-run';

/** $run as a Binary holding the whole output (for batch and transaction entries). */
async function runAsBinary(call: OperationCall) {
  const output = await runView(call.ctx, readRunParameters(call.request.body, call.request.query), call.route.id);
  const chunks: string[] = [];
  for await (const chunk of output.chunks) chunks.push(chunk);
  const body: Resource = { resourceType: 'Binary', contentType: output.contentType, data: Buffer.from(chunks.join('')).toString('base64') };
  return { status: 200, body, headers: {} };
}

function kindOf(call: OperationCall): MaterializeKind {
  const body = call.request.body;
  const fromBody = isResource(body) && Array.isArray(body.parameter)
    ? body.parameter.find((parameter) => isJsonObject(parameter) && parameter.name === 'kind') as Record<string, unknown> | undefined
    : undefined;
  const kind = fromBody?.valueCode ?? fromBody?.valueString ?? call.request.query.find(([name]) => name === 'kind')?.[1] ?? 'view';
  if (!MATERIALIZE_KINDS.includes(kind as MaterializeKind)) {
    throw new FhirError('invalid', 'sof.invalid-parameter', `kind must be one of ${MATERIALIZE_KINDS.join(', ')}`, { expression: 'kind' });
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
  if (!call.route.id) throw new FhirError('invalid', 'sof.invalid-parameter', 'This operation applies to a ViewDefinition instance');
  return call.route.id;
}

export function registerSofOperations(registry: OperationRegistry): void {
  const resourceTypes = [VIEW_DEFINITION];
  registry.register({ name: 'run', levels: ['type', 'instance'], resourceTypes, affectsState: false, definition: RUN_OPERATION_URL, handler: runAsBinary });
  registry.register({
    name: 'materialize', levels: ['instance'], resourceTypes, affectsState: true,
    handler: async (call) => ({ status: 200, body: materializedParameters(await materializeView(call.ctx, instanceId(call), kindOf(call))), headers: {} }),
  });
  registry.register({
    name: 'refresh', levels: ['instance'], resourceTypes, affectsState: true,
    handler: async (call) => ({ status: 200, body: materializedParameters(await refreshView(call.ctx, instanceId(call))), headers: {} }),
  });
  registry.register({
    name: 'drop', levels: ['instance'], resourceTypes, affectsState: true,
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

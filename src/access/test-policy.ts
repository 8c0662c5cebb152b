/**
 * POST [base]/$test-policy (administrators, or a policy linked to Operation/FhirTestPolicy): decides
 * a described request against the live policies without running it, and answers which policies
 * were evaluated, which allowed, and the effective row rule of each type asked about. In: `method`
 * and `url` (below the FHIR base, /fhir/ optional), `body` (a resource), who asks: `user` and / or
 * `client` (ids), `scope` (repeated: the token's SMART scopes; with none, the caller is taken as
 * HTTP Basic, whose scopes do not narrow), `patient` and `encounter` (the launch context), and
 * `type` (repeated: the types to show rules for; the request's own type by default). Out: a
 * Parameters with `allowed`, `operation`, `refusal`, one `policy` per candidate and one `rows`
 * per type, and `decision`, the whole explanation as JSON.
 */
import { parseQueryString, type Caller, type Resource } from '../core/index.js';
import { parseRoute, type FhirResponse, type HttpMethod, type OperationCall, type OperationDefinitionEntry } from '../engine/index.js';
import type { OperationInput } from '../operation/index.js';
import { readIdentity, type IdentityReader } from './identity-reads.js';
import type { AccessPolicies } from './policy-decision.js';
import { explainAccess, type PolicyExplanation } from './policy-explanation.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

function referenceText(value: unknown): string | undefined {
  const reference = (value as { reference?: unknown } | undefined)?.reference;
  return typeof reference === 'string' ? reference : undefined;
}

async function describedCaller(reader: IdentityReader, input: OperationInput): Promise<Caller> {
  const userId = input.string('user');
  const clientId = input.string('client');
  const scopes = input.strings('scope');
  const user = userId ? await readIdentity(reader, 'User', userId) : undefined;
  const fhirUser = referenceText(user?.fhirUser);
  const patient = input.string('patient');
  const encounter = input.string('encounter');
  return {
    kind: userId ? 'user' : 'client', via: scopes.length > 0 ? 'bearer' : 'basic', admin: false, scopes,
    ...(clientId ? { clientId } : {}), ...(userId ? { userId } : {}), ...(fhirUser ? { fhirUser } : {}),
    ...(patient || encounter ? { launch: { ...(patient ? { patient } : {}), ...(encounter ? { encounter } : {}) } } : {}),
  };
}

function answer(explanation: PolicyExplanation): FhirResponse {
  const parameter: object[] = [
    { name: 'allowed', valueBoolean: explanation.allowed },
    { name: 'operation', valueCode: explanation.operation },
  ];
  if (explanation.refusal) parameter.push({ name: 'refusal', valueCode: explanation.refusal.code });
  for (const policy of explanation.policies) {
    parameter.push({ name: 'policy', part: [{ name: 'id', valueId: policy.id }, { name: 'engine', valueCode: policy.engine }, { name: 'allowed', valueBoolean: policy.allowed }] });
  }
  for (const [type, rule] of Object.entries(explanation.rows)) {
    parameter.push({ name: 'rows', part: [{ name: 'type', valueCode: type }, { name: 'rule', valueString: JSON.stringify(rule) }] });
  }
  parameter.push({ name: 'decision', valueString: JSON.stringify(explanation) });
  return { status: 200, headers: {}, body: { resourceType: 'Parameters', parameter } };
}

async function testPolicy(policies: AccessPolicies, call: OperationCall, input: OperationInput): Promise<FhirResponse> {
  const method = (input.string('method') ?? 'GET').toUpperCase();
  const url = (input.string('url') ?? '').replace(/^\/?(fhir\/)?/, '');
  const question = url.indexOf('?');
  const path = question < 0 ? url : url.slice(0, question);
  const query = question < 0 ? [] : parseQueryString(url.slice(question + 1));
  const caller = await describedCaller(call.ctx, input);
  const body: Resource | undefined = input.resource('body');
  if (!METHODS.includes(method)) return answer({ operation: 'unknown', allowed: false, refusal: { code: 'method', message: `${method} is not an HTTP method` }, policies: [], rows: {} });
  const request = { method: method as HttpMethod, path, query, headers: {}, body, baseUrl: call.request.baseUrl, caller };
  const route = parseRoute(request.method, path);
  return answer(await explainAccess(policies, request, route, caller, input.strings('type')));
}

/** The $test-policy operation over the server's policies. */
export function testPolicyOperation(policies: AccessPolicies): OperationDefinitionEntry {
  return {
    name: 'test-policy',
    levels: ['system'],
    affectsState: false,
    parameters: [
      { name: 'method', min: 0, max: 1, type: 'code' },
      { name: 'url', min: 1, max: 1, type: 'string' },
      { name: 'body', min: 0, max: 1, type: 'Resource' },
      { name: 'user', min: 0, max: 1, type: 'string' },
      { name: 'client', min: 0, max: 1, type: 'string' },
      { name: 'scope', min: 0, max: '*', type: 'string' },
      { name: 'patient', min: 0, max: 1, type: 'string' },
      { name: 'encounter', min: 0, max: 1, type: 'string' },
      { name: 'type', min: 0, max: '*', type: 'string' },
    ],
    handler: (call, input) => testPolicy(policies, call, input),
  };
}

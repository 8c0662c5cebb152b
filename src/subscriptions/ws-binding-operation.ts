/**
 * $get-ws-binding-token (https://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition-backport-subscription-get-ws-binding-token.html):
 *   GET|POST [base]/Subscription/id/$get-ws-binding-token
 *   GET|POST [base]/Subscription/$get-ws-binding-token?id=a&id=b
 * answers a short-lived token binding the websocket Subscriptions the caller may read (its row
 * rules apply; one it may not read is as missing), with its expiration and the websocket URL to
 * bind it at. A type-level call names its Subscriptions: this server gives no token for "all".
 */
import type { Resource } from '../core/index.js';
import type { SigningKeys } from '../access/index.js';
import { storageOf, visibleRows, type FhirResponse, type OperationCall, type OperationDefinitionEntry } from '../engine/index.js';
import type { OperationInput } from '../operation/index.js';
import { readCurrent } from '../storage/index.js';
import { subscriptionErrors } from './subscription-errors.js';
import { issueBindingToken, type BindingTokenSettings } from './ws-binding-token.js';

/** The path of the websocket endpoint under the FHIR base. */
export const WEBSOCKET_PATH = '$subscription-ws';

const DEFINITION = 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token';

/** ws:// or wss:// for the base URL's http:// or https://. */
export function websocketUrl(baseUrl: string): string {
  return `${baseUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/${WEBSOCKET_PATH}`;
}

async function websocketSubscription(call: OperationCall, id: string): Promise<Resource> {
  const storage = storageOf(call.ctx, 'Subscription');
  const stored = await readCurrent(call.ctx.db, storage, id, visibleRows(call.ctx, call.request, 'Subscription'));
  if (!stored) throw subscriptionErrors['websocket.unknown-subscription']({ id });
  const { resource } = stored;
  const type = (resource.channel as { type?: unknown } | undefined)?.type;
  if (type !== 'websocket') throw subscriptionErrors['websocket.not-websocket']({ detail: `Subscription/${id} has channel type ${String(type)}, not websocket` });
  if (resource.status !== 'requested' && resource.status !== 'active') {
    throw subscriptionErrors['websocket.not-websocket']({ detail: `Subscription/${id} is ${String(resource.status)}: it takes no events` });
  }
  return resource;
}

function requestedIds(call: OperationCall, input: OperationInput): string[] {
  if (call.route.id !== undefined) return [call.route.id];
  const ids = [...new Set(input.strings('id'))];
  if (ids.length === 0) throw subscriptionErrors['websocket.no-subscription'](undefined);
  return ids;
}

function callerName(call: OperationCall): string {
  const caller = call.request.caller;
  return caller?.userId ?? caller?.clientId ?? 'anonymous';
}

export function bindingTokenOperation(keys: SigningKeys, settings: BindingTokenSettings): OperationDefinitionEntry {
  const handler = async (call: OperationCall, input: OperationInput): Promise<FhirResponse> => {
    const ids = requestedIds(call, input);
    for (const id of ids) await websocketSubscription(call, id);
    const { token, expiresAt } = await issueBindingToken(keys, settings, { subscriptions: ids, caller: callerName(call) });
    return {
      status: 200, headers: {},
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'token', valueString: token },
          { name: 'expiration', valueDateTime: new Date(expiresAt).toISOString() },
          ...ids.map((id) => ({ name: 'subscription', valueString: `Subscription/${id}` })),
          { name: 'websocket-url', valueUrl: websocketUrl(call.request.baseUrl) },
        ],
      },
    };
  };
  return {
    name: 'get-ws-binding-token', levels: ['type', 'instance'], resourceTypes: ['Subscription'], affectsState: false, definition: DEFINITION, handler,
    parameters: [{ name: 'id', min: 0, max: '*', type: 'id' }],
  };
}

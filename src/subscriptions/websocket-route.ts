/**
 * The websocket endpoint of websocket Subscriptions, [base]/$subscription-ws
 * (https://hl7.org/fhir/uv/subscriptions-backport/channels.html#websockets). The binding token is
 * the credential, as the IG designs it (a browser cannot put an Authorization header on a
 * websocket): the route is public at the door, and nothing is sent before a valid token binds.
 * The client sends `bind-with-token <token>` (`bind-with-token: <token>` too); Flint also accepts
 * `bind-with-token <token> <lastEventNumber>`, for a token of one Subscription, to resume after
 * the last event the client got. A bad message is answered with an OperationOutcome; a bad token
 * with an OperationOutcome, then the socket closes with 1008 (policy violation), as does a socket
 * that binds nothing within 30 seconds. Binding again adds the token's Subscriptions (a
 * Subscription bound twice is sent once, from the newer bind's number).
 */
import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { errorOutcome, FhirError } from '../core/index.js';
import type { SigningKeys } from '../access/index.js';
import type { DeliveryTarget } from './delivery-target.js';
import { subscriptionErrors } from './subscription-errors.js';
import type { TargetRegistry } from './target-registry.js';
import type { Database } from '../db/index.js';
import type { WebSocketBindings } from './websocket-bindings.js';
import { verifyBindingToken } from './ws-binding-token.js';
import { WEBSOCKET_PATH } from './ws-binding-operation.js';

export interface WebSocketRouteDeps {
  keys: SigningKeys;
  bindings: WebSocketBindings;
  registry: TargetRegistry;
  db: Database;
  /** The FHIR API's prefix ('/fhir'). */
  prefix: string;
}

/** The close code of a refused token (RFC 6455 7.4.1: policy violation). */
export const POLICY_VIOLATION = 1008;
const MAX_MESSAGE_BYTES = 16 * 1024;
/** A socket that binds nothing within this time is closed. */
const BIND_WITHIN_MS = 30_000;
const BIND = /^bind-with-token:?\s+(\S+)(?:\s+(\d{1,15}))?$/;

interface BindRequest {
  token: string;
  after?: number;
}

/** A client message read as a bind request; a FhirError (websocket.bad-message) otherwise. */
export function readBindMessage(text: string): BindRequest {
  const match = BIND.exec(text.trim());
  if (!match) {
    throw subscriptionErrors['websocket.bad-message']({ detail: 'Send "bind-with-token <token>", optionally followed by the last eventNumber received' });
  }
  return { token: match[1], ...(match[2] !== undefined ? { after: Number(match[2]) } : {}) };
}

/** The websocket Subscriptions a token binds, as delivery targets. */
async function boundTargets(deps: WebSocketRouteDeps, request: BindRequest): Promise<DeliveryTarget[]> {
  const grant = await verifyBindingToken(deps.keys, request.token);
  const refuse = (detail: string) => subscriptionErrors['websocket.bad-token']({ detail });
  if (!grant) throw refuse('The binding token is not valid or has expired: get a new one with $get-ws-binding-token');
  if (request.after !== undefined && grant.subscriptions.length !== 1) throw refuse('A lastEventNumber needs a token of one Subscription');
  const keys = grant.subscriptions.map((id) => `Subscription/${id}`);
  // The registry may not have read a Subscription written a moment ago yet.
  if (keys.some((key) => !deps.registry.get(key))) await deps.registry.reload(deps.db);
  return keys.map((key) => {
    const target = deps.registry.get(key);
    if (!target || target.channel !== undefined) throw refuse(`${key} is not a websocket Subscription that takes events`);
    return target;
  });
}

function refuse(socket: WebSocket, error: unknown, close: boolean): void {
  const fhirError = error instanceof FhirError ? error : subscriptionErrors['websocket.bad-token']({ detail: 'The binding could not be checked' });
  socket.send(JSON.stringify(errorOutcome(fhirError)));
  if (close) socket.close(POLICY_VIOLATION, fhirError.message.slice(0, 120));
}

function serveSocket(deps: WebSocketRouteDeps, socket: WebSocket): void {
  let queue = Promise.resolve();
  const unbound = setTimeout(() => socket.close(POLICY_VIOLATION, `No bind-with-token within ${BIND_WITHIN_MS / 1000} s`), BIND_WITHIN_MS);
  unbound.unref();
  socket.on('message', (data, isBinary) => {
    queue = queue.then(async () => {
      try {
        const request = readBindMessage(isBinary ? '' : String(data));
        await deps.bindings.bind(socket, await boundTargets(deps, request), request.after);
        clearTimeout(unbound);
      } catch (error) {
        refuse(socket, error, !(error instanceof FhirError && error.code === 'websocket.bad-message'));
      }
    });
  });
  socket.on('close', () => {
    clearTimeout(unbound);
    deps.bindings.unbind(socket);
  });
}

/** Registers the endpoint (with @fastify/websocket, in its own scope). */
export function registerWebSocketRoute(app: FastifyInstance, deps: WebSocketRouteDeps): void {
  app.register(async (scope) => {
    await scope.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
    scope.get(`${deps.prefix}/${WEBSOCKET_PATH}`, { websocket: true, config: { public: true } }, (socket) => serveSocket(deps, socket));
  });
}

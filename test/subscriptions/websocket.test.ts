/**
 * The websocket channel end to end, with a real WebSocket client against a listening server:
 * $get-ws-binding-token answers a token for a websocket Subscription the caller may read, the
 * client binds with it and gets the handshake, then the events in eventNumber order and
 * heartbeats; a bad token is refused with an OperationOutcome and close code 1008; a client that
 * reconnects with its last eventNumber gets every event after it, then live ones.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { accessToken, allowEveryone, bearer, putClient } from '../access/access-helpers.js';
import { within } from '../support/eventually.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { eventNumbers } from './support/receiver.js';
import { backportSubscription, encounterTopic, ENCOUNTER_TOPIC } from './support/subscriptions.js';
import { WsClient } from './support/websocket-client.js';

let flint: TestFlint;
let socketUrl: string;
const clients: WsClient[] = [];

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
  await flint.app.listen({ port: 0, host: '127.0.0.1' });
  socketUrl = `ws://127.0.0.1:${(flint.app.server.address() as AddressInfo).port}/fhir/$subscription-ws`;
  const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(ENCOUNTER_TOPIC, "%current.status = 'finished'"));
  assert.equal(topic.status, 201, topic.text);
});
after(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await flint?.stop();
});

const encounter = (status: string) => ({ resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: 'Patient/p1' } });

async function websocketSubscription(heartbeatSeconds?: number): Promise<string> {
  const created = await flint.post('/fhir/Subscription', backportSubscription({ type: 'websocket', content: 'id-only', ...(heartbeatSeconds ? { heartbeatSeconds } : {}) }));
  assert.equal(created.status, 201, created.text);
  return created.body.id;
}

function parameter(body: any, name: string): any {
  return body.parameter.find((entry: any) => entry.name === name);
}

async function bindingToken(id: string): Promise<string> {
  const answer = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`);
  assert.equal(answer.status, 200, answer.text);
  return parameter(answer.body, 'token').valueString;
}

async function connect(): Promise<WsClient> {
  const client = await WsClient.connect(socketUrl);
  clients.push(client);
  return client;
}

/** A client bound to the Subscription (after its handshake). */
async function bound(id: string, lastEventNumber?: number): Promise<WsClient> {
  const client = await connect();
  client.send(`bind-with-token ${await bindingToken(id)}${lastEventNumber === undefined ? '' : ` ${lastEventNumber}`}`);
  await client.waitFor(() => client.ofType('handshake').length === 1);
  return client;
}

function receivedNumbers(client: WsClient): number[] {
  return client.ofType('event-notification').flatMap(eventNumbers);
}

async function finishedEncounters(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await flint.post('/fhir/Encounter', encounter('finished'))).body.id);
  return ids;
}

describe('$get-ws-binding-token', () => {
  it('answers a token, its expiration, the Subscription and the websocket URL', async () => {
    const id = await websocketSubscription();
    const answer = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.body.resourceType, 'Parameters');
    assert.ok(parameter(answer.body, 'token').valueString.length > 20);
    assert.ok(Date.parse(parameter(answer.body, 'expiration').valueDateTime) > Date.now());
    assert.equal(parameter(answer.body, 'subscription').valueString, `Subscription/${id}`);
    assert.equal(parameter(answer.body, 'websocket-url').valueUrl, 'ws://flint.test/fhir/$subscription-ws');
  });

  it('is in the CapabilityStatement on Subscription, with the IG\'s definition', async () => {
    const metadata = await flint.get('/fhir/metadata');
    const subscription = metadata.body.rest[0].resource.find((entry: any) => entry.type === 'Subscription');
    assert.deepEqual(subscription.operation.find((operation: any) => operation.name === 'get-ws-binding-token'), {
      name: 'get-ws-binding-token', definition: 'http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-get-ws-binding-token',
    });
  });

  it('binds several Subscriptions at the type level, named by id parameters', async () => {
    const [first, second] = [await websocketSubscription(), await websocketSubscription()];
    const answer = await flint.get(`/fhir/Subscription/$get-ws-binding-token?id=${first}&id=${second}`);
    assert.equal(answer.status, 200, answer.text);
    assert.deepEqual(answer.body.parameter.filter((entry: any) => entry.name === 'subscription').map((entry: any) => entry.valueString),
      [`Subscription/${first}`, `Subscription/${second}`]);
  });

  it('refuses a type-level call without ids, an unknown Subscription, a rest-hook one and an unauthenticated caller', async () => {
    const none = await flint.get('/fhir/Subscription/$get-ws-binding-token');
    assert.equal(none.status, 400, none.text);
    assert.deepEqual(issueCodes(none.body), ['websocket.no-subscription']);
    const unknown = await flint.get('/fhir/Subscription/no-such/$get-ws-binding-token');
    assert.equal(unknown.status, 404, unknown.text);
    assert.deepEqual(issueCodes(unknown.body), ['websocket.unknown-subscription']);
    const restHook = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: 'http://receiver.test/hook', status: 'off' }));
    assert.equal(restHook.status, 201, restHook.text);
    const notWebsocket = await flint.get(`/fhir/Subscription/${restHook.body.id}/$get-ws-binding-token`);
    assert.equal(notWebsocket.status, 400, notWebsocket.text);
    assert.deepEqual(issueCodes(notWebsocket.body), ['websocket.not-websocket']);
    const id = await websocketSubscription();
    const anonymous = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`, { anonymous: true });
    assert.equal(anonymous.status, 401, anonymous.text);
  });
});

describe('$get-ws-binding-token for a caller with SMART scopes', () => {
  const scoped = async (scope: string) => bearer(await accessToken(flint, { clientId: 'ws-app', scopes: [scope], admin: false }));

  before(async () => {
    await putClient(flint, 'ws-app', { secret: 'ws-app-secret' });
    await allowEveryone(flint);
  });

  it('answers a caller who may read the Subscription', async () => {
    const id = await websocketSubscription();
    const answer = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`, { headers: { authorization: await scoped('system/Subscription.rs') } });
    assert.equal(answer.status, 200, answer.text);
  });

  it('treats a Subscription outside the caller\'s rows as unknown, and refuses a caller without a Subscription scope', async () => {
    const id = await websocketSubscription();
    const hidden = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`, { headers: { authorization: await scoped('system/Subscription.rs?status=off') } });
    assert.equal(hidden.status, 404, hidden.text);
    assert.deepEqual(issueCodes(hidden.body), ['websocket.unknown-subscription']);
    const unscoped = await flint.get(`/fhir/Subscription/${id}/$get-ws-binding-token`, { headers: { authorization: await scoped('system/Patient.rs') } });
    assert.equal(unscoped.status, 403, unscoped.text);
  });
});

describe('a bound websocket', () => {
  it('gets the handshake, and the Subscription becomes active', async () => {
    const id = await websocketSubscription();
    const client = await bound(id);
    const [handshake] = client.ofType('handshake');
    const subscription = parameter(handshake.entry[0].resource, 'subscription').valueReference.reference;
    assert.ok(subscription.endsWith(`Subscription/${id}`), subscription);
    await within(5000, async () => (await flint.get(`/fhir/Subscription/${id}`)).body.status === 'active');
  });

  it('gets the events its topic chooses, in eventNumber order, with their focus', async () => {
    const id = await websocketSubscription();
    const client = await bound(id);
    await flint.post('/fhir/Encounter', encounter('planned'));
    const ids = await finishedEncounters(3);
    await client.waitFor(() => receivedNumbers(client).length >= 3);
    assert.deepEqual(receivedNumbers(client), [1, 2, 3]);
    const focuses = client.ofType('event-notification').map((bundle) => bundle.entry[0].resource.parameter
      .find((entry: any) => entry.name === 'notification-event').part.find((part: any) => part.name === 'focus').valueReference.reference);
    assert.deepEqual(focuses.map((focus: string) => focus.split('/').slice(-1)[0]), ids);
  });

  it('gets heartbeats at the heartbeat period', async () => {
    const id = await websocketSubscription(1);
    const client = await bound(id);
    await client.waitFor(() => client.ofType('heartbeat').length >= 1);
    const [beat] = client.ofType('heartbeat');
    assert.ok(parameter(beat.entry[0].resource, 'subscription').valueReference.reference.endsWith(`Subscription/${id}`));
  });
});

describe('binding', () => {
  it('refuses a bad token with an OperationOutcome and close code 1008', async () => {
    const client = await connect();
    client.send('bind-with-token not-a-token');
    await client.waitFor(() => client.closed !== undefined);
    assert.deepEqual(client.outcomes().flatMap(issueCodes), ['websocket.bad-token']);
    assert.equal(client.closed?.code, 1008);
    assert.match(client.closed?.reason ?? '', /not valid or has expired/);
    assert.equal(client.ofType('handshake').length, 0);
  });

  it('refuses an access token of the server as a binding token', async () => {
    const issued = await flint.post('/auth/token', undefined, {
      raw: 'grant_type=client_credentials&scope=system/*.read', contentType: 'application/x-www-form-urlencoded',
    });
    assert.equal(issued.status, 200, issued.text);
    const client = await connect();
    client.send(`bind-with-token ${issued.body.access_token}`);
    await client.waitFor(() => client.closed !== undefined);
    assert.deepEqual(client.outcomes().flatMap(issueCodes), ['websocket.bad-token']);
  });

  it('answers a message that is not a bind with an OperationOutcome, and still binds after it', async () => {
    const id = await websocketSubscription();
    const client = await connect();
    client.send('hello');
    await client.waitFor(() => client.outcomes().length === 1);
    assert.deepEqual(issueCodes(client.outcomes()[0]), ['websocket.bad-message']);
    assert.equal(client.closed, undefined);
    client.send(`bind-with-token: ${await bindingToken(id)}`);
    await client.waitFor(() => client.ofType('handshake').length === 1);
  });
});

describe('binding the same Subscription again on one socket', () => {
  it('sends each event once', async () => {
    const id = await websocketSubscription();
    const client = await bound(id);
    client.send(`bind-with-token ${await bindingToken(id)}`);
    await client.waitFor(() => client.ofType('handshake').length === 2);
    await finishedEncounters(1);
    await client.waitFor(() => receivedNumbers(client).length >= 1);
    await finishedEncounters(1);
    await client.waitFor(() => receivedNumbers(client).includes(2));
    assert.deepEqual(receivedNumbers(client), [1, 2]);
  });
});

describe('a token of several Subscriptions', () => {
  it('binds the socket to each: a handshake and the events of each', async () => {
    const [first, second] = [await websocketSubscription(), await websocketSubscription()];
    const answer = await flint.get(`/fhir/Subscription/$get-ws-binding-token?id=${first}&id=${second}`);
    const client = await connect();
    client.send(`bind-with-token ${parameter(answer.body, 'token').valueString}`);
    await client.waitFor(() => client.ofType('handshake').length === 2);
    await finishedEncounters(1);
    await client.waitFor(() => client.ofType('event-notification').length === 2);
    const subscriptions = client.ofType('event-notification').map((bundle) => parameter(bundle.entry[0].resource, 'subscription').valueReference.reference.split('/').pop());
    assert.deepEqual(subscriptions.sort(), [first, second].sort());
  });

  it('takes no lastEventNumber', async () => {
    const [first, second] = [await websocketSubscription(), await websocketSubscription()];
    const answer = await flint.get(`/fhir/Subscription/$get-ws-binding-token?id=${first}&id=${second}`);
    const client = await connect();
    client.send(`bind-with-token ${parameter(answer.body, 'token').valueString} 3`);
    await client.waitFor(() => client.closed !== undefined);
    assert.deepEqual(client.outcomes().flatMap(issueCodes), ['websocket.bad-token']);
  });
});

describe('a Subscription turned off', () => {
  it('closes its sockets with the reason', async () => {
    const id = await websocketSubscription();
    const client = await bound(id);
    const current = (await flint.get(`/fhir/Subscription/${id}`)).body;
    assert.equal((await flint.put(`/fhir/Subscription/${id}`, { ...current, status: 'off' })).status, 200);
    await client.waitFor(() => client.closed !== undefined);
    assert.equal(client.closed?.code, 1000);
    assert.match(client.closed?.reason ?? '', new RegExp(`Subscription/${id} no longer takes events`));
  });
});

describe('a client that reconnects', () => {
  it('gets every event after its last eventNumber, then live ones; without a number, only new ones', async () => {
    const id = await websocketSubscription();
    const first = await bound(id);
    await finishedEncounters(2);
    await first.waitFor(() => receivedNumbers(first).length >= 2);
    await first.close();
    const last = Math.max(...receivedNumbers(first));
    assert.equal(last, 2);
    await finishedEncounters(3);
    await within(5000, async () => await eventCount(id) === 5);
    const resumed = await bound(id, last);
    const fresh = await bound(id);
    await resumed.waitFor(() => receivedNumbers(resumed).length >= 3);
    await finishedEncounters(1);
    await resumed.waitFor(() => receivedNumbers(resumed).length >= 4);
    await fresh.waitFor(() => receivedNumbers(fresh).length >= 1);
    assert.deepEqual(receivedNumbers(resumed), [3, 4, 5, 6]);
    assert.deepEqual(receivedNumbers(fresh), [6]);
  });
});

async function eventCount(id: string): Promise<number> {
  const status = await flint.get(`/fhir/Subscription/${id}/$status`);
  return Number(parameter(status.body.entry[0].resource, 'events-since-subscription-start').valueString);
}


const onPostgres = Boolean(process.env.DATABASE_URL);

describe('two server processes', { skip: onPostgres ? false : 'needs the real PostgreSQL (DATABASE_URL): the embedded database belongs to one process' }, () => {
  let other: ServerProcess;
  before(async () => {
    other = await startServerProcess({ DATABASE_URL: flint.testDb.url as string, FLINT_CHANGES_INTERVAL_MS: '20' });
  });
  after(async () => {
    await other?.stop();
  });

  it('a token of one process binds on the other, which sends the events written through the first', async () => {
    const id = await websocketSubscription();
    const client = await WsClient.connect(`${other.baseUrl.replace(/^http/, 'ws')}/fhir/$subscription-ws`);
    clients.push(client);
    client.send(`bind-with-token ${await bindingToken(id)}`);
    await client.waitFor(() => client.ofType('handshake').length === 1, 10_000);
    await finishedEncounters(2);
    await client.waitFor(() => receivedNumbers(client).length >= 2, 10_000);
    assert.deepEqual(receivedNumbers(client), [1, 2]);
  });
});

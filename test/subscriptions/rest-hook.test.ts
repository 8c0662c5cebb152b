/**
 * Rest-hook Subscriptions end to end, against a real HTTP receiver: the handshake activates the
 * Subscription, events arrive with their eventNumber, topic criteria and filters choose them, the
 * signature verifies, $status and $events answer, a receiver that refuses puts the Subscription in
 * error with the reason, and bad topics and Subscriptions are refused with their codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SIGNATURE_HEADER, verifySignature } from '../../src/subscriptions/index.js';
import { basic, putClient } from '../access/access-helpers.js';
import { within } from '../support/eventually.js';
import { issueCodes, startTestFlint, type TestFlint } from '../support/test-server.js';
import { eventNumbers, Receiver } from './support/receiver.js';
import { backportSubscription, encounterTopic, ENCOUNTER_TOPIC } from './support/subscriptions.js';

let flint: TestFlint;
const receiver = new Receiver();
const SECRET = 'a-secret-of-sixteen-or-more';

before(async () => {
  flint = await startTestFlint({ changesIntervalMs: 20, subscriptionRetryBaseMs: 50 });
  await receiver.start();
  const topic = await flint.post('/fhir/SubscriptionTopic', encounterTopic(ENCOUNTER_TOPIC, "%current.status = 'finished'"));
  assert.equal(topic.status, 201, topic.text);
});
after(async () => {
  await flint?.stop();
  await receiver.stop();
});

const encounter = (status: string, patient = 'Patient/p1') => ({ resourceType: 'Encounter', status, class: { code: 'AMB' }, subject: { reference: patient } });

describe('a rest-hook Subscription', () => {
  let subscriptionId: string;

  before(async () => {
    const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: receiver.url, secret: SECRET, filters: ['Encounter?patient=Patient/p1'] }));
    assert.equal(created.status, 201, created.text);
    subscriptionId = created.body.id;
  });

  it('is activated by its handshake', async () => {
    await within(5000, async () => (await flint.get(`/fhir/Subscription/${subscriptionId}`)).body.status === 'active');
    assert.equal(receiver.ofType('handshake').length, 1);
  });

  it('gets the events its topic criteria and filters choose, numbered, with the resource, signed', async () => {
    await flint.post('/fhir/Encounter', encounter('planned'));
    await flint.post('/fhir/Encounter', encounter('finished', 'Patient/other'));
    const finished = (await flint.post('/fhir/Encounter', encounter('finished'))).body;
    await within(5000, async () => receiver.ofType('event-notification').length >= 1);
    const [notification] = receiver.ofType('event-notification');
    assert.deepEqual(eventNumbers(notification.body), [1]);
    const focus = notification.body.entry[1];
    assert.equal(focus.resource.id, finished.id);
    assert.equal(focus.resource.status, 'finished');
    assert.ok(verifySignature(SECRET, String(notification.headers[SIGNATURE_HEADER.toLowerCase()]), notification.text, 300));
    assert.ok(!verifySignature(SECRET, String(notification.headers[SIGNATURE_HEADER.toLowerCase()]), `${notification.text} `, 300));
  });

  it('answers $status and $events', async () => {
    const status = await flint.get(`/fhir/Subscription/${subscriptionId}/$status`);
    assert.equal(status.status, 200, status.text);
    const parameters = status.body.entry[0].resource.parameter;
    assert.equal(parameters.find((parameter: any) => parameter.name === 'events-since-subscription-start').valueString, '1');
    assert.equal(parameters.find((parameter: any) => parameter.name === 'status').valueCode, 'active');
    const events = await flint.get(`/fhir/Subscription/${subscriptionId}/$events?eventsSinceNumber=1`);
    assert.equal(events.status, 200, events.text);
    assert.deepEqual(eventNumbers(events.body), [1]);
  });
});

describe('a subscriber with access rules', () => {
  it('hears only of the rows it may read', async () => {
    const watching = new Receiver();
    await watching.start();
    try {
      const everyEncounter = 'http://flint.test/topics/every-encounter';
      assert.equal((await flint.post('/fhir/SubscriptionTopic', encounterTopic(everyEncounter))).status, 201);
      await putClient(flint, 'watcher', { secret: 'watcher-secret' });
      const policy = await flint.put('/fhir/AccessPolicy/watcher-finished', {
        resourceType: 'AccessPolicy', id: 'watcher-finished', engine: 'allow', link: [{ reference: 'Client/watcher' }],
        rows: ['Encounter?status=finished', 'Subscription', 'SubscriptionTopic'],
      });
      assert.ok(policy.status < 300, policy.text);
      const headers = { authorization: basic('watcher', 'watcher-secret') };
      const created = await flint.post('/fhir/Subscription', backportSubscription({ topic: everyEncounter, endpoint: watching.url, status: 'active' }), { headers });
      assert.equal(created.status, 201, created.text);
      await flint.post('/fhir/Encounter', encounter('planned'));
      const finished = (await flint.post('/fhir/Encounter', encounter('finished'))).body;
      await flint.post('/fhir/Encounter', encounter('cancelled'));
      await within(5000, async () => watching.ofType('event-notification').length >= 1);
      const marker = (await flint.post('/fhir/Encounter', encounter('finished'))).body;
      await within(5000, async () => watching.ofType('event-notification').length >= 2);
      const focus = watching.ofType('event-notification').map((received) => received.body.entry[1].resource.id);
      assert.deepEqual(focus, [finished.id, marker.id], 'the planned and cancelled ones are not the subscriber\'s to see');
    } finally {
      await watching.stop();
    }
  });
});

describe('heartbeats', () => {
  it('are sent when nothing else was for the heartbeat period', async () => {
    const quiet = new Receiver();
    await quiet.start();
    try {
      const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: quiet.url, status: 'active', heartbeatSeconds: 1 }));
      assert.equal(created.status, 201, created.text);
      await within(6000, async () => quiet.ofType('heartbeat').length >= 2);
      const [beat] = quiet.ofType('heartbeat');
      assert.equal(beat.body.type, 'history');
      assert.equal(beat.body.entry.length, 1, 'a heartbeat carries only the status');
    } finally {
      await quiet.stop();
    }
  });
});

describe('a Subscription past its end', () => {
  it('gets no more events', async () => {
    const ended = new Receiver();
    await ended.start();
    try {
      const body = { ...backportSubscription({ endpoint: ended.url, status: 'active' }), end: '2020-01-01T00:00:00Z' };
      assert.equal((await flint.post('/fhir/Subscription', body)).status, 201);
      const live = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: ended.url, status: 'active', filters: ['Encounter?patient=Patient/ending'] }));
      await flint.post('/fhir/Encounter', encounter('finished', 'Patient/ending'));
      await within(5000, async () => ended.ofType('event-notification').length >= 1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const subscriptions = ended.ofType('event-notification').map((received) => received.body.entry[0].resource.parameter[0].valueReference.reference);
      assert.deepEqual(subscriptions, [`http://flint.test/fhir/Subscription/${live.body.id}`], 'only the live one is notified');
    } finally {
      await ended.stop();
    }
  });
});

describe('a receiver that refuses', () => {
  it('puts the Subscription in error with the reason', async () => {
    const refusing = new Receiver();
    refusing.status = 400;
    await refusing.start();
    try {
      const created = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: refusing.url }));
      await within(5000, async () => (await flint.get(`/fhir/Subscription/${created.body.id}`)).body.status === 'error');
      const stored = (await flint.get(`/fhir/Subscription/${created.body.id}`)).body;
      assert.match(stored.error, /400/);
    } finally {
      await refusing.stop();
    }
  });
});

describe('bad topics and Subscriptions', () => {
  it('refuses a topic with invalid FHIRPath', async () => {
    const answer = await flint.post('/fhir/SubscriptionTopic', encounterTopic('http://flint.test/topics/bad', "%current.status = = 'x'"));
    assert.ok(answer.status >= 400 && answer.status < 500, answer.text);
    assert.deepEqual(issueCodes(answer.body), ['subscription.topic-bad-criteria']);
  });

  it('refuses a Subscription to an unknown topic, an endpoint that is not http(s) or is this server', async () => {
    const unknown = await flint.post('/fhir/Subscription', backportSubscription({ topic: 'http://flint.test/topics/none', endpoint: receiver.url }));
    assert.deepEqual(issueCodes(unknown.body), ['subscription.unknown-topic'], unknown.text);
    const ftp = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: 'ftp://127.0.0.1/x' }));
    assert.ok(ftp.status >= 400 && ftp.status < 500, ftp.text);
    const self = await flint.post('/fhir/Subscription', backportSubscription({ endpoint: 'http://flint.test/fhir/hook' }));
    assert.ok(self.status >= 400 && self.status < 500, self.text);
    assert.deepEqual(issueCodes(self.body), ['subscription.bad-endpoint']);
  });
});

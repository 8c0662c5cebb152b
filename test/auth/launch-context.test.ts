/**
 * The launch context of a grant: the patient picker of a standalone launch (a patient user, a
 * practitioner acting for several patients, an administrator's search) and the EHR launch
 * (POST /auth/launch, then authorize with launch=<id>).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { issueAccessToken, tokenSettings } from '../../src/access/index.js';
import { consumeAuthorizationCode } from '../../src/auth/index.js';
import { issueCodes, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { authorizeUrl, Browser, createIdentities, redirectParams } from './sign-in-helpers.js';

describe(`launch context: patient picker and EHR launch (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  before(async () => {
    flint = await startTestFlint();
    await createIdentities(flint);
  });
  after(() => flint.stop());

  async function grantOf(answer: Parameters<typeof redirectParams>[0]) {
    const grant = await consumeAuthorizationCode(flint.db, redirectParams(answer).get('code') ?? '');
    assert.ok(grant);
    return grant;
  }

  it('offers a practitioner the patients its roles act for, and grants the one chosen', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'doc@example.org', 'doc-password');
    assert.match(consent.text, /Choose the patient/);
    assert.match(consent.text, /value="p1"/);
    assert.match(consent.text, /value="p2"/);
    assert.doesNotMatch(consent.text, /value="p3"/);
    assert.doesNotMatch(consent.text, /patient_search/);
    const grant = await grantOf(await browser.post('/auth/consent', consent, { decision: 'approve', patient: 'p2' }));
    assert.deepEqual(grant.launch, { patient: 'p2' });
  });

  it('refuses a patient the practitioner does not act for, and keeps the consent page', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'doc@example.org', 'doc-password');
    const answer = await browser.post('/auth/consent', consent, { decision: 'approve', patient: 'p3' });
    assert.equal(answer.status, 400);
    assert.match(answer.text, /Choose a patient you may access/);
  });

  it('gives a patient user its own patient, whatever the form says', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'alice', 'alice-password');
    assert.doesNotMatch(consent.text, /Choose the patient/);
    const grant = await grantOf(await browser.post('/auth/consent', consent, { decision: 'approve', patient: 'p3' }));
    assert.deepEqual(grant.launch, { patient: 'p1' });
  });

  it('lets an administrator search patients by name and choose one', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl()), 'boss@example.org', 'boss-password');
    assert.match(consent.text, /patient_search/);
    const found = await browser.post('/auth/consent', consent, { decision: 'search', patient_search: 'Brown' });
    assert.equal(found.status, 200);
    assert.match(found.text, /value="p3"/);
    assert.doesNotMatch(found.text, /value="p1"/);
    const grant = await grantOf(await browser.post('/auth/consent', found, { decision: 'approve', patient: 'p3' }));
    assert.deepEqual(grant.launch, { patient: 'p3' });
    assert.equal(grant.admin, true);
  });

  it('grants no launch context when launch/patient is not asked for', async () => {
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl({ scope: 'openid user/*.rs' })), 'doc', 'doc-password');
    assert.doesNotMatch(consent.text, /Choose the patient/);
    const grant = await grantOf(await browser.post('/auth/consent', consent, { decision: 'approve' }));
    assert.equal(grant.launch, undefined);
    assert.deepEqual(grant.scopes, ['openid', 'user/*.rs']);
  });

  it('EHR launch: the root client creates a launch; authorize with it puts its context into the grant', async () => {
    const created = await flint.post('/auth/launch', { client: 'app', patient: 'p2', encounter: undefined }, { contentType: 'application/json' });
    assert.equal(created.status, 201, created.text);
    const launch = created.body.launch as string;
    assert.match(launch, /^[A-Za-z0-9_-]{22}$/);
    const url = new URL(created.body.launch_url as string);
    assert.equal(url.origin + url.pathname, 'http://app.test/launch');
    assert.equal(url.searchParams.get('iss'), 'http://flint.test/fhir');
    assert.equal(url.searchParams.get('launch'), launch);
    const browser = new Browser(flint);
    const consent = await browser.signIn(await browser.get(authorizeUrl({ scope: 'launch launch/patient patient/*.rs', launch })), 'boss', 'boss-password');
    assert.doesNotMatch(consent.text, /Choose the patient/);
    const grant = await grantOf(await browser.post('/auth/consent', consent, { decision: 'approve' }));
    assert.deepEqual(grant.launch, { patient: 'p2' });
    assert.deepEqual(grant.scopes, ['launch', 'launch/patient', 'patient/*.rs']);
  });

  it('EHR launch: a form body works too, and a launch is refused for another client', async () => {
    const created = await flint.request('POST', '/auth/launch', undefined, { raw: 'client=confidential&patient=p1', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.launch_url, undefined);
    const params = redirectParams(await new Browser(flint).get(authorizeUrl({ scope: 'launch patient/*.rs', launch: created.body.launch })));
    assert.equal(params.get('error'), 'invalid_request');
    assert.equal(params.get('state'), 'st-123');
  });

  it('EHR launch: refused without credentials, for an unknown client or patient, and for a client that is not an administrator', async () => {
    const anonymous = await flint.post('/auth/launch', { client: 'app', patient: 'p1' }, { anonymous: true, contentType: 'application/json' });
    assert.equal(anonymous.status, 401);
    const unknownClient = await flint.post('/auth/launch', { client: 'nobody', patient: 'p1' }, { contentType: 'application/json' });
    assert.equal(unknownClient.status, 400);
    assert.deepEqual(issueCodes(unknownClient.body), ['auth.launch-invalid']);
    const unknownPatient = await flint.post('/auth/launch', { client: 'app', patient: 'p9' }, { contentType: 'application/json' });
    assert.deepEqual(issueCodes(unknownPatient.body), ['auth.launch-invalid']);
    const backend = `Basic ${Buffer.from('backend:backend-secret').toString('base64')}`;
    await flint.patch('/fhir/Client/backend', [{ op: 'add', path: '/grant_types/-', value: 'basic' }], { contentType: 'application/json-patch+json' });
    const notAdmin = await flint.post('/auth/launch', { client: 'app', patient: 'p1' }, { headers: { authorization: backend }, contentType: 'application/json' });
    assert.equal(notAdmin.status, 403, notAdmin.text);
    assert.deepEqual(issueCodes(notAdmin.body), ['auth.launch-forbidden']);
  });

  async function userBearer(userId: string): Promise<string> {
    const token = await issueAccessToken(flint.signingKeys, tokenSettings('http://flint.test/fhir'), { clientId: 'app', userId, scopes: ['user/*.rs'], admin: false }, 300);
    return `Bearer ${token}`;
  }

  it('EHR launch: a user may launch for a patient its roles act for, not for another', async () => {
    const authorization = await userBearer('doc');
    const own = await flint.post('/auth/launch', { client: 'app', patient: 'p2' }, { headers: { authorization }, contentType: 'application/json' });
    assert.equal(own.status, 201, own.text);
    const other = await flint.post('/auth/launch', { client: 'app', patient: 'p3' }, { headers: { authorization }, contentType: 'application/json' });
    assert.equal(other.status, 403, other.text);
    const noPatient = await flint.post('/auth/launch', { client: 'app', encounter: undefined }, { headers: { authorization }, contentType: 'application/json' });
    assert.equal(noPatient.status, 403, noPatient.text);
  });
});

/**
 * End to end with the SMART reference client, fhirclient (npm, its Node adapter), which this project
 * did not write: a tiny local app server plays the SMART app, a scripted user agent (fetch with
 * manual redirects and a cookie jar) goes through authorize, the sign-in page and the consent page
 * of a real listening Flint, and fhirclient's ready() exchanges the code at /auth/token and reads
 * the patient in context. Standalone launch and EHR launch.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { ROOT_BASIC, startTestFlint, usingPostgresNote, type TestFlint } from '../support/test-server.js';
import { allowEveryone } from '../access/access-helpers.js';

type SmartApi = {
  authorize(options: Record<string, unknown>): Promise<unknown>;
  ready(): Promise<{ patient: { id: string | null; read(): Promise<Record<string, unknown>> }; request(url: string): Promise<Record<string, unknown>> }>;
};
const smart = createRequire(import.meta.url)('fhirclient') as (req: IncomingMessage, res: ServerResponse, storage: unknown) => SmartApi;

const STANDALONE_SCOPE = 'openid fhirUser launch/patient patient/*.rs';
/** fhirclient adds the launch scope only when no scope mentions launch: the EHR launch names it. */
const EHR_SCOPE = 'launch openid fhirUser patient/*.rs';

/** fhirclient's storage for the one user of the app: a plain map. */
function memoryStorage() {
  const values = new Map<string, unknown>();
  return {
    get: async (key: string) => values.get(key),
    set: async (key: string, value: unknown) => { values.set(key, value); return value; },
    unset: async (key: string) => values.delete(key),
  };
}

/** The SMART app: /standalone and /launch start fhirclient's authorize, /callback its ready() and a read of the patient. */
function startApp(fhirBase: () => string): Promise<Server> {
  const storage = memoryStorage();
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const api = smart(req, res, storage);
    const answer = async () => {
      if (path === '/standalone') return api.authorize({ iss: fhirBase(), clientId: 'growth-chart', scope: STANDALONE_SCOPE, redirectUri: '/callback' });
      if (path === '/launch') return api.authorize({ clientId: 'growth-chart', scope: EHR_SCOPE, redirectUri: '/callback' });
      const client = await api.ready();
      const patient = await client.patient.read();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ patient: client.patient.id, family: (patient.name as { family: string }[])[0].family }));
    };
    answer().catch((error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A scripted user agent: fetch with manual redirects and a cookie jar (per origin, by name; no paths or expiry needed here). */
class UserAgent {
  private readonly cookies = new Map<string, Map<string, string>>();

  async request(url: string, form?: Record<string, string>): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.cookies.get(origin) ?? new Map<string, string>();
    this.cookies.set(origin, jar);
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET', redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    return response;
  }

  /** Follows redirects until a page that is not a redirect. */
  async follow(url: string, form?: Record<string, string>): Promise<{ url: string; response: Response }> {
    let current = url;
    let response = await this.request(current, form);
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 10; hops++) {
      current = new URL(response.headers.get('location') ?? '', current).toString();
      response = await this.request(current);
    }
    return { url: current, response };
  }
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[match[1]] = match[2];
  return fields;
}

/** Signs in on the sign-in page, approves on the consent page; answers the app's final answer. */
async function signInAndApprove(agent: UserAgent, start: string, login: string, password: string, patient?: string): Promise<Response> {
  const signInPage = await agent.follow(start);
  assert.equal(signInPage.response.status, 200);
  const signInHtml = await signInPage.response.text();
  assert.match(signInHtml, /action="\/auth\/sign-in"/);
  const origin = new URL(signInPage.url).origin;
  const consent = await agent.follow(`${origin}/auth/sign-in`, { ...hiddenFields(signInHtml), login, password });
  const consentHtml = await consent.response.text();
  assert.match(consentHtml, /Allow access\?/);
  const approved = await agent.follow(`${origin}/auth/consent`, { ...hiddenFields(consentHtml), decision: 'approve', ...(patient ? { patient } : {}) });
  return approved.response;
}

describe(`fhirclient end to end: standalone and EHR launch (${usingPostgresNote()})`, () => {
  let flint: TestFlint;
  let app: Server;
  let flintOrigin = '';
  let appOrigin = '';

  before(async () => {
    flint = await startTestFlint({ baseUrl: undefined });
    await allowEveryone(flint);
    await flint.app.listen({ port: 0, host: '127.0.0.1' });
    flintOrigin = `http://127.0.0.1:${(flint.app.server.address() as AddressInfo).port}`;
    app = await startApp(() => `${flintOrigin}/fhir`);
    appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    const put = async (resource: Record<string, unknown>) => {
      const answer = await flint.put(`/fhir/${resource.resourceType as string}/${resource.id as string}`, resource);
      assert.ok(answer.status < 300, answer.text);
    };
    await put({
      resourceType: 'Client', id: 'growth-chart', name: 'Growth chart', active: true, grant_types: ['authorization_code'],
      scope: ['launch', 'launch/patient', 'openid', 'fhirUser', 'patient/*.rs'],
      auth: { authorization_code: { redirect_uri: `${appOrigin}/callback` } }, smart: { launch_uri: `${appOrigin}/launch` },
    });
    await put({ resourceType: 'Patient', id: 'p1', name: [{ given: ['Pat'], family: 'Smith' }] });
    await put({ resourceType: 'Patient', id: 'p2', name: [{ given: ['Sam'], family: 'Jones' }] });
    await put({ resourceType: 'User', id: 'doc', email: 'doc@example.org', password: 'doc-password' });
    await put({ resourceType: 'Role', id: 'doc-p1', name: 'practitioner', user: { reference: 'User/doc' }, links: { patient: { reference: 'Patient/p1' } } });
    await put({ resourceType: 'Role', id: 'doc-p2', name: 'practitioner', user: { reference: 'User/doc' }, links: { patient: { reference: 'Patient/p2' } } });
  });
  after(async () => {
    await new Promise((resolve) => app.close(resolve));
    await flint.stop();
  });

  it('standalone launch: fhirclient signs in through the pages, exchanges the code and reads the chosen patient', async () => {
    const final = await signInAndApprove(new UserAgent(), `${appOrigin}/standalone`, 'doc@example.org', 'doc-password', 'p2');
    const text = await final.text();
    assert.equal(final.status, 200, text);
    assert.deepEqual(JSON.parse(text), { patient: 'p2', family: 'Jones' });
  });

  it('EHR launch: the launch URL opens the app, and fhirclient gets the launch context', async () => {
    const created = await fetch(`${flintOrigin}/auth/launch`, {
      method: 'POST', headers: { authorization: ROOT_BASIC, 'content-type': 'application/json' }, body: JSON.stringify({ client: 'growth-chart', patient: 'p1' }),
    });
    assert.equal(created.status, 201);
    const { launch_url: launchUrl } = await created.json() as { launch_url: string };
    assert.ok(launchUrl.startsWith(`${appOrigin}/launch?`));
    const final = await signInAndApprove(new UserAgent(), launchUrl, 'doc@example.org', 'doc-password');
    const text = await final.text();
    assert.equal(final.status, 200, text);
    assert.deepEqual(JSON.parse(text), { patient: 'p1', family: 'Smith' });
  });
});

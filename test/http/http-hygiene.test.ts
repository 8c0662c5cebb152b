/**
 * HTTP hygiene: gzip/brotli answers for clients that accept them (not for tiny answers, streamed
 * $run included, off by a setting), links built from X-Forwarded-Proto/Host/Prefix of trusted
 * proxies only (FLINT_BASE_URL still wins), and GET / as a page about the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { readConfig } from '../../src/config.js';
import { buildHttpApp, registerNativeRoutes, registerSofRoutes, type HttpOptions } from '../../src/http/index.js';
import { ROOT_BASIC, startTestFlint, type TestFlint } from '../support/test-server.js';

let flint: TestFlint;
before(async () => { flint = await startTestFlint(); });
after(async () => { await flint.stop(); });

/** A second app over the same engine with other HTTP settings (and the native and $run routes). */
async function withApp(options: Partial<HttpOptions>, run: (app: FastifyInstance) => Promise<void>): Promise<void> {
  const fhirBaseUrl = options.baseUrl;
  const app = buildHttpApp({
    ctx: flint.ctx, db: flint.db, logLevel: 'silent', bodyLimit: 1_000_000, authentication: flint.authentication, ...options,
    routes: [(routes) => registerSofRoutes(routes, { ctx: flint.ctx, prefix: '/fhir' }),
      (routes) => registerNativeRoutes(routes, { ctx: flint.ctx, fhirBaseUrl })],
  });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

describe('compression', () => {
  it('gzips or brotli-compresses a large answer for a client that accepts it, and not for one that does not', async () => {
    const plain = await flint.app.inject({ method: 'GET', url: '/fhir/metadata' });
    assert.equal(plain.headers['content-encoding'], undefined);
    const gzip = await flint.app.inject({ method: 'GET', url: '/fhir/metadata', headers: { authorization: ROOT_BASIC, 'accept-encoding': 'gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.match(String(gzip.headers.vary), /accept-encoding/i);
    assert.ok(gzip.rawPayload.length * 5 < plain.rawPayload.length, 'the CapabilityStatement shrinks');
    assert.equal(JSON.parse(gunzipSync(gzip.rawPayload).toString('utf8')).resourceType, 'CapabilityStatement');
    const br = await flint.app.inject({ method: 'GET', url: '/fhir/metadata', headers: { authorization: ROOT_BASIC, 'accept-encoding': 'gzip;q=0.5, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(JSON.parse(brotliDecompressSync(br.rawPayload).toString('utf8')).resourceType, 'CapabilityStatement');
  });

  it('leaves answers under the threshold as they are', async () => {
    const created = await flint.post('/fhir/Patient', { resourceType: 'Patient', active: true });
    const read = await flint.app.inject({ method: 'GET', url: `/fhir/Patient/${created.body.id}`, headers: { authorization: ROOT_BASIC, 'accept-encoding': 'gzip, br' } });
    assert.equal(read.statusCode, 200);
    assert.ok(read.rawPayload.length < 1024);
    assert.equal(read.headers['content-encoding'], undefined);
    assert.equal(read.json().id, created.body.id);
  });

  it('compresses the streamed $run output without breaking it', async () => {
    for (let i = 0; i < 40; i += 1) await flint.post('/fhir/Patient', { resourceType: 'Patient', gender: 'female', birthDate: '1980-01-01' });
    const view = { resourceType: 'ViewDefinition', status: 'active', resource: 'Patient', select: [{ column: [
      { name: 'id', path: 'getResourceKey()' }, { name: 'gender', path: 'gender' }, { name: 'birth_date', path: 'birthDate' }] }] };
    const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'viewResource', resource: view }] });
    const send = (headers: Record<string, string>) => flint.app.inject({
      method: 'POST', url: '/fhir/ViewDefinition/$run?_format=ndjson', payload: body, headers: { authorization: ROOT_BASIC, 'content-type': 'application/fhir+json', ...headers },
    });
    const plain = await send({});
    const gzip = await send({ 'accept-encoding': 'gzip' });
    assert.equal(gzip.statusCode, 200);
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    const rows = gunzipSync(gzip.rawPayload).toString('utf8');
    assert.equal(rows, plain.body);
    assert.ok(rows.trim().split('\n').length >= 40);
  });

  it('compresses $sql answers', async () => {
    const answer = await flint.app.inject({
      method: 'POST', url: '/$sql', payload: 'SELECT n FROM generate_series(1, 500) AS n', headers: { authorization: ROOT_BASIC, 'content-type': 'text/plain', 'accept-encoding': 'gzip' },
    });
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['content-encoding'], 'gzip');
    assert.equal(JSON.parse(gunzipSync(answer.rawPayload).toString('utf8')).length, 500);
  });

  it('is off with FLINT_COMPRESSION=false', async () => {
    assert.equal(readConfig({ FLINT_COMPRESSION: 'false' }).compression, false);
    assert.equal(readConfig({}).compression, true);
    await withApp({ compression: { enabled: false, threshold: 1024 } }, async (app) => {
      const answer = await app.inject({ method: 'GET', url: '/fhir/metadata', headers: { authorization: ROOT_BASIC, 'accept-encoding': 'gzip, br' } });
      assert.equal(answer.statusCode, 200);
      assert.equal(answer.headers['content-encoding'], undefined);
      assert.equal(answer.json().resourceType, 'CapabilityStatement');
    });
  });
});

const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'fhir.example.org', 'x-forwarded-prefix': '/api/' };
const patient = JSON.stringify({ resourceType: 'Patient', active: true });

function create(app: FastifyInstance, url: string, remoteAddress: string, headers: Record<string, string> = forwarded) {
  return app.inject({ method: 'POST', url, remoteAddress, payload: patient, headers: { authorization: ROOT_BASIC, 'content-type': 'application/fhir+json', ...headers } });
}

describe('trusted proxies', () => {
  it('reads FLINT_TRUSTED_PROXIES as none, any, or addresses and CIDRs, and refuses anything else', () => {
    assert.equal(readConfig({}).trustedProxies, false);
    assert.equal(readConfig({ FLINT_TRUSTED_PROXIES: 'true' }).trustedProxies, true);
    assert.deepEqual(readConfig({ FLINT_TRUSTED_PROXIES: '10.0.0.0/8, ::1, loopback' }).trustedProxies, ['10.0.0.0/8', '::1', 'loopback']);
    assert.throws(() => readConfig({ FLINT_TRUSTED_PROXIES: 'proxy.example.org' }), /FLINT_TRUSTED_PROXIES/);
  });

  it('builds Location, Bundle links and fullUrls from the X-Forwarded-* headers of a trusted proxy', async () => {
    await withApp({ trustedProxies: ['10.0.0.0/8'] }, async (app) => {
      const created = await create(app, '/fhir/Patient', '10.1.2.3');
      assert.equal(created.statusCode, 201);
      const id = created.json().id as string;
      assert.ok(String(created.headers.location).startsWith(`https://fhir.example.org/api/fhir/Patient/${id}`), String(created.headers.location));
      const search = await app.inject({ method: 'GET', url: `/fhir/Patient?_id=${id}`, remoteAddress: '10.1.2.3', headers: { authorization: ROOT_BASIC, ...forwarded } });
      const bundle = search.json();
      assert.ok(bundle.link[0].url.startsWith('https://fhir.example.org/api/fhir/Patient?'), bundle.link[0].url);
      assert.equal(bundle.entry[0].fullUrl, `https://fhir.example.org/api/fhir/Patient/${id}`);
      const native = await create(app, '/Patient', '10.1.2.3');
      assert.ok(String(native.headers.location).startsWith('https://fhir.example.org/api/Patient/'), String(native.headers.location));
    });
  });

  it('ignores the headers from a peer that is not trusted, and by default', async () => {
    for (const options of [{ trustedProxies: ['10.0.0.0/8'] }, {}]) {
      await withApp(options, async (app) => {
        const created = await create(app, '/fhir/Patient', '192.0.2.7');
        assert.equal(created.statusCode, 201);
        assert.match(String(created.headers.location), /^http:\/\/localhost(:80)?\/fhir\/Patient\//);
      });
    }
  });

  it('ignores a prefix that is not a plain path', async () => {
    await withApp({ trustedProxies: true }, async (app) => {
      for (const prefix of ['//evil.example', '/a/../b', '/a?b', 'no-slash']) {
        const created = await create(app, '/fhir/Patient', '10.1.2.3', { ...forwarded, 'x-forwarded-prefix': prefix });
        assert.ok(String(created.headers.location).startsWith('https://fhir.example.org/fhir/Patient/'), `${prefix}: ${created.headers.location}`);
      }
    });
  });

  it('lets FLINT_BASE_URL win over the forwarded headers', async () => {
    await withApp({ trustedProxies: true, baseUrl: 'https://configured.example/base/fhir' }, async (app) => {
      const created = await create(app, '/fhir/Patient', '10.1.2.3');
      assert.ok(String(created.headers.location).startsWith('https://configured.example/base/fhir/Patient/'));
      const native = await create(app, '/Patient', '10.1.2.3');
      assert.ok(String(native.headers.location).startsWith('https://configured.example/base/Patient/'));
    });
  });
});

describe('GET /', () => {
  it('answers a JSON page about the server whose links work', async () => {
    const answer = await flint.get('/');
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^application\/json/);
    assert.equal(answer.body.name, 'Flint');
    assert.equal(answer.body.fhirVersion, '4.0.1');
    assert.equal(typeof answer.body.version, 'string');
    assert.equal(answer.body.links.metadata, 'http://flint.test/fhir/metadata');
    assert.equal(answer.body.links.health, 'http://flint.test/health');
    assert.equal((await flint.get(new URL(answer.body.links.metadata).pathname)).body.resourceType, 'CapabilityStatement');
    assert.equal((await flint.get(new URL(answer.body.links.health).pathname)).status, 200);
  });

  it('answers HTML to a browser', async () => {
    const answer = await flint.get('/', { headers: { authorization: ROOT_BASIC, accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    assert.equal(answer.status, 200);
    assert.match(answer.headers['content-type'] ?? '', /^text\/html/);
    assert.ok(answer.text.includes('href="http://flint.test/fhir/metadata"'));
    const json = await flint.get('/', { headers: { authorization: ROOT_BASIC, accept: 'application/json, text/html' } });
    assert.match(json.headers['content-type'] ?? '', /^application\/json/);
  });

  it('uses the forwarded origin behind a trusted proxy', async () => {
    await withApp({ trustedProxies: true }, async (app) => {
      const answer = await app.inject({ method: 'GET', url: '/', headers: forwarded });
      assert.equal(answer.json().links.metadata, 'https://fhir.example.org/api/fhir/metadata');
    });
  });

  it('leaves searches to the native API: GET / with parameters and GET /{type}', async () => {
    const system = await flint.get('/?_type=Patient&_count=1');
    assert.equal(system.status, 200);
    assert.equal(system.body.resourceType, 'Bundle');
    const type = await flint.get('/Patient?_count=1');
    assert.equal(type.body.resourceType, 'Bundle');
  });
});

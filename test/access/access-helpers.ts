/**
 * What the tests of the secure default share: HTTP Basic headers, Clients and Users made through the
 * API (as the root client), and access tokens issued by the server's own keys for the test
 * server's FHIR base URL.
 */
import assert from 'node:assert/strict';
import { issueAccessToken, tokenSettings, type TokenGrant } from '../../src/access/index.js';
import type { TestFlint } from '../support/test-server.js';

/** The test servers' FHIR base URL (testConfig), the audience of their tokens. */
export const TEST_FHIR_BASE = 'http://flint.test/fhir';

/** An Authorization header for HTTP Basic (RFC 7617). */
export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
}

/** Creates or replaces a Client through the API (as the root client); basic among its grant types unless told. */
export async function putClient(flint: TestFlint, id: string, fields: Record<string, unknown> = {}): Promise<void> {
  const answer = await flint.put(`/fhir/Client/${id}`, { resourceType: 'Client', id, grant_types: ['basic'], ...fields });
  assert.ok(answer.status === 200 || answer.status === 201, `PUT Client/${id}: ${answer.status} ${answer.text}`);
}

/** A signed access token of the test server, valid for five minutes. */
export function accessToken(flint: TestFlint, grant: TokenGrant): Promise<string> {
  return issueAccessToken(flint.signingKeys, tokenSettings(TEST_FHIR_BASE), grant, 300);
}

/** The Authorization header of a bearer token. */
export function bearer(token: string): string {
  return `Bearer ${token}`;
}

/**
 * A global AccessPolicy that allows every request (engine allow, no link, no rows): for tests of
 * other features whose non-admin callers need ordinary access. Administrative requests stay
 * refused (a policy must name them).
 */
export async function allowEveryone(flint: TestFlint): Promise<void> {
  const answer = await flint.put('/fhir/AccessPolicy/allow-everyone', { resourceType: 'AccessPolicy', id: 'allow-everyone', engine: 'allow' });
  assert.ok(answer.status === 200 || answer.status === 201, `PUT AccessPolicy/allow-everyone: ${answer.status} ${answer.text}`);
}

/**
 * Helpers of the authorization server's tests: form posts to the OAuth endpoints (with or without
 * HTTP Basic), clients and users registered through the FHIR API as the root client, and private
 * key JWT assertions signed in the test.
 */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import type { FhirAnswer, TestFlint } from '../support/test-server.js';

export const BASE = 'http://flint.test';
export const FHIR_BASE = `${BASE}/fhir`;
export const TOKEN_URL = `${BASE}/auth/token`;

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** A form-encoded POST to an OAuth endpoint. */
export async function postForm(flint: TestFlint, url: string, params: Record<string, string>, authorization?: string): Promise<FhirAnswer> {
  const response = await flint.app.inject({
    method: 'POST', url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    payload: new URLSearchParams(params).toString(),
  });
  const text = response.body;
  const headers = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, value === undefined ? undefined : String(value)]));
  return { status: response.statusCode, headers, body: text ? JSON.parse(text) : undefined, text };
}

/** Registers (or replaces) a Client through the FHIR API; throws unless it was stored. */
export async function putClient(flint: TestFlint, client: Record<string, unknown>): Promise<void> {
  const answer = await flint.put(`/fhir/Client/${client.id as string}`, { resourceType: 'Client', active: true, ...client });
  if (answer.status >= 300) throw new Error(`Client not stored: ${answer.status} ${answer.text}`);
}

export async function putResource(flint: TestFlint, resource: Record<string, unknown>): Promise<void> {
  const answer = await flint.put(`/fhir/${resource.resourceType as string}/${resource.id as string}`, resource);
  if (answer.status >= 300) throw new Error(`${resource.resourceType as string} not stored: ${answer.status} ${answer.text}`);
}

export interface AssertionKey { kid: string; privateKey: CryptoKey; publicJwk: JWK }

export async function assertionKey(kid: string, alg = 'RS384'): Promise<AssertionKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg } };
}

/** A client assertion (RFC 7523) for the client, with claims overridden as given. */
export async function clientAssertion(key: AssertionKey, clientId: string, claims: Record<string, unknown> = {}, alg = 'RS384'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: clientId, sub: clientId, aud: TOKEN_URL, exp: now + 120, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg, kid: key.kid }).sign(key.privateKey);
}

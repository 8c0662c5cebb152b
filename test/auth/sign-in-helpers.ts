/**
 * What the sign-in tests share: the identities they sign in with (a public SMART app, a confidential
 * client, a patient user, a practitioner acting for two patients, an administrator), the authorize
 * URL, and a small user agent over inject that keeps cookies and reads the hidden form fields.
 */
import assert from 'node:assert/strict';
import { s256Challenge } from '../../src/auth/index.js';
import type { TestFlint } from '../support/test-server.js';

export const FHIR_BASE = 'http://flint.test/fhir';
export const REDIRECT = 'http://app.test/callback';
export const VERIFIER = 'a'.repeat(20) + 'b'.repeat(23);
export const APP_SCOPES = ['launch', 'launch/patient', 'openid', 'fhirUser', 'offline_access', 'patient/*.rs', 'user/*.rs'];

async function put(flint: TestFlint, resource: Record<string, unknown>): Promise<void> {
  const answer = await flint.put(`/fhir/${resource.resourceType as string}/${resource.id as string}`, resource);
  assert.ok(answer.status < 300, `${resource.resourceType as string}/${resource.id as string}: ${answer.text}`);
}

/** The clients, users, roles and patients of the sign-in tests. */
export async function createIdentities(flint: TestFlint): Promise<void> {
  const authorizationCode = { redirect_uri: REDIRECT };
  await put(flint, {
    resourceType: 'Client', id: 'app', name: 'Growth <Chart>', active: true, grant_types: ['authorization_code', 'refresh_token'],
    scope: APP_SCOPES, auth: { authorization_code: authorizationCode }, smart: { launch_uri: 'http://app.test/launch' },
    allowed_origins: ['http://app.test'],
  });
  await put(flint, {
    resourceType: 'Client', id: 'confidential', name: 'Server app', secret: 'confidential-secret', active: true,
    grant_types: ['authorization_code'], scope: APP_SCOPES, auth: { authorization_code: authorizationCode },
  });
  await put(flint, { resourceType: 'Client', id: 'backend', secret: 'backend-secret', grant_types: ['client_credentials'], scope: ['system/*.rs'], auth: { authorization_code: authorizationCode } });
  await put(flint, { resourceType: 'Client', id: 'retired', grant_types: ['authorization_code'], scope: APP_SCOPES, active: false, auth: { authorization_code: authorizationCode } });
  for (const [id, family] of [['p1', 'Smith'], ['p2', 'Jones'], ['p3', 'Brown']]) {
    await put(flint, { resourceType: 'Patient', id, name: [{ given: ['Pat'], family }] });
  }
  await put(flint, { resourceType: 'User', id: 'alice', email: 'alice@example.org', password: 'alice-password', fhirUser: { reference: 'Patient/p1' } });
  await put(flint, { resourceType: 'User', id: 'doc', email: 'doc@example.org', password: 'doc-password', fhirUser: { reference: 'Practitioner/d1' } });
  await put(flint, { resourceType: 'User', id: 'gone', email: 'gone@example.org', password: 'gone-password', inactive: true });
  await put(flint, { resourceType: 'User', id: 'boss', email: 'boss@example.org', password: 'boss-password' });
  await put(flint, { resourceType: 'Role', id: 'doc-p1', name: 'practitioner', user: { reference: 'User/doc' }, links: { patient: { reference: 'Patient/p1' } } });
  await put(flint, { resourceType: 'Role', id: 'doc-p2', name: 'practitioner', user: { reference: 'User/doc' }, links: { patient: { reference: 'Patient/p2' } } });
  await put(flint, { resourceType: 'Role', id: 'boss-admin', name: 'admin', user: { reference: 'User/boss' } });
}

/** An authorize URL for the public app with PKCE; `overrides` replace (undefined: remove) parameters. */
export function authorizeUrl(overrides: Record<string, string | undefined> = {}): string {
  const params: Record<string, string | undefined> = {
    response_type: 'code', client_id: 'app', redirect_uri: REDIRECT, scope: 'openid fhirUser launch/patient patient/*.rs',
    state: 'st-123', aud: FHIR_BASE, code_challenge: s256Challenge(VERIFIER), code_challenge_method: 'S256', ...overrides,
  };
  const query = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return `/auth/authorize?${query.toString()}`;
}

export interface PageAnswer {
  status: number;
  headers: Record<string, string | undefined>;
  text: string;
}

/** The value of a form field of a page (hidden fields and the like). */
export function field(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  assert.ok(match, `no field ${name} in ${html}`);
  return match[1];
}

/** A user agent over inject: keeps its cookies, posts forms. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(private readonly flint: TestFlint, private readonly address = '10.0.0.1') {}

  /** The Cookie header of the next request (undefined without cookies). */
  get cookie(): string | undefined {
    return this.cookies.size === 0 ? undefined : [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The session cookie's value, once signed in. */
  get session(): string | undefined {
    return this.cookies.get('flint_session');
  }

  private keepCookies(setCookie: string | string[] | undefined): void {
    for (const line of typeof setCookie === 'string' ? [setCookie] : setCookie ?? []) {
      const [pair] = line.split(';');
      const equals = pair.indexOf('=');
      this.cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
  }

  private async send(method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<PageAnswer> {
    const cookie = this.cookie;
    const response = await this.flint.app.inject({
      method, url, remoteAddress: this.address,
      headers: { ...(cookie ? { cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      payload: form ? new URLSearchParams(form).toString() : undefined,
    });
    this.keepCookies(response.headers['set-cookie'] as string | string[] | undefined);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(response.headers)) headers[name] = value === undefined ? undefined : String(value);
    return { status: response.statusCode, headers, text: response.body };
  }

  get(url: string): Promise<PageAnswer> {
    return this.send('GET', url);
  }

  /** Posts a form of `page` (its pending id and CSRF token) with more fields. */
  post(url: string, page: PageAnswer, fields: Record<string, string>): Promise<PageAnswer> {
    return this.send('POST', url, { pending: field(page.text, 'pending'), csrf: field(page.text, 'csrf'), ...fields });
  }

  signIn(page: PageAnswer, login: string, password: string): Promise<PageAnswer> {
    return this.post('/auth/sign-in', page, { login, password });
  }
}

/** The query parameters of a redirect's Location. */
export function redirectParams(answer: PageAnswer): URLSearchParams {
  assert.equal(answer.status, 302, answer.text);
  const location = answer.headers.location ?? '';
  assert.ok(location.startsWith(REDIRECT), location);
  return new URL(location).searchParams;
}

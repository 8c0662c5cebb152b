/**
 * Driving a Flint server in its own process (test/support/server-process.ts) for the subscription
 * tests: FHIR requests as the root client, and the settings that make its delivery quick to watch
 * (short feed interval, retry base and lease; no AuditEvents).
 */
import { fetchAsRoot } from '../../support/server-process.js';

export interface RemoteAnswer {
  status: number;
  body: any;
  text: string;
}

export async function remote(baseUrl: string, method: string, path: string, body?: unknown): Promise<RemoteAnswer> {
  const response = await fetchAsRoot(`${baseUrl}${path}`, {
    method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/fhir+json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text };
}

/** The environment of a server process that delivers quickly, with the given database settings. */
export function deliveringEnv(database: Record<string, string>): Record<string, string> {
  return {
    ...database,
    FLINT_CHANGES_INTERVAL_MS: '20', FLINT_SUBSCRIPTION_RETRY_BASE_MS: '50', FLINT_SUBSCRIPTION_LEASE_MS: '1000', FLINT_AUDIT: 'off',
  };
}

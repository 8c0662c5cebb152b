/**
 * <name> placeholders of documented examples: values the server chose in earlier answers of the
 * same page (a resource's id and versionId, the values of a Parameters answer such as storageId),
 * substituted into later requests. A value the request itself gave is not captured.
 */
import type { ExampleRequest } from './example-requests.js';

const PLACEHOLDER = /<([A-Za-z][A-Za-z0-9]*)>/g;

function replace(text: string, values: Map<string, string>, where: string): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values.get(name);
    if (value === undefined && (name === 'id' || /Id$/.test(name))) throw new Error(`${where}: no earlier answer of the page gives ${whole}`);
    return value ?? whole;
  });
}

export function substitute(request: ExampleRequest, values: Map<string, string>, where: string): ExampleRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, replace(value, values, where)]));
  return {
    ...request,
    url: replace(request.url, values, where),
    headers,
    ...(request.body === undefined ? {} : { body: replace(request.body, values, where) }),
  };
}

const PRIMITIVE = /^value(String|Id|Code|Uri|Canonical|Integer|Boolean)$/;

/** Records what the answer gives that the request did not: <id>, <versionId>, <parameterName>. */
export function captureValues(values: Map<string, string>, request: ExampleRequest, body: any): void {
  if (!body || typeof body !== 'object') return;
  const sent = `${request.url} ${request.body ?? ''}`;
  const fresh = (value: unknown) => (typeof value === 'string' || typeof value === 'number') && !sent.includes(String(value));
  if (typeof body.id === 'string' && body.resourceType !== 'OperationOutcome') {
    if (fresh(body.id)) values.set('id', body.id);
    if (body.meta?.versionId) values.set('versionId', String(body.meta.versionId));
  }
  if (body.resourceType !== 'Parameters') return;
  for (const parameter of body.parameter ?? []) {
    const key = Object.keys(parameter).find((name) => PRIMITIVE.test(name));
    if (key && fresh(parameter[key])) values.set(parameter.name, String(parameter[key]));
  }
}

/**
 * The extra HTTP headers of a rest-hook channel, given as the backport IG's `channel.header`
 * strings "Name: value" (http://hl7.org/fhir/uv/subscriptions-backport/STU1.1/StructureDefinition-backport-subscription.html).
 * A name must be an HTTP token, a value must not break the line, and the headers the channel sets
 * itself (content type and length, the signature, the event id, host) cannot be replaced.
 */
import { channelErrors } from './channel-errors.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Headers a channel header may not set (lower case). */
const RESERVED = new Set([
  'content-type', 'content-length', 'host', 'transfer-encoding', 'connection',
  'x-flint-signature', 'x-flint-event-id',
]);

function refuse(header: string, reason: string): never {
  throw channelErrors['subscription.bad-header']({ header, reason }, { expression: 'Subscription.channel.header' });
}

/** One "Name: value" string as a name and a value. */
export function parseChannelHeader(header: string): [string, string] {
  const colon = header.indexOf(':');
  if (colon < 0) refuse(header, 'it is not of the form "Name: value"');
  const name = header.slice(0, colon).trim();
  const value = header.slice(colon + 1).trim();
  if (!TOKEN.test(name)) refuse(header, 'its name is not an HTTP header name');
  if (/[\r\n\0]/.test(value)) refuse(header, 'its value contains a line break');
  if (RESERVED.has(name.toLowerCase())) refuse(header, `the channel sets ${name} itself`);
  return [name, value];
}

/** The header strings as a record (a name given twice keeps both values, joined by ", "). */
export function parseChannelHeaders(headers: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (const header of headers) {
    if (typeof header !== 'string') refuse(String(header), 'it is not a string');
    const [name, value] = parseChannelHeader(header);
    const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
  }
  return record;
}

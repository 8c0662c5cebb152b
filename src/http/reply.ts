/**
 * Writes an engine response: the media type negotiated, _pretty indentation, headers. Decimals are
 * written as they were received or stored (core stringifyFhirJson).
 */
import type { FastifyReply } from 'fastify';
import { parseFhirJson, stringifyFhirJson, type Resource } from '../core/index.js';

export interface ReplyFormat {
  mediaType: string;
  pretty: boolean;
}

/**
 * Sends a resource, or JSON text the database wrote (sent as it is, or re-indented for _pretty).
 */
export function sendResource(reply: FastifyReply, status: number, body: Resource | string | undefined, headers: Record<string, string>, format: ReplyFormat): FastifyReply {
  reply.code(status);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (body === undefined) return reply.send();
  reply.header('content-type', `${format.mediaType}; charset=utf-8`);
  if (typeof body === 'string') return reply.send(format.pretty ? stringifyFhirJson(parseFhirJson(body), 2) : body);
  return reply.send(stringifyFhirJson(body, format.pretty ? 2 : undefined));
}

/**
 * Writes an engine response: the media type negotiated, _pretty indentation, headers. Decimals are
 * written as they were received or stored (core stringifyFhirJson).
 */
import type { FastifyReply } from 'fastify';
import { stringifyFhirJson, type Resource } from '../core/index.js';

export interface ReplyFormat {
  mediaType: string;
  pretty: boolean;
}

export function sendResource(reply: FastifyReply, status: number, body: Resource | undefined, headers: Record<string, string>, format: ReplyFormat): FastifyReply {
  reply.code(status);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (body === undefined) return reply.send();
  reply.header('content-type', `${format.mediaType}; charset=utf-8`);
  return reply.send(stringifyFhirJson(body, format.pretty ? 2 : undefined));
}

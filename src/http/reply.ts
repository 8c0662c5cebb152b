/**
 * Writes an engine response: the media type negotiated, _pretty indentation, headers.
 */
import type { FastifyReply } from 'fastify';
import type { Resource } from '../core/index.js';

export interface ReplyFormat {
  mediaType: string;
  pretty: boolean;
}

export function sendResource(reply: FastifyReply, status: number, body: Resource | undefined, headers: Record<string, string>, format: ReplyFormat): FastifyReply {
  reply.code(status);
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  if (body === undefined) return reply.send();
  reply.header('content-type', `${format.mediaType}; charset=utf-8`);
  return reply.send(format.pretty ? JSON.stringify(body, null, 2) : JSON.stringify(body));
}

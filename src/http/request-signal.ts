/**
 * The AbortSignal of an HTTP request: it aborts when the connection closes before the answer was
 * sent (the client gave up or went away), so the request's database work is cancelled
 * (FhirRequest.signal, Database options). Made for every request by an onRequest hook.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const signals = new WeakMap<FastifyRequest, AbortSignal>();

/** Watches every request's response for a close before its end (an onRequest hook). */
export function watchRequest(request: FastifyRequest, reply: FastifyReply): void {
  const controller = new AbortController();
  const response = reply.raw;
  response.once('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  signals.set(request, controller.signal);
}

/** The request's signal; undefined for a request that is not watched. */
export function requestSignal(request: FastifyRequest): AbortSignal | undefined {
  return signals.get(request);
}

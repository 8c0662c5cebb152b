/**
 * What the sign-in pages and the launch endpoint need from the composition root: the engine (the
 * identity resources, patient search, the database), the FHIR base URL of a request (the `aud` an
 * app must name and the `iss` of a launch), how a request authenticates (for POST /auth/launch),
 * the CORS origins of the setting, and the sign-in rate limit.
 */
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../core/index.js';
import type { EngineContext } from '../engine/index.js';
import type { SignInLimiter } from './sign-in-limiter.js';

export interface SignInDeps {
  ctx: EngineContext;
  /** The FHIR base URL a request addresses: the configured one, or the request's own. */
  fhirBase: (request: FastifyRequest) => string;
  /** Proves an Authorization header (POST /auth/launch); absent when authentication is off. */
  authenticate?: (authorization: string | undefined, fhirBase: string) => Promise<Caller>;
  /** FLINT_CORS_ORIGINS: origins allowed on /fhir and /auth/token besides each Client's allowed_origins ('*': any, without credentials). */
  corsOrigins: readonly string[];
  /** Counts failed sign-ins (a new one per app when absent). */
  limiter?: SignInLimiter;
}

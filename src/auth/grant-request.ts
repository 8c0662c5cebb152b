/**
 * One token request as the grants see it: the server's dependencies, its URLs for this request, the
 * HTTP request (for the Authorization header) and the form parameters.
 */
import type { FastifyRequest } from 'fastify';
import type { AuthServerDeps, AuthServerUrls } from './auth-server-deps.js';
import type { FormParameters } from './form-parameters.js';

export interface GrantRequest {
  deps: AuthServerDeps;
  urls: AuthServerUrls;
  request: FastifyRequest;
  form: FormParameters;
}

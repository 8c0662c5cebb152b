/**
 * The browser side of the authorization server, registered as one unit: the authorize endpoint with
 * its sign-in and consent pages, the EHR launch endpoint, and CORS for browser apps on the FHIR API
 * and the token endpoint.
 */
import type { FastifyInstance } from 'fastify';
import { registerAuthorizeRoutes } from './authorize-routes.js';
import { registerCors } from './cors.js';
import { registerLaunchRoute } from './launch-route.js';
import type { SignInDeps } from './sign-in-deps.js';

/** GET /auth/authorize, POST /auth/sign-in, POST /auth/consent, POST /auth/launch, and CORS. */
export function registerSignInRoutes(app: FastifyInstance, deps: SignInDeps): void {
  registerAuthorizeRoutes(app, deps);
  registerLaunchRoute(app, deps);
  registerCors(app, deps);
}

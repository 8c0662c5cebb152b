/**
 * http: the Fastify adapter. Content negotiation, body parsing, routes for the FHIR API and the
 * other endpoints, errors -> OperationOutcome with the right status, request logs, /health.
 */
export * from './http-app.js';
export * from './media-types.js';
export * from './reply.js';
export * from './error-response.js';
export { BatchedLogStream } from './log-stream.js';
export { headerMap, splitUrl, replyFormat, requestBaseUrl } from './fhir-routes.js';
export { registerNativeRoutes, nativeBaseUrl, type NativeRoutesOptions } from './native-routes.js';
export { registerSqlRoute, type SqlRouteOptions, type SqlSettings } from './sql-route.js';
/** The issue extensions of a statement PostgreSQL rejected, for clients of $sql. */
export { SQL_POSITION_EXTENSION, SQL_STATE_EXTENSION } from '../sql-api/index.js';
export { registerSofRoutes, type SofRoutesOptions } from './sof-routes.js';
export { registerPolicyDebug, type PolicyDebugOptions } from './policy-debug.js';
export { isPublicRequest, type HttpAuthentication } from './authentication.js';

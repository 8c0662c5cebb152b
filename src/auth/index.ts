/**
 * auth: the OAuth 2.0 / SMART App Launch authorization server. Its building blocks: PKCE, client
 * authentication by signed JWT assertions (the client's keys, the assertion's rules, the memory of
 * used jtis), authorization codes (SMART scopes are access's); its
 * endpoints (registerAuthServerRoutes): token (client credentials, authorization code, refresh
 * with rotation), introspection, revocation, JWKS, userinfo and the discovery documents; and the
 * browser side (registerSignInRoutes): the authorize endpoint with its sign-in and consent pages,
 * the EHR launch endpoint and CORS for browser apps. The catalogue `authErrors` holds the module's
 * codes (auth.*); the OAuth endpoints answer RFC 6749 errors.
 */
export { authErrors } from './auth-errors.js';
export { checkCodeVerifier, checkCodeChallenge, verifyPkce, s256Challenge } from './pkce.js';
export { clientKeySet, type ClientKeys, type ClientKeySource } from './client-keys.js';
export {
  verifyClientAssertion, unverifiedAssertionIssuer, CLIENT_ASSERTION_TYPE, ASSERTION_ALGORITHMS,
  MAX_ASSERTION_LIFETIME_SECONDS, CLOCK_SKEW_SECONDS, type ClientAssertionOptions, type VerifiedClientAssertion,
} from './client-assertion.js';
export { MemoryReplayStore, type ReplayStore } from './replay-store.js';
export { createAuthorizationCode, consumeAuthorizationCode, AUTHORIZATION_CODE_SECONDS, type AuthorizationGrant } from './authorization-codes.js';
export { registerAuthServerRoutes } from './auth-server-routes.js';
export { authServerUrls, type AuthServerDeps, type AuthServerUrls } from './auth-server-deps.js';
export { DatabaseReplayStore } from './database-replay-store.js';
export { capabilitySecurity, authorizationServerMetadata, smartConfiguration, SMART_CAPABILITIES, SCOPES_SUPPORTED } from './discovery.js';
export { OAuthError, type OAuthErrorCode } from './oauth-error.js';
export { openSession, revokeSession, splitRefreshToken, OFFLINE_SESSION_SECONDS, ONLINE_SESSION_SECONDS } from './sessions.js';
export { issueIdToken, absoluteFhirUser } from './id-token.js';
export { registerSignInRoutes } from './sign-in-routes.js';
export type { SignInDeps } from './sign-in-deps.js';
export { SignInLimiter, DEFAULT_SIGN_IN_LIMIT, type LimiterSettings } from './sign-in-limiter.js';
export { createLaunchContext, readLaunchContext, LAUNCH_CONTEXT_SECONDS } from './launch-contexts.js';

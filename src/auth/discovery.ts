/**
 * The discovery documents: the authorization server's metadata (RFC 8414, also served as OpenID
 * Connect Discovery 1.0's openid-configuration), SMART App Launch 2.x's
 * /.well-known/smart-configuration (https://hl7.org/fhir/smart-app-launch/conformance.html), and the
 * CapabilityStatement's rest.security with the oauth-uris extension
 * (https://hl7.org/fhir/smart-app-launch/conformance.html#using-cs), all from the same URLs.
 */
import { ASSERTION_ALGORITHMS } from './client-assertion.js';
import { authServerUrls, type AuthServerUrls } from './auth-server-deps.js';
import { NAMED_SCOPES } from '../access/index.js';
import { GRANT_TYPES_SUPPORTED } from './token-endpoint.js';

export const SCOPES_SUPPORTED = [
  ...NAMED_SCOPES, 'patient/*.rs', 'patient/*.cruds', 'user/*.rs', 'user/*.cruds', 'system/*.rs', 'system/*.cruds',
  'patient/*.read', 'user/*.read', 'system/*.read',
];

export const SMART_CAPABILITIES = [
  'launch-ehr', 'launch-standalone', 'client-public', 'client-confidential-symmetric', 'client-confidential-asymmetric',
  'sso-openid-connect', 'context-passthrough-banner', 'context-ehr-patient', 'context-ehr-encounter',
  'context-standalone-patient', 'permission-offline', 'permission-patient', 'permission-user', 'permission-v1', 'permission-v2',
];

const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

/** RFC 8414 section 2 (and OpenID Connect Discovery 1.0 section 3). */
export function authorizationServerMetadata(urls: AuthServerUrls): Record<string, unknown> {
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    introspection_endpoint: urls.introspect,
    revocation_endpoint: urls.revoke,
    jwks_uri: urls.jwks,
    userinfo_endpoint: urls.userinfo,
    scopes_supported: SCOPES_SUPPORTED,
    response_types_supported: ['code'],
    grant_types_supported: GRANT_TYPES_SUPPORTED,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    introspection_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'nonce', 'fhirUser'],
  };
}

/** SMART App Launch 2.x: the same endpoints, plus what the server can do. */
export function smartConfiguration(urls: AuthServerUrls): Record<string, unknown> {
  const metadata = authorizationServerMetadata(urls);
  return {
    ...metadata,
    capabilities: SMART_CAPABILITIES,
  };
}

const OAUTH_URIS = 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris';
const SECURITY_SERVICE = 'http://terminology.hl7.org/CodeSystem/restful-security-service';

/** The CapabilityStatement's rest.security for a FHIR base URL (SMART App Launch conformance). */
export function capabilitySecurity(fhirBase: string): Record<string, unknown> {
  const urls = authServerUrls(fhirBase);
  const uri = (url: string, valueUri: string) => ({ url, valueUri });
  return {
    cors: true,
    service: [{ coding: [{ system: SECURITY_SERVICE, code: 'SMART-on-FHIR', display: 'SMART-on-FHIR' }], text: 'OAuth2 using SMART-on-FHIR profile' }],
    extension: [{
      url: OAUTH_URIS,
      extension: [
        uri('token', urls.token), uri('authorize', urls.authorize), uri('introspect', urls.introspect), uri('revoke', urls.revoke),
      ],
    }],
  };
}

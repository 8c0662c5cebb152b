/**
 * Client authentication by a signed JWT (RFC 7523 section 3, SMART Backend Services
 * https://hl7.org/fhir/smart-app-launch/backend-services.html and asymmetric client authentication
 * https://hl7.org/fhir/smart-app-launch/client-confidential-asymmetric.html): an assertion signed with
 * RS384 or ES384 by a key of the client, issued by the client about itself, addressed to the token
 * endpoint, living at most five minutes, and used once. Every refusal is auth.invalid-client with a
 * short fixed reason; the assertion is never echoed.
 */
import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { isFhirError } from '../core/index.js';
import type { ClientKeys } from './client-keys.js';
import { refused, type ClientAuthFailure as Failure } from './client-refusals.js';
import type { ReplayStore } from './replay-store.js';

/** The client_assertion_type of a JWT client assertion (RFC 7523 section 2.2). */
export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The signing algorithms SMART requires servers to accept, and the only ones accepted here. */
export const ASSERTION_ALGORITHMS: readonly string[] = Object.freeze(['RS384', 'ES384']);

/** How far in the future an assertion may expire (SMART: "no more than five minutes"). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

/** How long past its exp an assertion is still accepted, for clocks that differ. */
export const CLOCK_SKEW_SECONDS = 60;

const MAX_JTI_LENGTH = 256;
const REQUIRED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'jti'];

export interface ClientAssertionOptions {
  /**
   * The client the request names (client_id), whose keys `keys` are. Absent, the assertion's iss
   * names the client: then `keys` must be those of the client unverifiedAssertionIssuer named.
   */
  clientId?: string;
  /** The token endpoint's URL, which the assertion's aud must name. */
  tokenUrl: string;
  keys: ClientKeys;
  replay: ReplayStore;
  now?: Date;
}

export interface VerifiedClientAssertion {
  clientId: string;
  jti: string;
  /** The assertion's exp, in seconds since the epoch. */
  expiresAt: number;
}

/** The refusal of each jose error; any other jose error means the text is not a JWT it reads. */
const FAILURE_BY_JOSE_CODE: ReadonlyMap<string, Failure> = new Map<string, Failure>([
  [errors.JOSEAlgNotAllowed.code, 'algorithm'],
  [errors.JWKSNoMatchingKey.code, 'no-key'],
  [errors.JWKSMultipleMatchingKeys.code, 'no-key'],
  [errors.JWKSInvalid.code, 'bad-keys'],
  [errors.JWKInvalid.code, 'bad-keys'],
  [errors.JWKSTimeout.code, 'keys-unavailable'],
  [errors.JWSSignatureVerificationFailed.code, 'signature'],
  [errors.JWTExpired.code, 'expired'],
]);

function claimFailure(error: errors.JWTClaimValidationFailed): Failure {
  if (error.reason === 'missing') return 'missing-claim';
  if (error.reason !== 'check_failed') return 'bad-claim';
  if (error.claim === 'aud') return 'audience';
  if (error.claim === 'iss' || error.claim === 'sub') return 'issuer';
  return error.claim === 'nbf' ? 'not-yet-valid' : 'bad-claim';
}

/**
 * The refusal for an error of the verification. A refusal raised by the key getter stays as it
 * is; a TypeError there is jose refusing the key itself (an RSA key under 2048 bits, a key of the
 * wrong type); any other error is a defect and goes on as it is.
 */
function refusalFor(error: unknown): unknown {
  if (isFhirError(error)) return error;
  if (error instanceof errors.JWTClaimValidationFailed) return refused(claimFailure(error));
  if (error instanceof errors.JOSEError) return refused(FAILURE_BY_JOSE_CODE.get(error.code) ?? 'malformed');
  if (error instanceof TypeError) return refused('unusable-key');
  return error;
}

async function verifiedPayload(assertion: string, options: ClientAssertionOptions, now: Date): Promise<JWTPayload> {
  const { clientId } = options;
  try {
    const { payload } = await jwtVerify(assertion, options.keys, {
      algorithms: [...ASSERTION_ALGORITHMS],
      audience: options.tokenUrl,
      currentDate: now,
      clockTolerance: CLOCK_SKEW_SECONDS,
      requiredClaims: REQUIRED_CLAIMS,
      ...(clientId === undefined ? {} : { issuer: clientId, subject: clientId }),
    });
    return payload;
  } catch (error) {
    throw refusalFor(error);
  }
}

/** iss and sub are the same string, and that of the client the request names when it names one. */
function checkedClientId(payload: JWTPayload, clientId: string | undefined): string {
  const { iss, sub } = payload;
  if (typeof iss !== 'string' || iss === '' || iss !== sub) throw refused('issuer');
  if (clientId !== undefined && iss !== clientId) throw refused('issuer');
  return iss;
}

/** exp at most five minutes ahead (jose has refused it past), and a usable jti. */
function checkedLifetime(payload: JWTPayload, now: Date): { jti: string; exp: number } {
  const { exp, jti } = payload;
  if (typeof exp !== 'number') throw refused('bad-claim');
  if (exp - Math.floor(now.getTime() / 1000) > MAX_ASSERTION_LIFETIME_SECONDS) throw refused('too-long-lived');
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) throw refused('jti');
  return { jti, exp };
}

/**
 * Verifies a client assertion and remembers its jti, so that it serves once. The jti is kept until
 * the assertion could no longer be accepted (its exp plus the clock skew).
 */
export async function verifyClientAssertion(assertion: string, options: ClientAssertionOptions): Promise<VerifiedClientAssertion> {
  const now = options.now ?? new Date();
  const payload = await verifiedPayload(assertion, options, now);
  const clientId = checkedClientId(payload, options.clientId);
  const { jti, exp } = checkedLifetime(payload, now);
  if (!(await options.replay.remember(jti, exp + CLOCK_SKEW_SECONDS))) throw refused('replayed');
  return { clientId, jti, expiresAt: exp };
}

/**
 * The iss of an assertion, read WITHOUT verifying it: only to find which client's keys to verify
 * it with when the request has no client_id. Undefined when the text is not a JWT with a string iss.
 */
export function unverifiedAssertionIssuer(assertion: string): string | undefined {
  try {
    const { iss } = decodeJwt(assertion);
    return typeof iss === 'string' && iss !== '' ? iss : undefined;
  } catch {
    return undefined;
  }
}

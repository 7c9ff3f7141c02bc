import type { KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { type ErrorCode, OsvError } from '../../core/errors.js';
import type { PlatformKeySets } from '../keys/platform-keys.js';
import type { Registration } from '../registry/registrations.js';

export interface VerifiedIdToken {
  payload: JWTPayload & Record<string, unknown>;
  /** The platform key that verified it, for the LTI engine's own check. */
  publicKey: KeyObject;
}

/**
 * Verifies an id_token with jose before the LTI engine sees it: RS256 only (no `none`, no HMAC
 * with the public key), the login's issuer and client id, not expired, not too old and not dated
 * in the future. Each failure gets its own stable code.
 */
export class IdTokenVerifier {
  constructor(
    private readonly keys: PlatformKeySets,
    private readonly options: { maxAgeSeconds: number; clockToleranceSeconds: number },
  ) {}

  async verify(idToken: string, registration: Registration): Promise<VerifiedIdToken> {
    try {
      assertHeader(idToken);
      const { payload, key } = await jwtVerify(idToken, this.keys.keySet(registration.jwks_uri), {
        algorithms: ['RS256'],
        issuer: registration.issuer,
        audience: registration.client_id,
        maxTokenAge: this.options.maxAgeSeconds,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['iat', 'exp', 'sub', 'nonce'],
      });
      // Several audiences: OIDC says the authorized party must then be us.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== registration.client_id) {
        throw new OsvError('OSV_ERR_LTI_WRONG_AUDIENCE', 'The id_token names several audiences and its azp is not this client id');
      }
      return { payload: payload as VerifiedIdToken['payload'], publicKey: this.keys.keyObject(key) };
    } catch (error) {
      throw toLaunchError(error);
    }
  }
}

/**
 * The header before any key is looked up: RS256, and a `kid` (the 1EdTech security framework
 * requires it; without one jose would fall back to an LMS's only key).
 */
function assertHeader(idToken: string): void {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(idToken);
  } catch {
    throw new OsvError('OSV_ERR_LTI_TOKEN_MALFORMED');
  }
  if (header.alg !== 'RS256') throw new OsvError('OSV_ERR_LTI_ALGORITHM_REFUSED');
  if (typeof header.kid !== 'string' || header.kid.length === 0) throw new OsvError('OSV_ERR_LTI_KID_MISSING');
}

function toLaunchError(error: unknown): OsvError {
  if (error instanceof OsvError) return error;
  const refuse = (code: ErrorCode, detail?: string) => new OsvError(code, detail);
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return refuse('OSV_ERR_LTI_ALGORITHM_REFUSED');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return refuse('OSV_ERR_LTI_UNKNOWN_KID');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('OSV_ERR_LTI_BAD_SIGNATURE');
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? refuse('OSV_ERR_LTI_TOKEN_EXPIRED', 'The id_token was issued too long ago; relaunch from the LMS')
      : refuse('OSV_ERR_LTI_TOKEN_EXPIRED');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return refuse('OSV_ERR_LTI_WRONG_ISSUER');
    if (error.claim === 'aud') return refuse('OSV_ERR_LTI_WRONG_AUDIENCE');
    if ((error.claim === 'iat' || error.claim === 'nbf') && error.reason === 'check_failed') return refuse('OSV_ERR_LTI_TOKEN_FROM_FUTURE');
    return new OsvError('OSV_ERR_LTI_CLAIMS_INVALID', `The id_token claim ${error.claim} is wrong: ${error.message}`, [
      { field: error.claim, issue: error.message },
    ]);
  }
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return refuse('OSV_ERR_LTI_PLATFORM_UNREACHABLE', 'The LMS key set could not be fetched');
  }
  if (error instanceof errors.JOSEError) return refuse('OSV_ERR_LTI_TOKEN_MALFORMED');
  // fetch failures of the key set (DNS, refused connection…)
  if (error instanceof TypeError || (error as { name?: string })?.name === 'AbortError') {
    return refuse('OSV_ERR_LTI_PLATFORM_UNREACHABLE', 'The LMS key set could not be fetched');
  }
  throw error;
}

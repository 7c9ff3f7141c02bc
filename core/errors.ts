/**
 * The one error catalogue: every error a client can see has a stable code, an HTTP status and a
 * message. Codes never change meaning once released.
 */
export const errorCatalogue = {
  OSV_ERR_VALIDATION: { status: 400, message: 'The request is invalid' },
  OSV_ERR_BAD_JSON: { status: 400, message: 'The request body is not valid JSON' },
  OSV_ERR_BAD_ENCODING: {
    status: 400,
    message: 'The request body could not be decoded with its Content-Encoding; send it uncompressed or as valid gzip, deflate or br',
  },
  OSV_ERR_BAD_PATH: {
    status: 400,
    message: 'The URL path is not valid percent-encoding (such as %ZZ or a broken UTF-8 sequence); encode each path segment with encodeURIComponent',
  },
  OSV_ERR_BAD_REQUEST: { status: 400, message: 'The request is malformed' },
  OSV_ERR_UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  OSV_ERR_BAD_CREDENTIALS: { status: 401, message: 'The email or password is wrong' },
  OSV_ERR_BAD_API_KEY: { status: 401, message: 'The API key is unknown or revoked' },
  OSV_ERR_BAD_PUBLISHABLE_KEY: { status: 401, message: 'The publishable key is unknown or revoked' },
  OSV_ERR_ORIGIN_NOT_ALLOWED: { status: 403, message: 'This site is not allowed to use this publishable key' },
  OSV_ERR_WIDGET_NOT_ALLOWED: { status: 403, message: 'This publishable key is not allowed to use this widget' },
  OSV_ERR_FORBIDDEN: { status: 403, message: 'You lack the capability this action needs' },
  OSV_ERR_TENANT_MISMATCH: { status: 403, message: 'The credentials of this request belong to different tenants' },
  OSV_ERR_CSRF: {
    status: 403,
    message:
      "This request uses the session cookie but does not come from osv's own pages: send the Osv-Csrf-Token header (from sign-in or GET /api/v1/auth/csrf-token) or an Authorization: Bearer token",
  },
  OSV_ERR_SESSION_EXPIRED: { status: 401, message: 'The session reached its maximum age; sign in again (for LTI: launch the tool again from the LMS)' },
  OSV_ERR_SECRET_KEY_IN_BROWSER: {
    status: 403,
    message: 'Secret keys must never be used from a browser; use a publishable key or an access token',
  },
  OSV_ERR_NOT_FOUND: { status: 404, message: 'Not found' },
  OSV_ERR_TENANT_NOT_FOUND: { status: 404, message: 'The tenant does not exist' },
  OSV_ERR_PLUGIN_NOT_FOUND: { status: 404, message: 'The plugin is unknown' },
  OSV_ERR_PLUGIN_DISABLED: { status: 404, message: 'The plugin is not enabled for this tenant' },
  OSV_ERR_CONFLICT: { status: 409, message: 'The resource already exists' },
  OSV_ERR_PLUGIN_STATE: { status: 409, message: 'The plugin is not in a state that allows this' },
  OSV_ERR_PLUGIN_REFUSED: { status: 422, message: 'The plugin was refused' },
  OSV_ERR_IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'This Idempotency-Key was already used for a different request' },
  OSV_ERR_ENROLLMENT_CLOSED: { status: 409, message: 'Enrollment in this course is not open' },
  OSV_ERR_QUIZ_NO_ATTEMPTS_LEFT: { status: 409, message: 'You have used every attempt this quiz allows' },
  OSV_ERR_QUIZ_ATTEMPT_CLOSED: { status: 409, message: 'This quiz attempt was already submitted' },
  OSV_ERR_NOT_ENROLLED: { status: 403, message: 'You are not enrolled in this course' },
  OSV_ERR_PAYMENTS_NOT_CONFIGURED: { status: 409, message: 'payments are not configured' },
  OSV_ERR_REFUND_NOT_ALLOWED: { status: 409, message: 'This payment cannot be refunded' },
  OSV_ERR_WEBHOOK_SIGNATURE: { status: 400, message: 'The webhook signature is missing, invalid or too old' },
  OSV_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  OSV_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON' },
  OSV_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  OSV_ERR_TUTOR_BUDGET_SPENT: { status: 429, message: "This month's tutor questions are spent" },
  OSV_ERR_INTERNAL: { status: 500, message: 'An internal error occurred' },
  OSV_ERR_UNAVAILABLE: { status: 503, message: 'A dependency is unavailable' },
  OSV_ERR_PAYMENT_PROVIDER: { status: 502, message: 'The payment provider could not complete the request; try again' },
  // LTI 1.3: launches (401 when the launch cannot be trusted, 400 when it is malformed) and services.
  OSV_ERR_LTI_BAD_REQUEST: { status: 400, message: 'The LTI request lacks required parameters' },
  OSV_ERR_LTI_UNKNOWN_PLATFORM: { status: 400, message: 'This LMS (issuer and client id) is not registered with osv' },
  OSV_ERR_LTI_AMBIGUOUS_PLATFORM: {
    status: 400,
    message: 'This LMS is registered more than once in osv, so the shared login URL cannot tell where it belongs; give the LMS the login URL shown on your osv LTI setup page',
  },
  OSV_ERR_LTI_REGISTRATION_DISABLED: { status: 403, message: 'This LMS registration is disabled in osv' },
  OSV_ERR_LTI_STATE_MISMATCH: { status: 401, message: 'The launch does not match a login started here (unknown or expired state)' },
  OSV_ERR_LTI_STATE_COOKIE_MISSING: { status: 401, message: 'The browser did not keep the launch cookie; open the tool in a new window' },
  OSV_ERR_LTI_TOKEN_MALFORMED: { status: 401, message: 'The id_token is not a valid signed JWT' },
  OSV_ERR_LTI_ALGORITHM_REFUSED: { status: 401, message: 'The id_token must be signed with RS256' },
  OSV_ERR_LTI_UNKNOWN_KID: { status: 401, message: 'The id_token is signed with a key the LMS does not publish' },
  OSV_ERR_LTI_BAD_SIGNATURE: { status: 401, message: 'The id_token signature is invalid' },
  OSV_ERR_LTI_WRONG_ISSUER: { status: 401, message: 'The id_token comes from another issuer than the login' },
  OSV_ERR_LTI_WRONG_AUDIENCE: { status: 401, message: 'The id_token is meant for another client id' },
  OSV_ERR_LTI_TOKEN_EXPIRED: { status: 401, message: 'The id_token has expired' },
  OSV_ERR_LTI_TOKEN_FROM_FUTURE: { status: 401, message: 'The id_token is dated in the future; check the LMS clock' },
  OSV_ERR_LTI_NONCE_REPLAYED: { status: 401, message: 'This launch was already used' },
  OSV_ERR_LTI_NONCE_MISMATCH: { status: 401, message: 'The id_token nonce differs from the one sent at login' },
  OSV_ERR_LTI_UNKNOWN_DEPLOYMENT: { status: 401, message: 'This deployment is not registered for the LMS' },
  OSV_ERR_LTI_CLAIMS_INVALID: { status: 400, message: 'Required LTI claims are missing or wrong' },
  OSV_ERR_LTI_TOKEN_INVALID: { status: 401, message: 'The id_token was refused' },
  OSV_ERR_LTI_PLATFORM_UNREACHABLE: { status: 502, message: 'The LMS could not be reached' },
  OSV_ERR_LTI_REGISTRATION_FAILED: { status: 502, message: 'The LMS did not complete the registration' },
  OSV_ERR_LTI_DEEP_LINK_CLOSED: { status: 409, message: 'This content selection expired or was already answered' },
  OSV_ERR_LTI_NOT_GRADABLE: { status: 409, message: 'The LMS takes grades for learners of the course only' },
  OSV_ERR_LTI_SERVICE_NOT_GRANTED: { status: 409, message: 'The LMS did not grant this service for the course' },
  OSV_ERR_LTI_LMS_REFUSED: { status: 502, message: 'The LMS refused the request' },
  OSV_ERR_LTI_KID_MISSING: { status: 401, message: 'The id_token header does not name the key that signed it (kid)' },
  OSV_ERR_LTI_TOKEN_TOO_LARGE: { status: 413, message: 'The id_token is larger than osv accepts' },
  OSV_ERR_LTI_HANDOFF_INVALID: { status: 401, message: 'This launch expired or was already opened; open the activity again from the course' },
  OSV_ERR_LTI_ADDRESS_REFUSED: {
    status: 400,
    message: 'osv calls LMSs over https at public addresses only (not private, loopback or link-local ones)',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorDetail {
  field?: string;
  issue: string;
}

export class OsvError extends Error {
  override name = 'OsvError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message ?? errorCatalogue[code].message);
    this.status = errorCatalogue[code].status;
  }
}

export function isOsvError(error: unknown): error is OsvError {
  return error instanceof OsvError;
}

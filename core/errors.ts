/**
 * The one error catalogue: every error a client can see has a stable code, an HTTP status and a
 * message. Codes never change meaning once released.
 */
export const errorCatalogue = {
  OSV_ERR_VALIDATION: { status: 400, message: 'The request is invalid' },
  OSV_ERR_BAD_JSON: { status: 400, message: 'The request body is not valid JSON' },
  OSV_ERR_UNAUTHENTICATED: { status: 401, message: 'Authentication is required' },
  OSV_ERR_BAD_CREDENTIALS: { status: 401, message: 'The email or password is wrong' },
  OSV_ERR_BAD_API_KEY: { status: 401, message: 'The API key is unknown or revoked' },
  OSV_ERR_BAD_PUBLISHABLE_KEY: { status: 401, message: 'The publishable key is unknown or revoked' },
  OSV_ERR_ORIGIN_NOT_ALLOWED: { status: 403, message: 'This site is not allowed to use this publishable key' },
  OSV_ERR_FORBIDDEN: { status: 403, message: 'You lack the capability this action needs' },
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
  OSV_ERR_PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large' },
  OSV_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON' },
  OSV_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; slow down' },
  OSV_ERR_INTERNAL: { status: 500, message: 'An internal error occurred' },
  OSV_ERR_UNAVAILABLE: { status: 503, message: 'A dependency is unavailable' },
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

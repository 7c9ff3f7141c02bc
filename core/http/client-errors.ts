import { OsvError } from '../errors.js';

/** What Express, its router and the body readers (body-parser, raw-body, zlib) attach to their errors. */
interface FrameworkError {
  type?: string;
  status?: number;
  expose?: boolean;
  errno?: number;
  encoding?: string;
  charset?: string;
}

/**
 * Maps the errors Express and its body readers raise for a malformed request onto the catalogue,
 * so the client learns what to fix instead of seeing a 500. Anything else is not the client's fault.
 */
export function clientErrorOf(error: unknown): OsvError | undefined {
  if (error instanceof OsvError) return error;
  // The router decodes each path parameter with decodeURIComponent.
  if (error instanceof URIError) return new OsvError('OSV_ERR_BAD_PATH');
  if (typeof error !== 'object' || error === null) return undefined;
  const failure = error as FrameworkError;
  switch (failure.type) {
    case 'entity.parse.failed':
      return new OsvError('OSV_ERR_BAD_JSON');
    case 'entity.too.large':
      return new OsvError('OSV_ERR_PAYLOAD_TOO_LARGE');
    case 'parameters.too.many':
      return new OsvError('OSV_ERR_PAYLOAD_TOO_LARGE', 'The form has too many fields');
    case 'encoding.unsupported':
      return new OsvError(
        'OSV_ERR_UNSUPPORTED_MEDIA_TYPE',
        `The Content-Encoding ${JSON.stringify(failure.encoding ?? '')} is not supported; send the body uncompressed or as gzip, deflate or br`,
      );
    case 'charset.unsupported':
      return new OsvError('OSV_ERR_UNSUPPORTED_MEDIA_TYPE', `The charset ${JSON.stringify(failure.charset ?? '')} is not supported; send UTF-8`);
    case 'request.size.invalid':
      return new OsvError('OSV_ERR_BAD_REQUEST', 'The request body is not as long as its Content-Length says');
    case 'request.aborted':
      return new OsvError('OSV_ERR_BAD_REQUEST', 'The request body ended before it was complete');
  }
  // A decompression stream failed (zlib errors carry an errno): the body is not in its Content-Encoding.
  if (failure.type === undefined && typeof failure.errno === 'number' && failure.status === 400) return new OsvError('OSV_ERR_BAD_ENCODING');
  // Any other error the framework marks as the client's (http-errors with a 4xx status).
  if (failure.expose === true && typeof failure.status === 'number' && failure.status >= 400 && failure.status < 500) {
    return new OsvError('OSV_ERR_BAD_REQUEST');
  }
  return undefined;
}

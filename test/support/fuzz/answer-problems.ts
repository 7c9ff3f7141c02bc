import { errorCatalogue } from '../../../core/errors.js';
import type { RawResponse } from './raw-client.js';

/**
 * What is wrong with an answer to a malformed request, or undefined when it is fine: never a 5xx,
 * and every 4xx carries the error envelope `{error: {code, message}}` with a catalogued code.
 * Pages may answer a browser in HTML, still naming a catalogued code and never a stack trace.
 */
export function answerProblem(response: RawResponse, options: { htmlAllowed?: boolean } = {}): string | undefined {
  if (response.status >= 500) return `answered ${response.status}: ${response.text.slice(0, 200)}`;
  if (response.status < 400) return undefined;
  if (options.htmlAllowed && response.contentType.startsWith('text/html')) {
    if (/\n\s+at .+:\d+:\d+/.test(response.text)) return `answered ${response.status} with a stack trace`;
    const code = /OSV_ERR_[A-Z_]+/.exec(response.text)?.[0];
    return code && code in errorCatalogue ? undefined : `answered ${response.status} with a page naming no catalogued code`;
  }
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(response.text);
  } catch {
    return `answered ${response.status} without a JSON body: ${response.text.slice(0, 120)}`;
  }
  const code = body.error?.code;
  if (typeof code !== 'string' || !(code in errorCatalogue)) return `answered ${response.status} with an unknown code ${String(code)}`;
  const message = body.error?.message;
  if (typeof message !== 'string' || message === '') return `answered ${response.status} ${code} without a message`;
  if (errorCatalogue[code as keyof typeof errorCatalogue].status !== response.status) {
    return `answered ${response.status} with ${code}, which the catalogue gives status ${errorCatalogue[code as keyof typeof errorCatalogue].status}`;
  }
  return undefined;
}

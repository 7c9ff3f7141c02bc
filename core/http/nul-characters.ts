import type { ErrorDetail } from '../errors.js';

const NUL = '\u0000';
/** Enough to show the client the pattern without echoing a whole hostile body back. */
const MOST_REPORTED = 10;

/**
 * PostgreSQL text and jsonb cannot hold the NUL character, so no request may carry one in a string
 * or a key. Walks the value with its own stack: a deeply nested body must not exhaust the call stack.
 */
export function nulCharacterIssues(value: unknown, part: string): ErrorDetail[] {
  const issues: ErrorDetail[] = [];
  const pending: Array<[unknown, string]> = [[value, part]];
  while (pending.length > 0 && issues.length < MOST_REPORTED) {
    const [current, field] = pending.pop()!;
    if (typeof current === 'string') {
      if (current.includes(NUL)) issues.push({ field, issue: 'must not contain the NUL character (\\u0000)' });
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) pending.push([current[index], `${field}.${index}`]);
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current).reverse()) {
        if (key.includes(NUL)) issues.push({ field: `${field}.${JSON.stringify(key)}`, issue: 'must not contain the NUL character (\\u0000) in its name' });
        else pending.push([child, `${field}.${key}`]);
      }
    }
  }
  return issues.slice(0, MOST_REPORTED);
}

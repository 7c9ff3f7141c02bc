import type { ZodType, z } from 'zod';
import { type ErrorDetail, OsvError } from '../errors.js';

/** Parses one part of a request; every problem names the field it is about. */
export function parseRequestPart<S extends ZodType>(schema: S, value: unknown, part: 'params' | 'query' | 'body'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    field: [part, ...issue.path.map(String)].join('.'),
    issue: issue.message,
  }));
  const summary = details.map((detail) => `${detail.field}: ${detail.issue}`).join('; ');
  throw new OsvError('OSV_ERR_VALIDATION', `The request is invalid: ${summary}`, details);
}

import type { ZodType, z } from 'zod';
import { type ErrorDetail, OsvError } from '../errors.js';
import { nulCharacterIssues } from './nul-characters.js';

/** Parses one part of a request; every problem names the field it is about. */
export function parseRequestPart<S extends ZodType>(schema: S, value: unknown, part: 'params' | 'query' | 'body'): z.infer<S> {
  const refused = nulCharacterIssues(value, part);
  const result = schema.safeParse(value);
  if (result.success && refused.length === 0) return result.data;
  const details: ErrorDetail[] = [
    ...refused,
    ...(result.error?.issues ?? []).map((issue) => ({
      field: [part, ...issue.path.map(String)].join('.'),
      issue: issue.message,
    })),
  ];
  const summary = details.map((detail) => `${detail.field}: ${detail.issue}`).join('; ');
  throw new OsvError('OSV_ERR_VALIDATION', `The request is invalid: ${summary}`, details);
}

/** Parses every part and reports all problems at once, so a client can fix them in one go. */
export function parseRequestParts(parts: Array<[ZodType | undefined, unknown, 'params' | 'query' | 'body']>): unknown[] {
  const details: ErrorDetail[] = [];
  const values = parts.map(([schema, value, part]) => {
    if (!schema) return undefined;
    try {
      return parseRequestPart(schema, value, part);
    } catch (error) {
      if (!(error instanceof OsvError) || !error.details) throw error;
      details.push(...error.details);
      return undefined;
    }
  });
  if (details.length > 0) {
    const summary = details.map((detail) => `${detail.field}: ${detail.issue}`).join('; ');
    throw new OsvError('OSV_ERR_VALIDATION', `The request is invalid: ${summary}`, details);
  }
  return values;
}

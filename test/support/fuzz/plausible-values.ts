import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations.js';

/** An id that matches `format: uuid` and names nothing, so handlers answer "not found". */
export const ABSENT_UUID = '00000000-0000-4000-8000-00000000f022';

function typeOf(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/**
 * A value of the schema's shape that a route would plausibly accept, so each malformed case
 * breaks one thing at a time. Deterministic for a given seed.
 */
export function plausibleValue(schema: JsonSchema, seed: number): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternative = schema.anyOf?.[0] ?? schema.oneOf?.[0] ?? schema.allOf?.[0];
  if (alternative && !schema.type) return plausibleValue(alternative, seed);
  switch (typeOf(schema)) {
    case 'string':
      return plausibleString(schema, seed);
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.maximum !== undefined ? Math.min(1, schema.maximum) : 1);
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, (_, index) => plausibleValue(schema.items ?? {}, seed + index));
    case 'object':
      return plausibleObject(schema, seed);
    default:
      return schema.properties ? plausibleObject(schema, seed) : 'fuzz';
  }
}

function plausibleObject(schema: JsonSchema, seed: number): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([key, property], index) => [key, plausibleValue(property, seed + index)]));
}

function plausibleString(schema: JsonSchema, seed: number): string {
  switch (schema.format) {
    case 'uuid':
      return ABSENT_UUID;
    case 'email':
      return 'fuzz@example.test';
    case 'uri':
    case 'url':
      return 'https://example.test';
    case 'date-time':
      return '2030-01-01T00:00:00.000Z';
  }
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    const samples = fc.sample(fc.stringMatching(pattern, { size: 'xsmall' }), { seed, numRuns: 20 });
    const sample = samples.find((value) => fits(schema, value));
    if (sample !== undefined) return sample;
  }
  return 'fuzz'.padEnd(schema.minLength ?? 0, 'z').slice(0, schema.maxLength ?? 64);
}

function fits(schema: JsonSchema, value: string): boolean {
  return value.length >= (schema.minLength ?? 0) && value.length <= (schema.maxLength ?? Number.POSITIVE_INFINITY);
}

import fc from 'fast-check';
import type { JsonSchema } from './openapi-operations.js';

/** Path parameter values sent as is (already percent-encoded, or deliberately not decodable). */
export const malformedPathValues = [
  '%ZZ',
  '%C3%28',
  '%E0%A4%A',
  '%00',
  '%2e%2e',
  '%2F',
  '-1',
  '99999999999999999999999',
  '1e309',
  `${'x'.repeat(4000)}`,
  '%F0%9F%92%A9',
  "'%20OR%201=1--",
];

export const undecodablePathValues = new Set(['%ZZ', '%C3%28', '%E0%A4%A']);

export const malformedQueryValues = ['abc', '-1', '1e309', '99999999999999999999', '%ZZ', '%00', `${'q'.repeat(4000)}`, '%C3%28'];

export const malformedStrings = ['not a url', '%ZZ', '../../etc/passwd', '\ud800', '<script>alert(1)</script>', ' ', '', 'ＡＢＣ\u202e'];
export const extremeNumbers = [1e308, -1, 2 ** 63, 0.5, -0, 1e21];

/** Arrays nested `depth` deep, as JSON text: too deep for JSON.stringify to build. */
export function nestedJson(depth: number): string {
  return `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}`;
}

export function typeOf(schema: JsonSchema): string {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  return type ?? (schema.properties ? 'object' : 'unknown');
}

/** A JSON value of another type than the schema's. */
export function wrongTypeFor(schema: JsonSchema, pick: number): unknown {
  const byType: Record<string, unknown[]> = {
    string: [12345, true, ['a'], { a: 1 }],
    integer: ['12', true, [1], 1.5],
    number: ['12', false, { n: 1 }],
    boolean: ['true', 1, null],
    array: ['a,b', { 0: 'a' }, 7],
    object: ['{}', [1, 2], 0],
  };
  const options = byType[typeOf(schema)] ?? [null, 0, 'x'];
  return options[pick % options.length];
}

/** A small deterministic generator: fast-check's sampling with the case's seed. */
export function pickIndex(seed: number, size: number): number {
  return fc.sample(fc.nat({ max: size - 1 }), { seed, numRuns: 1 })[0]!;
}

/** A seeded choice of `count` items, kept in their order. */
export function seededSubset<T>(items: T[], count: number, seed: number): T[] {
  if (items.length <= count) return items;
  const [order] = fc.sample(fc.shuffledSubarray(items.map((_, index) => index), { minLength: count, maxLength: count }), { seed, numRuns: 1 });
  return order!.sort((a, b) => a - b).map((index) => items[index]!);
}

import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  extremeNumbers,
  malformedPathValues,
  malformedQueryValues,
  malformedStrings,
  nestedJson,
  pickIndex,
  seededSubset,
  typeOf,
  undecodablePathValues,
  wrongTypeFor,
} from './malformed-values.js';
import type { Operation } from './openapi-operations.js';
import { plausibleValue } from './plausible-values.js';

/** One request to send; headers are lower-case and override the credential's. */
export interface FuzzCase {
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** No JSON route can accept it (it cannot be decoded, parsed or validated), so it never reaches a handler. */
  unparseable?: true;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const MOST_PROPERTIES_MUTATED = 8;
/** Authentication and content negotiation are shared by every route: a seeded few of these each. */
const ODD_HEADERS_PER_ROUTE = 5;
const WRONG_FORMS_WITHOUT_BODY = 4;

/** The record as JSON with one property's value given as raw JSON text. */
function withRawProperty(record: Record<string, unknown>, name: string, rawJson: string): Buffer {
  const placeholder = '"__raw_json__"';
  return Buffer.from(JSON.stringify({ ...record, [name]: '__raw_json__' }).replace(placeholder, rawJson));
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

interface Base {
  params: Record<string, string>;
  query: string;
  body: unknown;
}

/** The request every case departs from: plausible path and query parameters and body. */
function baseRequest(operation: Operation, seed: number): Base {
  const params = Object.fromEntries(operation.pathParams.map((param, index) => [param.name, encodeURIComponent(String(plausibleValue(param.schema, seed + index)))]));
  const query = new URLSearchParams(
    operation.queryParams.map((param, index): [string, string] => [param.name, String(plausibleValue(param.schema, seed + 100 + index))]),
  ).toString();
  return { params, query, body: operation.body ? plausibleValue(operation.body, seed + 200) : undefined };
}

function pathOf(operation: Operation, params: Record<string, string>, query: string): string {
  const path = operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => params[name] ?? 'fuzz');
  return query ? `${path}?${query}` : path;
}

/** Every malformed request of the table for one operation, in a fixed order. */
export function malformedRequests(operation: Operation, seed: number): FuzzCase[] {
  const base = baseRequest(operation, seed);
  const { method } = operation;
  const basePath = pathOf(operation, base.params, base.query);
  const baseBody = base.body === undefined ? undefined : jsonBody(base.body);
  const withBody = (label: string, body: Buffer, headers: Record<string, string> = JSON_TYPE): FuzzCase => ({ label, method, path: basePath, headers, body });
  const unparseable = (label: string, body: Buffer, headers: Record<string, string> = JSON_TYPE): FuzzCase => ({ ...withBody(label, body, headers), unparseable: true });
  const cases: FuzzCase[] = [];

  // Path parameters, one at a time.
  for (const param of operation.pathParams) {
    for (const value of malformedPathValues) {
      cases.push({
        label: `path ${param.name}=${value.slice(0, 24)}`,
        method,
        path: pathOf(operation, { ...base.params, [param.name]: value }, base.query),
        headers: baseBody ? JSON_TYPE : {},
        body: baseBody,
        ...(undecodablePathValues.has(value) ? { unparseable: true as const } : {}),
      });
    }
  }
  // Query parameters, one at a time, plus repeated and bracketed forms.
  for (const param of operation.queryParams) {
    const others = new URLSearchParams(base.query);
    others.delete(param.name);
    const rest = others.toString();
    for (const value of [...malformedQueryValues, `1&${param.name}=2`]) {
      cases.push({ label: `query ${param.name}=${value.slice(0, 24)}`, method, path: pathOf(operation, base.params, [rest, `${param.name}=${value}`].filter(Boolean).join('&')), headers: {} });
    }
    cases.push({ label: `query ${param.name}[a]`, method, path: pathOf(operation, base.params, [rest, `${param.name}[a]=1`].filter(Boolean).join('&')), headers: {} });
  }

  if (operation.body) {
    const record = typeof base.body === 'object' && base.body !== null && !Array.isArray(base.body) ? (base.body as Record<string, unknown>) : {};
    const properties = Object.entries(operation.body.properties ?? {}).slice(0, MOST_PROPERTIES_MUTATED);
    properties.forEach(([name, schema], index) => {
      const propertySeed = seed + 1000 + index;
      const mutate = (label: string, value: unknown) => cases.push(withBody(`body.${name}: ${label}`, jsonBody({ ...record, [name]: value })));
      // Text goes where the property takes text: into the items of a list.
      const asText = (text: string) => (typeOf(schema) === 'array' ? [text] : text);
      mutate('wrong type', wrongTypeFor(schema, propertySeed));
      mutate('NUL character', asText('fuzz\u0000fuzz'));
      mutate('huge string', asText('x'.repeat(100_000)));
      for (const text of seededSubset(malformedStrings, 2, propertySeed)) mutate(`malformed text ${JSON.stringify(text)}`, asText(text));
      const odd = [
        () => cases.push(withBody(`body.${name}: deep nesting`, withRawProperty(record, name, nestedJson(5_000)))),
        () => mutate('extreme number', extremeNumbers[pickIndex(propertySeed + 1, extremeNumbers.length)]),
        () => mutate('random JSON', fc.sample(fc.jsonValue({ maxDepth: 3 }), { seed: propertySeed, numRuns: 1 })[0]),
      ];
      odd[pickIndex(propertySeed + 2, odd.length)]!();
    });
    cases.push(
      unparseable('invalid JSON', Buffer.from('{"name": "x",')),
      withBody('top-level array', jsonBody([record])),
      withBody('top-level string', jsonBody('text')),
      withBody('top-level null', Buffer.from('null')),
      withBody('top-level number', Buffer.from('42')),
      withBody('empty object', Buffer.from('{}')),
      unparseable('NUL in a key', jsonBody({ ...record, 'a\u0000b': 1 })),
      withBody('duplicate keys', Buffer.from(`{"a":1,"a":"two",${JSON.stringify(record).slice(1)}`)),
      withBody('deep nesting at the top', withRawProperty(record, 'deep', nestedJson(20_000))),
      withBody('byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), jsonBody(record)])),
      unparseable('over the size limit', jsonBody({ ...record, padding: 'p'.repeat(1_200_000) })),
    );
  }

  // Bodies in the wrong form: all of them for routes that take a body, a few for the others.
  const sample = baseBody ?? Buffer.from('{"fuzz":true}');
  const wrongForms = [
    unparseable('gzip that is not gzip', sample, { ...JSON_TYPE, 'content-encoding': 'gzip' }),
    unparseable('br that is not br', sample, { ...JSON_TYPE, 'content-encoding': 'br' }),
    unparseable('deflate that is not deflate', sample, { ...JSON_TYPE, 'content-encoding': 'deflate' }),
    unparseable('gzip of invalid JSON', gzipSync('{"fuzz":'), { ...JSON_TYPE, 'content-encoding': 'gzip' }),
    unparseable('unknown content encoding', sample, { ...JSON_TYPE, 'content-encoding': 'compress' }),
    unparseable('stacked content encodings', sample, { ...JSON_TYPE, 'content-encoding': 'gzip, br' }),
    unparseable('text/plain', sample, { 'content-type': 'text/plain' }),
    unparseable('form fields', Buffer.from('fuzz=1&fuzz=%ZZ'), { 'content-type': 'application/x-www-form-urlencoded' }),
    unparseable('multipart', Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n'), { 'content-type': 'multipart/form-data; boundary=b' }),
    unparseable('unknown charset', sample, { 'content-type': 'application/json; charset=klingon' }),
    withBody('UTF-16 charset', Buffer.from(sample.toString(), 'utf16le'), { 'content-type': 'application/json; charset=utf-16le' }),
    unparseable('no content type', sample, {}),
  ];
  cases.push(...(operation.body || operation.rawBody ? wrongForms : seededSubset(wrongForms, WRONG_FORMS_WITHOUT_BODY, seed + 3)));

  // Odd headers on an otherwise plausible request.
  const plausible = (label: string, headers: Record<string, string>, path = basePath): FuzzCase => ({
    label,
    method,
    path,
    headers: baseBody ? { ...JSON_TYPE, ...headers } : headers,
    body: baseBody,
  });
  const separator = basePath.includes('?') ? '&' : '?';
  const oddHeaders = [
    plausible('accepts HTML only', { accept: 'text/html' }),
    plausible('accepts XML only', { accept: 'application/xml' }),
    plausible('unsigned JWT', { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.' }),
    plausible('huge bearer token', { authorization: `Bearer ses_${'x'.repeat(4000)}` }),
    plausible('basic credentials', { authorization: 'Basic Zm9vOmJhcg==' }),
    plausible('empty bearer', { authorization: 'Bearer ' }),
    plausible('unknown acting tenant', { 'osv-tenant': 'no-such-tenant' }),
    plausible('undecodable acting tenant', { 'osv-tenant': '%ZZ' }),
    plausible('huge acting tenant', { 'osv-tenant': 't'.repeat(500) }),
    plausible('null origin', { origin: 'null' }),
    plausible('undecodable session cookie', { cookie: 'osv_session=%ZZ; osv_session=x' }),
    plausible('unknown publishable key', { 'osv-key': 'pk_unknown' }),
    plausible('NUL publishable key', {}, `${basePath}${separator}key=%00`),
    plausible('odd request id', { 'x-request-id': '../../etc/passwd' }),
    plausible('huge idempotency key', { 'idempotency-key': 'k'.repeat(5000) }),
  ];
  cases.push(...seededSubset(oddHeaders, ODD_HEADERS_PER_ROUTE, seed + 4));
  return cases;
}

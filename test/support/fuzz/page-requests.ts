import type { FuzzCase } from './malformed-requests.js';

/** Routes the OpenAPI document does not list: pages, assets, operations and the LMS-facing LTI endpoints. */
export const undocumentedRoutes = [
  { method: 'GET', path: '/' },
  { method: 'GET', path: '/health' },
  { method: 'GET', path: '/ready' },
  { method: 'GET', path: '/metrics' },
  { method: 'GET', path: '/api/docs' },
  { method: 'GET', path: '/api/v1/openapi.json' },
  { method: 'GET', path: '/widgets/docs' },
  { method: 'GET', path: '/widgets/demo' },
  { method: 'GET', path: '/widgets/v1/loader.js' },
  { method: 'GET', path: '/lti/setup' },
  { method: 'GET', path: '/lti/tenants/fuzz/register' },
  { method: 'GET', path: '/lti/login' },
  { method: 'POST', path: '/lti/login' },
  { method: 'POST', path: '/lti/launch' },
];

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** A smaller table than the API's: broken paths and queries, bodies in broken encodings or forms. */
export function malformedPageRequests(route: { method: string; path: string }): FuzzCase[] {
  const { method, path } = route;
  const segments = path.split('/');
  const lastSegment = segments.length - 1;
  const withSegment = (value: string) => [...segments.slice(0, lastSegment), value].join('/');
  const cases: FuzzCase[] = [
    { label: 'undecodable last segment', method, path: withSegment('%ZZ'), headers: {} },
    { label: 'broken UTF-8 in the path', method, path: `${path}/%C3%28`, headers: {} },
    { label: 'NUL in the path', method, path: withSegment('%00'), headers: {} },
    { label: 'odd query', method, path: `${path}?%ZZ=1&iss=%00&login_hint=%C3%28&target_link_uri=javascript:alert(1)`, headers: {} },
    { label: 'repeated query parameters', method, path: `${path}?iss=a&iss=b&client_id=x&client_id=y`, headers: {} },
    { label: 'asks for JSON', method, path, headers: { accept: 'application/json' } },
  ];
  if (method === 'POST') {
    const form = Buffer.from('iss=https%3A%2F%2Flms.example&login_hint=1&target_link_uri=https%3A%2F%2Fosv.example');
    cases.push(
      { label: 'gzip that is not gzip', method, path, headers: { ...FORM, 'content-encoding': 'gzip' }, body: form },
      { label: 'br that is not br', method, path, headers: { ...FORM, 'content-encoding': 'br' }, body: form },
      { label: 'unknown content encoding', method, path, headers: { ...FORM, 'content-encoding': 'compress' }, body: form },
      { label: 'unknown charset', method, path, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=klingon' }, body: form },
      { label: 'undecodable form values', method, path, headers: FORM, body: Buffer.from('iss=%ZZ&login_hint=%C3%28&id_token=%') },
      { label: 'JSON instead of a form', method, path, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"iss":') },
      { label: 'multipart instead of a form', method, path, headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: Buffer.from('--b--\r\n') },
      { label: 'malformed id_token', method, path, headers: FORM, body: Buffer.from('id_token=a.b.c&state=%00x') },
    );
  }
  return cases;
}

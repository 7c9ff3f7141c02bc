import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient, type RawResponse } from '../../support/fuzz/raw-client.js';
import { createTenant, startTestPlatform, type Tenancy, type TestPlatform } from '../../support/harness.js';
import { type Listening, listen } from '../../support/http-servers.js';

let platform: TestPlatform;
let server: Listening;
let client: RawClient;
let acme: Tenancy;

beforeAll(async () => {
  platform = await startTestPlatform({ composed: true });
  server = await listen(platform.app);
  client = new RawClient(server.origin, 2);
  acme = await createTenant(platform.kernel, 'acme', { owner: true });
  for (const plugin of ['example', 'enrollment']) await platform.kernel.plugins.setEnabled(acme.tenantId, plugin, true);
});
afterAll(async () => {
  client?.close();
  await server?.close();
  await platform?.close();
});

function send(method: string, path: string, options: { body?: Buffer | object; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const body = options.body === undefined || Buffer.isBuffer(options.body) ? options.body : Buffer.from(JSON.stringify(options.body));
  const headers = { authorization: acme.admin, ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers };
  return client.send({ method, path, headers, body });
}

function errorOf(response: RawResponse): { code: string; message: string; details?: Array<{ field?: string; issue: string }> } {
  return JSON.parse(response.text).error;
}

async function keyNames(): Promise<string[]> {
  const listed = await send('GET', '/api/v1/admin/keys');
  return (JSON.parse(listed.text) as Array<{ name: string }>).map((key) => key.name);
}

describe('bad input answers a catalogued 4xx, never a 500', () => {
  it('refuses a body that is not in its Content-Encoding and reads one that is', async () => {
    const json = Buffer.from(JSON.stringify({ name: 'compressed' }));
    for (const encoding of ['gzip', 'br', 'deflate']) {
      const refused = await send('POST', '/api/v1/admin/keys', { body: json, headers: { 'content-encoding': encoding } });
      expect(refused.status, encoding).toBe(400);
      expect(errorOf(refused).code).toBe('OSV_ERR_BAD_ENCODING');
      expect(errorOf(refused).message).toContain('Content-Encoding');
    }
    const unknown = await send('POST', '/api/v1/admin/keys', { body: json, headers: { 'content-encoding': 'compress' } });
    expect(unknown.status).toBe(415);
    expect(errorOf(unknown).message).toContain('"compress"');

    const gzipped = await send('POST', '/api/v1/admin/keys', { body: gzipSync(json), headers: { 'content-encoding': 'gzip' } });
    const brotli = await send('POST', '/api/v1/admin/keys', { body: brotliCompressSync(json), headers: { 'content-encoding': 'br' } });
    expect([gzipped.status, brotli.status]).toEqual([201, 201]);
    expect((await keyNames()).filter((name) => name === 'compressed')).toHaveLength(2);
  });

  it('refuses a form post to the LMS endpoints that is not in its Content-Encoding', async () => {
    const form = Buffer.from('iss=https%3A%2F%2Flms.example&login_hint=1&target_link_uri=https%3A%2F%2Fosv.example');
    const page = await client.send({
      method: 'POST',
      path: '/lti/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' },
      body: form,
    });
    expect(page.status).toBe(400);
    expect(page.text).toContain('OSV_ERR_BAD_ENCODING');
  });

  it('refuses a path that does not percent-decode on every kind of route with OSV_ERR_BAD_PATH', async () => {
    const paths = [
      ['DELETE', '/api/v1/admin/keys/%ZZ'],
      ['POST', '/api/v1/admin/jobs/dead-letters/%C3%28/retry'],
      ['GET', '/api/v1/plugins/enrollment/courses/%ZZ'],
      ['GET', '/api/v1/lti/registrations/%C3%28'],
      ['GET', '/lti/tenants/%ZZ/jwks.json'],
      ['GET', '/lti/tenants/%C3%28/register'],
      ['GET', '/widgets/v1/%ZZ.js'],
    ];
    for (const [method, path] of paths) {
      const response = await send(method!, path!, { headers: { accept: 'application/json' } });
      expect(response.status, path).toBe(400);
      expect(errorOf(response).code, path).toBe('OSV_ERR_BAD_PATH');
      expect(errorOf(response).message).toContain('encodeURIComponent');
    }
  });

  it('refuses a publishable key whose allowed origin is not a URL, naming the field', async () => {
    const notUrl = await send('POST', '/api/v1/admin/publishable-keys', { body: { name: 'site', allowedOrigins: ['https://ok.example', 'not a url'] } });
    expect(notUrl.status).toBe(400);
    expect(errorOf(notUrl).details).toEqual([{ field: 'body.allowedOrigins.1', issue: 'must be an origin such as https://www.example.edu (no path)' }]);
    const withPath = await send('POST', '/api/v1/admin/publishable-keys', { body: { name: 'site', allowedOrigins: ['https://ok.example/shop'] } });
    expect(withPath.status).toBe(400);
    const origin = await send('POST', '/api/v1/admin/publishable-keys', { body: { name: 'site', allowedOrigins: ['https://ok.example'] } });
    expect(origin.status).toBe(201);
  });

  it('refuses dead-letter ids a bigint cannot hold and looks up the largest one it can', async () => {
    for (const id of ['99999999999999999999999', '9223372036854775808', '0', 'abc']) {
      const response = await send('POST', `/api/v1/admin/jobs/dead-letters/${id}/retry`);
      expect(response.status, id).toBe(400);
      expect(errorOf(response).details?.map((detail) => detail.field)).toEqual(['params.id']);
    }
    const largest = await send('POST', '/api/v1/admin/jobs/dead-letters/9223372036854775807/retry');
    expect(largest.status).toBe(404);
    expect(errorOf(largest).code).toBe('OSV_ERR_NOT_FOUND');
  });

  it('refuses the NUL character in any string or key of the input, naming each field, and stores nothing', async () => {
    const before = await keyNames();
    const body = await send('POST', '/api/v1/admin/keys', { body: { name: 'a\u0000b', role: 'learner\u0000' } });
    expect(body.status).toBe(400);
    expect(errorOf(body).code).toBe('OSV_ERR_VALIDATION');
    expect([...new Set(errorOf(body).details?.map((detail) => detail.field))].sort()).toEqual(['body.name', 'body.role']);
    expect(errorOf(body).message).toContain('NUL');
    const key = await send('POST', '/api/v1/admin/keys', { body: { name: 'fine', 'x\u0000': 1 } });
    expect(errorOf(key).details?.[0]?.field).toBe('body."x\\u0000"');
    expect(await keyNames()).toEqual(before);

    const note = await send('POST', '/api/v1/plugins/example/notes', { body: { title: 'ok', body: 'nested\u0000' } });
    expect(errorOf(note).details?.map((detail) => detail.field)).toEqual(['body.body']);
    const notes = await send('GET', '/api/v1/plugins/example/notes');
    expect(JSON.parse(notes.text)).toEqual([]);

    const query = await send('GET', '/api/v1/plugins/enrollment/courses?q=a%00b');
    expect(errorOf(query).details?.map((detail) => detail.field)).toEqual(['query.q']);
    const param = await send('GET', '/api/v1/plugins/enrollment/courses/a%00b');
    expect(errorOf(param).details?.map((detail) => detail.field)).toEqual(['params.idOrSlug']);
  });
});

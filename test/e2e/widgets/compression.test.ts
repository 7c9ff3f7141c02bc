import { createHash } from 'node:crypto';
import { type IncomingHttpHeaders, request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWidgetManifest } from '../../../core/http/widget-assets.js';
import { fakeEnrollmentPlugin } from './support/fake-enrollment-plugin.js';
import { fakeTutorPlugin } from './support/fake-tutor-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;
const tutor = fakeTutorPlugin();

beforeAll(async () => {
  w = await startWidgetSite([fakeEnrollmentPlugin().plugin, tutor.plugin]);
});
afterAll(() => w?.close());

interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The bytes as they travel, undecoded (fetch and supertest would decode them). */
function raw(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(`${w.osv.origin}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const decoded = (answer: RawAnswer) =>
  answer.headers['content-encoding'] === 'br' ? brotliDecompressSync(answer.body) : answer.headers['content-encoding'] === 'gzip' ? gunzipSync(answer.body) : answer.body;
const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

describe('widget assets', () => {
  it('go out brotli or gzip encoded as the browser accepts, the same script under the same SRI hash, each encoding with its own ETag', async () => {
    const manifest = readWidgetManifest()!;
    const lit = manifest.widgets['osv-catalog']!.find((file) => file.startsWith('chunks/lit-'))!;
    const path = `/widgets/v1/${lit}`;
    const identity = await raw(path);
    const br = await raw(path, { 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await raw(path, { 'accept-encoding': 'gzip, deflate' });
    const refusesBr = await raw(path, { 'accept-encoding': 'br;q=0, gzip' });

    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(br.headers['content-encoding']).toBe('br');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(refusesBr.headers['content-encoding']).toBe('gzip');
    for (const answer of [identity, br, gzip]) {
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^(text|application)\/javascript/);
      expect(answer.headers.vary).toMatch(/Accept-Encoding/i);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      expect(sri(decoded(answer))).toBe(manifest.files[lit]!.integrity);
    }
    expect(br.body.length).toBeLessThan(identity.body.length / 2);
    expect(new Set([identity.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3);
    // Revalidation answers for the encoding asked about.
    const revalidated = await raw(path, { 'accept-encoding': 'br', 'if-none-match': br.headers.etag! });
    expect(revalidated.status).toBe(304);
  });

  it('load through the SRI-pinned loader in a real browser, compressed on the wire', async () => {
    const manifest = readWidgetManifest()!;
    const page = await w.newPage();
    const encodings = new Map<string, string | null>();
    page.on('response', async (response) => {
      if (response.url().includes('/widgets/v1/')) encodings.set(new URL(response.url()).pathname, await response.headerValue('content-encoding'));
    });
    await page.goto(w.hostPage('/compressed', '<osv-catalog></osv-catalog>', { loader: manifest.loader.pinned, integrity: manifest.loader.integrity }));
    await page.getByRole('option').first().waitFor();
    expect(encodings.get(`/widgets/v1/${manifest.loader.pinned}`)).toMatch(/^(br|gzip)$/);
    const catalogChunk = manifest.widgets['osv-catalog']!.at(-1)!;
    expect(encodings.get(`/widgets/v1/${catalogChunk}`)).toMatch(/^(br|gzip)$/);
    expect(w.pageErrors).toEqual([]);
  });
});

describe('API answers', () => {
  it('are compressed from a kilobyte up, and small ones go out as they are', async () => {
    const document = await raw('/api/v1/openapi.json', { 'accept-encoding': 'gzip, br' });
    expect(document.headers['content-encoding']).toBe('br');
    expect(document.headers.vary).toMatch(/Accept-Encoding/i);
    expect(JSON.parse(decoded(document).toString()).openapi).toMatch(/^3\./);
    const plain = await raw('/api/v1/openapi.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(document.body.length).toBeLessThan(plain.body.length / 3);

    const small = await raw(`/api/v1/plugins/enrollment/courses/no-such-course?key=${w.key.key}`, { 'accept-encoding': 'gzip, br' });
    expect(small.status).toBe(404);
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString()).error.code).toBe('OSV_ERR_NOT_FOUND');
  });

  it('never hold back a server-sent event stream, whatever the client accepts', async () => {
    tutor.hold();
    const firstEvent = await new Promise<{ headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const req = request(
        `${w.osv.origin}/api/v1/plugins/ai-tutor/ask?key=${w.key.key}`,
        { method: 'POST', headers: { 'content-type': 'application/json', accept: '*/*', 'accept-encoding': 'gzip, deflate, br' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            // The answer's last piece is held: this arrives only if nothing buffers the stream.
            if (text.includes('divided by the count')) resolve({ headers: res.headers, text });
          });
          res.on('end', () => reject(new Error(`stream ended before its first tokens: ${text}`)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ courseId: 'intro-statistics', question: 'What is the mean?' }));
    });
    tutor.release();
    expect(firstEvent.headers['content-encoding']).toBeUndefined();
    expect(firstEvent.text).toContain('event: token');
    expect(firstEvent.text).not.toContain('the median is the middle value');
  });
});

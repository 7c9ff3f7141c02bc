import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWidgetManifest, WIDGETS_DIR, type WidgetManifest } from '../../../core/http/widget-assets.js';
import { fakeEnrollmentPlugin } from './support/fake-enrollment-plugin.js';
import { fakeTutorPlugin } from './support/fake-tutor-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;
let manifest: WidgetManifest;

beforeAll(async () => {
  w = await startWidgetSite([fakeEnrollmentPlugin().plugin, fakeTutorPlugin().plugin]);
  manifest = readWidgetManifest()!;
});
afterAll(() => w?.close());
afterEach(() => expect(w.pageErrors).toEqual([]));

const chunkRequests = (page: Page) => {
  const names: string[] = [];
  page.on('request', (request) => {
    const match = request.url().match(/\/widgets\/v1\/chunks\/([a-z]+)-/);
    if (match) names.push(match[1]!);
  });
  return names;
};

describe('the loader', () => {
  it('loads only the widgets a page uses, and defines new ones when they appear', async () => {
    const page = await w.newPage();
    const loaded = chunkRequests(page);
    await page.goto(w.hostPage('/lazy', '<osv-catalog></osv-catalog>'));
    await page.getByRole('option').first().waitFor();
    expect(new Set(loaded)).toEqual(new Set(['catalog', 'enroll', 'lit', 'shared']));
    await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div><osv-tutor course="intro-statistics"></osv-tutor></div>'));
    await page.getByRole('textbox', { name: 'Ask a question about this course' }).waitFor();
    expect(loaded.filter((name) => name === 'tutor')).toEqual(['tutor']);
    expect(loaded.filter((name) => name === 'lit')).toEqual(['lit']);
  });

  it('runs commands queued before it arrived, and later ones at once', async () => {
    const page = await w.newPage();
    const head = `<script>window.osv = window.osv || []; osv.push(['locale', 'es']);</script>`;
    await page.goto(w.hostPage('/queue', '<osv-catalog limit="2"></osv-catalog>', { head }));
    await expect.poll(() => page.locator('osv-catalog').getByRole('status').textContent()).toBe('2 cursos');
    await page.evaluate(() => (window as unknown as { osv: { push(command: unknown[]): void } }).osv.push(['locale', 'en']));
    await expect.poll(() => page.locator('osv-catalog').getByRole('status').textContent()).toBe('2 courses');
  });

  it('checks every chunk against its published SRI hash', async () => {
    const page = await w.newPage();
    await page.goto(w.hostPage('/preloads', '<osv-catalog></osv-catalog>'));
    await page.getByRole('option').first().waitFor();
    const preloads = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]'), (link) => [link.href.split('/widgets/v1/')[1], link.integrity]),
    );
    expect(preloads.length).toBe(4);
    for (const [file, integrity] of preloads) expect(integrity).toBe(manifest.files[file!]!.integrity);
  });

  it('publishes SRI hashes that match the served files, and a pinned loader that works with them', async () => {
    for (const [file, { integrity }] of Object.entries(manifest.files)) {
      const served = await w.platform.http.get(`/widgets/v1/${file}`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(`sha384-${createHash('sha384').update(served.body as Buffer).digest('base64')}`).toBe(integrity);
    }
    expect(manifest.loader.integrity).toBe(manifest.files[manifest.loader.pinned]!.integrity);
    const page = await w.newPage();
    await page.goto(w.hostPage('/pinned', '<osv-catalog></osv-catalog>', { loader: manifest.loader.pinned, integrity: manifest.loader.integrity }));
    await page.getByRole('option').first().waitFor();
  });

  it('is refused by the browser when its content does not match the pinned hash', async () => {
    const page = await w.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    const wrong = `sha384-${createHash('sha384').update('something else').digest('base64')}`;
    await page.goto(w.hostPage('/tampered', '<osv-catalog></osv-catalog>', { loader: manifest.loader.pinned, integrity: wrong }));
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => customElements.get('osv-catalog'))).toBeUndefined();
    expect(consoleErrors.join('\n')).toContain('integrity');
  });

  it('serves hashed files as immutable and the moving loader briefly, to any origin', async () => {
    const chunk = Object.keys(manifest.files).find((file) => file.startsWith('chunks/lit-'))!;
    const immutable = await w.platform.http.get(`/widgets/v1/${chunk}`).set('Origin', 'https://anywhere.example');
    expect(immutable.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(immutable.headers['access-control-allow-origin']).toBe('*');
    expect(immutable.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(immutable.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect((await w.platform.http.get(`/widgets/v1/${manifest.loader.pinned}`)).headers['cache-control']).toContain('immutable');
    const moving = await w.platform.http.get('/widgets/v1/loader.js');
    expect(moving.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(moving.text).toBe(readFileSync(path.join(WIDGETS_DIR, 'loader.js'), 'utf8'));
    expect((await w.platform.http.get('/widgets/v1/manifest.json')).body.loader.pinned).toBe(manifest.loader.pinned);
    expect((await w.platform.http.get('/widgets/v1/nope.js')).status).toBe(404);
  });
});

import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeEnrollmentPlugin } from './support/fake-enrollment-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;
const enrollment = fakeEnrollmentPlugin();

beforeAll(async () => {
  w = await startWidgetSite([enrollment.plugin]);
});
afterAll(() => w?.close());

const catalogResponse = (page: Page) => page.waitForResponse((response: Response) => response.url().includes('/api/v1/plugins/enrollment/courses'));
/** What the server answered to the page's catalog requests (a browser hides refused answers from the page). */
const catalogAnswers = (key: string) =>
  w.apiLog.filter((entry) => entry.url.includes('/plugins/enrollment/courses') && (key === '' ? !entry.url.includes('key=') : entry.url.includes(key)));
const statusText = (page: Page) => page.locator('osv-catalog').getByRole('status').textContent();
const unreachable = 'We could not reach the course service. Check your connection and try again.';
const siteNotListed = (origin: string) =>
  `Courses cannot be shown on ${origin}: this site is not on the list of sites allowed to use its course key. If you run this site, add ${origin} to the publishable key’s allowed origins.`;
const keyRevoked =
  'Courses cannot be shown here: this site’s course key is unknown or has been revoked. If you run this site, create a new publishable key and put it in the page.';

async function createKey(allowedOrigins: string[]): Promise<{ id: string; key: string }> {
  const response = await w.platform.http.post('/api/v1/admin/publishable-keys').set('Authorization', w.tenant.admin).send({ name: 'k', allowedOrigins });
  return response.body;
}

describe('publishable keys in the browser', () => {
  it('answer the allowed site with CORS for its origin only', async () => {
    const page = await w.newPage();
    const response = catalogResponse(page);
    await page.goto(w.hostPage('/allowed', '<osv-catalog></osv-catalog>'));
    expect((await response).status()).toBe(200);
    expect(await (await response).headerValue('access-control-allow-origin')).toBe(w.site.origin);
  });

  it('refuse a site the key does not list: the API says 403 readably, and the widget says what the site owner must do', async () => {
    const other = await createKey(['https://www.acme.edu']);
    const page = await w.newPage();
    const response = catalogResponse(page);
    await page.goto(w.hostPage('/unlisted', '<osv-catalog></osv-catalog>', { key: other.key }));
    await expect.poll(() => statusText(page)).toBe(siteNotListed(w.site.origin));
    const refusal = await response;
    expect(refusal.status()).toBe(403);
    expect(await refusal.headerValue('access-control-allow-origin')).toBe(w.site.origin);
    expect(await refusal.headerValue('access-control-allow-credentials')).toBeNull();
    expect(await refusal.json()).toEqual({ error: expect.objectContaining({ code: 'OSV_ERR_ORIGIN_NOT_ALLOWED' }) });
    expect(catalogAnswers(other.key)).toEqual([expect.objectContaining({ method: 'GET', origin: w.site.origin, status: 403 })]);
    expect(await page.getByRole('option').count()).toBe(0);
  });

  it('say so in Spanish on a Spanish page', async () => {
    const other = await createKey(['https://www.acme.edu']);
    const page = await w.newPage();
    await page.goto(w.hostPage('/unlisted-es', '<osv-catalog></osv-catalog>', { key: other.key, lang: 'es' }));
    await expect.poll(() => statusText(page)).toContain(`No se pueden mostrar los cursos en ${w.site.origin}`);
  });

  it('let a signed-in member’s preflighted request through to a readable refusal, never to data', async () => {
    const other = await createKey(['https://www.acme.edu']);
    const preflight = await w.platform.http
      .options(`/api/v1/plugins/enrollment/courses/c1/enroll?key=${other.key}`)
      .set('Origin', w.site.origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(w.site.origin);
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const refused = await w.platform.http.get(`/api/v1/plugins/enrollment/courses?key=${other.key}`).set('Origin', w.site.origin);
    expect(refused.status).toBe(403);
    expect(Object.keys(refused.body)).toEqual(['error']);
    // Without a key there is nothing to explain: an unlisted site gets no CORS at all.
    const keyless = await w.platform.http.get('/api/v1/plugins/enrollment/courses').set('Origin', w.site.origin);
    expect(keyless.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('stop working once revoked', async () => {
    const key = await createKey([w.site.origin]);
    const page = await w.newPage();
    const url = w.hostPage('/revoked', '<osv-catalog></osv-catalog>', { key: key.key });
    await page.goto(url);
    await page.getByRole('option').first().waitFor();
    await w.platform.http.delete(`/api/v1/admin/publishable-keys/${key.id}`).set('Authorization', w.tenant.admin).expect(204);
    await page.reload();
    await expect.poll(() => statusText(page)).toBe(keyRevoked);
    expect(catalogAnswers(key.key).map((entry) => entry.status)).toEqual([200, 401]);
    expect(await page.getByRole('option').count()).toBe(0);
  });

  it('are never replaced by a secret key: the loader refuses to send one', async () => {
    const secret = (await w.platform.kernel.credentials.createApiKey(w.tenant.tenantId, { name: 'leaked', role: 'admin' })).secret;
    const page = await w.newPage();
    const sent: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => sent.push(`${request.url()} ${JSON.stringify(request.headers())}`));
    page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
    const before = catalogAnswers('').length;
    await page.goto(w.hostPage('/secret', '<osv-catalog></osv-catalog>', { key: secret }));
    await expect.poll(() => statusText(page)).toBe(unreachable);
    expect(catalogAnswers('').slice(before).map((entry) => entry.status)).toEqual([401]);
    expect(sent.filter((line) => line.includes('/api/') && line.includes(secret))).toEqual([]);
    expect(consoleErrors.some((text) => text.includes('a secret key (sk_…) was put in the page'))).toBe(true);
  });
});

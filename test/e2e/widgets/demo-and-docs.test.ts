import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWidgetManifest } from '../../../core/http/widget-assets.js';
import { saveScreenshot } from '../../support/browser.js';
import { fakeEnrollmentPlugin } from './support/fake-enrollment-plugin.js';
import { fakeTutorPlugin } from './support/fake-tutor-plugin.js';
import { startWidgetSite, type WidgetSite } from './support/widget-site.js';

let w: WidgetSite;

beforeAll(async () => {
  w = await startWidgetSite([fakeEnrollmentPlugin().plugin, fakeTutorPlugin().plugin]);
});
afterAll(() => w?.close());
afterEach(() => expect(w.pageErrors).toEqual([]));

describe('/widgets/demo and /widgets/docs', () => {
  it('explain how to get a key when none is given', async () => {
    const response = await w.platform.http.get('/widgets/demo');
    expect(response.status).toBe(200);
    expect(response.text).toContain('/api/v1/admin/publishable-keys');
    expect(response.text).not.toContain('loader.js');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('show every widget working on the server’s own origin, under its CSP', async () => {
    const created = await w.platform.http
      .post('/api/v1/admin/publishable-keys')
      .set('Authorization', w.tenant.admin)
      .send({ name: 'demo', allowedOrigins: [w.osv.origin] });
    const page = await w.newPage();
    const violations: string[] = [];
    page.on('console', (message) => message.text().includes('Content Security Policy') && violations.push(message.text()));
    await page.goto(`${w.osv.origin}/widgets/demo?key=${created.body.key}&course=intro-statistics&lang=es`);
    const catalog = page.locator('osv-catalog').first();
    await catalog.getByRole('option').first().waitFor();
    expect(await catalog.getByRole('status').textContent()).toBe('5 cursos');
    await page.getByRole('button', { name: 'Inicia sesión para inscribirte' }).waitFor();
    await page.getByRole('textbox', { name: 'Haz una pregunta sobre este curso' }).waitFor();
    expect(violations).toEqual([]);
    await saveScreenshot(page, 'demo');
  });

  it('are linked from the home page, which has an icon like every page', async () => {
    const home = await w.platform.http.get('/').expect(200);
    expect(home.text).toContain('<a href="/widgets/docs">');
    const page = await w.newPage();
    await page.goto(`${w.osv.origin}/`);
    await page.getByRole('link', { name: 'Embed widgets on your site' }).click();
    await page.waitForURL(`${w.osv.origin}/widgets/docs`);
    const icon = await w.platform.http.get('/favicon.ico').expect(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.text ?? icon.body.toString()).toContain('<svg');
  });

  it('give copy-paste snippets for each widget and the pinned, SRI-checked loader', async () => {
    const manifest = readWidgetManifest()!;
    const { text } = await w.platform.http.get('/widgets/docs').expect(200);
    expect(text).toContain('&lt;script type=&quot;module&quot; src=&quot;http://localhost:');
    for (const tag of ['osv-catalog', 'osv-enroll', 'osv-tutor']) expect(text).toContain(`&lt;${tag}`);
    expect(text).toContain(manifest.loader.pinned);
    expect(text).toContain(manifest.loader.integrity);
    expect(text).toContain('/api/v1/auth/embed-token');
  });
});

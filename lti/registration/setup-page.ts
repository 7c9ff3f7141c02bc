import type { RequestHandler } from 'express';
import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import type { LtiServices } from '../lti-services.js';
import { escapeHtml, sendPage } from '../pages/html.js';
import { type Field, moodleManualFields, toolFields } from './setup-guide.js';

const querySchema = z.object({ tenant: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/).optional() });

function table(fields: Field[]): string {
  return `<table>${fields.map((field) => `<tr><th>${escapeHtml(field.label)}</th><td><code>${escapeHtml(field.value)}</code></td></tr>`).join('')}</table>`;
}

/**
 * `GET /lti/setup[?tenant=<slug>]`: how to connect Moodle or Canvas, for people. Public, so it
 * shows no secret: the dynamic registration URL is for tenant admins (GET /api/v1/lti/setup).
 */
export function setupPageHandler(services: LtiServices): RequestHandler {
  return async (req, res) => {
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw new OsvError('OSV_ERR_TENANT_NOT_FOUND', 'No such tenant: check the tenant name in the address');
    const slug = query.data.tenant;
    const tenant = slug ? await services.kernel.tenants.get(slug) : undefined;
    const shown = tenant ?? { slug: '<your-tenant>' };
    sendPage(res, 200, {
      title: 'Connect an LMS',
      body: `<h1>Connect Moodle or Canvas to Open Study Volt</h1>
        <p>Open Study Volt is an LTI 1.3 Advantage tool (launch, deep linking, grades, rosters).
        ${tenant ? `Values for <strong>${escapeHtml(tenant.name)}</strong>.` : 'Add <code>?tenant=&lt;your tenant&gt;</code> to this address to fill in your tenant.'}</p>
        <h2>The quickest way: dynamic registration</h2>
        <p>Your osv administrator gets your registration URL from <code>GET /api/v1/lti/setup</code> or
        <code>osv lti setup --tenant ${escapeHtml(shown.slug)}</code>. In Moodle 4.x paste it under Site administration › Plugins ›
        External tool › Manage tools › “Tool URL” › “Add LTI Advantage”. In Canvas: Admin › Developer Keys › + LTI Registration.</p>
        <h2>Tool values</h2><div class="card">${table(toolFields(services, shown))}</div>
        <h2>Moodle, by hand</h2><div class="card">${table(moodleManualFields(services, shown))}</div>
        <p>Then register Moodle's Platform ID, Client ID, Deployment ID and endpoints in osv (<code>osv lti registrations add</code>).</p>
        <h2>Canvas, by hand</h2><div class="card"><p>Developer key JSON URL: <code>${escapeHtml(services.urls.canvasConfiguration(shown.slug))}</code></p>
        <p>Admin › Developer Keys › + LTI Key › “Enter URL”, turn it on, install it by Client ID, then register the Client ID and Deployment Id in osv.</p></div>`,
    });
  };
}

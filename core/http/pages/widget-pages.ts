import express, { type Response, type Router } from 'express';
import { readWidgetManifest } from '../widget-assets.js';
import { escapeHtml } from './escape-html.js';
import { themeProperties, widgetReference } from './widget-reference.js';

/** The pages are ours: they may load our scripts and call our API, nothing else. */
const PAGE_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2330}
code,pre{background:#f3f4f8;border-radius:4px}code{padding:0 .3rem}pre{padding:.8rem;overflow-x:auto}
section{margin:2rem 0}table{border-collapse:collapse}td,th{padding:.2rem .7rem;border-bottom:1px solid #dde;text-align:left;vertical-align:top}
form.demo{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;background:#f6f7fb;padding:.8rem;border-radius:8px}
form.demo label{display:flex;flex-direction:column;font-size:.9rem}`;

function sendPage(res: Response, options: { title: string; lang?: string; head?: string; body: string }): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.type('html').send(`<!doctype html>
<html lang="${escapeHtml(options.lang ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)} · Open Study Volt</title><style>${STYLE}</style>${options.head ?? ''}</head>
<body><p><a href="/">← Open Study Volt</a> · <a href="/widgets/demo">Demo</a> · <a href="/widgets/docs">Embedding guide</a></p>
<h1>${escapeHtml(options.title)}</h1>${options.body}</body></html>`);
}

const param = (value: unknown, pattern: RegExp) => (typeof value === 'string' && pattern.test(value) ? value : '');

function demoBody(origin: string, query: { key: string; course: string; lang: string }): string {
  const { key, course, lang } = query;
  const form = `<form class="demo" method="get">
<label>Publishable key <input name="key" value="${escapeHtml(key)}" placeholder="pk_…" size="34" required></label>
<label>Course (id or slug) <input name="course" value="${escapeHtml(course)}"></label>
<label>Language <select name="lang"><option value="en">English</option><option value="es"${lang === 'es' ? ' selected' : ''}>Español</option></select></label>
<button>Show the widgets</button></form>`;
  if (!key) {
    return `${form}<p>The widgets need a publishable key of a tenant whose <code>enrollment</code> plugin is enabled, allowed for this
site's origin. An admin creates one with:</p>
<pre>curl -X POST ${escapeHtml(origin)}/api/v1/admin/publishable-keys \\
  -H "Authorization: Bearer ses_…" -H "Content-Type: application/json" \\
  -d '{"name": "demo", "allowedOrigins": ["${escapeHtml(origin)}"]}'</pre>`;
  }
  const courseWidgets = course
    ? `<section><h2>Enroll button</h2><p>Enrolling needs a signed-in member: a site's backend exchanges its secret key for one
(see the <a href="/widgets/docs#identify">guide</a>); here it asks you to sign in.</p><osv-enroll course="${escapeHtml(course)}"></osv-enroll></section>
<section><h2>Course tutor</h2><osv-tutor course="${escapeHtml(course)}"></osv-tutor></section>`
    : '<p>Give a course to see the enroll button and the tutor for it.</p>';
  return `${form}
<section><h2>Course catalog</h2><osv-catalog limit="5"></osv-catalog></section>
${courseWidgets}
<section><h2>Themed</h2><p>The same catalog with <code>--osv-accent</code>, <code>--osv-radius</code> and <code>--osv-font</code> set by the page:</p>
<div style="--osv-accent:#0b7a53;--osv-highlight:#e6f4ee;--osv-radius:2px;--osv-font:Georgia,serif"><osv-catalog limit="3"></osv-catalog></div></section>`;
}

function docsBody(origin: string): string {
  const manifest = readWidgetManifest();
  const loader = `${origin}/widgets/v1/loader.js`;
  const pinned = manifest
    ? `<p>To pin this exact build, with Subresource Integrity (hashes for every file: <a href="/widgets/v1/manifest.json">manifest.json</a>):</p>
<pre>${escapeHtml(`<script type="module" src="${origin}/widgets/v1/${manifest.loader.pinned}"\n        integrity="${manifest.loader.integrity}" crossorigin="anonymous" data-key="pk_…"></script>`)}</pre>
<p>The loader checks each chunk it loads against the same hashes.</p>`
    : '<p><strong>The widget bundle is not built on this server</strong> (<code>npm run build</code>).</p>';
  const widgets = widgetReference
    .map(
      (widget) => `<section id="${widget.tag}"><h3><code>&lt;${widget.tag}&gt;</code></h3><p>${escapeHtml(widget.summary)}</p>
<pre>${escapeHtml(widget.snippet)}</pre>
<table><tr><th>attribute</th><th></th></tr>${widget.attributes.map(([name, meaning]) => `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(meaning)}</td></tr>`).join('')}</table>
<table><tr><th>event</th><th></th></tr>${widget.events.map(([name, meaning]) => `<tr><td><code>${escapeHtml(name)}</code></td><td>${escapeHtml(meaning)}</td></tr>`).join('')}</table>
<p>Parts: ${widget.parts.map((part) => `<code>${part}</code>`).join(' ')}</p></section>`,
    )
    .join('\n');
  return `<p>Two lines put osv on any page: the loader (with the site's publishable key) and a widget. Elements are defined when
they appear, each loading only its own code.</p>
<pre>${escapeHtml(`<script type="module" src="${loader}" data-key="pk_…"></script>\n<osv-catalog></osv-catalog>`)}</pre>
${pinned}
<h2 id="identify">Signing members in</h2>
<p>Browsing works with the publishable key alone. Enrolling (and anything personal) needs the member's short-lived access token:
your backend exchanges its secret key and its own user id for one, and the page hands it over. Secret keys never go in a page.</p>
<pre>${escapeHtml(`# on your server
curl -X POST ${origin}/api/v1/auth/embed-token -H "Authorization: Bearer sk_…" \\
  -H "Content-Type: application/json" -d '{"userId": "your-user-42", "email": "ada@example.edu"}'`)}</pre>
<pre>${escapeHtml(`<script>
  window.osv = window.osv || [];            // works before the loader has arrived
  osv.push(['identify', { token: 'eyJ…', refresh: () => fetch('/my/osv-token').then((r) => r.text()) }]);
  osv.push(['on', 'enrolled', (detail) => console.log('enrolled', detail)]);
</script>`)}</pre>
<p>Commands: <code>['init', {key, api, locale}]</code>, <code>['identify', {token, refresh}]</code>, <code>['signOut']</code>,
<code>['locale', 'es']</code>, <code>['on', eventName, listener]</code>. Inside an LTI launch the token comes from the launch.</p>
<h2>Widgets</h2>${widgets}
<h2>Theming</h2><p>Set custom properties on the widget or any ancestor, and restyle parts with <code>::part()</code>:</p>
<pre>${escapeHtml(`osv-catalog { --osv-accent: #0b7a53; --osv-radius: 2px; }\nosv-catalog::part(option-active) { outline: 2px solid #0b7a53; }`)}</pre>
<table><tr><th>property</th><th>default</th></tr>${themeProperties.map(([name, fallback]) => `<tr><td><code>${name}</code></td><td><code>${escapeHtml(fallback)}</code></td></tr>`).join('')}</table>
<h2>Language and accessibility</h2><p>English and Spanish ship; the widget follows its own <code>lang</code> or <code>locale</code>, then
<code>data-locale</code> on the script tag, then the page's <code>lang</code>. Every widget works by keyboard, announces changes to
screen readers, shows focus, and stops animating under <code>prefers-reduced-motion</code>.</p>
<h2>Content Security Policy</h2><p>A site with a CSP needs:</p>
<pre>script-src ${escapeHtml(origin)}; connect-src ${escapeHtml(origin)}</pre>
<p>Paid courses redirect to Stripe-hosted Checkout; no card field is ever on your page.</p>`;
}

/** `/widgets/demo` (the widgets on this server, with the key given in the form) and `/widgets/docs`. */
export function widgetPages(publicUrl: string): Router {
  const origin = new URL(publicUrl).origin;
  const router = express.Router();
  router.get('/widgets/demo', (req, res) => {
    const query = {
      key: param(req.query.key, /^pk_[A-Za-z0-9_-]{10,64}$/),
      course: param(req.query.course, /^[A-Za-z0-9_-]{1,100}$/),
      lang: param(req.query.lang, /^(en|es)$/) || 'en',
    };
    const head = query.key ? `<script type="module" src="/widgets/v1/loader.js" data-key="${escapeHtml(query.key)}"></script>` : '';
    sendPage(res, { title: 'Widgets demo', lang: query.lang, head, body: demoBody(origin, query) });
  });
  router.get('/widgets/docs', (_req, res) => {
    sendPage(res, { title: 'Embedding osv widgets', body: docsBody(origin) });
  });
  return router;
}

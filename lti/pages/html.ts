import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (char) => ESCAPES[char]!);
}

/** JSON safe to place inside a `<script type="application/json">` element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export interface Page {
  title: string;
  body: string;
  /** Inline script, allowed by this page's CSP nonce. */
  script?: string;
  /** Extra script URLs (same origin). */
  scripts?: string[];
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#fff}
main{max-width:52rem;margin:0 auto;padding:1rem 1.25rem}h1{font-size:1.4rem;margin:.2rem 0 1rem}
.card{border:1px solid #d6dae3;border-radius:.5rem;padding:.8rem 1rem;margin:.6rem 0}
.muted{color:#5b6478;font-size:.9rem}code{background:#f1f3f7;padding:.05rem .3rem;border-radius:.25rem}
button,.button{font:inherit;padding:.45rem .9rem;border-radius:.4rem;border:1px solid #2850c8;background:#2850c8;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
.error{border-color:#c83232}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;vertical-align:top}`;

/**
 * Sends an LTI page. LMSs show these inside an iframe, so framing is allowed (helmet's defaults
 * forbid it); scripts run only with this response's nonce; nothing is cached.
 */
export function sendPage(res: Response, status: number, page: Page, options: { formAction?: string[] } = {}): void {
  const nonce = randomBytes(16).toString('base64');
  const formAction = ["'self'", ...(options.formAction ?? [])].join(' ');
  res.removeHeader('X-Frame-Options');
  res.removeHeader('Cross-Origin-Embedder-Policy');
  // Dynamic registration pages talk to window.opener; same-origin COOP would cut that link.
  res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src 'self'; frame-ancestors *; form-action ${formAction}; base-uri 'none'; object-src 'none'`,
  );
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const scripts = (page.scripts ?? []).map((src) => `<script type="module" src="${escapeHtml(src)}"></script>`).join('');
  const inline = page.script ? `<script nonce="${nonce}">${page.script}</script>` : '';
  res
    .status(status)
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
        `<title>${escapeHtml(page.title)} · Open Study Volt</title><style>${STYLE}</style></head>` +
        `<body><main>${page.body}</main>${inline}${scripts}</body></html>`,
    );
}

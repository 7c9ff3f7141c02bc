import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { OsvError, type PluginContext } from '../../../core/plugin-api.js';
import { type ChunkRow, type MaterialRow, TABLES } from '../tables.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The page a citation opens: the material as students read it, each passage anchored
 * (`#chunk-<n>`, and `#page-<n>` where a page starts). Citation links carry the material's own
 * reading key, so they open in a new tab without credentials and lead to that material only.
 */
export function readingPage(ctx: PluginContext): void {
  ctx.http.route({
    method: 'get',
    path: '/materials/:id/view',
    summary: 'Read a material (the page citation links open); needs the key from a citation link',
    access: 'public',
    params: z.object({ id: z.uuid() }),
    query: z.object({ tenant: z.string().min(1), access: z.string().min(1).max(100) }),
    handler: async ({ params, query, tenantId, res }) => {
      if (!tenantId) throw new OsvError('OSV_ERR_TENANT_NOT_FOUND');
      const scope = ctx.db.forTenant(tenantId);
      const material = await scope.findOne<MaterialRow>(TABLES.materials, { id: params.id });
      if (!material?.current_version_id || !sameKey(query.access, material.view_key)) {
        throw new OsvError('OSV_ERR_NOT_FOUND', 'No such material, or the link is not valid any more; ask the tutor again for a fresh link');
      }
      const chunks = await scope.select<ChunkRow>(TABLES.chunks, { version_id: material.current_version_id }, { orderBy: 'position' });
      let page: number | null = null;
      let headings = '';
      const sections = chunks.map((chunk) => {
        const pageAnchor = chunk.page !== null && chunk.page !== page ? `<span id="page-${chunk.page}"></span><p><small>Page ${chunk.page}</small></p>` : '';
        page = chunk.page;
        const path = chunk.heading_path.join(' › ');
        const heading = path && path !== headings ? `<h2>${escapeHtml(path)}</h2>` : '';
        headings = path;
        const paragraphs = chunk.text.split('\n\n').map((text) => `<p>${escapeHtml(text)}</p>`).join('');
        return `${pageAnchor}${heading}<section id="chunk-${chunk.position}">${paragraphs}</section>`;
      });
      res
        .status(200)
        .type('html')
        .set('cache-control', 'private, no-store')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(material.title)}</title></head><body><main><h1>${escapeHtml(material.title)}</h1>${sections.join('\n')}</main></body></html>`);
    },
  });
}

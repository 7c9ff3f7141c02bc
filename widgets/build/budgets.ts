import type { WidgetTag } from '../src/widget-tags.js';

/** Gzip budgets from issue 4: what a page downloads for a set of widgets, loader included. */
export const budgets: Array<{ label: string; tags: WidgetTag[]; maxGzipBytes: number }> = [
  { label: 'loader', tags: [], maxGzipBytes: 3 * 1024 },
  { label: 'loader + Lit + <osv-tutor>', tags: ['osv-tutor'], maxGzipBytes: 25 * 1024 },
  { label: 'loader + Lit + <osv-catalog> + <osv-enroll>', tags: ['osv-catalog', 'osv-enroll'], maxGzipBytes: 20 * 1024 },
];

/** Bundle entry: defines `<osv-catalog>` (and the `<osv-enroll>` it contains). */
export { OsvCatalog } from './osv-catalog.js';

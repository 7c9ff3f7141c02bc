/** Bundle entry: defines `<osv-enroll>`. */
export { OsvEnroll } from './osv-enroll.js';

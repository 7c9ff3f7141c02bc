/** Bundle entry: defines `<osv-tutor>`. */
export { OsvTutor } from './osv-tutor.js';

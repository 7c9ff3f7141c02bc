import type { OsvPlugin } from '../core/plugin-api.js';
import example from './example/plugin.js';

/** The first-party plugins shipped with osv, in no particular order (the registry sorts them). */
export const firstPartyPlugins: OsvPlugin[] = [example];

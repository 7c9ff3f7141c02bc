import { createRequire } from 'node:module';
import { guardedAgents } from '../egress/lms-egress.js';

/**
 * ltijs makes every LMS call (token endpoint, AGS, NRPS) with one got instance, its module
 * `dist/Utils/Http.js`, and offers no way to pass it an agent. This module replaces that
 * module's export, before ltijs loads it, with the same instance bound to osv's guarded agents:
 * ltijs's connections then obey the policy of the `LmsEgress.run` they are made in (strict
 * outside any). Imported first by the modules that import ltijs.
 */
const require = createRequire(import.meta.url);
const httpModule = require.resolve('ltijs/dist/Utils/Http.js');
const loadedBefore = ['ltijs/dist/Utils/Auth.js', 'ltijs/dist/Provider/Services/Grade.js'].some((path) => require.resolve(path) in require.cache);
if (loadedBefore) throw new Error('ltijs was loaded before osv could guard its HTTP client (import lti/ltijs/ltijs-egress.js first)');

interface Got {
  extend(options: Record<string, unknown>): Got;
}

const original = require(httpModule) as Got;
const cached = require.cache[httpModule];
if (!cached) throw new Error('ltijs HTTP client module is not cached');
cached.exports = original.extend({ agent: { http: guardedAgents.http, https: guardedAgents.https } });

export const ltijsEgressGuarded = true;

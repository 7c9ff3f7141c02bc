import type { OsvPlugin } from '../core/plugin-api.js';
import aiTutor from './ai-tutor/plugin.js';
import email from './email/plugin.js';
import enrollment from './enrollment/plugin.js';
import example from './example/plugin.js';
import payments from './payments/plugin.js';
import quiz from './quiz/plugin.js';

/** The first-party plugins shipped with osv, in no particular order (the registry sorts them). */
export const firstPartyPlugins: OsvPlugin[] = [example, enrollment, payments, email, quiz, aiTutor];

import type { MemberRole } from '../../core/tenancy/users.js';

const INSTRUCTOR_ROLES = new Set(['instructor', 'teachingassistant', 'contentdeveloper', 'administrator']);
const ADMIN_ROLES = new Set(['administrator', 'sysadmin']);

/**
 * The role a name designates, however the LMS spelled it: id_tokens carry full URIs
 * (`…/membership#Instructor`, `…/membership/Instructor#TeachingAssistant`), NRPS answers in Moodle
 * carry short names (`Instructor`), LTI 1.1 leftovers use `urn:lti:role:…`.
 */
function parse(role: string): { scope: 'system' | 'institution' | 'context'; name: string } {
  const lowered = role.trim().toLowerCase();
  const scope = lowered.includes('/system/') || lowered.includes(':sysrole:') ? 'system' : lowered.includes('/institution/') || lowered.includes(':instrole:') ? 'institution' : 'context';
  const name = lowered.split(/[#/]/).pop() ?? lowered;
  return { scope, name };
}

/**
 * LTI roles → osv role. LMS-wide administrators administer osv for the tenant; instructors,
 * teaching assistants, content developers and course administrators teach; everyone else
 * (learners, mentors, guests, no role) learns.
 */
export function osvRoleOf(roles: string[]): MemberRole {
  const parsed = roles.map(parse);
  if (parsed.some((role) => role.scope !== 'context' && ADMIN_ROLES.has(role.name))) return 'admin';
  if (parsed.some((role) => role.scope === 'context' && INSTRUCTOR_ROLES.has(role.name))) return 'instructor';
  return 'learner';
}

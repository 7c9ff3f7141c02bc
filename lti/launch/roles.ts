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

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2/';
const LEGACY = [
  { prefix: 'urn:lti:role:ims/lis/', to: (name: string) => contextRole(name) },
  { prefix: 'urn:lti:instrole:ims/lis/', to: (name: string) => `${LIS}institution/person#${name}` },
  { prefix: 'urn:lti:sysrole:ims/lis/', to: (name: string) => `${LIS}system/person#${name}` },
];

/** A context role by name: `Instructor`, `Instructor/TeachingAssistant` or `Instructor#TeachingAssistant`. */
function contextRole(name: string): string {
  if (name === 'TeachingAssistant') return `${LIS}membership/Instructor#TeachingAssistant`;
  const [role, sub] = name.split(/[#/]/, 2);
  return sub ? `${LIS}membership/${role}#${sub}` : `${LIS}membership#${role}`;
}

/**
 * The one format osv stores LTI roles in: full LTI 1.3 role URIs, as id_tokens carry them. NRPS
 * answers (Moodle's) use short context role names and LTI 1.1 leftovers `urn:lti:…` names; both
 * become URIs. Migration 0002 converts rows stored before with the same rules.
 */
export function canonicalRoles(roles: string[]): string[] {
  return roles.map((raw) => {
    const role = raw.trim();
    if (/^https?:\/\//i.test(role)) return role;
    const legacy = LEGACY.find((candidate) => role.startsWith(candidate.prefix));
    return legacy ? legacy.to(role.slice(legacy.prefix.length)) : contextRole(role);
  });
}

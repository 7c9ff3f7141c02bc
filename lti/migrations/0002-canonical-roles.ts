import { defineMigration } from '../../core/db/migration-api.js';

/**
 * Member roles in one format: full LTI 1.3 role URIs. Roster syncs stored Moodle's short NRPS names
 * (`Instructor`) and LTI 1.1 names (`urn:lti:role:ims/lis/Instructor`) as they came; launches
 * stored URIs. Same rules as `canonicalRoles` (lti/launch/roles.ts), frozen here.
 */
export default defineMigration({
  name: '0002-canonical-roles',
  async up({ sql }) {
    const lis = 'http://purl.imsglobal.org/vocab/lis/v2/';
    await sql(
      `WITH canonical AS (
        SELECT m.context_ref, m.user_id, array_agg(
          CASE
            WHEN r ~* '^https?://' THEN r
            WHEN r LIKE 'urn:lti:instrole:ims/lis/%' THEN $1::text || 'institution/person#' || substr(r, 26)
            WHEN r LIKE 'urn:lti:sysrole:ims/lis/%' THEN $1::text || 'system/person#' || substr(r, 25)
            ELSE (WITH name AS (SELECT CASE WHEN r LIKE 'urn:lti:role:ims/lis/%' THEN substr(r, 22) ELSE r END AS value)
              SELECT CASE
                WHEN value = 'TeachingAssistant' THEN $1::text || 'membership/Instructor#TeachingAssistant'
                WHEN value ~ '[#/]' THEN $1::text || 'membership/' || split_part(translate(value, '/', '#'), '#', 1) || '#' || split_part(translate(value, '/', '#'), '#', 2)
                ELSE $1::text || 'membership#' || value
              END FROM name)
          END ORDER BY i) AS roles
        FROM lti_memberships m, unnest(m.lti_roles) WITH ORDINALITY AS t(r, i)
        GROUP BY m.context_ref, m.user_id
      )
      UPDATE lti_memberships m SET lti_roles = canonical.roles FROM canonical
      WHERE m.context_ref = canonical.context_ref AND m.user_id = canonical.user_id AND m.lti_roles IS DISTINCT FROM canonical.roles`,
      [lis],
    );
  },
});

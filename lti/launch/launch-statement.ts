/**
 * Everything a launch writes besides the user, in one statement (one round trip on the hot path):
 * the course, the link with the service endpoints jobs will use later, the membership and the log
 * entry. Parts the launch lacks (no course, no link) are skipped by their WHERE clauses. Foreign
 * keys between these rows are checked at the end of the statement, when all of them exist.
 *
 * Parameters: $1 tenant, $2 deployment ref, $3 context id, $4 context title, $5 context label,
 * $6 memberships URL, $7 roster sync interval (ms), $8 resource link id, $9 link title,
 * $10 content item, $11 line items URL, $12 line item URL, $13 AGS scopes, $14 user id,
 * $15 role, $16 LTI roles, $17 log kind, $18 registration id, $19 deployment id, $20 message type,
 * $21 LMS user, $22 log detail.
 */
export const LAUNCH_STATEMENT = `
WITH course AS (
  INSERT INTO lti_contexts (tenant_id, deployment_ref, context_id, title, label, memberships_url, roster_sync_requested_at)
  SELECT $1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END WHERE $3::text IS NOT NULL
  ON CONFLICT (deployment_ref, context_id) DO UPDATE SET
    title = coalesce(EXCLUDED.title, lti_contexts.title),
    label = coalesce(EXCLUDED.label, lti_contexts.label),
    memberships_url = coalesce(EXCLUDED.memberships_url, lti_contexts.memberships_url),
    roster_sync_requested_at = CASE
      WHEN coalesce(EXCLUDED.memberships_url, lti_contexts.memberships_url) IS NOT NULL
        AND (lti_contexts.roster_sync_requested_at IS NULL
          OR lti_contexts.roster_sync_requested_at < now() - make_interval(secs => $7::int / 1000.0))
      THEN now() ELSE lti_contexts.roster_sync_requested_at END,
    updated_at = now()
  WHERE lti_contexts.tenant_id = $1
  RETURNING id, title, (memberships_url IS NOT NULL AND roster_sync_requested_at = now()) AS roster_sync_due
), link AS (
  INSERT INTO lti_resource_links (tenant_id, deployment_ref, context_ref, resource_link_id, title, content_item, lineitems_url, lineitem_url, ags_scopes)
  SELECT $1, $2, (SELECT id FROM course), $8, $9, $10, $11, $12, $13 WHERE $8::text IS NOT NULL
  ON CONFLICT (deployment_ref, resource_link_id) DO UPDATE SET
    context_ref = coalesce(EXCLUDED.context_ref, lti_resource_links.context_ref),
    title = coalesce(EXCLUDED.title, lti_resource_links.title),
    content_item = coalesce(EXCLUDED.content_item, lti_resource_links.content_item),
    lineitems_url = EXCLUDED.lineitems_url,
    lineitem_url = EXCLUDED.lineitem_url,
    ags_scopes = EXCLUDED.ags_scopes,
    updated_at = now()
  WHERE lti_resource_links.tenant_id = $1
  RETURNING id, title, content_item
), previous AS (
  SELECT m.status FROM lti_memberships m JOIN course ON m.context_ref = course.id WHERE m.tenant_id = $1 AND m.user_id = $14
), membership AS (
  INSERT INTO lti_memberships (tenant_id, context_ref, user_id, role, lti_roles, status, source)
  SELECT $1, course.id, $14, $15, $16, 'active', 'launch' FROM course
  ON CONFLICT (context_ref, user_id) DO UPDATE SET role = EXCLUDED.role, lti_roles = EXCLUDED.lti_roles, status = 'active', updated_at = now()
  WHERE lti_memberships.tenant_id = $1
  RETURNING coalesce((SELECT status FROM previous), 'inactive') <> 'active' AS added
), logged AS (
  INSERT INTO lti_launch_log (tenant_id, kind, outcome, registration_id, deployment_id, message_type, lms_user, user_id, context_ref, detail)
  SELECT $1, $17, 'success', $18, $19, $20, $21, $14, (SELECT id FROM course), $22
)
SELECT (SELECT id FROM course) AS context_ref, (SELECT title FROM course) AS context_title,
  coalesce((SELECT roster_sync_due FROM course), false) AS roster_sync_due,
  (SELECT id FROM link) AS link_ref, (SELECT title FROM link) AS link_title, (SELECT content_item FROM link) AS content_item,
  coalesce((SELECT added FROM membership), false) AS membership_added`;

export interface LaunchStatementRow {
  context_ref: string | null;
  context_title: string | null;
  roster_sync_due: boolean;
  link_ref: string | null;
  link_title: string | null;
  content_item: string | null;
  membership_added: boolean;
}

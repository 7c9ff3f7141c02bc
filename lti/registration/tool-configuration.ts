/** What osv asks of an LMS, shared by dynamic registration, the Canvas JSON and the setup guide. */

export const TOOL_NAME = 'Open Study Volt';
export const TOOL_DESCRIPTION = 'AI tutor, quizzes and progress for your course, from Open Study Volt.';

export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadonly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

export const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

export const TOOL_SCOPES = [...Object.values(AGS_SCOPES), NRPS_SCOPE];

/** Claims osv needs to name people (Canvas shares them only at privacy level "public"). */
export const TOOL_CLAIMS = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'];

/** Messages osv handles and where Canvas shows them. */
export const TOOL_MESSAGES = [
  { type: 'LtiResourceLinkRequest', label: TOOL_NAME, placements: ['course_navigation'] },
  {
    type: 'LtiDeepLinkingRequest',
    label: `Add ${TOOL_NAME} content`,
    placements: ['link_selection', 'assignment_selection'],
    supported_types: ['ltiResourceLink'],
  },
] as const;

/** Canvas's cloud endpoints (self-hosted Canvas uses its own domain instead). */
export const CANVAS_CLOUD = {
  issuer: 'https://canvas.instructure.com',
  authorizationEndpoint: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
  tokenEndpoint: 'https://sso.canvaslms.com/login/oauth2/token',
  jwksUri: 'https://sso.canvaslms.com/api/lti/security/jwks',
} as const;

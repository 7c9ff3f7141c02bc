import { z } from 'zod';
import { OsvError } from '../../core/errors.js';
import { canonicalRoles } from './roles.js';

const LTI = 'https://purl.imsglobal.org/spec/lti/claim/';
const AGS = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const NRPS = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
const DEEP_LINKING = 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings';

const optionalText = z.string().max(2000).optional().catch(undefined);
const url = z.url().max(2000);
/**
 * An optional URL where an empty string means "none": Moodle 4.5 sends `"lineitem": ""` on every
 * launch of an activity whose gradebook column osv created through AGS.
 */
const optionalUrl = z.preprocess((value) => (value === '' || value === null ? undefined : value), url.optional());

/** The LTI 1.3 claims osv relies on; anything else in the id_token is ignored. */
const claimsSchema = z
  .object({
    sub: z.string().min(1).max(255),
    name: optionalText,
    given_name: optionalText,
    family_name: optionalText,
    email: z.email().max(320).optional().catch(undefined),
    [`${LTI}message_type`]: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']),
    [`${LTI}version`]: z.literal('1.3.0'),
    [`${LTI}deployment_id`]: z.string().min(1).max(255),
    [`${LTI}roles`]: z.array(z.string().max(500)).max(100),
    [`${LTI}target_link_uri`]: url.optional(),
    [`${LTI}resource_link`]: z.object({ id: z.string().min(1).max(255), title: optionalText, description: optionalText }).optional(),
    [`${LTI}context`]: z.object({ id: z.string().min(1).max(255), title: optionalText, label: optionalText }).optional(),
    [`${LTI}custom`]: z.record(z.string(), z.unknown()).optional().catch(undefined),
    [`${LTI}tool_platform`]: z.object({ product_family_code: optionalText, name: optionalText }).optional().catch(undefined),
    [`${LTI}launch_presentation`]: z.object({ return_url: url.optional(), document_target: optionalText }).optional().catch(undefined),
    [AGS]: z.object({ scope: z.array(z.string()).default([]), lineitems: optionalUrl, lineitem: optionalUrl }).optional(),
    [NRPS]: z.object({ context_memberships_url: url, service_versions: z.array(z.string()).optional() }).optional(),
    [DEEP_LINKING]: z
      .object({
        deep_link_return_url: url,
        accept_types: z.array(z.string()).min(1),
        accept_presentation_document_targets: z.array(z.string()).optional(),
        accept_multiple: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
        auto_create: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
        title: optionalText,
        text: optionalText,
        data: z.string().max(4000).optional(),
      })
      .optional(),
  })
  .superRefine((claims, issues) => {
    const type = claims[`${LTI}message_type`];
    if (type === 'LtiResourceLinkRequest' && !claims[`${LTI}resource_link`]) {
      issues.addIssue({ code: 'custom', path: [`${LTI}resource_link`], message: 'a resource link launch needs resource_link.id' });
    }
    if (type === 'LtiDeepLinkingRequest' && !claims[DEEP_LINKING]) {
      issues.addIssue({ code: 'custom', path: [DEEP_LINKING], message: 'a deep-linking request needs deep_linking_settings' });
    }
  });

type RawClaims = z.infer<typeof claimsSchema>;

export interface DeepLinkingSettings {
  returnUrl: string;
  acceptTypes: string[];
  acceptMultiple: boolean;
  data?: string;
  title?: string;
}

/** A launch's claims, named for osv. */
export interface LaunchClaims {
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  subject: string;
  name?: string;
  email?: string;
  deploymentId: string;
  roles: string[];
  targetLinkUri?: string;
  resourceLink?: { id: string; title?: string };
  context?: { id: string; title?: string; label?: string };
  custom: Record<string, string>;
  product?: string;
  returnUrl?: string;
  ags?: { scopes: string[]; lineItemsUrl?: string; lineItemUrl?: string };
  membershipsUrl?: string;
  deepLinking?: DeepLinkingSettings;
}

/** Validates the LTI claims; every missing or wrong claim is named in the error's details. */
export function parseLaunchClaims(payload: Record<string, unknown>): LaunchClaims {
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({ field: issue.path.map(String).join('.'), issue: issue.message }));
    throw new OsvError(
      'OSV_ERR_LTI_CLAIMS_INVALID',
      `Required LTI claims are missing or wrong: ${details.map((detail) => detail.field.replace(LTI, '')).join(', ')}`,
      details,
    );
  }
  return toLaunchClaims(parsed.data);
}

function toLaunchClaims(raw: RawClaims): LaunchClaims {
  const ags = raw[AGS];
  const deepLinking = raw[DEEP_LINKING];
  const name = raw.name ?? ([raw.given_name, raw.family_name].filter(Boolean).join(' ') || undefined);
  return {
    messageType: raw[`${LTI}message_type`],
    subject: raw.sub,
    name,
    email: raw.email,
    deploymentId: raw[`${LTI}deployment_id`],
    roles: canonicalRoles(raw[`${LTI}roles`]),
    targetLinkUri: raw[`${LTI}target_link_uri`],
    resourceLink: raw[`${LTI}resource_link`],
    context: raw[`${LTI}context`],
    custom: Object.fromEntries(Object.entries(raw[`${LTI}custom`] ?? {}).map(([key, value]) => [key, String(value)])),
    product: raw[`${LTI}tool_platform`]?.product_family_code,
    returnUrl: raw[`${LTI}launch_presentation`]?.return_url,
    ags: ags && { scopes: ags.scope, lineItemsUrl: ags.lineitems, lineItemUrl: ags.lineitem },
    membershipsUrl: raw[NRPS]?.context_memberships_url,
    deepLinking: deepLinking && {
      returnUrl: deepLinking.deep_link_return_url,
      acceptTypes: deepLinking.accept_types,
      acceptMultiple: deepLinking.accept_multiple === undefined ? true : String(deepLinking.accept_multiple) === 'true',
      data: deepLinking.data,
      title: deepLinking.title,
    },
  };
}

import { z } from 'zod';
import { CANVAS_CLOUD } from '../registration/tool-configuration.js';
import type { RegistrationInput } from './registrations.js';

const endpoint = z.url().max(2000);
const deploymentId = z.string().min(1).max(255);

/**
 * A registration entered by hand (admin API, CLI): the values the LMS shows. `preset:
 * "canvas-cloud"` fills Instructure-hosted Canvas's issuer and endpoints.
 */
export const manualRegistrationSchema = z
  .object({
    name: z.string().min(1).max(200).optional(),
    preset: z.enum(['canvas-cloud']).optional(),
    issuer: z.string().min(1).max(500).optional(),
    clientId: z.string().min(1).max(255),
    authorizationEndpoint: endpoint.optional(),
    tokenEndpoint: endpoint.optional(),
    authorizationServer: z.string().min(1).max(2000).optional(),
    jwksUri: endpoint.optional(),
    product: z.string().min(1).max(50).optional(),
    deploymentIds: z.array(deploymentId).max(100).default([]),
  })
  .superRefine((value, issues) => {
    if (value.preset) return;
    for (const field of ['issuer', 'authorizationEndpoint', 'tokenEndpoint', 'jwksUri'] as const) {
      if (!value[field]) issues.addIssue({ code: 'custom', path: [field], message: 'is required (or use a preset)' });
    }
  });

export type ManualRegistration = z.infer<typeof manualRegistrationSchema>;

export function toRegistrationInput(manual: ManualRegistration): RegistrationInput {
  const preset = manual.preset === 'canvas-cloud' ? CANVAS_CLOUD : undefined;
  const issuer = manual.issuer ?? preset!.issuer;
  return {
    name: manual.name ?? (preset ? `Canvas (client ${manual.clientId})` : `${new URL(issuer.includes('://') ? issuer : `https://${issuer}`).host} (client ${manual.clientId})`),
    issuer,
    clientId: manual.clientId,
    authorizationEndpoint: manual.authorizationEndpoint ?? preset!.authorizationEndpoint,
    tokenEndpoint: manual.tokenEndpoint ?? preset!.tokenEndpoint,
    authorizationServer: manual.authorizationServer ?? null,
    jwksUri: manual.jwksUri ?? preset!.jwksUri,
    product: manual.product ?? (preset ? 'canvas' : null),
    source: 'manual',
    deploymentIds: manual.deploymentIds,
  };
}

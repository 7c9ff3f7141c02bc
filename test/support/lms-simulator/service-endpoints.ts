import { randomBytes } from 'node:crypto';
import express, { type Request } from 'express';
import { createLocalJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { LmsSimulator } from './lms-simulator.js';
import { type LineItem, newId } from './lms-model.js';

export interface ServiceRecords {
  tokenRequests: Array<{ clientId: string; scopes: string[]; kid: string | undefined; granted: boolean; error?: string }>;
  scores: Array<{ courseId: string; lineItemId: string; score: Record<string, unknown>; accepted: boolean }>;
  lineItemsCreated: LineItem[];
  rosterRequests: Array<{ courseId: string; url: string }>;
  deepLinkResponses: Array<{ payload: JWTPayload; kid: string | undefined }>;
  registrations: Array<{ body: Record<string, unknown>; clientId: string }>;
}

interface IssuedToken {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const LINE_ITEM_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const LINE_ITEM_READ_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly';
const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

/** The tool's public keys, fetched on every check: a revoked tool key fails at once. */
async function toolKeySet(jwksUrl: string) {
  const response = await fetch(jwksUrl);
  return createLocalJWKSet((await response.json()) as { keys: [] });
}

/** Token endpoint (client credentials with a signed client assertion), AGS, NRPS and the deep-linking return. */
export function installServiceEndpoints(app: express.Express, lms: LmsSimulator): void {
  const tokens = new Map<string, IssuedToken>();
  const usedAssertionIds = new Set<string>();

  app.post('/token', async (req, res) => {
    const body = req.body as Record<string, string>;
    const scopes = (body.scope ?? '').split(' ').filter(Boolean);
    const refuse = (error: string, clientId = '', kid?: string) => {
      lms.records.tokenRequests.push({ clientId, scopes, kid, granted: false, error });
      res.status(400).json({ error });
    };
    if (body.grant_type !== 'client_credentials' || body.client_assertion_type !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return refuse('unsupported_grant_type');
    }
    const unverified = JSON.parse(Buffer.from((body.client_assertion ?? '').split('.')[1] ?? '', 'base64url').toString() || '{}') as JWTPayload;
    const client = lms.clients.get(String(unverified.iss));
    if (!client) return refuse('invalid_client');
    let verified: { payload: JWTPayload; protectedHeader: { kid?: string } };
    try {
      verified = await jwtVerify(body.client_assertion!, await toolKeySet(client.jwksUrl), {
        algorithms: ['RS256'],
        issuer: client.clientId,
        subject: client.clientId,
        audience: `${lms.url}/token`,
      });
    } catch (error) {
      return refuse(`invalid_client: ${(error as Error).message}`, client.clientId);
    }
    const kid = verified.protectedHeader.kid;
    if (!verified.payload.jti || usedAssertionIds.has(verified.payload.jti)) return refuse('invalid_client: jti reused', client.clientId, kid);
    usedAssertionIds.add(verified.payload.jti);
    if (scopes.some((scope) => !client.scopes.includes(scope))) return refuse('invalid_scope', client.clientId, kid);
    const token = randomBytes(16).toString('hex');
    tokens.set(token, { clientId: client.clientId, scopes, expiresAt: Date.now() + 3600_000 });
    lms.records.tokenRequests.push({ clientId: client.clientId, scopes, kid, granted: true });
    // Lower-case token_type, as some LMSs send it.
    res.json({ access_token: token, token_type: 'bearer', expires_in: 3600, scope: scopes.join(' ') });
  });

  const bearer = (req: Request, scope: string): IssuedToken | undefined => {
    const token = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /i, ''));
    return token && token.expiresAt > Date.now() && token.scopes.includes(scope) ? token : undefined;
  };

  const json = express.json({ type: ['application/json', 'application/vnd.ims.lis.v2.lineitem+json', 'application/vnd.ims.lis.v1.score+json'] });

  app.get('/ags/:courseId/lineitems', (req, res) => {
    if (!bearer(req, LINE_ITEM_READ_SCOPE) && !bearer(req, LINE_ITEM_SCOPE)) return void res.status(401).send('Unauthorized');
    const course = lms.courses.get(req.params.courseId);
    if (!course) return void res.status(404).send('No course');
    const items = [...course.lineItems.values()].filter(
      (item) =>
        (!req.query.resource_link_id || item.resourceLinkId === req.query.resource_link_id) && (!req.query.tag || item.tag === req.query.tag),
    );
    res.type('application/vnd.ims.lis.v2.lineitemcontainer+json').send(JSON.stringify(items));
  });

  app.post('/ags/:courseId/lineitems', json, (req, res) => {
    if (!bearer(req, LINE_ITEM_SCOPE)) return void res.status(401).send('Unauthorized');
    const course = lms.courses.get(req.params.courseId);
    if (!course) return void res.status(404).send('No course');
    const body = req.body as Partial<LineItem>;
    if (!body.label || typeof body.scoreMaximum !== 'number') return void res.status(400).send('label and scoreMaximum are required');
    const item: LineItem = { ...body, id: `${lms.url}/ags/${course.id}/lineitems/${newId('item')}`, label: body.label, scoreMaximum: body.scoreMaximum };
    course.lineItems.set(item.id, item);
    lms.records.lineItemsCreated.push(item);
    res.status(201).type('application/vnd.ims.lis.v2.lineitem+json').send(JSON.stringify(item));
  });

  app.post('/ags/:courseId/lineitems/:itemId/scores', json, (req, res) => {
    if (!bearer(req, SCORE_SCOPE)) return void res.status(401).send('Unauthorized');
    const course = lms.courses.get(req.params.courseId);
    const lineItemId = `${lms.url}/ags/${req.params.courseId}/lineitems/${req.params.itemId}`;
    if (!course?.lineItems.has(lineItemId)) return void res.status(404).send('No such line item');
    if (!req.is('application/vnd.ims.lis.v1.score+json')) return void res.status(415).send('Wrong content type');
    const score = req.body as Record<string, unknown>;
    const member = course.members.get(String(score.userId));
    // Moodle's answer for anyone who is not an enrolled learner.
    const accepted = member?.role === 'Learner' && member.status === 'Active' && typeof score.timestamp === 'string';
    lms.records.scores.push({ courseId: course.id, lineItemId, score, accepted });
    if (!accepted) return void res.status(400).type('text/plain').send('Incorrect score received');
    res.status(204).end();
  });

  app.get('/nrps/:courseId/memberships', (req, res) => {
    if (!bearer(req, NRPS_SCOPE)) return void res.status(401).send('Unauthorized');
    const course = lms.courses.get(req.params.courseId);
    if (!course) return void res.status(404).send('No course');
    lms.records.rosterRequests.push({ courseId: course.id, url: req.originalUrl });
    const limit = 2;
    const offset = Number(req.query.offset ?? 0);
    const members = [...course.members.values()];
    const page = members.slice(offset, offset + limit).map(({ user, role, status }) => ({
      status,
      name: user.name,
      email: user.email,
      user_id: user.id,
      // Moodle's NRPS answers with short role names, unlike its id_tokens.
      roles: [role],
    }));
    if (offset + limit < members.length) res.setHeader('Link', `<${lms.url}/nrps/${course.id}/memberships?offset=${offset + limit}>; rel="next"`);
    res.type('application/vnd.ims.lti-nrps.v2.membershipcontainer+json').send(
      JSON.stringify({ id: `${lms.url}/nrps/${course.id}/memberships`, context: { id: course.id, label: course.label, title: course.title }, members: page }),
    );
  });

  app.post('/deep-link-return', async (req, res) => {
    const jwt = (req.body as { JWT?: string }).JWT;
    const unverified = JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString() || '{}') as JWTPayload;
    const client = lms.clients.get(String(unverified.iss));
    if (!jwt || !client) return void res.status(400).send('Unknown tool');
    try {
      const { payload, protectedHeader } = await jwtVerify(jwt, await toolKeySet(client.jwksUrl), {
        algorithms: ['RS256'],
        issuer: client.clientId,
        audience: lms.issuer,
      });
      if (payload['https://purl.imsglobal.org/spec/lti/claim/message_type'] !== 'LtiDeepLinkingResponse') throw new Error('wrong message type');
      if (!client.deploymentIds.includes(String(payload['https://purl.imsglobal.org/spec/lti/claim/deployment_id']))) throw new Error('wrong deployment');
      lms.records.deepLinkResponses.push({ payload, kid: protectedHeader.kid });
      res.type('html').send('<!doctype html><p id="lms-deep-link-done">Content added to the course.</p>');
    } catch (error) {
      res.status(400).send(`Invalid deep-linking response: ${(error as Error).message}`);
    }
  });
}

import { decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execute, selectRows } from '../../../core/db/database.js';
import { decryptText } from '../../../core/secrets.js';
import { createTenant, type Tenancy } from '../../support/harness.js';
import type { Course, SimUser, ToolClient } from '../../support/lms-simulator/lms-model.js';
import type { LmsSimulator } from '../../support/lms-simulator/lms-simulator.js';
import { LtiLaunchClient, pageData } from '../../support/lti-launch-client.js';
import { type ConnectedLms, type LtiTestPlatform, startConnectedLms } from '../../support/lti-platform.js';

let connected: ConnectedLms;
let platform: LtiTestPlatform;
let lms: LmsSimulator;
let acme: Tenancy;
let globex: Tenancy;
let client: ToolClient;
let course: Course;
let grace: SimUser;

beforeAll(async () => {
  connected = await startConnectedLms({ enable: 'example' });
  ({ platform, lms, acme, client } = connected);
  globex = await createTenant(platform.kernel, 'globex');
  course = lms.addCourse('Keys');
  grace = lms.addUser('Grace Teacher');
  lms.enroll(course, grace, 'Instructor');
});
afterAll(() => connected?.close());

const jwks = async (slug = 'acme') => (await platform.http.get(`/lti/tenants/${slug}/jwks.json`)).body as { keys: Array<Record<string, unknown>> };

/** Signs something for the LMS (a deep-linking response) and says with which kid, and whether the LMS accepted it. */
async function signedByTool(): Promise<{ kid: string | undefined; accepted: boolean }> {
  const steps = await new LtiLaunchClient().launch(
    platform.lti.urls.login,
    lms.prepareLaunch({ clientId: client.clientId, user: grace, course, messageType: 'LtiDeepLinkingRequest' }),
  );
  const picker = pageData<{ requestId: string; session: { token: string } }>(steps.launch!.body);
  const answer = await platform.http
    .post(`/api/v1/lti/deep-links/${picker.requestId}/response`)
    .set('Authorization', `Bearer ${picker.session.token}`)
    .send({ items: ['example:notes'] });
  const returned = await new LtiLaunchClient().post(answer.body.returnUrl, { JWT: answer.body.jwt });
  return { kid: decodeProtectedHeader(answer.body.jwt).kid, accepted: returned.status === 200 };
}

describe('tool keys: JWKS with kids, rotation with overlap, immediate revocation, sealed private keys', () => {
  it('publishes one RS256 public key per tenant, with a dated kid and no private part', async () => {
    const { keys } = await jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.stringMatching(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{12}$/) });
    expect(keys[0]).not.toHaveProperty('d');
    expect((await jwks('globex')).keys[0]!.kid).not.toBe(keys[0]!.kid);
  });

  it('answers an unknown tenant’s documents with a JSON 404 and a stable code, whatever the browser accepts', async () => {
    for (const document of ['jwks.json', 'canvas.json']) {
      for (const accept of ['text/html', 'application/json', '*/*']) {
        const response = await platform.http.get(`/lti/tenants/nobody/${document}`).set('Accept', accept);
        expect(response.status).toBe(404);
        expect(response.headers['content-type']).toMatch(/^application\/json/);
        expect(response.body.error.code).toBe('OSV_ERR_TENANT_NOT_FOUND');
      }
    }
  });

  it('stores private keys encrypted with the platform key', async () => {
    const [row] = await selectRows<{ private_key_sealed: string }>(platform.kernel.db, 'SELECT private_key_sealed FROM lti_tool_keys WHERE tenant_id = $1', [acme.tenantId]);
    expect(row!.private_key_sealed).toMatch(/^v1\./);
    expect(row!.private_key_sealed).not.toContain('PRIVATE KEY');
    expect(decryptText(platform.kernel.secrets.encryptionKey, row!.private_key_sealed)).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('rotates: the new key signs at once, the previous one stays published until its overlap ends', async () => {
    const [first] = (await jwks()).keys;
    const rotated = await platform.http.post('/api/v1/lti/keys/rotate').set('Authorization', acme.admin).send({ overlapMinutes: 30 });
    expect(rotated.status).toBe(201);
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([rotated.body.kid, first!.kid]);
    expect(await signedByTool()).toEqual({ kid: rotated.body.kid, accepted: true });
    const listed = await platform.http.get('/api/v1/lti/keys').set('Authorization', acme.admin);
    expect(listed.body.find((key: { kid: string }) => key.kid === first!.kid)).toMatchObject({ status: 'retiring', published: true });
    expect(JSON.stringify(listed.body)).not.toContain('private');
    await execute(platform.kernel.db, `UPDATE lti_tool_keys SET retires_at = now() - interval '1 second' WHERE kid = $1`, [first!.kid]);
    expect((await jwks()).keys.map((key) => key.kid)).toEqual([rotated.body.kid]);
  });

  it('revokes at once: unpublished, never used again; revoking the active key makes a new one', async () => {
    const [active] = (await jwks()).keys;
    const revoked = await platform.http.post(`/api/v1/lti/keys/${active!.kid}/revoke`).set('Authorization', acme.admin);
    expect(revoked.status).toBe(204);
    const { keys } = await jwks();
    expect(keys.map((key) => key.kid)).not.toContain(active!.kid);
    expect(keys).toHaveLength(1);
    const signed = await signedByTool();
    expect(signed).toEqual({ kid: keys[0]!.kid, accepted: true });
    await expect(platform.lti.toolKeys.privateKeyPem(String(active!.kid))).rejects.toThrow(/revoked/);
  });

  it('keeps keys to their tenant and their admins', async () => {
    const [acmeKey] = (await jwks()).keys;
    expect((await platform.http.post(`/api/v1/lti/keys/${acmeKey!.kid}/revoke`).set('Authorization', globex.admin)).status).toBe(404);
    expect((await platform.http.post('/api/v1/lti/keys/rotate').set('Authorization', acme.instructor).send({})).status).toBe(403);
    expect((await jwks()).keys[0]!.kid).toBe(acmeKey!.kid);
  });

  it('refuses to start with another encryption key, and says which setting to restore', async () => {
    await expect(platform.restart({ env: { OSV_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') } })).rejects.toThrow(/OSV_ENCRYPTION_KEY/);
  });
});

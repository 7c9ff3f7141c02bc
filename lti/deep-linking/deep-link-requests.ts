import type { Db } from '../../core/db/database.js';
import { TenantScope } from '../../core/db/tenant-scope.js';
import { OsvError } from '../../core/errors.js';
import type { DeepLinkingSettings } from '../launch/claims.js';

export interface DeepLinkRequest {
  id: string;
  tenant_id: string;
  deployment_ref: string;
  user_id: string;
  settings: DeepLinkingSettings;
  created_at: string;
  expires_at: string;
  responded_at: string | null;
}

/** Deep-linking requests waiting for the instructor who launched them. */
export class DeepLinkRequests {
  constructor(private readonly db: Db) {}

  /** Claims the request for an answer: only its instructor, only once, only before it expires. */
  async claim(tenantId: string, id: string, userId: string): Promise<DeepLinkRequest> {
    const scope = new TenantScope(this.db, tenantId);
    const [claimed] = await scope.query<DeepLinkRequest>(
      `UPDATE lti_deep_link_requests SET responded_at = now()
       WHERE tenant_id = $1 AND id = $2 AND user_id = $3 AND responded_at IS NULL AND expires_at > now() RETURNING *`,
      [id, userId],
    );
    if (claimed) return claimed;
    const existing = await scope.findOne<DeepLinkRequest>('lti_deep_link_requests', { id, user_id: userId });
    if (!existing) throw new OsvError('OSV_ERR_NOT_FOUND', 'No such content selection for you');
    throw new OsvError('OSV_ERR_LTI_DEEP_LINK_CLOSED');
  }

  /** Gives the request back when the answer could not be produced. */
  async release(tenantId: string, id: string): Promise<void> {
    await new TenantScope(this.db, tenantId).update('lti_deep_link_requests', { id }, { responded_at: null });
  }
}

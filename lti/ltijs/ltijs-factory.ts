import './ltijs-egress.js';
import { createHmac } from 'node:crypto';
import LtijsSequelize from 'ltijs-sequelize';
import type { Db } from '../../core/db/database.js';
import type { Logger } from '../../core/logger.js';
import type { LmsEgress } from '../egress/lms-egress.js';
import type { ToolKeyStore } from '../keys/tool-keys.js';
import type { PlatformResolver } from '../registry/platform-resolver.js';
import { LtijsGateway } from './ltijs-gateway.js';
import { OsvLtijsStore } from './ltijs-store.js';
import { RegistrationScope } from './registration-scope.js';

export interface LtijsWiring {
  /** osv's own pool: ltijs-sequelize opens a small one of its own to the same database. */
  db: Db;
  encryptionKey: Buffer;
  resolver: PlatformResolver;
  toolKeys: ToolKeyStore;
  launchPath: string;
  tokenMaxAgeSeconds: number;
  serviceTimeoutMs: number;
  egress: LmsEgress;
  log: Logger;
}

/** ltijs + ltijs-sequelize on osv's PostgreSQL, behind the LtiGateway interface. */
export function createLtijsGateway(wiring: LtijsWiring): LtijsGateway {
  const { database, username, password, host, port } = wiring.db.config;
  const sessions = new LtijsSequelize(database, username, password ?? undefined, {
    host,
    port: Number(port),
    dialect: 'postgres',
    logging: false,
    pool: { max: 4, min: 0, idle: 10_000 },
    // Its tables go to the `ltijs` schema (created by the lti migration), apart from osv's:
    // `schema` for what Sequelize qualifies itself, search_path for what it does not.
    schema: 'ltijs',
    dialectOptions: { options: '-c search_path=ltijs' },
  });
  const scope = new RegistrationScope();
  const store = new OsvLtijsStore(sessions, { resolver: wiring.resolver, toolKeys: wiring.toolKeys, scope });
  return new LtijsGateway({
    // ltijs's own secret (cookie signatures, its sealed access-token cache) is derived, so ltijs
    // never holds the platform key itself, and stays stable as long as OSV_ENCRYPTION_KEY does.
    secret: createHmac('sha256', wiring.encryptionKey).update('osv-ltijs').digest('hex'),
    store,
    scope,
    launchPath: wiring.launchPath,
    tokenMaxAgeSeconds: wiring.tokenMaxAgeSeconds,
    serviceTimeoutMs: wiring.serviceTimeoutMs,
    egress: wiring.egress,
    log: wiring.log,
  });
}

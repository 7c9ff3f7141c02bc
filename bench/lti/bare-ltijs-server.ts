import type { RequestListener } from 'node:http';
import type { Request, Response } from 'express';
import { Provider } from 'ltijs';
import LtijsSequelize from 'ltijs-sequelize';
import pg from 'pg';
import { platformFromEnv, serveToolForParent } from './tool-server.js';

const SCHEMA = 'ltijs_bare';

/**
 * The baseline: a tool written with ltijs 5.9.9 as its documentation shows (ltijs-sequelize on
 * the same PostgreSQL, JWK_SET key lookup, default options), answering the launch with a page.
 */
await serveToolForParent(async () => {
  const lms = platformFromEnv(process.env);
  const databaseUrl = new URL(process.env.DATABASE_URL!);
  const admin = new pg.Client({ connectionString: databaseUrl.toString() });
  await admin.connect();
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await admin.end();

  const database = new LtijsSequelize(databaseUrl.pathname.slice(1), decodeURIComponent(databaseUrl.username), decodeURIComponent(databaseUrl.password) || undefined, {
    host: databaseUrl.hostname,
    port: Number(databaseUrl.port || 5432),
    dialect: 'postgres',
    logging: false,
    schema: SCHEMA,
    dialectOptions: { options: `-c search_path=${SCHEMA}` },
  });
  const lti = new Provider.constructor();
  lti.setup('bench-encryption-key', { plugin: database }, { appRoute: '/launch', loginRoute: '/login', cookies: { secure: false, sameSite: 'Lax' } });
  lti.onConnect((token, _req, res) => {
    res.send(`<!doctype html><p>Welcome ${token.user} to ${token.platformContext.resource?.id}</p>`);
  });
  // ltijs-sequelize reports its migrations on stdout, which carries the tool's log here.
  const { info, log } = console;
  console.info = console.log = () => undefined;
  await lti.deploy({ serverless: true, silent: true });
  Object.assign(console, { info, log });
  await lti.registerPlatform({
    url: lms.issuer,
    name: 'Simulated Moodle',
    clientId: lms.clientId,
    authenticationEndpoint: lms.authorizationEndpoint,
    accesstokenEndpoint: lms.tokenEndpoint,
    authConfig: { method: 'JWK_SET', key: lms.jwksUri },
  });
  const app: RequestListener = (req, res) =>
    lti.app(req as Request, res as Response, () => {
      res.statusCode = 404;
      res.end();
    });
  return { app, stop: () => database.Close().then(() => undefined) };
});

import type { OpenAPIRegistry, RouteConfig } from '@asteasolutions/zod-to-openapi';
import express, { type Request, type Response } from 'express';
import { z, type ZodType } from 'zod';
import type { CapabilityRegistry } from '../auth/capabilities.js';
import type { Principal } from '../auth/principal.js';
import { OsvError } from '../errors.js';
import { routeSecurity, tenantHeader } from './openapi-document.js';
import type { RawBodyRoutes } from './raw-body.js';
import { parseRequestParts } from './validation.js';

/** `public`, any signed-in caller (`authenticated`), or the capability the route needs. */
export type Access = 'public' | 'authenticated' | `${string}:${string}`;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Infer<S> = S extends ZodType ? z.infer<S> : undefined;

export interface RouteInput<P, Q, B> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
  principal: Principal | undefined;
  /**
   * The tenant the request acts on: the principal's, or for an anonymous call to a plugin's public
   * route the one it names with `?tenant=<slug or id>` (checked to exist and to have the plugin enabled).
   */
  tenantId: string | undefined;
  /** The exact bytes of the body, for routes declared with `rawBody: true`. */
  rawBody: Buffer | undefined;
  req: Request;
  res: Response;
}

export interface RouteDefinition<P extends ZodType | undefined, Q extends ZodType | undefined, B extends ZodType | undefined> {
  method: Method;
  /** Express path relative to the router's prefix, e.g. `/keys/:id`. */
  path: string;
  summary: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response?: ZodType;
  /** Success status; 204 sends no body. */
  status?: number;
  /** Read the body as bytes (any content type) instead of JSON, e.g. to verify a webhook signature. */
  rawBody?: boolean;
  /** Leave the body unread: the handler streams `req` itself (multipart uploads), enforcing its own size limit. */
  streamBody?: boolean;
  /** The widgets this route serves: a publishable key limited to other widgets is refused. */
  widgets?: Array<`osv-${string}`>;
  handler(input: RouteInput<P, Q, B>): unknown;
}

/** The widget tags (`osv-…`) a credential is narrowed to: a publishable key's widget list, or widgets named in a member token's scope. */
function widgetScopeOf(principal: Principal | undefined): string[] {
  return principal?.scope?.filter((item) => item.startsWith('osv-')) ?? [];
}

/**
 * A credential narrowed to some widgets is refused on routes of other widgets. A member token
 * narrowed so is also refused on routes that serve no widget, except those any signed-in caller
 * may use (`/me`, session refresh); anonymous visitors' publishable keys reach only guest
 * capabilities there anyway.
 */
function widgetRefusal(principal: Principal | undefined, definition: { widgets?: string[]; access: Access }): string | undefined {
  const narrowedTo = widgetScopeOf(principal);
  if (narrowedTo.length === 0) return undefined;
  const credential = principal?.kind === 'publishable' ? 'This publishable key' : 'This access token';
  if (definition.widgets) {
    return definition.widgets.some((widget) => narrowedTo.includes(widget))
      ? undefined
      : `${credential} is limited to ${narrowedTo.join(', ')} and may not use ${definition.widgets.join(' or ')}`;
  }
  if (principal?.kind !== 'member' || definition.access === 'authenticated' || definition.access === 'public') return undefined;
  return `${credential} is limited to ${narrowedTo.join(', ')}; this route serves no widget`;
}

/**
 * What `res.status().json()` does for an API answer, minus the content negotiation and freshness
 * checks that a no-store JSON response never needs; it runs on every API call.
 */
function sendJson(req: Request, res: Response, status: number, result: unknown): void {
  res.statusCode = status;
  if (status === 204) {
    res.end();
    return;
  }
  const body = JSON.stringify(result) ?? '';
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(req.method === 'HEAD' ? undefined : body);
}

export function authenticatedPrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw new OsvError('OSV_ERR_UNAUTHENTICATED');
  return principal;
}

/**
 * Declares JSON routes: each states its access, validates its input with zod, and appears in the
 * OpenAPI document. A route cannot be declared without saying who may call it.
 */
export class ApiRouter {
  readonly router = express.Router();

  constructor(
    private readonly deps: { prefix: string; tag: string; openapi: OpenAPIRegistry; capabilities: CapabilityRegistry; rawBodyRoutes?: RawBodyRoutes },
  ) {}

  route<P extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, B extends ZodType | undefined = undefined>(
    definition: RouteDefinition<P, Q, B>,
  ): this {
    const { capabilities } = this.deps;
    if (definition.access !== 'public' && definition.access !== 'authenticated' && !capabilities.get(definition.access)) {
      throw new Error(`Route ${definition.method.toUpperCase()} ${definition.path} needs unknown capability ${definition.access}`);
    }
    if (definition.rawBody) {
      if (!this.deps.rawBodyRoutes) throw new Error(`Route ${definition.path}: this router cannot take raw bodies`);
      if (definition.body) throw new Error(`Route ${definition.path}: a raw-body route has no JSON body schema`);
      this.deps.rawBodyRoutes.add(definition.method, `${this.deps.prefix}${definition.path}`);
    }
    if (definition.streamBody) {
      if (!this.deps.rawBodyRoutes) throw new Error(`Route ${definition.path}: this router cannot take streamed bodies`);
      if (definition.body || definition.rawBody) throw new Error(`Route ${definition.path}: a streamed-body route has no other body`);
      this.deps.rawBodyRoutes.add(definition.method, `${this.deps.prefix}${definition.path}`, 'stream');
    }
    this.document(definition);
    this.router[definition.method](definition.path, async (req, res) => {
      const principal = req.principal;
      const widgetRefused = widgetRefusal(principal, definition);
      if (widgetRefused) throw new OsvError('OSV_ERR_WIDGET_NOT_ALLOWED', widgetRefused);
      if (definition.access !== 'public') {
        const caller = authenticatedPrincipal(principal);
        if (definition.access !== 'authenticated' && !(await capabilities.holds(caller, definition.access))) {
          throw new OsvError('OSV_ERR_FORBIDDEN', `This action needs the capability ${definition.access}`);
        }
      }
      const [params, query, body] = parseRequestParts([
        [definition.params, req.params, 'params'],
        [definition.query, definition.query && req.query, 'query'],
        [definition.body, req.body ?? {}, 'body'],
      ]);
      const input = {
        params: params as Infer<P>,
        query: query as Infer<Q>,
        body: body as Infer<B>,
        principal,
        tenantId: principal?.tenantId ?? req.namedTenantId,
        rawBody: definition.rawBody ? (req.rawBody ?? Buffer.alloc(0)) : undefined,
        req,
        res,
      };
      const result = await definition.handler(input);
      if (res.headersSent) return;
      sendJson(req, res, definition.status ?? 200, result);
    });
    return this;
  }

  private document(definition: RouteDefinition<ZodType | undefined, ZodType | undefined, ZodType | undefined>): void {
    const status = definition.status ?? 200;
    const path = `${this.deps.prefix}${definition.path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const request: RouteConfig['request'] = {};
    if (definition.params instanceof z.ZodObject) request.params = definition.params;
    if (definition.query instanceof z.ZodObject) request.query = definition.query;
    if (definition.access !== 'public') request.headers = tenantHeader;
    if (definition.body) request.body = { content: { 'application/json': { schema: definition.body } } };
    if (definition.rawBody) request.body = { content: { 'application/octet-stream': { schema: z.string().describe('the exact bytes sent') } } };
    if (definition.streamBody) request.body = { content: { 'multipart/form-data': { schema: z.object({ file: z.string().describe('the file') }) } } };
    this.deps.openapi.registerPath({
      method: definition.method,
      path: path === '' ? '/' : path,
      summary: definition.summary,
      description: `Access: ${definition.access}`,
      tags: [this.deps.tag],
      security: routeSecurity(definition.access, definition.widgets),
      request,
      responses: {
        [status]: {
          description: status === 204 ? 'Done' : 'Success',
          ...(definition.response && status !== 204 ? { content: { 'application/json': { schema: definition.response } } } : {}),
        },
        default: { description: 'An error', content: { 'application/json': { schema: errorBodySchema } } },
      },
    });
  }
}

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.array(z.object({ field: z.string().optional(), issue: z.string() })).optional(),
  }),
});

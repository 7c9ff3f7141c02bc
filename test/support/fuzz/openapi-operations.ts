/** A JSON Schema as the OpenAPI document carries it (the parts the fuzz reads). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema: JsonSchema;
}

/** One method on one path of the OpenAPI document, with what it takes. */
export interface Operation {
  method: string;
  /** The OpenAPI path, e.g. `/api/v1/admin/keys/{id}`. */
  path: string;
  /** `public`, `authenticated` or the capability the route needs (from its description). */
  access: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body schema; undefined when the route takes no JSON body. */
  body: JsonSchema | undefined;
  /** The route reads the exact bytes of its body (webhooks). */
  rawBody: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { description?: string; parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** Every operation of the document, `$ref`s resolved, in the document's order. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = (schema: JsonSchema): JsonSchema => resolveRefs(schema, document.components?.schemas ?? {});
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): Operation => {
      const parameters = (operation.parameters ?? []).map((parameter) => ({ ...parameter, schema: resolve(parameter.schema ?? {}) }));
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      return {
        method: method.toUpperCase(),
        path,
        access: /Access: (\S+)/.exec(operation.description ?? '')?.[1] ?? 'unknown',
        pathParams: parameters.filter((parameter) => parameter.in === 'path'),
        queryParams: parameters.filter((parameter) => parameter.in === 'query'),
        body: json ? resolve(json) : undefined,
        rawBody: 'application/octet-stream' in content,
      };
    }),
  );
}

function resolveRefs(schema: JsonSchema, components: Record<string, JsonSchema>, seen = new Set<string>()): JsonSchema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    if (seen.has(name)) return {};
    return resolveRefs(components[name] ?? {}, components, new Set([...seen, name]));
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.items) resolved.items = resolveRefs(schema.items, components, seen);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, value]) => [key, resolveRefs(value, components, seen)]));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (schema[key]) resolved[key] = schema[key].map((part) => resolveRefs(part, components, seen));
  }
  return resolved;
}

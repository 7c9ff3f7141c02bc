import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { CORE_VERSION } from '../version.js';

export function buildOpenApiDocument(registry: OpenAPIRegistry, serverUrl: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Open Study Volt API',
      version: CORE_VERSION,
      description: 'Core, admin and plugin routes. Every route states the access it needs.',
    },
    servers: [{ url: serverUrl }],
  });
}

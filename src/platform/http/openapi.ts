/** /openapi.json, generated from the route declarations (the validating schemas). */
import type { Config } from '../config';
import type { RouteDefinition } from './api-router';
import type { JsonSchema } from './validation';

const SECURITY: Record<string, Array<Record<string, string[]>>> = {
  public: [],
  session: [{ sessionToken: [] }],
  super_admin: [{ sessionToken: [] }],
  cliente_admin: [{ sessionToken: [] }],
  router_key: [{ routerApiKey: [] }, { routerApiKeyHeader: [] }],
};

function parametersFrom(schema: JsonSchema | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name, in: location, required: location === 'path' || required.has(name), schema: s,
    ...(s.description ? { description: s.description } : {}),
  }));
}

export function buildOpenApi(config: Pick<Config, 'appName' | 'publicBaseUrl'>, routes: RouteDefinition[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, response] of Object.entries(route.responses)) {
      const example = response.example;
      responses[status] = {
        description: response.description,
        ...(response.headers ? { headers: response.headers } : {}),
        ...(response.schema || example !== undefined
          ? { content: { [response.contentType ?? 'application/json']: { ...(response.schema ? { schema: response.schema } : {}), ...(example !== undefined ? { example } : {}) } } }
          : {}),
      };
    }
    const roleNote = route.auth === 'super_admin' ? ' Requiere rol super_admin.' : route.auth === 'cliente_admin' ? ' Requiere rol cliente_admin.' : '';
    paths[route.openapiPath] ??= {};
    paths[route.openapiPath][route.method] = {
      operationId: `${route.method}${route.openapiPath.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: route.summary,
      description: (route.description ?? '') + roleNote || undefined,
      tags: route.tags,
      security: SECURITY[route.auth],
      parameters: [...parametersFrom(route.params, 'path'), ...parametersFrom(route.query, 'query')],
      ...(route.body ? {
        requestBody: {
          required: Array.isArray(route.body.required) && (route.body.required as unknown[]).length > 0,
          content: { 'application/json': { schema: route.body, ...(route.body.example ? { example: route.body.example } : {}) } },
        },
      } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: config.appName,
      version,
      description: 'Pagos con tarjeta (Conekta, Mercado Pago) y aprovisionamiento de usuarios hotspot en routers MikroTik.',
    },
    servers: [{ url: config.publicBaseUrl }],
    components: {
      securitySchemes: {
        sessionToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Token de sesión de POST /api/v1/auth/login' },
        routerApiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'jwt_…', description: 'API Key del router (prefijo jwt_)' },
        routerApiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'API Key del router en X-API-Key' },
      },
    },
    paths,
  };
}

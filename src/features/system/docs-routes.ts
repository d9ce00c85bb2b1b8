import fs from 'node:fs';
import path from 'node:path';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { Config } from '../../platform/config';
import type { ApiRouter, RouteDefinition } from '../../platform/http/api-router';
import { buildOpenApi } from '../../platform/http/openapi';
import { object } from '../../platform/http/schemas';

const { version } = require('../../../package.json') as { version: string };

const ASSETS = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  ['swagger-ui-standalone-preset.js', 'application/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);

const PAGE = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>API docs</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/swagger-ui-standalone-preset.js"></script>
<script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

const REDOC_PAGE = `<!doctype html>
<html lang="es"><head><meta charset="utf-8"><title>API docs (ReDoc)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/redoc/redoc.standalone.js"></script></body></html>`;

/** Swagger UI served from our own process: operators may run without internet. */
export function registerDocsRoutes(api: ApiRouter, config: Config, routes: () => RouteDefinition[]) {
  let cached: unknown;
  api.add({
    method: 'get', path: '/openapi.json', auth: 'public', tags: ['Sistema'],
    summary: 'Especificación OpenAPI 3.1 de esta API',
    responses: {
      200: {
        description: 'Documento OpenAPI',
        schema: object({ openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' } }, ['openapi', 'info', 'paths'], { additionalProperties: true }),
        example: { openapi: '3.1.0' },
      },
    },
    handler: () => (cached ??= buildOpenApi(config, routes(), version)),
  });

  // The original's /redoc, from the redoc package's standalone bundle: no CDN, works offline.
  const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');
  api.raw('get', '/redoc', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = REDOC_PAGE;
  });
  api.raw('get', '/redoc/redoc.standalone.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = fs.createReadStream(redocBundle);
  });

  const assetsDir = getAbsoluteFSPath();
  api.raw('get', '/docs', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  api.raw('get', '/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript; charset=utf-8';
    ctx.body = INIT;
  });
  api.raw('get', '/docs/:asset', (ctx, params) => {
    const asset = params.asset!;
    const type = ASSETS.get(asset);
    if (!type) return; // falls through to the 404 handler
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = fs.createReadStream(path.join(assetsDir, asset));
  });
}

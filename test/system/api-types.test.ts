/**
 * The panel's request/response types (panel/src/api-types.ts) are generated
 * from /openapi.json by `npm run api-types` (openapi-typescript): this fails
 * when the committed file no longer matches the routes' schemas.
 * UPDATE_API_TYPES=1 rewrites it instead (as `npm run api-types` does).
 */
import fs from 'node:fs';
import { expect } from 'chai';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { buildOpenApi } from '../../src/platform/http/openapi';
import { API_TYPES_FILE, renderApiTypes } from '../../scripts/api-types';
import { testConfig } from '../support/harness';

describe('panel API types generated from /openapi.json', function () {
  this.timeout(60_000);

  it('panel/src/api-types.ts is what openapi-typescript makes of the current document (run `npm run api-types` when it is not)', async () => {
    const container = createContainer(testConfig(), { processName: 'api-types-test' });
    let expected: string;
    let doc: Record<string, any>;
    try {
      doc = buildOpenApi(container.config, createApp(container).routes, '0.0.0-test');
      expected = await renderApiTypes(doc);
    } finally {
      await container.close();
    }
    // The document's version and servers are not part of the types.
    expect(expected).not.to.include('0.0.0-test');
    if (process.env.UPDATE_API_TYPES === '1') fs.writeFileSync(API_TYPES_FILE, expected);
    const committed = fs.existsSync(API_TYPES_FILE) ? fs.readFileSync(API_TYPES_FILE, 'utf8') : '';
    expect(committed === expected, 'panel/src/api-types.ts is stale: run `npm run api-types` and commit it').to.equal(true);
    // The paged lists' header is in the types the panel reads.
    expect(committed).to.match(/"X-Total-Count"\??: number/);
    expect(Object.keys(doc.paths)).to.include('/admin/empresas');
  });
});

/**
 * The persistence rule of eslint.config.mjs (issue 12): in a feature, only
 * store.ts, *-store.ts and models.ts import knex or Objection. Each case lints
 * a snippet as if it were that file, through the project's own config.
 */
import path from 'node:path';
import { expect } from 'chai';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');
const RULE = '@typescript-eslint/no-restricted-imports';

describe('lint: only stores and models touch knex and Objection', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  async function violations(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result.messages.filter((m) => m.ruleId === RULE).map((m) => m.message);
  }

  const valueKnex = `import knexFactory from 'knex';\nexport const k = knexFactory;\n`;
  const namedKnex = `import { knex } from 'knex';\nexport const k = knex;\n`;
  const objection = `import { Model } from 'objection';\nexport class X extends Model {}\n`;
  const objectionBase = `import { raw } from '../../platform/db/objection';\nexport const r = raw;\n`;
  const typeOnly = `import type { Knex } from 'knex';\nimport type { Tx } from '../../platform/db/objection';\nexport type K = Knex | Tx;\n`;

  it('fails a service, a route or any other feature file that imports knex, objection or the Objection base', async () => {
    expect(await violations('src/features/empresas/service.ts', valueKnex)).to.have.length(1);
    expect((await violations('src/features/routers/routes.ts', namedKnex))[0]).to.match(/store/);
    expect(await violations('src/features/productos/catalogo-service.ts', objection)).to.have.length(1);
    expect(await violations('src/features/usuarios/service.ts', objectionBase)).to.have.length(1);
  });

  it('lets store.ts, *-store.ts and models.ts import them, and any file import their types', async () => {
    expect(await violations('src/features/empresas/store.ts', valueKnex + objectionBase)).to.deep.equal([]);
    expect(await violations('src/features/routers/usage-store.ts', namedKnex)).to.deep.equal([]);
    expect(await violations('src/features/productos/models.ts', objection)).to.deep.equal([]);
    expect(await violations('src/features/routers/service.ts', typeOnly)).to.deep.equal([]);
  });

  it('covers transacciones and hotspot too, now that their queries live in transacciones/store.ts', async () => {
    expect(await violations('src/features/checkout/purchase-service.ts', valueKnex)).to.have.length(1);
    expect(await violations('src/features/hotspot/service.ts', objection)).to.have.length(1);
    expect(await violations('src/features/transacciones/store.ts', valueKnex + objectionBase)).to.deep.equal([]);
    expect(await violations('src/features/transacciones/models.ts', objectionBase)).to.deep.equal([]);
  });
});

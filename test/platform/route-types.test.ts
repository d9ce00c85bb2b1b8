/**
 * Request types come from the schemas that validate them: `api.add` types
 * `input.body`, `input.query` and `input.params` with json-schema-to-ts. The
 * `@ts-expect-error` lines are checked by `tsc --noEmit` (part of CI): if the
 * inference broke (everything `any`), they would stop being errors and fail it.
 */
import { expect } from 'chai';
import Koa from 'koa';
import { koaBody } from 'koa-body';
import supertest from 'supertest';
import { ApiRouter } from '../../src/platform/http/api-router';
import type { AppState, Authenticator } from '../../src/platform/http/context';
import { errorHandler, requestContext } from '../../src/platform/http/middleware';
import { email, nonEmpty, nullable, object, pathParams, str } from '../../src/platform/http/schemas';
import { line, usuarioIdParam } from '../../src/platform/http/admin-common';
import { createLogger } from '../../src/platform/logger';

describe('request types from the validating schemas', () => {
  const auth: Authenticator = { require: async () => undefined, userFromToken: async () => { throw new Error('unused'); } };

  it('types body, query and params from their schemas, and validates them at run time', async () => {
    const seen: unknown[] = [];
    const api = new ApiRouter(auth, { validateResponses: true });
    api.add({
      method: 'post', path: '/cosas/:usuario_id', auth: 'public', tags: ['t'], summary: 's',
      params: pathParams({ usuario_id: usuarioIdParam }),
      query: object({ limite: { type: 'integer', minimum: 1 }, pagina: { type: 'integer', minimum: 1, default: 1 } }),
      body: object({ email, nombre: line(50), apodo: nullable(str()), rol: { type: 'string', enum: ['a', 'b'] }, nota: nonEmpty(10) }, ['email', 'nombre', 'rol']),
      responses: { 200: { description: 'd', schema: object({ ok: { type: 'boolean' } }, ['ok']) } },
      handler: (_ctx, { body, query, params }) => {
        const id: number = params.usuario_id;
        const limite: number | undefined = query.limite;
        // @ts-expect-error a property with a default is still optional: the validator fills in no defaults
        const pagina: number = query.pagina;
        expect(pagina).to.equal(undefined);
        const correo: string = body.email;
        const rol: 'a' | 'b' = body.rol;
        const apodo: string | null | undefined = body.apodo;
        // @ts-expect-error nota is optional: string | undefined is not string
        const nota: string = body.nota;
        // @ts-expect-error not in the schema
        void body.otro;
        seen.push({ id, limite, correo, rol, apodo, nota });
        return { ok: true };
      },
    });
    const app = new Koa<AppState>();
    app.silent = true;
    app.use(requestContext(createLogger({ logLevel: 'silent', appName: 'test' })));
    app.use(api.responseChecker());
    app.use(errorHandler());
    app.use(koaBody());
    app.use(api.middleware());
    const request = supertest(app.callback());

    const ok = await request.post('/cosas/7?limite=3').send({ email: 'a@b.mx', nombre: 'Ana', rol: 'a' });
    expect(ok.status).to.equal(200);
    expect(seen).to.deep.equal([{ id: 7, limite: 3, correo: 'a@b.mx', rol: 'a', apodo: undefined, nota: undefined }]);
    const bad = await request.post('/cosas/7').send({ email: 'a@b.mx', nombre: 'Ana', rol: 'c' });
    expect(bad.status).to.equal(422);
    expect(bad.body).to.include({ code: 'validation_error', field: 'rol' });
  });
});

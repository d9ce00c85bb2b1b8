/**
 * The API router's dispatch: which declared route answers a request, and what
 * a path we serve answers to a method it does not take. The rules are the ones
 * the service always had (registration order, HEAD by GET, case-insensitive
 * paths with an optional trailing slash, decoded parameters); the literal-path
 * table is only a faster way to reach the same route.
 */
import { expect } from 'chai';
import type { ApiRouter } from '../../src/platform/http/api-router';
import { object, pathParams, str } from '../../src/platform/http/schemas';
import { apiRouterApp } from '../support/api-router';

const answer = object({ via: str(), id: str() }, ['via']);

function route(api: ApiRouter, method: 'get' | 'post' | 'delete', path: string, via: string) {
  api.add({
    method, path, auth: 'public', tags: ['t'], summary: via,
    ...(path.includes(':id') ? { params: pathParams({ id: str({ maxLength: 64 }) }) } : {}),
    responses: { 200: { description: 'd', schema: answer } },
    handler: (_ctx, input) => ({ via, ...((input.params ?? {}) as object) }),
  });
}

describe('API router dispatch', () => {
  it('the first declared route that matches answers, literal or with parameters', async () => {
    const { request } = apiRouterApp((api) => {
      route(api, 'get', '/cosas/:id', 'param-first');
      route(api, 'get', '/cosas/nuevas', 'literal-after');
      route(api, 'get', '/otras/nuevas', 'literal-first');
      route(api, 'get', '/otras/:id', 'param-after');
    });
    expect((await request.get('/cosas/nuevas')).body).to.deep.equal({ via: 'param-first', id: 'nuevas' });
    expect((await request.get('/otras/nuevas')).body).to.deep.equal({ via: 'literal-first' });
    expect((await request.get('/otras/7')).body).to.deep.equal({ via: 'param-after', id: '7' });
  });

  it('matches paths case-insensitively with one optional trailing slash, and decodes parameters', async () => {
    const { request } = apiRouterApp((api) => {
      route(api, 'get', '/api/v1/cosas', 'lista');
      route(api, 'get', '/api/v1/cosas/:id', 'una');
    });
    expect((await request.get('/API/v1/Cosas')).body).to.deep.equal({ via: 'lista' });
    expect((await request.get('/api/v1/cosas/')).body).to.deep.equal({ via: 'lista' });
    expect((await request.get('/api/v1/cosas//')).status).to.equal(404);
    expect((await request.get('/api/v1/cosas/RTR_A1%20b/')).body).to.deep.equal({ via: 'una', id: 'RTR_A1 b' });
    // Not valid percent-encoding: passed on as received, never a 500.
    expect((await request.get('/api/v1/cosas/%E0%A4%A')).body).to.deep.equal({ via: 'una', id: '%E0%A4%A' });
    expect((await request.get('/api/v1/cosas/a/b')).status).to.equal(404);
  });

  it('answers HEAD with the GET route, and a method a served path does not take with 405 and Allow', async () => {
    const { request } = apiRouterApp((api) => {
      route(api, 'get', '/cosas/:id', 'una');
      route(api, 'delete', '/cosas/:id', 'borrar');
    });
    const head = await request.head('/cosas/9');
    expect(head.status).to.equal(200);
    expect(head.headers['content-type']).to.match(/json/);
    const post = await request.post('/cosas/9').send({});
    expect(post.status).to.equal(405);
    expect(post.headers.allow).to.equal('HEAD, GET, DELETE');
    expect(post.body).to.deep.equal({ detail: 'Método no permitido: use HEAD, GET, DELETE', code: 'method_not_allowed' });
    const options = await request.options('/cosas/9');
    expect(options.status).to.equal(200);
    expect(options.headers.allow).to.equal('HEAD, GET, DELETE');
    const unknown = await request.get('/nada');
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.deep.equal({ detail: 'Ruta no encontrada', code: 'route_not_found' });
    expect(unknown.headers.allow).to.equal(undefined);
  });

  it('refuses a route declared after it started serving (it would never be reached)', () => {
    const { api } = apiRouterApp((a) => route(a, 'get', '/uno', 'uno'));
    expect(() => route(api, 'get', '/dos', 'dos')).to.throw(/after the router started serving/);
  });
});

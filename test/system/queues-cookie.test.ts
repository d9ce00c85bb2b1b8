/**
 * The queues link asks for no second password (issue 23, item 10): the panel's
 * session is exchanged once for an HttpOnly, SameSite=Strict cookie scoped to
 * /admin/queues; no token in a URL or in the answer; logout ends it.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { as, loginAs, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertEscenario } from '../support/fixtures';

describe('queues board: the panel\'s session exchanged once for a scoped cookie', function () {
  this.timeout(30_000);
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const cookieOf = (res: supertest.Response) => {
    const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('pagos_colas='));
    return raw;
  };

  it('a super admin\'s session becomes an HttpOnly, SameSite=Strict cookie for /admin/queues that opens the board; logout ends it', async () => {
    const token = await loginSuperAdmin(t);
    const res = await t.request.post('/api/v1/auth/sesion-colas').set(as(token)).send({});
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(JSON.stringify(res.body)).not.to.include(token);
    expect(res.body.url).to.equal('/admin/queues');
    const raw = cookieOf(res)!;
    expect(raw).to.be.a('string');
    const attributes = raw.split(';').map((a) => a.trim().toLowerCase());
    expect(attributes).to.include('httponly').and.include('samesite=strict').and.include('path=/admin/queues');
    expect(attributes.some((a) => a.startsWith('expires='))).to.equal(true);
    const cookie = raw.split(';')[0]!;

    // A fresh client (no cached Basic credentials): the cookie alone opens the board and its API.
    const browser = supertest(t.app.callback());
    const page = await browser.get('/admin/queues').set('Cookie', cookie);
    expect(page.status).to.equal(200);
    expect(page.type).to.match(/html/);
    expect((await browser.get('/admin/queues/api/queues').set('Cookie', cookie)).status).to.equal(200);
    expect((await browser.get('/admin/queues')).status).to.equal(401);
    expect((await browser.get('/admin/queues').set('Cookie', 'pagos_colas=jwt_not_a_session')).status).to.equal(401);

    await t.request.post('/api/v1/auth/logout').set(as(token)).send({});
    const after = await browser.get('/admin/queues').set('Cookie', cookie);
    expect(after.status).to.equal(401);
    expect(after.body.detail).to.match(/ábralo de nuevo desde el panel/);
  });

  it('a company admin gets no cookie (403), and without a session it is 401', async () => {
    const escenario = await insertEscenario(t.container);
    const token = await loginAs(t, escenario.admin.email, escenario.admin.password);
    const res = await t.request.post('/api/v1/auth/sesion-colas').set(as(token)).send({});
    expect(res.status).to.equal(403);
    expect(cookieOf(res)).to.equal(undefined);
    expect((await t.request.post('/api/v1/auth/sesion-colas').send({})).status).to.equal(401);
  });
});

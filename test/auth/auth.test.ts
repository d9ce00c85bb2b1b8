import { expect } from 'chai';
import crypto from 'node:crypto';
import jwt from 'jsonwebtoken';
import sinon from 'sinon';
import { loginAs, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertApiKey, insertEscenario, insertUsuario } from '../support/fixtures';
import { ensureSuperAdmin } from '../../src/features/auth';

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('credentials: admin sessions and router API keys', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  describe('login', () => {
    it('returns a bearer token, its expiry and the user', async () => {
      const res = await t.request.post('/api/v1/auth/login').send({ email: 'ROOT@pagos.test', password: t.config.superAdmin.password });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ token_type: 'bearer' });
      expect(res.body.access_token).to.be.a('string');
      expect(Date.parse(res.body.expires_at) - Date.now()).to.be.closeTo(24 * 3600_000, 60_000);
      expect(res.body.user).to.include({ email: 'root@pagos.test', rol: 'super_admin', empresa_id: null });
      expect(res.body.user).not.to.have.property('password_hash');
      expect(res.body.user.ultimo_login).to.be.a('string');
    });

    it('refuses a wrong password and an unknown email with the same message', async () => {
      for (const body of [{ email: 'root@pagos.test', password: 'wrong-password' }, { email: 'nadie@pagos.test', password: 'whatever1' }]) {
        const res = await t.request.post('/api/v1/auth/login').send(body);
        expect(res.status).to.equal(401);
        expect(res.body).to.deep.equal({ detail: 'Credenciales incorrectas', code: 'unauthorized' });
      }
    });

    it('refuses an inactive user, and names a missing or malformed field', async () => {
      const user = await insertUsuario(t.container, { rol: 'super_admin', activo: false });
      expect((await t.request.post('/api/v1/auth/login').send({ email: user.email, password: user.password })).status).to.equal(403);
      const missing = await t.request.post('/api/v1/auth/login').send({ email: 'root@pagos.test' });
      expect(missing.status).to.equal(422);
      expect(missing.body.detail).to.include("'password'");
      const malformed = await t.request.post('/api/v1/auth/login').send({ email: 'no-es-email', password: 'x' });
      expect(malformed.status).to.equal(422);
      expect(malformed.body.detail).to.include("'email'");
      const notJson = await t.request.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":');
      expect(notJson.status).to.equal(400);
      expect(notJson.body.detail).to.equal('El cuerpo de la solicitud no es JSON válido');
    });

    it('creates the initial super admin once, even when several processes start together', async () => {
      const results = await Promise.all([1, 2, 3, 4].map(() => ensureSuperAdmin(t.container.stores.usuarios, t.config, t.container.passwords)));
      expect(results.every((created) => created === false)).to.equal(true);
      const count = await t.container.knex('usuarios').whereRaw('lower(email) = ?', ['root@pagos.test']).count<{ count: string }[]>('* as count');
      expect(Number(count[0].count)).to.equal(1);
    });
  });

  describe('session tokens', () => {
    it('GET /me answers for a valid token; logout makes it unusable', async () => {
      const token = await loginSuperAdmin(t);
      const me = await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(me.status).to.equal(200);
      expect(me.body.email).to.equal('root@pagos.test');
      expect((await t.request.post('/api/v1/auth/logout').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
      const after = await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
      expect(after.status).to.equal(401);
      expect(after.body.detail).to.equal('Token inválido');
    });

    it('change-password checks the current one and ends older sessions (not the one that made the change)', async () => {
      const user = await insertUsuario(t.container, { rol: 'super_admin' });
      const token = await loginAs(t, user.email, user.password);
      const other = await loginAs(t, user.email, user.password);
      const wrong = await t.request.post('/api/v1/auth/change-password').set('Authorization', `Bearer ${token}`).send({ password_actual: 'nope-nope', password_nuevo: 'NuevaClave123!' });
      expect(wrong.status).to.equal(400);
      const short = await t.request.post('/api/v1/auth/change-password').set('Authorization', `Bearer ${token}`).send({ password_actual: user.password, password_nuevo: 'corta' });
      expect(short.status).to.equal(422);
      // iat has one-second resolution: the clock (Date only: timers and sockets run as usual) moves on instead of the test sleeping.
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      try {
        clock.tick(1100);
        const ok = await t.request.post('/api/v1/auth/change-password').set('Authorization', `Bearer ${token}`).send({ password_actual: user.password, password_nuevo: 'NuevaClave123!' });
        expect(ok.status).to.equal(200);
        clock.tick(1100);
        expect((await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${other}`)).status).to.equal(401);
        expect((await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`)).status).to.equal(200);
        const fresh = await loginAs(t, user.email, 'NuevaClave123!');
        expect((await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${fresh}`)).status).to.equal(200);
      } finally {
        clock.restore();
      }
    });

    it('forged, alg:none, expired, wrong-secret and garbage tokens are 401, never 500', async () => {
      const token = await loginSuperAdmin(t);
      const [header, payload] = token.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `${header}.${b64({ ...claims, sub: '999' })}.${token.split('.')[2]}`;
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      const wrongSecret = jwt.sign(claims, t.config.jwt.apiKeySecret, { algorithm: 'HS256', noTimestamp: true });
      const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 }, t.config.jwt.sessionSecret, { algorithm: 'HS256', noTimestamp: true });
      const hs512 = jwt.sign(claims, t.config.jwt.sessionSecret, { algorithm: 'HS512', noTimestamp: true });
      for (const [bad, detail] of [[forged, 'Token inválido'], [none, 'Token inválido'], [wrongSecret, 'Token inválido'], [expired, 'Token expirado'], [hs512, 'Token inválido'], ['garbage', 'Token inválido'], ['a.b.c', 'Token inválido']]) {
        const res = await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${bad}`);
        expect(res.status, bad).to.equal(401);
        expect(res.body.detail).to.equal(detail);
      }
      expect((await t.request.get('/api/v1/auth/me')).status).to.equal(401);
    });

    it('an expired session found with a fake clock is refused', async () => {
      const token = await loginSuperAdmin(t);
      const clock = sinon.useFakeTimers({ now: Date.now() + 25 * 3600_000, toFake: ['Date'] });
      try {
        const res = await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${token}`);
        expect(res.status).to.equal(401);
        expect(res.body.detail).to.equal('Token expirado');
      } finally {
        clock.restore();
      }
    });
  });

  describe('router API keys', () => {
    it('is accepted from Authorization: Bearer and from X-API-Key', async () => {
      const escenario = await insertEscenario(t.container);
      const bearer = await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${escenario.apiKey}`);
      expect(bearer.status).to.equal(200);
      expect(bearer.body.router.id).to.equal(escenario.router.id);
      const header = await t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
      expect(header.status).to.equal(200);
    });

    it('the key carries the documented claims and only its sha256 is stored', async () => {
      const escenario = await insertEscenario(t.container);
      const claims = jwt.decode(escenario.apiKey.slice(4)) as Record<string, unknown>;
      expect(claims).to.include({ jti: escenario.keyId, iss: 'mikrotik-payment-api', sub: escenario.router.id, empresa: escenario.empresa.id, type: 'router_api_key' });
      expect(Number(claims.exp) - Number(claims.iat)).to.equal(365 * 86400);
      const row = await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).first();
      expect(row.token_sha256).to.equal(crypto.createHash('sha256').update(escenario.apiKey).digest('hex'));
      expect(JSON.stringify(row)).not.to.include(escenario.apiKey.slice(4, 40));
    });

    it('a session token on a portal route and a key on an admin route are both 401', async () => {
      const escenario = await insertEscenario(t.container);
      const session = await loginSuperAdmin(t);
      const portal = await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${session}`);
      expect(portal.status).to.equal(401);
      expect(portal.body.detail).to.equal('Formato de API Key inválido');
      const admin = await t.request.get('/api/v1/auth/me').set('Authorization', `Bearer ${escenario.apiKey}`);
      expect(admin.status).to.equal(401);
    });

    it('forged, alg:none, expired, garbage and session-secret keys are 401', async () => {
      const escenario = await insertEscenario(t.container);
      const [header, payload, signature] = escenario.apiKey.slice(4).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const bad = [
        `jwt_${header}.${b64({ ...claims, sub: 'RTR_FFFFFFFF' })}.${signature}`,
        `jwt_${b64({ alg: 'none' })}.${payload}.`,
        `jwt_${jwt.sign(claims, t.config.jwt.sessionSecret, { algorithm: 'HS256', noTimestamp: true })}`,
        `jwt_${jwt.sign({ ...claims, exp: 1000 }, t.config.jwt.apiKeySecret, { algorithm: 'HS256', noTimestamp: true })}`,
        'jwt_' + 'x'.repeat(60),
        'jwt_',
        'otra-cosa',
      ];
      for (const key of bad) {
        const res = await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${key}`);
        expect(res.status, key).to.equal(401);
        expect(res.body.detail).to.be.oneOf(['API Key no válida o revocada', 'API Key expirada', 'Formato de API Key inválido']);
      }
      expect((await t.request.get('/api/v1/config/public')).status).to.equal(401);
    });

    it('a validly signed key that is not the stored one (or revoked) is refused', async () => {
      const escenario = await insertEscenario(t.container);
      // Same key id, different signature time: signature valid, hash does not match.
      const claims = jwt.decode(escenario.apiKey.slice(4)) as object;
      const twinKey = `jwt_${jwt.sign({ ...claims, nonce: 1 }, t.config.jwt.apiKeySecret, { algorithm: 'HS256' })}`;
      expect((await t.request.get('/api/v1/config/public').set('X-API-Key', twinKey)).status).to.equal(401);
      await t.container.knex('router_api_keys').where({ key_id: escenario.keyId }).update({ revoked: true, revoked_at: new Date() });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      const res = await t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
      expect(res.status).to.equal(401);
      expect(res.body.detail).to.equal('API Key no válida o revocada');
    });

    it('an inactive company or router refuses its key on the next request', async () => {
      const escenario = await insertEscenario(t.container);
      await t.container.knex('empresas').where({ id: escenario.empresa.id }).update({ activa: false });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      const res = await t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey);
      expect(res.status).to.equal(401);
      expect(res.body.detail).to.equal('Empresa no activa');
      await t.container.knex('empresas').where({ id: escenario.empresa.id }).update({ activa: true });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      await t.container.knex('routers').where({ id: escenario.router.id }).update({ activo: false });
      await t.container.authGeneration.bump(); // what every admin write through the API does
      expect((await t.request.get('/api/v1/config/public').set('X-API-Key', escenario.apiKey)).status).to.equal(401);
    });

    it('at most one active key per router is enforced by the database', async () => {
      const escenario = await insertEscenario(t.container);
      let error: unknown;
      try {
        await insertApiKey(t.container, escenario.router.id, escenario.empresa.id);
      } catch (e) {
        error = e;
      }
      expect((error as { code?: string }).code).to.equal('23505');
    });
  });

  describe('roles', () => {
    it('a cliente_admin cannot log in as super admin nor be created without a company', async () => {
      let error: unknown;
      try {
        await insertUsuario(t.container, { rol: 'cliente_admin', empresa_id: null });
      } catch (e) {
        error = e;
      }
      expect((error as { code?: string }).code).to.equal('23514'); // CHECK violation
    });
  });
});

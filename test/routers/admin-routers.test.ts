/** Routers and their keys under /admin/empresas/{empresa_id}/routers: rules, secrets and bad input. */
import { expect } from 'chai';
import { sha256Hex } from '../../src/features/routers';
import { as, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';
import { insertApiKey, insertEmpresa, insertRouter } from '../support/fixtures';

const DAY = 86_400_000;

describe('admin: routers and API keys', () => {
  let t: TestContext;
  let root: string;
  before(async () => {
    t = await startTestApp();
    root = await loginSuperAdmin(t);
  });
  after(async () => { await t.close(); });

  const body = (empresaId: string, extra: Record<string, unknown> = {}) => ({
    empresa_id: empresaId, nombre: 'Router Lobby', host: '10.0.0.1', puerto: 8728, usuario: 'api', password: 'Sup3r-Secreta!', ...extra,
  });
  async function create(empresaId: string, extra: Record<string, unknown> = {}) {
    const res = await t.request.post(`/admin/empresas/${empresaId}/routers`).set(as(root)).send(body(empresaId, extra));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { id: string; api_key: string; api_key_info: { key_id: string }; [k: string]: unknown };
  }
  const portal = (key: string) => t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${key}`);

  describe('create, list and get', () => {
    it('stores the password encrypted and only the hash of the key; no response carries either', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id);
      expect(router).to.include({ puerto: 8728, tls: false, usuario: 'api', ubicacion: null, activo: true });
      const row = await t.container.knex('routers').where({ id: router.id }).first();
      expect(row.password_enc).to.match(/^gAAAAA/);
      expect(t.container.secrets.open(row.password_enc)).to.equal('Sup3r-Secreta!');
      const key = await t.container.knex('router_api_keys').where({ router_id: router.id }).first();
      expect(key.token_sha256).to.equal(sha256Hex(router.api_key));
      expect(JSON.stringify(await t.container.knex('router_api_keys').where({ router_id: router.id }))).not.to.include(router.api_key.slice(4));

      const responses = [
        await t.request.get(`/admin/empresas/${empresa.id}/routers`).set(as(root)),
        await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}`).set(as(root)),
        await t.request.put(`/admin/empresas/${empresa.id}/routers/${router.id}`).set(as(root)).send({ nombre: 'Otro nombre' }),
        await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-keys`).set(as(root)),
        await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-key-status`).set(as(root)),
        await t.request.get('/admin/dashboard').set(as(root)),
        await t.request.get(`/admin/empresas/${empresa.id}/stats`).set(as(root)),
      ];
      for (const res of responses) {
        expect(res.status).to.equal(200);
        const text = JSON.stringify(res.body);
        for (const secret of ['Sup3r-Secreta!', row.password_enc, router.api_key, router.api_key.slice(4), key.token_sha256, 'password', 'token_sha256', 'api_key"']) {
          expect(text).not.to.include(secret);
        }
      }
      expect(Object.keys(responses[1].body)).to.have.members(['id', 'empresa_id', 'nombre', 'host', 'puerto', 'tls', 'tls_insecure', 'usuario', 'ubicacion', 'activo', 'creado_en', 'actualizado_en', 'modo', 'radius_direccion', 'ultimo_latido', 'direccion_compartida', 'direccion_compartida_en']);
    });

    it('defaults the port to 8728 and turns on TLS for 8729 unless told otherwise', async () => {
      const empresa = await insertEmpresa(t.container);
      const { puerto: _omit, ...withoutPort } = body(empresa.id);
      const byDefault = await t.request.post(`/admin/empresas/${empresa.id}/routers`).set(as(root)).send(withoutPort);
      expect(byDefault.body).to.include({ puerto: 8728, tls: false });
      expect(await create(empresa.id, { puerto: 8729 })).to.include({ puerto: 8729, tls: true });
      expect(await create(empresa.id, { puerto: 8729, tls: false })).to.include({ puerto: 8729, tls: false });
      const list = await t.request.get(`/admin/empresas/${empresa.id}/routers`).set(as(root));
      expect(list.body).to.have.length(3);
    });

    it('lists only the routers of the company and 404s a router of another company', async () => {
      const a = await insertEmpresa(t.container);
      const b = await insertEmpresa(t.container);
      const ra = await create(a.id);
      await create(b.id);
      const list = await t.request.get(`/admin/empresas/${a.id}/routers`).set(as(root));
      expect(list.body.map((r: { id: string }) => r.id)).to.deep.equal([ra.id]);
      const cross = await t.request.get(`/admin/empresas/${b.id}/routers/${ra.id}`).set(as(root));
      expect(cross.status).to.equal(404);
      expect(cross.body).to.deep.equal({ detail: 'Router no encontrado o no pertenece a la empresa', code: 'not_found' });
      for (const path of [`/admin/empresas/${b.id}/routers/${ra.id}/toggle-activo`]) {
        expect((await t.request.put(path).set(as(root))).status).to.equal(404);
      }
      expect((await t.request.post(`/admin/empresas/${b.id}/routers/${ra.id}/regenerate-api-key`).set(as(root))).status).to.equal(404);
      expect((await t.request.post(`/admin/empresas/${b.id}/routers/${ra.id}/api-keys/${ra.api_key_info.key_id}/revoke`).set(as(root))).status).to.equal(404);
      expect((await t.request.delete(`/admin/empresas/${b.id}/routers/${ra.id}`).set(as(root))).status).to.equal(404);
      expect((await t.request.get(`/admin/empresas/${a.id}/routers/${ra.id}`).set(as(root))).status).to.equal(200);
    });
  });

  describe('bad input', () => {
    it('an unknown company is 404 "Empresa no encontrada", whatever its id looks like', async () => {
      for (const id of ['EMP_0000000000', 'EMP_NOEXISTE', 'nada', 'EMP_%00', 'x'.repeat(60)]) {
        const list = await t.request.get(`/admin/empresas/${id}/routers`).set(as(root));
        expect(list.status, id).to.equal(404);
        expect(list.body).to.deep.equal({ detail: 'Empresa no encontrada', code: 'not_found' });
        const created = await t.request.post(`/admin/empresas/${id}/routers`).set(as(root)).send(body(decodeURIComponent(id)));
        expect(created.status, id).to.equal(404);
        const status = await t.request.get(`/admin/empresas/${id}/routers/RTR_00000000/api-key-status`).set(as(root));
        expect(status.body).to.deep.equal({ detail: 'Empresa no encontrada', code: 'not_found' });
      }
    });

    it('a malformed router or key id is a 404, not a database error', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id);
      for (const id of ['RTR_zz', 'RTR_%00', 'y'.repeat(64), 'RTR_00000000']) {
        const res = await t.request.get(`/admin/empresas/${empresa.id}/routers/${id}`).set(as(root));
        expect(res.status, id).to.equal(404);
        expect(res.body).to.deep.equal({ detail: 'Router no encontrado o no pertenece a la empresa', code: 'not_found' });
      }
      for (const id of ['nope', 'key_%00', 'key_a1b2c3d4e5f6g7h8']) {
        const res = await t.request.post(`/admin/empresas/${empresa.id}/routers/${router.id}/api-keys/${id}/revoke`).set(as(root));
        expect(res.status, id).to.equal(404);
        expect(res.body).to.deep.equal({ detail: 'API Key no encontrada', code: 'not_found' });
      }
    });

    it('a body empresa_id that differs from the path is 400', async () => {
      const a = await insertEmpresa(t.container);
      const b = await insertEmpresa(t.container);
      const res = await t.request.post(`/admin/empresas/${a.id}/routers`).set(as(root)).send(body(b.id));
      expect(res.status).to.equal(400);
      expect(res.body).to.deep.equal({ detail: 'El empresa_id del cuerpo no coincide con el de la ruta', code: 'bad_request' });
      const router = await create(a.id);
      const put = await t.request.put(`/admin/empresas/${a.id}/routers/${router.id}`).set(as(root)).send({ empresa_id: b.id, nombre: 'x' });
      expect(put.status).to.equal(400);
      expect(await t.container.knex('routers').where({ empresa_id: b.id })).to.have.length(0);
    });

    it('ports outside 1-65535, an empty host and missing or unknown fields are 422 naming the field', async () => {
      const empresa = await insertEmpresa(t.container);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ puerto: 0 }, "'puerto'"],
        [{ puerto: 65536 }, "'puerto'"],
        [{ puerto: -1 }, "'puerto'"],
        [{ puerto: '8728' }, "'puerto'"],
        [{ puerto: 8728.5 }, "'puerto'"],
        [{ host: '' }, "'host'"],
        [{ host: '   ' }, "'host'"],
        [{ host: 'mal host;rm' }, "'host'"],
        [{ host: '10.0.0.1:8728' }, "'host'"],
        [{ nombre: '' }, "'nombre'"],
        [{ nombre: 'a\u0000b' }, "'nombre'"],
        [{ password: 123 }, "'password'"],
        [{ activo: false }, "'activo'"],
      ];
      for (const [extra, field] of cases) {
        const res = await t.request.post(`/admin/empresas/${empresa.id}/routers`).set(as(root)).send(body(empresa.id, extra));
        expect(res.status, JSON.stringify(extra)).to.equal(422);
        expect(res.body.detail, JSON.stringify(extra)).to.include(field);
      }
      for (const missing of ['empresa_id', 'nombre', 'host', 'usuario', 'password']) {
        const rest: Record<string, unknown> = body(empresa.id);
        delete rest[missing];
        const res = await t.request.post(`/admin/empresas/${empresa.id}/routers`).set(as(root)).send(rest);
        expect(res.status, missing).to.equal(422);
        expect(res.body.detail).to.equal(`El campo '${missing}' es obligatorio`);
      }
      const router = await create(empresa.id);
      const put = await t.request.put(`/admin/empresas/${empresa.id}/routers/${router.id}`).set(as(root)).send({ puerto: 70000 });
      expect(put.status).to.equal(422);
      expect(put.body.detail).to.include("'puerto'");
      expect(await t.container.knex('routers').where({ empresa_id: empresa.id })).to.have.length(1);
    });

    it('refuses a router for an inactive company', async () => {
      const empresa = await insertEmpresa(t.container, { activa: false });
      const res = await t.request.post(`/admin/empresas/${empresa.id}/routers`).set(as(root)).send(body(empresa.id));
      expect(res.status).to.equal(400);
      expect(res.body.detail).to.equal('No se puede agregar un router a una empresa inactiva');
    });
  });

  describe('PUT (partial update)', () => {
    it('keeps omitted fields, re-encrypts a new password and follows the port with TLS', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id, { puerto: 8000, ubicacion: 'Piso 2' });
      const path = `/admin/empresas/${empresa.id}/routers/${router.id}`;
      const before = await t.container.knex('routers').where({ id: router.id }).first();

      const renamed = await t.request.put(path).set(as(root)).send({ nombre: 'Router Terraza' });
      expect(renamed.status).to.equal(200);
      expect(renamed.body).to.include({ nombre: 'Router Terraza', host: '10.0.0.1', puerto: 8000, usuario: 'api', ubicacion: 'Piso 2', tls: false, activo: true });
      const afterRename = await t.container.knex('routers').where({ id: router.id }).first();
      expect(afterRename.password_enc).to.equal(before.password_enc);

      const repassed = await t.request.put(path).set(as(root)).send({ password: 'N3w-Pass-Word' });
      expect(repassed.status).to.equal(200);
      expect(JSON.stringify(repassed.body)).not.to.include('N3w-Pass-Word');
      const afterPass = await t.container.knex('routers').where({ id: router.id }).first();
      expect(afterPass.password_enc).to.match(/^gAAAAA/);
      expect(t.container.secrets.open(afterPass.password_enc)).to.equal('N3w-Pass-Word');

      const ssl = await t.request.put(path).set(as(root)).send({ puerto: 8729 });
      expect(ssl.body).to.include({ puerto: 8729, tls: true, nombre: 'Router Terraza', ubicacion: 'Piso 2' });
      const explicit = await t.request.put(path).set(as(root)).send({ puerto: 8729, tls: false, ubicacion: null, empresa_id: empresa.id });
      expect(explicit.body).to.include({ puerto: 8729, tls: false, ubicacion: null });
      const v6 = await t.request.put(path).set(as(root)).send({ host: 'fe80::1' });
      expect(v6.body).to.include({ host: 'fe80::1' });
      const plain = await t.request.put(path).set(as(root)).send({ host: 'router.example.mx', puerto: 8728 });
      expect(plain.body).to.include({ host: 'router.example.mx', puerto: 8728, tls: false });
      const noop = await t.request.put(path).set(as(root)).send({});
      expect(noop.status).to.equal(200);
      expect(noop.body).to.include({ host: 'router.example.mx', nombre: 'Router Terraza' });
    });
  });

  describe('activation and keys', () => {
    it('a deactivated router or company refuses its key on the next request; reactivation restores it', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id);
      expect((await portal(router.api_key)).status).to.equal(200);

      const off = await t.request.put(`/admin/empresas/${empresa.id}/routers/${router.id}/toggle-activo`).set(as(root));
      expect(off.body).to.deep.equal({ message: 'Router desactivado correctamente', router_id: router.id, activo: false });
      expect((await portal(router.api_key)).status).to.equal(401);
      const regen = await t.request.post(`/admin/empresas/${empresa.id}/routers/${router.id}/regenerate-api-key`).set(as(root));
      expect(regen.status).to.equal(400);
      expect(regen.body).to.deep.equal({ detail: 'No se puede regenerar API key de un router inactivo', code: 'bad_request' });
      const on = await t.request.put(`/admin/empresas/${empresa.id}/routers/${router.id}/toggle-activo`).set(as(root));
      expect(on.body).to.deep.equal({ message: 'Router activado correctamente', router_id: router.id, activo: true });
      expect((await portal(router.api_key)).status).to.equal(200);

      const empresaOff = await t.request.put(`/admin/empresas/${empresa.id}/toggle-activo`).set(as(root));
      expect(empresaOff.body).to.deep.equal({ message: 'Empresa desactivada correctamente', empresa_id: empresa.id, activa: false });
      expect((await portal(router.api_key)).status).to.equal(401);
      const empresaOn = await t.request.put(`/admin/empresas/${empresa.id}/toggle-activo`).set(as(root));
      expect(empresaOn.body).to.include({ message: 'Empresa activada correctamente', activa: true });
      expect((await portal(router.api_key)).status).to.equal(200);
    });

    it('concurrent regenerations leave exactly one active key and every issued key on record', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id);
      const results = await Promise.all(Array.from({ length: 5 }, () =>
        t.request.post(`/admin/empresas/${empresa.id}/routers/${router.id}/regenerate-api-key`).set(as(root))));
      expect(results.map((r) => r.status)).to.deep.equal([200, 200, 200, 200, 200]);
      expect(results.every((r) => r.body.previous_key_revoked === true)).to.equal(true);
      const keys = await t.container.knex('router_api_keys').where({ router_id: router.id });
      expect(keys).to.have.length(6);
      const active = keys.filter((k) => !k.revoked);
      expect(active).to.have.length(1);
      const winners = results.filter((r) => r.body.api_key_info.key_id === active[0].key_id);
      expect(winners).to.have.length(1);
      expect((await portal(winners[0].body.new_api_key)).status).to.equal(200);
      for (const loser of results.filter((r) => r !== winners[0])) expect((await portal(loser.body.new_api_key)).status).to.equal(401);
      const history = await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-keys`).set(as(root));
      expect(history.body[0].key_id).to.equal(active[0].key_id);
      expect(history.body.at(-1).key_id).to.equal(router.api_key_info.key_id);
    });

    it('history and status show live usage: stored totals plus counters not yet flushed', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await create(empresa.id);
      const keyId = router.api_key_info.key_id;
      await t.container.knex('router_api_keys').where({ key_id: keyId }).update({ use_count: 40, last_used: new Date(Date.now() - DAY) });
      const before = Date.now();
      // Counted the way portal requests count (the portal gate), not yet flushed to PostgreSQL.
      await Promise.all([t.container.portalGate.pass(keyId), t.container.portalGate.pass(keyId)]);
      const history = await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-keys`).set(as(root));
      expect(history.body[0]).to.include({ key_id: keyId, use_count: 42 });
      const used = new Date(history.body[0].last_used).getTime();
      expect(used).to.be.within(before, Date.now());
      const status = await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-key-status`).set(as(root));
      expect(status.body).to.include({ use_count: 42, last_used: new Date(used).toISOString(), warning: null });
      await t.container.keyUsage.flush();
      const flushed = await t.request.get(`/admin/empresas/${empresa.id}/routers/${router.id}/api-keys`).set(as(root));
      expect(flushed.body[0]).to.include({ use_count: 42 });
    });

    it('status warns about a key expiring within 30 days and ignores an expired one', async () => {
      const empresa = await insertEmpresa(t.container);
      const router = await insertRouter(t.container, empresa.id);
      const path = `/admin/empresas/${empresa.id}/routers/${router.id}/api-key-status`;
      const issued = await insertApiKey(t.container, router.id, empresa.id, new Date(Date.now() - 350 * DAY));
      await t.container.knex('router_api_keys').where({ key_id: issued.row.key_id }).update({ use_count: 1240, last_used: new Date() });
      const soon = await t.request.get(path).set(as(root));
      const days = Math.floor((issued.row.expires_at.getTime() - Date.now()) / DAY);
      expect(days).to.be.within(14, 15);
      expect(soon.body).to.include({
        has_active_key: true, key_id: issued.row.key_id, expires_in_days: days, use_count: 1240, status: 'active',
        warning: `La API Key expira en ${days} días`, recommendation: 'Considerar regenerar la API Key pronto', message: null,
      });

      await t.container.knex('router_api_keys').where({ key_id: issued.row.key_id }).update({ expires_at: new Date(Date.now() - 1000) });
      const expired = await t.request.get(path).set(as(root));
      expect(expired.body).to.include({ has_active_key: false, status: 'no_key', key_id: null, message: 'No hay API Key activa para este router' });
      const regen = await t.request.post(`/admin/empresas/${empresa.id}/routers/${router.id}/regenerate-api-key`).set(as(root));
      expect(regen.body.previous_key_revoked).to.equal(false);
    });

    it('revoking a key refuses it on the next request; a revoked key of another router is 404', async () => {
      const empresa = await insertEmpresa(t.container);
      const a = await create(empresa.id);
      const b = await create(empresa.id);
      const wrong = await t.request.post(`/admin/empresas/${empresa.id}/routers/${b.id}/api-keys/${a.api_key_info.key_id}/revoke`).set(as(root));
      expect(wrong.status).to.equal(404);
      const ok = await t.request.post(`/admin/empresas/${empresa.id}/routers/${a.id}/api-keys/${a.api_key_info.key_id}/revoke`).set(as(root));
      expect(ok.status).to.equal(200);
      expect((await portal(a.api_key)).status).to.equal(401);
      expect((await portal(b.api_key)).status).to.equal(200);
    });
  });
});

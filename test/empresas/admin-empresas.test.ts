/** Companies, the global dashboard and company stats under /admin. */
import { expect } from 'chai';
import { newTransaccionId } from '../../src/platform/ids';
import { ensureSuperAdmin } from '../../src/features/auth';
import { as, loginSuperAdmin, resetDatabase, startTestApp, type TestContext } from '../support/harness';
import { insertApiKey, insertEmpresa, insertRouter, insertUsuario, pasarelaOf } from '../support/fixtures';

const DAY = 86_400_000;

describe('admin: empresas, dashboard and stats', () => {
  let t: TestContext;
  let root: string;
  before(async () => {
    t = await startTestApp();
    root = await loginSuperAdmin(t);
  });
  after(async () => { await t.close(); });

  const valid = (extra: Record<string, unknown> = {}) => ({
    nombre: 'Café Internet Sol', contacto_email: 'sol@example.mx', conekta_private_key: 'key_PRIVADA_muy_secreta_123',
    conekta_public_key: 'key_publica_456', conekta_mode: 'test', ...extra,
  });

  it('creates, lists, gets and partially updates a company; the private key is sealed and never returned', async () => {
    const created = await t.request.post('/admin/empresas').set(as(root)).send(valid({ telegram_bot_token: '123456:BOT-token-secreto', telegram_chat_id: '-100200' }));
    expect(created.status).to.equal(200);
    const id = created.body.id as string;
    expect(created.body).to.include({ contacto_telefono: null, conekta_configurado: true, telegram_configurado: true, telegram_chat_id: '-100200', mercado_pago_configurado: false });
    const row = await t.container.knex('empresas').where({ id }).first();
    const conekta = (await pasarelaOf(t.container.knex, id, 'conekta'))!;
    expect(conekta).to.include({ llave_publica: 'key_publica_456', modo: 'test' });
    expect(conekta.secreto_enc).to.match(/^gAAAAA/);
    expect(t.container.secrets.open(conekta.secreto_enc)).to.equal('key_PRIVADA_muy_secreta_123');
    expect(t.container.secrets.open(row.telegram_bot_token_enc)).to.equal('123456:BOT-token-secreto');

    const updated = await t.request.put(`/admin/empresas/${id}`).set(as(root)).send({ contacto_telefono: '+52 81 0000 0000', conekta_private_key: 'key_OTRA_privada_789' });
    expect(updated.status).to.equal(200);
    expect(updated.body).to.include({ nombre: 'Café Internet Sol', contacto_email: 'sol@example.mx', contacto_telefono: '+52 81 0000 0000', conekta_public_key: 'key_publica_456', conekta_mode: 'test', conekta_configurado: true });
    const after = (await pasarelaOf(t.container.knex, id, 'conekta'))!;
    expect(t.container.secrets.open(after.secreto_enc)).to.equal('key_OTRA_privada_789');
    expect(after.llave_publica, 'an omitted field keeps its value').to.equal('key_publica_456');

    const responses = [
      created, updated,
      await t.request.get('/admin/empresas').set(as(root)),
      await t.request.get(`/admin/empresas/${id}`).set(as(root)),
      await t.request.get('/admin/empresas?activa=true').set(as(root)),
    ];
    for (const res of responses) {
      const text = JSON.stringify(res.body);
      for (const secret of ['key_PRIVADA_muy_secreta_123', 'key_OTRA_privada_789', 'BOT-token-secreto', conekta.secreto_enc, '_enc', 'private_key']) {
        expect(text).not.to.include(secret);
      }
    }
    expect(responses[3].body).to.include({ id, activa: true });
    expect(responses[2].body.map((e: { id: string }) => e.id)).to.include(id);
  });

  it('toggles a company and filters the list by activa', async () => {
    const empresa = await insertEmpresa(t.container);
    const off = await t.request.put(`/admin/empresas/${empresa.id}/toggle-activo`).set(as(root));
    expect(off.body).to.deep.equal({ message: 'Empresa desactivada correctamente', empresa_id: empresa.id, activa: false });
    const inactive = await t.request.get('/admin/empresas?activa=false').set(as(root));
    expect(inactive.body.map((e: { id: string }) => e.id)).to.include(empresa.id);
    const active = await t.request.get('/admin/empresas?activa=true').set(as(root));
    expect(active.body.map((e: { id: string }) => e.id)).not.to.include(empresa.id);
    expect((await t.request.get('/admin/empresas?activa=quizas').set(as(root))).status).to.equal(422);
  });

  it('names the field of a bad company body (422) and 404s an unknown company', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ contacto_email: 'no-es-un-email' }, "'contacto_email'"],
      [{ conekta_mode: 'produccion' }, "'conekta_mode'"],
      [{ nombre: '' }, "'nombre'"],
      [{ nombre: 42 }, "'nombre'"],
      [{ activa: false }, "'activa'"],
      [{ conekta_private_key_enc: 'x' }, "'conekta_private_key_enc'"],
    ];
    for (const [extra, field] of cases) {
      const res = await t.request.post('/admin/empresas').set(as(root)).send(valid(extra));
      expect(res.status, JSON.stringify(extra)).to.equal(422);
      expect(res.body.detail).to.include(field);
    }
    // The Conekta keys are optional, as in the original (test/compat covers a company created without them).
    for (const missing of ['nombre', 'contacto_email']) {
      const rest: Record<string, unknown> = valid();
      delete rest[missing];
      const res = await t.request.post('/admin/empresas').set(as(root)).send(rest);
      expect(res.status).to.equal(422);
      expect(res.body.detail).to.equal(`El campo '${missing}' es obligatorio`);
    }
    const notObject = await t.request.post('/admin/empresas').set(as(root)).send([valid()]);
    expect(notObject.status).to.equal(422);
    for (const id of ['EMP_0000000000', 'EMP_nope', '%00']) {
      for (const res of [
        await t.request.get(`/admin/empresas/${id}`).set(as(root)),
        await t.request.put(`/admin/empresas/${id}`).set(as(root)).send({ nombre: 'x' }),
        await t.request.put(`/admin/empresas/${id}`).set(as(root)).send({}),
        await t.request.put(`/admin/empresas/${id}/toggle-activo`).set(as(root)),
        await t.request.get(`/admin/empresas/${id}/stats`).set(as(root)),
      ]) {
        expect(res.status, id).to.equal(404);
        expect(res.body).to.deep.equal({ detail: 'Empresa no encontrada', code: 'not_found' });
      }
    }
    const bad = await t.request.put('/admin/empresas/EMP_0000000000').set(as(root)).send({ contacto_email: 'mal' });
    expect(bad.status).to.equal(422);
  });

  describe('numbers', () => {
    let e1: { id: string };
    let e2: { id: string };

    before(async () => {
      // A clean slate for exact counts.
      await resetDatabase(t.container.knex);
      await ensureSuperAdmin(t.container.stores.usuarios, t.config, t.container.passwords);
      root = await loginSuperAdmin(t);
      e1 = await insertEmpresa(t.container, { nombre: 'Uno' });
      e2 = await insertEmpresa(t.container, { nombre: 'Dos', activa: false });
      const r1 = await insertRouter(t.container, e1.id);
      const r2 = await insertRouter(t.container, e1.id, { activo: false });
      const r3 = await insertRouter(t.container, e2.id);
      await insertApiKey(t.container, r1.id, e1.id);
      const expiring = await insertApiKey(t.container, r2.id, e1.id, new Date(Date.now() - 350 * DAY));
      const old = await insertApiKey(t.container, r3.id, e2.id, new Date(Date.now() - 400 * DAY)); // expired
      await t.container.knex('api_key_expiry_warnings').insert([
        { key_id: expiring.row.key_id, threshold_days: 30, days_left: 15, telegram_status: 'sent', created_at: new Date(Date.now() - 60_000) },
        { key_id: old.row.key_id, threshold_days: 7, days_left: 3, telegram_status: 'not_configured', created_at: new Date(Date.now() - 3 * DAY) },
      ]);
      await insertUsuario(t.container, { empresa_id: e1.id });
      await insertUsuario(t.container, { empresa_id: e1.id, activo: false });
      await insertUsuario(t.container, { empresa_id: e2.id });
      await t.container.knex('productos').insert([
        { empresa_id: e1.id, router_id: r1.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'A', precio: '10.00' },
        { empresa_id: e1.id, router_id: r1.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'B', precio: '10.00', activo: false },
        { empresa_id: e1.id, router_id: r1.id, perfil_mikrotik_nombre: 'p', nombre_venta: 'C', precio: '10.00', eliminado_en: new Date() },
      ]);
      let n = 0;
      const trx = (empresaId: string, routerId: string, estado_pago: string, monto: string, moneda: string, estado_hotspot = 'pending') => ({
        id: newTransaccionId(), empresa_id: empresaId, router_id: routerId, producto_id: 1, producto_nombre: 'x', perfil_mikrotik_nombre: 'p',
        gateway: 'conekta', idempotency_key: `k${++n}`, request_hash: 'h'.repeat(64), monto, moneda, cliente_nombre: 'C', cliente_email: 'c@example.com',
        tipo_usuario: 'pin', hotspot_usuario: `u${n}`, hotspot_password_enc: 'x', confirmar_hasta: new Date(), estado_pago, estado_hotspot,
      });
      await t.container.knex('transacciones').insert([
        // 0.10 + 0.20 is where floating point goes wrong: the sum must be exactly 30.30.
        trx(e1.id, r1.id, 'paid', '0.10', 'MXN', 'active'),
        trx(e1.id, r1.id, 'paid', '0.20', 'MXN', 'active'),
        trx(e1.id, r1.id, 'paid', '30.00', 'MXN', 'active'),
        trx(e1.id, r1.id, 'paid', '5.00', 'USD', 'active'),
        trx(e1.id, r1.id, 'refunded', '99.00', 'MXN', 'disabled'),
        trx(e1.id, r1.id, 'declined', '10.00', 'MXN'),
        trx(e2.id, r3.id, 'paid', '1000.55', 'MXN', 'failed'),
        trx(e2.id, r3.id, 'pending', '10.00', 'EUR'),
      ]);
    });

    it('GET /admin/dashboard counts everything in SQL and sums paid money exactly, per currency', async () => {
      const res = await t.request.get('/admin/dashboard').set(as(root));
      expect(res.status).to.equal(200);
      expect(res.body.estadisticas).to.deep.equal({
        total_empresas: 2, empresas_activas: 1, empresas_inactivas: 1, total_routers: 3, routers_activos: 2, routers_inactivos: 1,
        total_usuarios: 4, usuarios_activos: 3, usuarios_super_admin: 1, usuarios_cliente_admin: 3,
      });
      expect(res.body.transacciones.total).to.equal(8);
      expect(res.body.transacciones.por_estado_pago).to.deep.equal({ pending: 1, paid: 5, declined: 1, unknown: 0, expired: 0, refunded: 1, charged_back: 0 });
      expect(res.body.transacciones.por_estado_hotspot).to.include({ active: 4, disabled: 1, failed: 1, pending: 2 });
      expect(res.body.ingresos).to.deep.equal({ MXN: { total: '1030.85', transacciones: 4 }, USD: { total: '5.00', transacciones: 1 } });
      expect(res.body.api_keys).to.deep.equal({ activas: 2, por_expirar_30_dias: 1 });
      expect(res.body.alertas_api_keys).to.have.length(2);
      expect(res.body.alertas_api_keys[0]).to.include({ empresa_id: e1.id, empresa_nombre: 'Uno', threshold_days: 30, days_left: 15, telegram_status: 'sent' });
      expect(res.body.timestamp).to.be.a('string');
    });

    it('GET /admin/empresas/{id}/stats covers one company', async () => {
      const res = await t.request.get(`/admin/empresas/${e1.id}/stats`).set(as(root));
      expect(res.status).to.equal(200);
      expect(res.body.empresa).to.include({ id: e1.id, nombre: 'Uno', activa: true });
      expect(res.body.estadisticas).to.deep.equal({
        total_routers: 2, routers_activos: 1, routers_inactivos: 1, total_usuarios_admin: 2, api_keys_activas: 2,
        api_keys_por_expirar_30_dias: 1, total_productos: 2, productos_activos: 1,
      });
      expect(res.body.ingresos).to.deep.equal({ MXN: { total: '30.30', transacciones: 3 }, USD: { total: '5.00', transacciones: 1 } });
      expect(res.body.transacciones.total).to.equal(6);
      expect(res.body.alertas_api_keys).to.have.length(1);
      const other = await t.request.get(`/admin/empresas/${e2.id}/stats`).set(as(root));
      expect(other.body.estadisticas).to.include({ total_routers: 1, api_keys_activas: 0 });
      expect(other.body.ingresos).to.deep.equal({ MXN: { total: '1000.55', transacciones: 1 } });
    });
  });
});

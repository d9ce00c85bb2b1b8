/**
 * Seed 002 (onboarding a WiFi operator) and seed 003 (router API key
 * lifecycle), walked step by step over HTTP against the real database.
 */
import { expect } from 'chai';
import { loginAs, loginSuperAdmin, startTestApp, type TestContext } from '../support/harness';

describe('admin: onboarding (seed 002) and the API key lifecycle (seed 003)', () => {
  let t: TestContext;
  before(async () => { t = await startTestApp(); });
  after(async () => { await t.close(); });

  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('onboards a company from the super admin login to the cliente_admin first login', async () => {
    // 1. Log in as super admin.
    const root = await loginSuperAdmin(t);

    // 2. Create the company.
    const empresa = await t.request.post('/admin/empresas').set(auth(root)).send({
      nombre: 'WiFi Plaza Central', contacto_email: 'contacto@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678',
      conekta_private_key: 'key_test_private_ABC123', conekta_public_key: 'key_test_public_XYZ', conekta_mode: 'test',
    });
    expect(empresa.status).to.equal(200);
    expect(empresa.body.id).to.match(/^EMP_[0-9A-F]{10}$/);
    expect(empresa.body).to.include({
      nombre: 'WiFi Plaza Central', contacto_email: 'contacto@wifiplaza.mx', contacto_telefono: '+52 55 1234 5678',
      conekta_mode: 'test', conekta_public_key: 'key_test_public_XYZ', conekta_configurado: true, activa: true,
    });
    expect(JSON.stringify(empresa.body)).not.to.include('key_test_private_ABC123');
    const empresaId = empresa.body.id as string;

    // 3. Add the router: its API key comes back once.
    const router = await t.request.post(`/admin/empresas/${empresaId}/routers`).set(auth(root)).send({
      empresa_id: empresaId, nombre: 'Router Principal', host: '127.0.0.3', puerto: 8728,
      usuario: 'admin', password: 'secure_password', ubicacion: 'Lobby Piso 1',
    });
    expect(router.status).to.equal(200);
    expect(router.body.id).to.match(/^RTR_[0-9A-F]{8}$/);
    expect(router.body).to.include({ empresa_id: empresaId, nombre: 'Router Principal', host: '127.0.0.3', puerto: 8728, ubicacion: 'Lobby Piso 1', activo: true });
    expect(router.body.api_key).to.match(/^jwt_/);
    expect(router.body.api_key_info).to.include({ type: 'router_api_key' });
    expect(router.body.api_key_info.key_id).to.match(/^key_[0-9a-f]{16}$/);
    expect(router.body.creado_en).to.be.a('string');
    expect(JSON.stringify(router.body)).not.to.include('secure_password');

    // 4. Create the client's admin user.
    const user = await t.request.post('/admin/usuarios').set(auth(root)).send({
      email: 'admin@wifiplaza.mx', password: 'ClientePass456!', nombre: 'Juan Pérez', rol: 'cliente_admin', empresa_id: empresaId,
    });
    expect(user.status).to.equal(200);
    expect(user.body.message).to.equal('Usuario creado exitosamente');
    expect(user.body.usuario).to.include({ email: 'admin@wifiplaza.mx', nombre: 'Juan Pérez', rol: 'cliente_admin', empresa_id: empresaId, activo: true });
    expect(user.body.usuario).not.to.have.property('password_hash');

    // 5. Deliver credentials: the key works on the portal (X-API-Key, as the onboarding page says) ...
    const portal = await t.request.get('/api/v1/config/public').set('X-API-Key', router.body.api_key);
    expect(portal.status).to.equal(200);
    expect(portal.body.empresa).to.include({ id: empresaId, nombre: 'WiFi Plaza Central', conekta_public_key: 'key_test_public_XYZ', conekta_mode: 'test' });
    expect(portal.body.router.id).to.equal(router.body.id);

    // ... and the client admin logs in for the first time.
    const token = await loginAs(t, 'admin@wifiplaza.mx', 'ClientePass456!');
    const me = await t.request.get('/api/v1/auth/me').set(auth(token));
    expect(me.status).to.equal(200);
    expect(me.body).to.include({ email: 'admin@wifiplaza.mx', rol: 'cliente_admin', empresa_id: empresaId });
    // Their session is company-scoped: the super admin API is closed to it.
    expect((await t.request.get('/admin/empresas').set(auth(token))).status).to.equal(403);

    // The super admin sees what was onboarded.
    const list = await t.request.get('/admin/empresas').set(auth(root));
    expect(list.body.map((e: { id: string }) => e.id)).to.include(empresaId);
    const stats = await t.request.get(`/admin/empresas/${empresaId}/stats`).set(auth(root));
    expect(stats.status).to.equal(200);
    expect(stats.body.estadisticas).to.include({ total_routers: 1, routers_activos: 1, total_usuarios_admin: 1, api_keys_activas: 1 });
  });

  it('walks the key lifecycle: create, use, status, regenerate, old key refused, history, revoke, no key, delete', async () => {
    const root = await loginSuperAdmin(t);
    const empresa = await t.request.post('/admin/empresas').set(auth(root)).send({
      nombre: 'Hotspots del Norte', contacto_email: 'ops@norte.mx', conekta_private_key: 'key_test_x', conekta_public_key: 'key_pub_x', conekta_mode: 'test',
    });
    const empresaId = empresa.body.id as string;
    const base = `/admin/empresas/${empresaId}/routers`;

    // Create.
    const created = await t.request.post(base).set(auth(root)).send({
      empresa_id: empresaId, nombre: 'Router Principal', host: '127.0.0.3', puerto: 8728, usuario: 'admin', password: 'secure_password',
    });
    expect(created.status).to.equal(200);
    const routerId = created.body.id as string;
    const firstKey = created.body.api_key as string;
    const firstKeyId = created.body.api_key_info.key_id as string;

    // Before any use the status warns that the key was never used.
    const unused = await t.request.get(`${base}/${routerId}/api-key-status`).set(auth(root));
    expect(unused.status).to.equal(200);
    expect(unused.body).to.include({ has_active_key: true, key_id: firstKeyId, use_count: 0, status: 'active', warning: 'Esta API Key nunca ha sido usada', message: null });

    // Use it on the portal, twice.
    for (let i = 0; i < 2; i++) {
      expect((await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${firstKey}`)).status).to.equal(200);
    }

    // Status: active, no warnings, live usage (not yet flushed to PostgreSQL).
    const status = await t.request.get(`${base}/${routerId}/api-key-status`).set(auth(root));
    expect(status.status).to.equal(200);
    expect(status.body).to.include({
      router_id: routerId, has_active_key: true, key_id: firstKeyId, use_count: 2, status: 'active', warning: null, recommendation: null, message: null,
    });
    expect(status.body.expires_in_days).to.equal(364);
    expect(status.body.last_used).to.be.a('string');
    expect(Date.parse(status.body.expires_at) - Date.parse(status.body.issued_at)).to.equal(365 * 86_400_000);

    // Regenerate: the old key is revoked and refused on the very next request.
    const regen = await t.request.post(`${base}/${routerId}/regenerate-api-key`).set(auth(root));
    expect(regen.status).to.equal(200);
    expect(regen.body).to.include({ message: 'API Key regenerada exitosamente', router_id: routerId, previous_key_revoked: true });
    expect(regen.body.new_api_key).to.match(/^jwt_/).and.not.equal(firstKey);
    expect(regen.body.api_key_info).to.include({ type: 'router_api_key' });
    const secondKeyId = regen.body.api_key_info.key_id as string;
    expect((await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${firstKey}`)).status).to.equal(401);
    expect((await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${regen.body.new_api_key}`)).status).to.equal(200);

    // History, newest first, with usage (the flushed part and the live part add up).
    await t.container.keyUsage.flush();
    const history = await t.request.get(`${base}/${routerId}/api-keys`).set(auth(root));
    expect(history.status).to.equal(200);
    expect(history.body.map((k: { key_id: string }) => k.key_id)).to.deep.equal([secondKeyId, firstKeyId]);
    expect(history.body[0]).to.include({ router_id: routerId, empresa_id: empresaId, revoked: false, revoked_at: null, use_count: 1 });
    expect(history.body[1]).to.include({ revoked: true, use_count: 2 });
    expect(history.body[1].revoked_at).to.be.a('string');
    expect(history.body[1].last_used).to.be.a('string');
    for (const key of history.body) expect(Object.keys(key)).to.have.members(['key_id', 'router_id', 'empresa_id', 'issued_at', 'expires_at', 'revoked', 'revoked_at', 'last_used', 'use_count']);

    // Revoke the current key; revoking it again is a 400, an unknown key a 404.
    const revoke = await t.request.post(`${base}/${routerId}/api-keys/${secondKeyId}/revoke`).set(auth(root));
    expect(revoke.status).to.equal(200);
    expect(revoke.body).to.include({ message: 'API Key revocada exitosamente', key_id: secondKeyId, router_id: routerId });
    expect(revoke.body.revoked_at).to.be.a('string');
    const again = await t.request.post(`${base}/${routerId}/api-keys/${secondKeyId}/revoke`).set(auth(root));
    expect(again.status).to.equal(400);
    expect(again.body).to.deep.equal({ detail: 'La API Key ya está revocada', code: 'bad_request' });
    const unknown = await t.request.post(`${base}/${routerId}/api-keys/key_0000000000000000/revoke`).set(auth(root));
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.deep.equal({ detail: 'API Key no encontrada', code: 'not_found' });
    expect((await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${regen.body.new_api_key}`)).status).to.equal(401);

    // Status with no key.
    const none = await t.request.get(`${base}/${routerId}/api-key-status`).set(auth(root));
    expect(none.body).to.deep.equal({
      router_id: routerId, has_active_key: false, key_id: null, issued_at: null, expires_at: null, expires_in_days: null,
      last_used: null, use_count: 0, status: 'no_key', warning: null,
      recommendation: 'Generar una nueva API Key', message: 'No hay API Key activa para este router',
    });
    // Regenerating with no active key issues one and says nothing was revoked.
    const fresh = await t.request.post(`${base}/${routerId}/regenerate-api-key`).set(auth(root));
    expect(fresh.body.previous_key_revoked).to.equal(false);

    // Delete is refused while products exist (a soft-deleted one does not count) ...
    const producto = (extra: Record<string, unknown> = {}) => ({
      empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: '1 hora', precio: '10.00', moneda: 'MXN', ...extra,
    });
    await t.container.knex('productos').insert([producto(), producto({ nombre_venta: '1 día' }), producto({ eliminado_en: new Date() })]);
    const refused = await t.request.delete(`${base}/${routerId}`).set(auth(root));
    expect(refused.status).to.equal(400);
    expect(refused.body).to.deep.equal({ detail: 'No se puede eliminar el router porque tiene 2 producto(s) asociado(s)', code: 'bad_request' });

    // ... and works once they are gone; its transactions stay.
    await t.container.knex('productos').where({ router_id: routerId }).whereNull('eliminado_en').update({ eliminado_en: new Date() });
    await t.container.knex('transacciones').insert({
      id: 'TRX_0A1B2C3D4E5F', empresa_id: empresaId, router_id: routerId, producto_id: 1, producto_nombre: '1 hora', perfil_mikrotik_nombre: '1hora',
      gateway: 'conekta', idempotency_key: 'idem-1', request_hash: 'h'.repeat(64), monto: '10.00', moneda: 'MXN', cliente_nombre: 'Ana',
      cliente_email: 'ana@example.com', tipo_usuario: 'pin', hotspot_usuario: 'u1', hotspot_password_enc: 'x', confirmar_hasta: new Date(),
    });
    const deleted = await t.request.delete(`${base}/${routerId}`).set(auth(root));
    expect(deleted.status).to.equal(200);
    expect(deleted.body).to.deep.equal({ message: 'Router eliminado exitosamente', router_id: routerId, empresa_id: empresaId });
    expect((await t.request.get(`${base}/${routerId}`).set(auth(root))).status).to.equal(404);
    expect(await t.container.knex('router_api_keys').where({ router_id: routerId })).to.have.length(0);
    expect(await t.container.knex('productos').where({ router_id: routerId })).to.have.length(0);
    expect(await t.container.knex('transacciones').where({ router_id: routerId })).to.have.length(1);
    expect((await t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${fresh.body.new_api_key}`)).status).to.equal(401);
  });
});

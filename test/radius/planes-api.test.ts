/**
 * Plans the service owns in API mode (issue 22 item 5), against the RouterOS
 * simulator over TCP: a product with a speed or several devices gets a hotspot
 * user profile of ours on the router (created, then kept up to date), its
 * sales and vouchers use it; a primer_uso sale's validity starts at the first
 * login read from the router and the user is disabled when it runs out.
 */
import { expect } from 'chai';
import { conektaBody, eventually, startStack, type Stack } from '../support/stack';
import { loginAs } from '../support/harness';

describe('API mode: plans the service owns on the router', function () {
  this.timeout(60_000);
  let s: Stack;
  let token: string;
  before(async () => {
    s = await startStack();
    token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
  });
  after(async () => { await s?.close(); });

  const admin = (method: 'post' | 'put', path: string) => s.t.request[method](path).set('Authorization', `Bearer ${token}`);
  const buy = async (productoId: number, key: string) => {
    const res = await s.t.request.post('/api/v1/payments/pagar-conekta').set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Idempotency-Key', key)
      .send(conektaBody(productoId, s.conekta.token('visa_4242')));
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { transaccion_id: string; estado_hotspot: string; usuario_hotspot: { usuario: string } };
  };
  const profile = (name: string) => s.sim.state.profileList.find((p) => p.name === name);

  it('a product with a speed and devices gets a profile of ours, used by its sales and kept up to date', async () => {
    const created = await admin('post', '/api/v1/admin/products').send({
      router_id: s.escenario.routerId, perfil_mikrotik_nombre: 'plan-1h', nombre_venta: 'Rápido', precio: '20.00', limite_velocidad: '2M/10M', dispositivos: 2,
    });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const ours = `pagos-${created.body.id}`;
    expect(profile(ours)).to.include({ 'rate-limit': '2M/10M', 'shared-users': '2' });

    const sale = await buy(created.body.id, 'api-plan-sale-0001');
    expect(sale.estado_hotspot).to.equal('active');
    expect(s.sim.state.findUser(sale.usuario_hotspot.usuario)).to.include({ profile: ours });

    const updated = await admin('put', `/api/v1/admin/products/${created.body.id}`).send({ limite_velocidad: '5M/20M', dispositivos: 3 });
    expect(updated.status, JSON.stringify(updated.body)).to.equal(200);
    expect(profile(ours)).to.include({ 'rate-limit': '5M/20M', 'shared-users': '3' });
    // The router's own profiles stay as they were, and selectable.
    expect(profile('plan-1h')).to.include({ 'shared-users': '1' });
    expect(profile('plan-1h')!['rate-limit'] ?? '').to.equal('');
  });

  it('a product without a speed and with one device keeps the router profile it names', async () => {
    const sale = await buy(s.escenario.productoId, 'api-plan-sale-0002');
    expect(s.sim.state.findUser(sale.usuario_hotspot.usuario)).to.include({ profile: 'plan-1h' });
    expect(profile(`pagos-${s.escenario.productoId}`)).to.equal(undefined);
  });

  it('a voucher of such a product uses the profile of ours', async () => {
    const created = await admin('post', '/api/v1/admin/products').send({
      router_id: s.escenario.routerId, perfil_mikrotik_nombre: 'plan-1h', nombre_venta: 'Ficha rápida', precio: '10.00', limite_velocidad: '1M/4M',
    });
    const lote = await admin('post', '/api/v1/admin/fichas/lotes').send({ producto_id: created.body.id, cantidad: 1 });
    expect(lote.status, JSON.stringify(lote.body)).to.equal(201);
    const codigo = lote.body.fichas[0].codigo as string;
    await eventually(async () => s.sim.state.findUser(codigo), 10_000, 'voucher on the router');
    expect(s.sim.state.findUser(codigo)).to.include({ profile: `pagos-${created.body.id}` });
    expect(profile(`pagos-${created.body.id}`)).to.include({ 'rate-limit': '1M/4M', 'shared-users': '1' });
  });

  it('primer_uso: no end until the first login; then it ends vigencia later and the user is disabled on the router', async () => {
    const created = await admin('post', '/api/v1/admin/products').send({
      router_id: s.escenario.routerId, perfil_mikrotik_nombre: 'plan-1h', nombre_venta: 'Día', precio: '30.00', vigencia_minutos: 60, vigencia_desde: 'primer_uso',
    });
    const sale = await buy(created.body.id, 'api-plan-primer-0001');
    const row = () => s.t.container.knex('transacciones').where({ id: sale.transaccion_id }).first();
    expect(await row()).to.include({ estado_hotspot: 'active', hotspot_expira_en: null, primer_uso_en: null });

    await s.t.container.hotspotService.recordFirstLogins('api');
    expect((await row()).primer_uso_en).to.equal(null); // never logged in yet

    // The customer logged in 59 minutes and 50 seconds ago (uptime on the router).
    s.sim.state.recordUsage(sale.usuario_hotspot.usuario, { uptimeSeconds: 3590 });
    expect(await s.t.container.hotspotService.recordFirstLogins('api')).to.equal(1);
    const started = await row();
    const left = new Date(started.hotspot_expira_en).getTime() - Date.now();
    expect(left).to.be.greaterThan(0).and.at.most(11_000);
    expect(await s.t.container.hotspotService.enqueueDueExpiries()).to.equal(0);

    // Its end comes (the stored end moved back instead of waiting out the ten seconds).
    await s.t.container.knex('transacciones').where({ id: sale.transaccion_id })
      .update({ hotspot_expira_en: new Date(new Date(started.hotspot_expira_en).getTime() - left - 1000) });
    expect(await s.t.container.hotspotService.enqueueDueExpiries()).to.equal(1);
    await eventually(async () => (await row()).estado_hotspot === 'expired', 10_000, 'expired');
    expect(s.sim.state.findUser(sale.usuario_hotspot.usuario)).to.include({ disabled: 'true' });
  });
});

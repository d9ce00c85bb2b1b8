import { expect } from 'chai';
import { GATEWAY_PROVIDERS } from '../../src/integrations/gateways';
import { eventually, startStack, type Stack } from '../support/stack';
import { as, loginAs } from '../support/harness';
import { createPruebaGateway, PRUEBA_SECRETO, PRUEBA_WEBHOOK_KEY, signPrueba } from '../support/prueba-gateway/provider';

/**
 * Adding a gateway is one folder and one registry line (ARCHITECTURE.md): a
 * test-only provider, registered beside Conekta and Mercado Pago, sells
 * through the real app, worker, PostgreSQL, Redis and RouterOS simulator,
 * and its webhooks move its sales, with nothing else written for it: the
 * company types its credentials in at the registry's settings route, and they
 * are stored in its account (empresa_pasarelas) like any gateway's.
 */
describe('a gateway added as one provider: sold through end to end over HTTP', function () {
  this.timeout(40_000);
  let s: Stack;
  const prueba = createPruebaGateway();
  before(async () => { s = await startStack({ gatewayProviders: [...GATEWAY_PROVIDERS, prueba.provider] }); });
  after(async () => { await s?.close(); });

  const body = (token: string) => ({
    producto_id: s.escenario.productoId, token, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', tipo_usuario: 'usuario_contrasena',
  });
  const pay = (token: string, key: string) => s.t.request.post('/api/v1/payments/pagar/prueba')
    .set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Idempotency-Key', key).send(body(token));
  const webhook = (payload: object, firma?: string) => {
    const raw = JSON.stringify(payload);
    return s.t.request.post(`/api/v1/webhook/prueba/${s.escenario.empresaId}`).set('Content-Type', 'application/json')
      .set('x-prueba-firma', firma ?? signPrueba(raw)).send(raw);
  };
  const row = (id: string) => s.t.container.knex('transacciones').where({ id }).first();
  const settings = async () => as(await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password));

  it('is not sold until the company saves its credentials at the registry\'s settings route; they are sealed and shown masked', async () => {
    const before = await pay('tok_ok', 'prueba-sin-llave-01');
    expect(before.status).to.equal(400);
    expect(before.body.detail).to.equal('La empresa no tiene configurado Pasarela de Prueba');
    expect(prueba.charges()).to.equal(0);

    const admin = await settings();
    const listed = await s.t.request.get('/api/v1/admin/mi-empresa/pasarelas').set(admin);
    expect(listed.status, JSON.stringify(listed.body)).to.equal(200);
    expect(listed.body.map((p: { pasarela: string }) => p.pasarela)).to.deep.equal(['conekta', 'mercadopago', 'prueba']);
    expect(listed.body[2]).to.include({ configurado: false, secreto: null, ruta_configuracion: '/api/v1/admin/mi-empresa/pasarelas/prueba' });
    expect(listed.body[0]).to.include({ configurado: true, ruta_configuracion: '/api/v1/admin/mi-empresa/configurar-conekta' });

    // A field it does not use, a gateway with its own settings path, one that is not registered: refused, nothing saved.
    const unused = await s.t.request.put('/api/v1/admin/mi-empresa/pasarelas/prueba').set(admin).send({ secreto: PRUEBA_SECRETO, llave_publica: 'pk_x' });
    expect(unused.status).to.equal(422);
    expect(unused.body).to.include({ detail: "La pasarela Pasarela de Prueba no usa el campo 'llave_publica'", code: 'validation_error' });
    const own = await s.t.request.put('/api/v1/admin/mi-empresa/pasarelas/conekta').set(admin).send({ secreto: 'key_otra' });
    expect(own.status).to.equal(409);
    expect(own.body.detail).to.equal('Conekta se configura en /api/v1/admin/mi-empresa/configurar-conekta');
    const unknown = await s.t.request.put('/api/v1/admin/mi-empresa/pasarelas/noexiste').set(admin).send({ secreto: 'x' });
    expect(unknown.status).to.equal(404);
    expect(unknown.body.detail).to.equal('Pasarela no encontrada');
    expect(await s.t.container.knex('empresa_pasarelas').where({ empresa_id: s.escenario.empresaId, pasarela: 'prueba' }).first()).to.equal(undefined);

    const saved = await s.t.request.put('/api/v1/admin/mi-empresa/pasarelas/prueba').set(admin)
      .send({ secreto: PRUEBA_SECRETO, webhook_secreto: PRUEBA_WEBHOOK_KEY, modo: 'live' });
    expect(saved.status, JSON.stringify(saved.body)).to.equal(200);
    expect(saved.body).to.include({
      message: 'Credenciales de Pasarela de Prueba guardadas correctamente', pasarela: 'prueba', configurado: true, modo: 'live',
      secreto: '••••6789', webhook_secreto: '••••ueba', webhook_url: `http://pagos.test/api/v1/webhook/prueba/${s.escenario.empresaId}`,
    });
    expect(JSON.stringify(saved.body)).not.to.include(PRUEBA_SECRETO);
    const stored = await s.t.container.knex('empresa_pasarelas').where({ empresa_id: s.escenario.empresaId, pasarela: 'prueba' }).first();
    expect(stored.secreto_enc).to.match(/^gAAAAA/);
    expect(s.t.container.secrets.open(stored.secreto_enc)).to.equal(PRUEBA_SECRETO);
    // Omitted fields keep their values.
    const again = await s.t.request.put('/api/v1/admin/mi-empresa/pasarelas/prueba').set(admin).send({ modo: 'test' });
    expect(again.body).to.include({ modo: 'test', secreto: '••••6789', configurado: true });
    const one = await s.t.request.get('/api/v1/admin/mi-empresa/pasarelas/prueba').set(admin);
    const { message: _m, ...view } = again.body;
    expect(one.body).to.deep.equal(view);
    // Configured, it sells through the API; the captive portal does not offer it (its provider declares no portal card).
    const pub = await s.t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${s.escenario.apiKey}`);
    expect(pub.status).to.equal(200);
    expect([...new Set(pub.body.metodos_pago.map((m: { pasarela: string }) => m.pasarela))]).to.deep.equal(['conekta', 'mercadopago']);
  });

  it('charges once, creates the user on the router, answers the credentials; a repeat answers the same without charging', async () => {
    const res = await pay('tok_ok', 'prueba-venta-0001');
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.include({ success: true, estado_pago: 'paid', estado_hotspot: 'active' });
    const users = s.sim.state.userList.filter((u) => u.name === res.body.usuario_hotspot.usuario);
    expect(users).to.have.length(1);
    expect(users[0]).to.include({ comment: res.body.transaccion_id, profile: 'plan-1h', password: res.body.usuario_hotspot.contrasena });
    expect(await row(res.body.transaccion_id)).to.include({ gateway: 'prueba', gateway_id: `prb_${res.body.transaccion_id}`, estado_pago: 'paid' });

    const again = await pay('tok_ok', 'prueba-venta-0001');
    expect(again.status).to.equal(200);
    expect(again.body.transaccion_id).to.equal(res.body.transaccion_id);
    expect(prueba.charges()).to.equal(1);

    // The portal's poll of the sale, with the purchase's key, sees the same.
    const status = await s.t.request.get(`/api/v1/payments/transacciones/${res.body.transaccion_id}`)
      .set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Idempotency-Key', 'prueba-venta-0001');
    expect(status.body).to.include({ estado_pago: 'paid', estado_hotspot: 'active' });
  });

  it('a decline is a 402 with the provider\'s Spanish message and creates no user', async () => {
    const before = s.sim.state.userList.length;
    const res = await pay('tok_no', 'prueba-venta-0002');
    expect(res.status).to.equal(402);
    expect(res.body).to.include({ detail: 'La tarjeta de prueba fue rechazada.', estado_pago: 'declined' });
    expect(s.sim.state.userList.length).to.equal(before);
  });

  it('its webhooks arrive at the registry\'s path: a forged one is 401 and changes nothing; a signed refund disables the user', async () => {
    const sale = await pay('tok_ok', 'prueba-venta-0003');
    expect(sale.body.estado_hotspot).to.equal('active');
    const id = sale.body.transaccion_id as string;
    const gatewayId = `prb_${id}`;
    prueba.refundAtGateway(gatewayId);

    const forged = await webhook({ id: 'evt-1', pago: gatewayId }, 'f'.repeat(64));
    expect(forged.status).to.equal(401);
    expect((await row(id)).estado_pago).to.equal('paid');

    const signed = await webhook({ id: 'evt-2', pago: gatewayId });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.resultado).to.equal('changed');
    expect((await row(id)).estado_pago).to.equal('refunded');
    await eventually(async () => (await row(id)).estado_hotspot === 'disabled', 10_000, 'the refunded user disabled');
    const user = s.sim.state.userList.find((u) => u.name === sale.body.usuario_hotspot.usuario);
    expect(user?.disabled).to.equal('true');
  });

  it('the company admin lists its sales beside the others and refunds one through the provider', async () => {
    const sale = await pay('tok_ok', 'prueba-venta-0004');
    const token = await loginAs(s.t, s.escenario.admin.email, s.escenario.admin.password);
    const list = await s.t.request.get('/api/v1/admin/mi-empresa/transacciones').set(as(token));
    expect(list.status, JSON.stringify(list.body)).to.equal(200);
    const listed = list.body.transacciones.find((v: { id: string }) => v.id === sale.body.transaccion_id);
    expect(listed).to.include({ gateway: 'prueba', estado_pago: 'paid' });

    const refund = await s.t.request.post(`/api/v1/admin/mi-empresa/transacciones/${sale.body.transaccion_id}/reembolso`).set(as(token)).send({ motivo: 'prueba' });
    expect(refund.status, JSON.stringify(refund.body)).to.equal(200);
    expect(refund.body.estado_pago).to.equal('refunded');
    expect((await prueba.provider.client(PRUEBA_SECRETO, s.t.config).fetchById(`prb_${sale.body.transaccion_id}`)).status).to.equal('refunded');
  });

  it('the OpenAPI document lists its card and webhook routes, as the registry built them', async () => {
    const doc = await s.t.request.get('/openapi.json');
    expect(doc.body.paths).to.have.property('/api/v1/payments/pagar/prueba');
    expect(doc.body.paths).to.have.property('/api/v1/webhook/prueba/{empresa_id}');
    // It issues no cash or SPEI references: the reference routes offer only the gateways that do.
    const pasarela = (path: string) => doc.body.paths[path].post.requestBody.content['application/json'].schema.properties.pasarela.enum;
    expect(pasarela('/api/v1/payments/pagar-efectivo')).to.deep.equal(['conekta', 'mercadopago']);
    expect(pasarela('/api/v1/payments/pagar-spei')).to.deep.equal(['conekta', 'mercadopago']);
  });

  it('a reference asked of a gateway that issues none is a 422 naming pasarela, and nothing is stored', async () => {
    for (const path of ['/api/v1/payments/pagar-efectivo', '/api/v1/payments/pagar-spei']) {
      const res = await s.t.request.post(path).set('Authorization', `Bearer ${s.escenario.apiKey}`).set('Idempotency-Key', `prueba-ref-${path.length}-0001`)
        .send({ producto_id: s.escenario.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', telefono_cliente: '5512345678', pasarela: 'prueba' });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(JSON.stringify(res.body)).to.include('pasarela');
    }
    expect(await s.t.container.knex('transacciones').where({ gateway: 'prueba' }).whereNot('metodo_pago', 'tarjeta').count('* as n').first()).to.deep.equal({ n: 0 });
  });
});

/**
 * "Which gateways can this company sell with?" has one answer (issue 12): the
 * super admin's views, the company admin's views and the portal's
 * config/public agree with each other and with what a purchase actually
 * does, including a company that sells on the platform's default Conekta key.
 */
import { expect } from 'chai';
import supertest from 'supertest';
import { createApp } from '../../src/app';
import { createContainer } from '../../src/container';
import { conektaBody, mercadoPagoBody, startStack, type Stack, type Escenario } from '../support/stack';
import { loginAs, loginSuperAdmin, testConfig } from '../support/harness';
import { setPasarela } from '../support/fixtures';

const PLATFORM_PRIVATE = 'key_platform_private_default';
const PLATFORM_PUBLIC = 'key_platform_public_default';

type Agent = supertest.Agent;

interface Views {
  superAdmin: { conekta: boolean; mercadoPago: boolean };
  superAdminList: { conekta: boolean; mercadoPago: boolean };
  clienteAdmin: { conekta: boolean; mercadoPago: boolean };
  clienteAdminCredentials: { conekta: boolean; mercadoPago: boolean };
  portal: { conekta: boolean; mercadoPago: boolean; conektaPublicKey: string | null };
}

/** Every view of the same company, through the HTTP API only. */
async function views(request: Agent, rootToken: string, escenario: Escenario): Promise<Views> {
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
  const admin = await request.post('/api/v1/auth/login').send(escenario.admin);
  expect(admin.status, JSON.stringify(admin.body)).to.equal(200);
  const adminToken = admin.body.access_token as string;
  const [one, list, mine, conekta, mp, portal] = await Promise.all([
    request.get(`/admin/empresas/${escenario.empresaId}`).set(auth(rootToken)),
    request.get('/admin/empresas').set(auth(rootToken)),
    request.get('/api/v1/admin/mi-empresa').set(auth(adminToken)),
    request.get('/api/v1/admin/mi-empresa/conekta').set(auth(adminToken)),
    request.get('/api/v1/admin/mi-empresa/mercado-pago').set(auth(adminToken)),
    request.get('/api/v1/config/public').set(auth(escenario.apiKey)),
  ]);
  for (const res of [one, list, mine, conekta, mp, portal]) expect(res.status, JSON.stringify(res.body)).to.equal(200);
  const listed = (list.body as Array<Record<string, unknown>>).find((e) => e.id === escenario.empresaId)!;
  return {
    superAdmin: { conekta: one.body.conekta_configurado, mercadoPago: one.body.mercado_pago_configurado },
    superAdminList: { conekta: listed.conekta_configurado as boolean, mercadoPago: listed.mercado_pago_configurado as boolean },
    clienteAdmin: { conekta: mine.body.conekta_configurado, mercadoPago: mine.body.mercado_pago_configurado },
    clienteAdminCredentials: { conekta: conekta.body.configurado, mercadoPago: mp.body.configurado },
    portal: { conekta: portal.body.conekta.habilitado, mercadoPago: portal.body.mercado_pago.habilitado, conektaPublicKey: portal.body.conekta.public_key },
  };
}

function expectAgreement(v: Views, expected: { conekta: boolean; mercadoPago: boolean }) {
  expect(v.superAdmin, 'super admin GET').to.deep.equal(expected);
  expect(v.superAdminList, 'super admin list').to.deep.equal(expected);
  expect(v.clienteAdmin, 'cliente admin mi-empresa').to.deep.equal(expected);
  expect(v.clienteAdminCredentials, 'cliente admin credentials').to.deep.equal(expected);
  expect({ conekta: v.portal.conekta, mercadoPago: v.portal.mercadoPago }, 'portal config/public').to.deep.equal(expected);
}

const pay = (request: Agent, escenario: Escenario, path: 'pagar-conekta' | 'pagar-mercado-pago', body: object, key: string) =>
  request.post(`/api/v1/payments/${path}`).set('Authorization', `Bearer ${escenario.apiKey}`).set('Idempotency-Key', key).send(body);

describe('gateways configured: one answer for the admins, the portal and the purchase', function () {
  this.timeout(40_000);
  let s: Stack;
  let root: string;
  before(async () => {
    s = await startStack({ env: { CONEKTA_DEFAULT_PRIVATE_KEY: PLATFORM_PRIVATE, CONEKTA_DEFAULT_PUBLIC_KEY: PLATFORM_PUBLIC } });
    root = await loginSuperAdmin(s.t);
  });
  after(async () => { await s.close(); });

  /**
   * A company of the stack with some fields of its gateway accounts cleared
   * (`conekta.secreto_enc`), or a whole account never saved (`mercadopago`).
   */
  async function escenarioWith(clear: Array<'conekta' | 'mercadopago' | `${'conekta' | 'mercadopago'}.${'secreto_enc' | 'llave_publica'}`>) {
    const escenario = await s.addEscenario(s.sim);
    for (const what of clear) {
      const [pasarela, field] = what.split('.') as [string, string | undefined];
      if (field) await setPasarela(s.t.container.knex, escenario.empresaId, pasarela, { [field]: null });
      else await s.t.container.knex('empresa_pasarelas').where({ empresa_id: escenario.empresaId, pasarela }).delete();
    }
    return escenario;
  }

  it('a company with its own keys: every view says both, and both sell', async () => {
    const escenario = await escenarioWith([]);
    expectAgreement(await views(s.t.request, root, escenario), { conekta: true, mercadoPago: true });
    const card = await pay(s.t.request, escenario, 'pagar-conekta', conektaBody(escenario.productoId, s.conekta.token('visa_4242')), 'own-keys-conekta-01');
    expect(card.status, JSON.stringify(card.body)).to.equal(200);
    expect(s.conekta.state.owners.get(card.body.id_transaccion)).to.equal('key_test_private_123');
    const mp = await pay(s.t.request, escenario, 'pagar-mercado-pago', mercadoPagoBody(escenario.productoId, 'APRO'), 'own-keys-mp-000001');
    expect(mp.status, JSON.stringify(mp.body)).to.equal(200);
  });

  it('a company on the platform\'s default Conekta key: every view says Conekta (the super admin too), and the sale is charged on that key', async () => {
    const escenario = await escenarioWith(['conekta', 'mercadopago.secreto_enc', 'mercadopago.llave_publica']);
    const v = await views(s.t.request, root, escenario);
    expectAgreement(v, { conekta: true, mercadoPago: false });
    expect(v.portal.conektaPublicKey).to.equal(PLATFORM_PUBLIC);
    const card = await pay(s.t.request, escenario, 'pagar-conekta', conektaBody(escenario.productoId, s.conekta.token('visa_4242')), 'platform-key-conekta');
    expect(card.status, JSON.stringify(card.body)).to.equal(200);
    expect(card.body).to.include({ estado_pago: 'paid' });
    expect(s.conekta.state.owners.get(card.body.id_transaccion)).to.equal(PLATFORM_PRIVATE);
    const mp = await pay(s.t.request, escenario, 'pagar-mercado-pago', mercadoPagoBody(escenario.productoId, 'APRO'), 'platform-key-mp-0001');
    expect(mp.status).to.equal(400);
    expect(mp.body.detail).to.equal('La empresa no tiene configurado Mercado Pago');
  });

  it('config/public says which payment methods need the phone (Conekta\'s OXXO and SPEI), and the cash route keeps to it', async () => {
    const both = await escenarioWith([]);
    const pub = await s.t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${both.apiKey}`);
    expect(pub.body.metodos_pago).to.deep.equal([
      { pasarela: 'conekta', metodo: 'tarjeta', telefono_requerido: false },
      { pasarela: 'conekta', metodo: 'oxxo', telefono_requerido: true },
      { pasarela: 'conekta', metodo: 'spei', telefono_requerido: true },
      { pasarela: 'mercadopago', metodo: 'tarjeta', telefono_requerido: false },
      { pasarela: 'mercadopago', metodo: 'oxxo', telefono_requerido: false },
      { pasarela: 'mercadopago', metodo: 'paycash', telefono_requerido: false },
      { pasarela: 'mercadopago', metodo: 'spei', telefono_requerido: false },
    ]);
    const conektaOnly = await escenarioWith(['mercadopago']);
    const onlyConekta = await s.t.request.get('/api/v1/config/public').set('Authorization', `Bearer ${conektaOnly.apiKey}`);
    expect(onlyConekta.body.metodos_pago.map((m: { pasarela: string }) => m.pasarela)).to.deep.equal(['conekta', 'conekta', 'conekta']);

    // What it says is what the cash route does: Conekta's OXXO refuses without a phone, Mercado Pago's does not ask.
    const cash = (pasarela: string, key: string) => s.t.request.post('/api/v1/payments/pagar-efectivo').set('Authorization', `Bearer ${both.apiKey}`)
      .set('Idempotency-Key', key).send({ producto_id: both.productoId, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com', pasarela, metodo: 'oxxo' });
    const refused = await cash('conekta', 'phone-rule-conekta-01');
    expect(refused.status).to.equal(422);
    expect(refused.body.detail).to.contain('telefono_cliente');
    const accepted = await cash('mercadopago', 'phone-rule-mp-000001');
    expect(accepted.status, JSON.stringify(accepted.body)).to.be.oneOf([200, 201]);
  });

  it('a company with a Mercado Pago token but no public key: nobody offers Mercado Pago', async () => {
    const escenario = await escenarioWith(['mercadopago.llave_publica']);
    expectAgreement(await views(s.t.request, root, escenario), { conekta: true, mercadoPago: false });
  });

  it('without a platform default, a company with no Conekta key: every view says no, and the purchase is refused before any charge', async () => {
    // A second app on the same database, configured without the platform's default key.
    const { CONEKTA_DEFAULT_PRIVATE_KEY: _private, CONEKTA_DEFAULT_PUBLIC_KEY: _public, ...env } = s.env;
    const config = testConfig(env);
    expect(config.conekta.defaultPrivateKey).to.equal('');
    const container = createContainer(config, { processName: 'test-no-default' });
    try {
      const request = supertest.agent(createApp(container).callback());
      const rootToken = await loginAs({ ...s.t, request, config, container }, config.superAdmin.email, config.superAdmin.password);
      const escenario = await escenarioWith(['conekta.secreto_enc', 'conekta.llave_publica']);
      const v = await views(request, rootToken, escenario);
      expectAgreement(v, { conekta: false, mercadoPago: true });
      expect(v.portal.conektaPublicKey).to.equal(null);
      const ordersBefore = s.conekta.state.orders.size;
      const card = await pay(request, escenario, 'pagar-conekta', conektaBody(escenario.productoId, s.conekta.token('visa_4242')), 'no-default-conekta-1');
      expect(card.status).to.equal(400);
      expect(card.body.detail).to.equal('La empresa no tiene configurado Conekta');
      expect(s.conekta.state.orders.size).to.equal(ordersBefore);
    } finally {
      await container.close();
    }
  });
});

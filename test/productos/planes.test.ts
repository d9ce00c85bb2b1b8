/** Plans the service owns (issue 22 item 5): limite_velocidad, dispositivos and vigencia_desde on products and in the catalog. */
import { expect } from 'chai';
import type { RouterOsSimulator } from '../../sim/routeros';
import { startTestApp, type TestContext } from '../support/harness';
import { insertApiKey } from '../support/fixtures';
import { as, insertSimRouter, startSim, escenarioWithSession } from '../support/cliente';

describe('products: plan fields', () => {
  let t: TestContext;
  let sim: RouterOsSimulator;
  before(async () => {
    t = await startTestApp();
    sim = await startSim();
  });
  after(async () => {
    await t.close();
    await sim.close();
  });

  const base = '/api/v1/admin/products';
  async function simEscenario() {
    const escenario = await escenarioWithSession(t);
    const router = await insertSimRouter(t.container, escenario.empresa.id, sim);
    return { ...escenario, simRouter: router };
  }
  const product = (routerId: string, extra: Record<string, unknown> = {}) => ({
    router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Plan', precio: '20.00', ...extra,
  });

  it('defaults: no speed of ours, one device, validity from activation', async () => {
    const a = await simEscenario();
    const res = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id));
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ limite_velocidad: null, dispositivos: 1, vigencia_desde: 'activacion' });
  });

  it('stores, reads, updates and lists the plan, and the portal catalog shows it', async () => {
    const a = await simEscenario();
    const created = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id, {
      limite_velocidad: ' 2M/10M ', dispositivos: 3, vigencia_desde: 'primer_uso', vigencia_minutos: 1440,
    }));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect(created.body).to.include({ limite_velocidad: '2M/10M', dispositivos: 3, vigencia_desde: 'primer_uso' });

    const got = await t.request.get(`${base}/${created.body.id}`).set(as(a.token));
    expect(got.body).to.include({ limite_velocidad: '2M/10M', dispositivos: 3, vigencia_desde: 'primer_uso' });

    const updated = await t.request.put(`${base}/${created.body.id}`).set(as(a.token)).send({ limite_velocidad: '512k/2M', dispositivos: 2 });
    expect(updated.status, JSON.stringify(updated.body)).to.equal(200);
    expect(updated.body).to.include({ limite_velocidad: '512k/2M', dispositivos: 2, vigencia_desde: 'primer_uso' });
    const cleared = await t.request.put(`${base}/${created.body.id}`).set(as(a.token)).send({ limite_velocidad: null, vigencia_desde: 'activacion' });
    expect(cleared.body).to.include({ limite_velocidad: null, dispositivos: 2, vigencia_desde: 'activacion' });

    const list = await t.request.get(base).set(as(a.token));
    expect(list.body.find((p: { id: number }) => p.id === created.body.id)).to.include({ limite_velocidad: null, dispositivos: 2 });

    await t.request.put(`${base}/${created.body.id}`).set(as(a.token)).send({ limite_velocidad: '1G/1G' }).expect(200);
    const { apiKey } = await insertApiKey(t.container, a.simRouter.id, a.empresa.id);
    const catalog = await t.request.get('/api/v1/catalogo_perfiles_venta').set({ 'X-API-Key': apiKey });
    expect(catalog.status).to.equal(200);
    expect(catalog.body[0]).to.include({ limite_velocidad: '1G/1G', dispositivos: 2, vigencia_desde: 'activacion' });
  });

  for (const bad of ['10M', '2M/', '0/10M', '2m/10M', '2M/10M/5M', '2 M/10M', 'rápido']) {
    it(`refuses limite_velocidad ${JSON.stringify(bad)} with a Spanish 422 naming the field`, async () => {
      const a = await simEscenario();
      const res = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id, { limite_velocidad: bad }));
      expect(res.status).to.equal(422);
      expect(res.body.field).to.equal('limite_velocidad');
      expect(res.body.detail).to.match(/^El campo 'limite_velocidad' debe ser subida\/bajada como en RouterOS/);
      expect(await t.container.knex('productos').where({ router_id: a.simRouter.id })).to.have.length(0);
    });
  }

  it('refuses dispositivos below 1 or not an integer, and an unknown vigencia_desde (422, nothing saved)', async () => {
    const a = await simEscenario();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ dispositivos: 0 }, 'dispositivos', /^El campo 'dispositivos' debe ser mayor o igual a 1$/],
      [{ dispositivos: 1.5 }, 'dispositivos', /^El campo 'dispositivos' debe ser de tipo entero$/],
      [{ vigencia_desde: 'manana' }, 'vigencia_desde', /^El campo 'vigencia_desde' debe ser uno de: activacion, primer_uso$/],
    ];
    for (const [extra, field, detail] of cases) {
      const res = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id, extra));
      expect(res.status, JSON.stringify(extra)).to.equal(422);
      expect(res.body.field).to.equal(field);
      expect(res.body.detail).to.match(detail);
    }
    const created = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id)).expect(201);
    const res = await t.request.put(`${base}/${created.body.id}`).set(as(a.token)).send({ dispositivos: 0 });
    expect(res.status).to.equal(422);
    expect((await t.request.get(`${base}/${created.body.id}`).set(as(a.token))).body.dispositivos).to.equal(1);
  });

  it('an API-mode router still needs perfil_mikrotik_nombre (422 in Spanish)', async () => {
    const a = await simEscenario();
    const { perfil_mikrotik_nombre: _omit, ...body } = product(a.simRouter.id);
    const res = await t.request.post(base).set(as(a.token)).send(body);
    expect(res.status).to.equal(422);
    expect(res.body).to.deep.equal({
      detail: "El campo 'perfil_mikrotik_nombre' es obligatorio en un router en modo API", code: 'validation_error', field: 'perfil_mikrotik_nombre',
    });
  });
});

/**
 * /api/v1/admin/products end to end (HTTP, PostgreSQL, the RouterOS simulator): CRUD, the profile check on
 * the router, money and field validation. The rules one by one are service.test.ts's, on the fake store.
 */
import { expect } from 'chai';
import type { RouterOsSimulator } from '../../sim/routeros';
import { startTestApp, type TestContext } from '../support/harness';
import { insertRouter } from '../support/fixtures';
import { as, closedPort, insertSimRouter, startSim, escenarioWithSession } from '../support/cliente';

describe('cliente admin: products', () => {
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
  const product = (routerId: string, extra: Record<string, unknown> = {}) => ({
    router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: '1 Hora de Internet', precio: '20.00', ...extra,
  });

  /** A company whose router is the simulator. */
  async function simEscenario() {
    const escenario = await escenarioWithSession(t);
    const router = await insertSimRouter(t.container, escenario.empresa.id, sim);
    return { ...escenario, simRouter: router };
  }

  describe('create', () => {
    it('checks the profile on a reachable router and saves it verified with its RouterOS id (201)', async () => {
      const a = await simEscenario();
      const res = await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id, {
        descripcion: 'Acceso por 1 hora', imagen_url: 'https://cdn.example.com/1h.png', moneda: 'USD', detalles: { velocidad: '5 Mbps' },
        limit_uptime: '1h', limit_bytes_total: 1073741824, vigencia_minutos: 1440, orden_visual: 2, destacado: true,
      }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      const profile = sim.state.profileList.find((p) => p.name === '1hora')!;
      expect(res.body).to.include({
        empresa_id: a.empresa.id, router_id: a.simRouter.id, perfil_mikrotik_nombre: '1hora', perfil_mikrotik_id: profile['.id'],
        perfil_verificado: true, nombre_venta: '1 Hora de Internet', precio: 20, precio_decimal: '20.00', moneda: 'USD', limit_uptime: '1h',
        limit_bytes_total: 1073741824, vigencia_minutos: 1440, activo: true, orden_visual: 2, destacado: true,
      });
      expect(res.body.detalles).to.deep.equal({ velocidad: '5 Mbps' });
      expect(res.body.verificacion).to.deep.equal({ perfil_verificado: true, mensaje: 'Perfil verificado en el router' });
      expect(res.body.id).to.be.a('number');
    });

    it('saves it unverified when the router does not answer, and says so', async () => {
      const a = await escenarioWithSession(t);
      const down = await insertRouter(t.container, a.empresa.id, { host: '127.0.0.1', puerto: await closedPort() });
      const res = await t.request.post(base).set(as(a.token)).send(product(down.id, { perfil_mikrotik_id: '*7' }));
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ perfil_verificado: false, perfil_mikrotik_id: '*7' });
      expect(res.body.verificacion.perfil_verificado).to.equal(false);
      expect(res.body.verificacion.mensaje).to.match(/^No se pudo verificar el perfil en el router \(No se pudo conectar con el router: .+\); el producto se guardó sin verificar$/);
    });

    it('price: > 0, at most two decimals, string or number, stored exactly; never float arithmetic', async () => {
      const a = await escenarioWithSession(t);
      const off = await insertRouter(t.container, a.empresa.id, { activo: false });
      // Every price rule is service.test.ts's (fast layer); here, that a price goes through HTTP into PostgreSQL exactly, and the schema's and the service's 422s.
      const ok: Array<[unknown, string]> = [['20.5', '20.50'], [19.99, '19.99']];
      for (const [precio, stored] of ok) {
        const res = await t.request.post(base).set(as(a.token)).send(product(off.id, { precio }));
        expect(res.status, String(precio)).to.equal(201);
        expect(res.body.precio_decimal).to.equal(stored);
        expect(res.body.precio).to.equal(Number(stored));
        const row = await t.container.knex('productos').where({ id: res.body.id }).first();
        expect(row.precio).to.equal(stored);
      }
      const bad: Array<[unknown, string]> = [
        ['1.999', "El campo 'precio' no es válido: el precio admite como máximo dos decimales"],
        [true, "El campo 'precio' debe ser de tipo texto o número"],
        [null, "El campo 'precio' debe ser de tipo texto o número"],
      ];
      for (const [precio, detail] of bad) {
        const res = await t.request.post(base).set(as(a.token)).send(product(off.id, { precio }));
        expect(res.status, String(precio)).to.equal(422);
        expect(res.body.detail, String(precio)).to.equal(detail);
      }
    });

    it('validates currency, limits, validity, image URL, required and unknown fields', async () => {
      const a = await escenarioWithSession(t);
      const off = await insertRouter(t.container, a.empresa.id, { activo: false });
      for (const limit of ['1h', '1d2h30m', '2w', '45s', '1d02:00:00', '00:30:00']) {
        const res = await t.request.post(base).set(as(a.token)).send(product(off.id, { limit_uptime: limit }));
        expect(res.status, limit).to.equal(201);
        expect(res.body.limit_uptime).to.equal(limit);
      }
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ moneda: 'GBP' }, "El campo 'moneda' debe ser uno de: MXN, USD, EUR"],
        [{ limit_uptime: '1 hora' }, "El campo 'limit_uptime' tiene un formato inválido"],
        [{ limit_uptime: '0s' }, "El campo 'limit_uptime' tiene un formato inválido"],
        [{ limit_uptime: '1h; /system reboot' }, "El campo 'limit_uptime' tiene un formato inválido"],
        [{ limit_bytes_total: 0 }, "El campo 'limit_bytes_total' debe ser mayor o igual a 1"],
        [{ limit_bytes_total: 1.5 }, "El campo 'limit_bytes_total' debe ser de tipo entero o nulo"],
        [{ limit_bytes_total: '1000' }, "El campo 'limit_bytes_total' debe ser de tipo entero o nulo"],
        [{ vigencia_minutos: 0 }, "El campo 'vigencia_minutos' debe ser mayor o igual a 1"],
        [{ imagen_url: 'javascript:alert(1)' }, "El campo 'imagen_url' tiene un formato inválido"],
        [{ imagen_url: 'no es url' }, "El campo 'imagen_url' tiene un formato inválido"],
        [{ imagen_url: 'https://exa mple.com/x.png' }, "El campo 'imagen_url' no tiene un formato válido (uri)"],
        [{ perfil_mikrotik_nombre: 'perfíl' }, "El campo 'perfil_mikrotik_nombre' tiene un formato inválido"],
        [{ nombre_venta: '' }, "El campo 'nombre_venta' no puede estar vacío"],
        [{ activo: 'true' }, "El campo 'activo' debe ser de tipo booleano"],
        [{ detalles: 'texto' }, "El campo 'detalles' debe ser de tipo objeto o arreglo"],
        [{ empresa_id: a.empresa.id }, "Campo no permitido: 'empresa_id'"],
        [{ perfil_verificado: true }, "Campo no permitido: 'perfil_verificado'"],
      ];
      for (const [extra, detail] of bad) {
        const res = await t.request.post(base).set(as(a.token)).send(product(off.id, extra));
        expect(res.status, JSON.stringify(extra)).to.equal(422);
        expect(res.body.detail, JSON.stringify(extra)).to.equal(detail);
      }
      const { precio: _p, ...withoutPrice } = product(off.id);
      const missing = await t.request.post(base).set(as(a.token)).send(withoutPrice);
      expect(missing.body.detail).to.equal("El campo 'precio' es obligatorio");
    });
  });

  describe('list, get, update and delete', () => {
    it('lists the company products (filter by router), gets one, 404s other companies and deleted ones', async () => {
      const a = await simEscenario();
      const second = await insertRouter(t.container, a.empresa.id, { activo: false });
      const b = await simEscenario();
      const p1 = (await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id))).body;
      const p2 = (await t.request.post(base).set(as(a.token)).send(product(second.id, { activo: false }))).body;
      const pb = (await t.request.post(base).set(as(b.token)).send(product(b.simRouter.id))).body;

      const all = await t.request.get(base).set(as(a.token));
      expect(all.status).to.equal(200);
      expect(all.body.map((p: { id: number }) => p.id)).to.have.members([p1.id, p2.id]);
      expect(all.body[0]).not.to.have.property('verificacion');
      const one = await t.request.get(base).query({ router_id: second.id }).set(as(a.token));
      expect(one.body.map((p: { id: number }) => p.id)).to.deep.equal([p2.id]);
      const inactive = await t.request.get(base).query({ activo: false }).set(as(a.token));
      expect(inactive.body.map((p: { id: number }) => p.id)).to.deep.equal([p2.id]);
      const foreignFilter = await t.request.get(base).query({ router_id: b.simRouter.id }).set(as(a.token));
      expect(foreignFilter.status).to.equal(404);

      const got = await t.request.get(`${base}/${p1.id}`).set(as(a.token));
      expect(got.status).to.equal(200);
      expect(got.body).to.include({ id: p1.id, precio: 20, precio_decimal: '20.00' });
      for (const id of [pb.id, 999999, 'abc', '1.5', '-1', '99999999999']) {
        const res = await t.request.get(`${base}/${id}`).set(as(a.token));
        expect(res.status, String(id)).to.equal(404);
        expect(res.body).to.deep.equal({ detail: 'Producto no encontrado', code: 'not_found' });
      }
    });

    it('updates partially; price rules apply; changing the profile checks it again on the router', async () => {
      const a = await simEscenario();
      const created = (await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id, { descripcion: 'x', limit_uptime: '1h' }))).body;
      const res = await t.request.put(`${base}/${created.id}`).set(as(a.token)).send({ precio: 25.5, destacado: true, descripcion: null, limit_uptime: null });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body).to.include({ precio: 25.5, precio_decimal: '25.50', destacado: true, descripcion: null, limit_uptime: null, nombre_venta: '1 Hora de Internet', perfil_verificado: true });
      expect(res.body.verificacion).to.deep.equal({ perfil_verificado: true, mensaje: 'Perfil sin cambios' });

      const bad = await t.request.put(`${base}/${created.id}`).set(as(a.token)).send({ precio: '-1' });
      expect(bad.status).to.equal(422);
      const missing = await t.request.put(`${base}/${created.id}`).set(as(a.token)).send({ perfil_mikrotik_nombre: 'otro' });
      expect(missing.status).to.equal(422);
      expect(missing.body.detail).to.equal("El perfil 'otro' no existe en el router");
      const moved = await t.request.put(`${base}/${created.id}`).set(as(a.token)).send({ perfil_mikrotik_nombre: '1dia' });
      expect(moved.status).to.equal(200);
      const profile = sim.state.profileList.find((p) => p.name === '1dia')!;
      expect(moved.body).to.include({ perfil_mikrotik_nombre: '1dia', perfil_mikrotik_id: profile['.id'], perfil_verificado: true, precio: 25.5, precio_decimal: '25.50' });
    });

    it('DELETE is a soft delete: gone from the API and the portal, the row stays with eliminado_en', async () => {
      const a = await simEscenario();
      const key = (await t.container.knex('router_api_keys').where({ router_id: a.router.id }).first()).key_id;
      expect(key).to.be.a('string');
      const created = (await t.request.post(base).set(as(a.token)).send(product(a.simRouter.id))).body;
      const res = await t.request.delete(`${base}/${created.id}`).set(as(a.token));
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ message: 'Producto eliminado exitosamente', id: created.id });
      const row = await t.container.knex('productos').where({ id: created.id }).first();
      expect(row.eliminado_en).to.be.instanceOf(Date);
      expect(row.activo).to.equal(false);
      expect((await t.request.get(`${base}/${created.id}`).set(as(a.token))).status).to.equal(404);
      expect((await t.request.put(`${base}/${created.id}`).set(as(a.token)).send({ activo: true })).status).to.equal(404);
      expect((await t.request.delete(`${base}/${created.id}`).set(as(a.token))).status).to.equal(404);
      expect((await t.request.get(base).set(as(a.token))).body).to.deep.equal([]);
    });
  });
});

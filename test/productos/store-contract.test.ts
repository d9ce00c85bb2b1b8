/**
 * The productos store's contract: the same cases against the real store
 * (PostgreSQL, this file's clone) and the in-memory fake the fast rule tests
 * use (src/features/productos/fake-store.ts), so the fake cannot drift.
 */
import { expect } from 'chai';
import { createFakeProductosStore, createProductosStore, type ProductosStore } from '../../src/features/productos';
import { newEmpresaId, newRouterId } from '../../src/platform/ids';
import { pgErrorCode } from '../../src/platform/db/unique';
import { insertEmpresa, insertRouter } from '../support/fixtures';
import { startTestApp, type TestContext } from '../support/harness';

interface World {
  store: ProductosStore;
  /** A company that exists, with a router. */
  newEscenario(): Promise<{ empresaId: string; routerId: string }>;
  /** Another router of that company. */
  newRouter(empresaId: string): Promise<string>;
}

function contract(name: string, world: () => World) {
  describe(`productos store contract: ${name}`, () => {
    let store: ProductosStore;
    beforeEach(() => { store = world().store; });

    const product = (empresaId: string, routerId: string, extra: Record<string, unknown> = {}) =>
      store.insert({ empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: 'Una hora', precio: '20.00', ...extra });

    it('inserts with the table\'s defaults and answers the row: the price as numeric(10,2), detalles parsed', async () => {
      const { empresaId, routerId } = await world().newEscenario();
      const row = await product(empresaId, routerId, { precio: '12.5', detalles: JSON.stringify({ velocidad: '5 Mbps' }), descripcion: undefined });
      expect(row.id).to.be.a('number');
      expect(row).to.include({
        empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: '1hora', perfil_mikrotik_id: null, perfil_verificado: false,
        nombre_venta: 'Una hora', descripcion: null, imagen_url: null, precio: '12.50', moneda: 'MXN', limit_uptime: null,
        limit_bytes_total: null, vigencia_minutos: null, limite_velocidad: null, dispositivos: 1, vigencia_desde: 'activacion',
        activo: true, orden_visual: 0, destacado: false,
      });
      expect(row.detalles).to.deep.equal({ velocidad: '5 Mbps' });
      expect(row.creado_en).to.be.instanceOf(Date);
      expect(row.actualizado_en).to.be.instanceOf(Date);
      expect(Object.keys(row)).not.to.include('eliminado_en');
      expect(await store.find(empresaId, row.id)).to.deep.equal(row);
    });

    it('refuses a router that does not exist with the foreign key violation (23503)', async () => {
      const { empresaId } = await world().newEscenario();
      const error: unknown = await product(empresaId, newRouterId()).then(() => null, (e: unknown) => e);
      expect(pgErrorCode(error)).to.equal('23503'); // what the service turns into its 404
      expect(await store.list(empresaId)).to.deep.equal([]);
    });

    it('finds, patches and soft-deletes only within the company; a deleted product is gone for all three', async () => {
      const a = await world().newEscenario();
      const b = await world().newEscenario();
      const row = await product(a.empresaId, a.routerId);
      expect(await store.find(b.empresaId, row.id)).to.equal(undefined);
      expect(await store.patch(b.empresaId, row.id, { nombre_venta: 'x' })).to.equal(undefined);
      expect(await store.softDelete(b.empresaId, row.id)).to.equal(undefined);

      const patched = await store.patch(a.empresaId, row.id, { nombre_venta: 'Dos horas', precio: '30', activo: false, descripcion: undefined });
      expect(patched).to.include({ nombre_venta: 'Dos horas', precio: '30.00', activo: false, perfil_mikrotik_nombre: '1hora', descripcion: null });
      expect(patched!.actualizado_en.getTime()).to.be.at.least(row.actualizado_en.getTime());

      const deleted = await store.softDelete(a.empresaId, row.id);
      expect(deleted).to.have.keys('id', 'eliminado_en');
      expect(deleted!.id).to.equal(row.id);
      expect(deleted!.eliminado_en).to.be.instanceOf(Date);
      expect(await store.find(a.empresaId, row.id)).to.equal(undefined);
      expect(await store.patch(a.empresaId, row.id, { nombre_venta: 'x' })).to.equal(undefined);
      expect(await store.softDelete(a.empresaId, row.id)).to.equal(undefined);
      expect(await store.list(a.empresaId)).to.deep.equal([]);
    });

    it('for sale here: only the company\'s live, active product on that router (the one answer every payment path asks)', async () => {
      const a = await world().newEscenario();
      const b = await world().newEscenario();
      const otherRouter = await world().newRouter(a.empresaId);
      const row = await product(a.empresaId, a.routerId);
      expect(await store.vendible(a.empresaId, a.routerId, row.id)).to.deep.equal(row);
      expect(await store.vendible(a.empresaId, otherRouter, row.id), 'another router of the company').to.equal(undefined);
      expect(await store.vendible(b.empresaId, b.routerId, row.id), 'another company').to.equal(undefined);
      await store.patch(a.empresaId, row.id, { activo: false });
      expect(await store.vendible(a.empresaId, a.routerId, row.id), 'inactive').to.equal(undefined);
      await store.patch(a.empresaId, row.id, { activo: true });
      expect(await store.vendible(a.empresaId, a.routerId, row.id)).to.include({ id: row.id, activo: true });
      await store.softDelete(a.empresaId, row.id);
      expect(await store.vendible(a.empresaId, a.routerId, row.id), 'deleted').to.equal(undefined);
    });

    it('lists a company\'s products by router, featured first, then display order and id; filters by router and activo', async () => {
      const { empresaId, routerId } = await world().newEscenario();
      const other = await world().newRouter(empresaId);
      const p1 = await product(empresaId, routerId, { orden_visual: 2 });
      const p2 = await product(empresaId, routerId, { orden_visual: 1 });
      const p3 = await product(empresaId, routerId, { orden_visual: 5, destacado: true });
      const p4 = await product(empresaId, other, { activo: false });
      const p5 = await product(empresaId, routerId, { orden_visual: 1 });
      const [first, second] = [routerId, other].sort();
      const byRouter = { [routerId]: [p3.id, p2.id, p5.id, p1.id], [other]: [p4.id] };
      expect((await store.list(empresaId)).map((r) => r.id)).to.deep.equal([...byRouter[first!]!, ...byRouter[second!]!]);
      expect((await store.list(empresaId, { router_id: other })).map((r) => r.id)).to.deep.equal([p4.id]);
      expect((await store.list(empresaId, { activo: false })).map((r) => r.id)).to.deep.equal([p4.id]);
      expect((await store.list(empresaId, { router_id: routerId, activo: true })).map((r) => r.id)).to.deep.equal([p3.id, p2.id, p5.id, p1.id]);
    });

    it('the catalog: a router\'s active products not deleted, featured first, with the public columns only', async () => {
      const { empresaId, routerId } = await world().newEscenario();
      const other = await world().newRouter(empresaId);
      const plain = await product(empresaId, routerId, { orden_visual: 1 });
      const featured = await product(empresaId, routerId, { orden_visual: 9, destacado: true });
      const inactive = await product(empresaId, routerId, { activo: false });
      const deleted = await product(empresaId, routerId);
      await store.softDelete(empresaId, deleted.id);
      const elsewhere = await product(empresaId, other);
      const principal = { empresaId, routerId };
      const catalog = await store.catalog(principal);
      expect(catalog.map((r) => r.id)).to.deep.equal([featured.id, plain.id]);
      expect(Object.keys(catalog[0]!).sort()).to.deep.equal([
        'creado_en', 'descripcion', 'destacado', 'detalles', 'dispositivos', 'id', 'imagen_url', 'limit_bytes_total', 'limit_uptime',
        'limite_velocidad', 'moneda', 'nombre_venta', 'orden_visual', 'perfil_mikrotik_id', 'perfil_mikrotik_nombre', 'precio', 'router_id', 'vigencia_desde', 'vigencia_minutos',
      ]);
      expect(await store.catalogItem(principal, plain.id)).to.deep.equal(catalog[1]);
      for (const id of [inactive.id, deleted.id, elsewhere.id]) expect(await store.catalogItem(principal, id)).to.equal(undefined);
      // Another company's principal on this router sees nothing.
      const b = await world().newEscenario();
      expect(await store.catalog({ empresaId: b.empresaId, routerId })).to.deep.equal([]);
    });

    it('counts live products (in all, active, per router), and purges a router\'s deleted ones only', async () => {
      const { empresaId, routerId } = await world().newEscenario();
      const other = await world().newRouter(empresaId);
      await product(empresaId, routerId);
      await product(empresaId, routerId, { activo: false });
      const gone = await product(empresaId, routerId);
      await store.softDelete(empresaId, gone.id);
      await product(empresaId, other);
      expect(await store.counts({ empresaId })).to.deep.equal({ total: 3, activos: 2 });
      const byRouter = await store.countsByRouter(empresaId);
      expect(byRouter.sort((x, y) => x.router_id.localeCompare(y.router_id))).to.deep.equal([
        { router_id: routerId, total: 2, activos: 1 }, { router_id: other, total: 1, activos: 1 },
      ].sort((x, y) => x.router_id.localeCompare(y.router_id)));
      expect(await store.countLive(routerId)).to.equal(2);
      const all = await store.counts();
      expect(all.total).to.be.at.least(3);
      await store.purgeDeleted(routerId);
      expect(await store.countLive(routerId)).to.equal(2);
      expect(await store.counts({ empresaId })).to.deep.equal({ total: 3, activos: 2 });
    });
  });
}

describe('productos store: the real one and its fake', () => {
  let t: TestContext;
  let real: World;
  before(async function () {
    t = await startTestApp();
    real = {
      store: createProductosStore(t.container.knex),
      async newEscenario() {
        const empresa = await insertEmpresa(t.container);
        const router = await insertRouter(t.container, empresa.id);
        return { empresaId: empresa.id, routerId: router.id };
      },
      async newRouter(empresaId) {
        return (await insertRouter(t.container, empresaId)).id;
      },
    };
  });
  after(async () => { await t?.close(); });
  contract('PostgreSQL', () => real);

  let fake: World;
  beforeEach(() => {
    const empresas = new Set<string>();
    const routers = new Set<string>();
    fake = {
      store: createFakeProductosStore({ empresaExists: (id) => empresas.has(id), routerExists: (id) => routers.has(id) }),
      async newEscenario() {
        const empresaId = newEmpresaId();
        const routerId = newRouterId();
        empresas.add(empresaId);
        routers.add(routerId);
        return { empresaId, routerId };
      },
      async newRouter() {
        const routerId = newRouterId();
        routers.add(routerId);
        return routerId;
      },
    };
  });
  contract('in-memory fake', () => fake);
});

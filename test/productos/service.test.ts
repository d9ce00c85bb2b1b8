/**
 * The products' rules on the fast layer: the service over the in-memory
 * productos store (its contract with the real one: store-contract.test.ts)
 * and a router that is a list of profiles, so each rule takes milliseconds.
 * The HTTP, PostgreSQL and RouterOS-simulator paths are productos.test.ts's.
 */
import { expect } from 'chai';
import { createFakeProductosStore, createProductosService } from '../../src/features/productos';
import type { RoutersStore } from '../../src/features/routers';
import { RouterUnreachableError, type HotspotProfile } from '../../src/integrations/mikrotik';
import { NotFoundError, ValidationError } from '../../src/platform/errors';

type Modo = 'api' | 'radius';
interface FakeRouter { id: string; empresa_id: string; activo: boolean; modo: Modo; answers: boolean; profiles: string[] }

function world() {
  const routers = new Map<string, FakeRouter>();
  /** Every call the service made to a router, by router id. */
  const dialled: string[] = [];
  const ensured: Array<{ router: string; name: string }> = [];
  const store = createFakeProductosStore({ routerExists: (id) => routers.has(id) });
  const profile = (name: string, i: number): HotspotProfile =>
    ({ id: `*${i + 1}`, name, session_timeout: null, idle_timeout: null, keepalive_timeout: null, shared_users: 1, rate_limit: null }) as HotspotProfile;
  const service = createProductosService({
    store,
    routers: {
      find: async (empresaId: string, id: string) => {
        const r = routers.get(id);
        return r && r.empresa_id === empresaId ? ({ id: r.id, activo: r.activo, nombre: `Router ${r.id}` } as Awaited<ReturnType<RoutersStore['find']>>) : undefined;
      },
    },
    targets: {
      load: async (id) => {
        const r = routers.get(id);
        return r ? { id, host: '192.0.2.1', port: 8728, username: 'api', password: 'x', activo: r.activo, empresa_id: r.empresa_id, modo: r.modo, ultimo_latido: null } : null;
      },
    },
    hotspot: {
      listProfiles: async (target) => {
        dialled.push(target.id);
        const r = routers.get(target.id)!;
        if (!r.answers) throw new RouterUnreachableError('connect ECONNREFUSED', { routerId: r.id });
        return r.profiles.map(profile);
      },
      ensureProfile: async (target, input) => {
        dialled.push(target.id);
        ensured.push({ router: target.id, name: input.name });
        return 'created';
      },
    },
    routerModo: async (id) => routers.get(id)?.modo,
  });
  let n = 0;
  const router = (empresaId: string, extra: Partial<FakeRouter> = {}): FakeRouter => {
    const r: FakeRouter = { id: `RTR_${String(++n).padStart(8, '0')}`, empresa_id: empresaId, activo: true, modo: 'api', answers: true, profiles: ['1hora', '1dia'], ...extra };
    routers.set(r.id, r);
    return r;
  };
  return { store, service, router, routers, dialled, ensured };
}

const EMP_A = 'EMP_00000000AA';
const EMP_B = 'EMP_00000000BB';
const body = (routerId: string, extra: Record<string, unknown> = {}) =>
  ({ router_id: routerId, perfil_mikrotik_nombre: '1hora', nombre_venta: '1 Hora de Internet', precio: '20.00', ...extra }) as Parameters<ReturnType<typeof world>['service']['create']>[1];

async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(() => { throw new Error('expected a rejection'); }, (error: Error) => error);
}

describe('productos rules (fast layer: fake store, fake router)', () => {
  it('create: a profile the router has is saved verified with its RouterOS id', async () => {
    const w = world();
    const r = w.router(EMP_A);
    const created = await w.service.create(EMP_A, body(r.id, { perfil_mikrotik_nombre: '1dia' }));
    expect(created).to.include({ perfil_verificado: true, perfil_mikrotik_id: '*2', precio: 20, precio_decimal: '20.00', empresa_id: EMP_A });
    expect(created.verificacion).to.deep.equal({ perfil_verificado: true, mensaje: 'Perfil verificado en el router' });
  });

  it('create: a profile the router does not have is a 422 naming the field, saving nothing', async () => {
    const w = world();
    const r = w.router(EMP_A);
    const error = await rejection(w.service.create(EMP_A, body(r.id, { perfil_mikrotik_nombre: 'no-existe' })));
    expect(error).to.be.instanceOf(ValidationError);
    expect(error.message).to.equal("El perfil 'no-existe' no existe en el router");
    expect((error as ValidationError & { field?: string }).field).to.equal('perfil_mikrotik_nombre');
    expect(w.store.rows()).to.deep.equal([]);
  });

  it('create: a router that does not answer leaves the product unverified, keeping the id sent, and says why', async () => {
    const w = world();
    const r = w.router(EMP_A, { answers: false });
    const created = await w.service.create(EMP_A, body(r.id, { perfil_mikrotik_id: '*7' }));
    expect(created).to.include({ perfil_verificado: false, perfil_mikrotik_id: '*7' });
    expect(created.verificacion.mensaje).to.match(/^No se pudo verificar el perfil en el router \(.+\); el producto se guardó sin verificar$/);
  });

  it('create: an inactive router is not contacted: saved unverified', async () => {
    const w = world();
    const r = w.router(EMP_A, { activo: false });
    const created = await w.service.create(EMP_A, body(r.id));
    expect(created.verificacion).to.deep.equal({ perfil_verificado: false, mensaje: 'El router está inactivo: el perfil no se pudo verificar' });
    expect(w.dialled).to.deep.equal([]);
  });

  it('create: a router of another company, one that does not exist or a malformed id is 404, without contacting it', async () => {
    const w = world();
    const foreign = w.router(EMP_B);
    for (const routerId of [foreign.id, 'RTR_FFFFFFFF', 'nada']) {
      const error = await rejection(w.service.create(EMP_A, body(routerId)));
      expect(error, routerId).to.be.instanceOf(NotFoundError);
      expect(error.message).to.equal('Router no encontrado');
    }
    expect(w.dialled).to.deep.equal([]);
    expect(w.store.rows()).to.deep.equal([]);
  });

  it('create: the router deleted between the check and the insert is the same 404 (the foreign key)', async () => {
    const w = world();
    const r = w.router(EMP_A, { activo: false });
    // Found by the service's checks, gone when the row is inserted.
    const insert = w.store.insert.bind(w.store);
    w.store.insert = async (values) => { w.routers.delete(r.id); return insert(values); };
    const error = await rejection(w.service.create(EMP_A, body(r.id)));
    expect(error).to.be.instanceOf(NotFoundError);
    expect(error.message).to.equal('Router no encontrado');
  });

  it('create: the price is stored exactly as a two-decimal string; zero, negatives, three decimals, floats and over 99999999.99 are 422', async () => {
    const w = world();
    const r = w.router(EMP_A, { activo: false });
    for (const [precio, stored] of [['20', '20.00'], ['20.5', '20.50'], [19.99, '19.99'], [0.01, '0.01'], ['99999999.99', '99999999.99'], [' 7.10 ', '7.10']] as const) {
      const created = await w.service.create(EMP_A, body(r.id, { precio }));
      expect(created.precio_decimal, String(precio)).to.equal(stored);
      expect(created.precio).to.equal(Number(stored));
    }
    const bad: Array<[string | number, string]> = [
      ['0', "El campo 'precio' debe ser mayor que 0"],
      [0, "El campo 'precio' debe ser mayor que 0"],
      ['-5', "El campo 'precio' no es válido: el precio no puede ser negativo"],
      ['1.999', "El campo 'precio' no es válido: el precio admite como máximo dos decimales"],
      [0.1 + 0.2, "El campo 'precio' no es válido: el precio admite como máximo dos decimales"],
      ['1e3', "El campo 'precio' no es válido: el precio no es un número decimal válido"],
      ['100000000.00', "El campo 'precio' admite como máximo 99999999.99"],
    ];
    const before = w.store.rows().length;
    for (const [precio, detail] of bad) {
      const error = await rejection(w.service.create(EMP_A, body(r.id, { precio })));
      expect(error, String(precio)).to.be.instanceOf(ValidationError);
      expect(error.message, String(precio)).to.equal(detail);
    }
    expect(w.store.rows()).to.have.length(before);
  });

  it('RADIUS mode: any profile name (or none) is taken without dialling the router; API mode requires one', async () => {
    const w = world();
    const radius = w.router(EMP_A, { modo: 'radius' });
    const created = await w.service.create(EMP_A, body(radius.id, { perfil_mikrotik_nombre: '' }));
    expect(created).to.include({ perfil_verificado: false, perfil_mikrotik_nombre: '' });
    expect(created.verificacion.mensaje).to.match(/^Router en modo RADIUS/);
    expect(w.dialled).to.deep.equal([]);
    const api = w.router(EMP_A);
    const error = await rejection(w.service.create(EMP_A, body(api.id, { perfil_mikrotik_nombre: '  ' })));
    expect(error.message).to.equal("El campo 'perfil_mikrotik_nombre' es obligatorio en un router en modo API");
  });

  it('a speed or several devices bring our own profile up to date on an API-mode router that answers', async () => {
    const w = world();
    const r = w.router(EMP_A);
    const created = await w.service.create(EMP_A, body(r.id, { limite_velocidad: '2M/10M', dispositivos: 2 }));
    expect(w.ensured).to.deep.equal([{ router: r.id, name: `pagos-${created.id}` }]);
    const plain = await w.service.create(EMP_A, body(r.id));
    expect(w.ensured.map((e) => e.name)).not.to.include(`pagos-${plain.id}`);
  });

  it('update: partial; "Perfil sin cambios" when the profile stays; a new profile is checked again; a missing one is 422', async () => {
    const w = world();
    const r = w.router(EMP_A);
    const created = await w.service.create(EMP_A, body(r.id, { descripcion: 'x', limit_uptime: '1h' }));
    const updated = await w.service.update(EMP_A, created.id, { precio: 25.5, destacado: true, descripcion: null, limit_uptime: null });
    expect(updated).to.include({ precio: 25.5, precio_decimal: '25.50', destacado: true, descripcion: null, limit_uptime: null, nombre_venta: '1 Hora de Internet', perfil_verificado: true });
    expect(updated.verificacion).to.deep.equal({ perfil_verificado: true, mensaje: 'Perfil sin cambios' });
    expect((await rejection(w.service.update(EMP_A, created.id, { precio: '-1' }))).message).to.match(/^El campo 'precio'/);
    expect((await rejection(w.service.update(EMP_A, created.id, { perfil_mikrotik_nombre: 'otro' }))).message).to.equal("El perfil 'otro' no existe en el router");
    const moved = await w.service.update(EMP_A, created.id, { perfil_mikrotik_nombre: '1dia' });
    expect(moved).to.include({ perfil_mikrotik_nombre: '1dia', perfil_mikrotik_id: '*2', perfil_verificado: true, precio_decimal: '25.50' });
  });

  it('update: moving to another company\'s router is 404; an unverified product is verified once its router answers', async () => {
    const w = world();
    const down = w.router(EMP_A, { answers: false });
    const foreign = w.router(EMP_B);
    const created = await w.service.create(EMP_A, body(down.id));
    expect(created.perfil_verificado).to.equal(false);
    const error = await rejection(w.service.update(EMP_A, created.id, { router_id: foreign.id }));
    expect(error).to.be.instanceOf(NotFoundError);
    expect(error.message).to.equal('Router no encontrado');
    w.routers.get(down.id)!.answers = true; // the router comes back
    const updated = await w.service.update(EMP_A, created.id, { orden_visual: 3 });
    expect(updated).to.include({ perfil_verificado: true, orden_visual: 3 });
    expect(updated.verificacion.mensaje).to.equal('Perfil verificado en el router');
  });

  it('get, update and remove: another company\'s product, a deleted one and an id that cannot exist are 404 "Producto no encontrado"', async () => {
    const w = world();
    const r = w.router(EMP_A, { activo: false });
    const own = await w.service.create(EMP_A, body(r.id));
    const removed = await w.service.remove(EMP_A, own.id);
    expect(removed).to.include({ message: 'Producto eliminado exitosamente', id: own.id, producto_id: own.id, activo: false });
    const other = await w.service.create(EMP_B, body(w.router(EMP_B, { activo: false }).id));
    for (const id of [own.id, other.id, 999999, 'abc', '1.5', '-1', '99999999999']) {
      for (const call of [() => w.service.get(EMP_A, id), () => w.service.update(EMP_A, id, { activo: true }), () => w.service.remove(EMP_A, id)]) {
        const error = await rejection(call());
        expect(error, String(id)).to.be.instanceOf(NotFoundError);
        expect(error.message).to.equal('Producto no encontrado');
      }
    }
    expect(await w.service.list(EMP_A)).to.deep.equal([]);
    expect((await w.service.list(EMP_B)).map((p) => p.id)).to.deep.equal([other.id]);
  });
});

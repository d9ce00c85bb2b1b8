/** Fixtures for the cliente_admin API tests (issue 5). */
import crypto from 'node:crypto';
import net from 'node:net';
import type { Container } from '../../src/container';
import { newTransaccionId } from '../../src/platform/ids';
import { startRouterOsSimulator, type RouterOsSimulator, type RouterOsSimulatorOptions } from '../../sim/routeros';
import { loginAs, type TestContext } from './harness';
import { insertRouter, insertEscenario } from './fixtures';

/** The cliente_admin tests take the bearer header from here, with the rest of their fixtures. */
export { as } from './harness';

export const SIM_PASSWORD = 'Sim-R0uter-Passw0rd!';

/** A RouterOS simulator with two hotspot profiles besides `default`. */
export function startSim(options: RouterOsSimulatorOptions = {}): Promise<RouterOsSimulator> {
  return startRouterOsSimulator({
    username: 'api',
    password: SIM_PASSWORD,
    identity: 'MikroTik-Lobby',
    profiles: [
      { name: '1hora', 'session-timeout': '1h', 'rate-limit': '2M/5M', 'shared-users': '1' },
      { name: '1dia', 'session-timeout': '1d', 'idle-timeout': '10m', 'shared-users': '2', 'address-list': 'pagados', 'mac-cookie-timeout': '1d' },
    ],
    ...options,
  });
}

/** Simulators started as a file's tests need them (`sim`, like startSim) and closed together after the file (`closeSims`). */
export function trackedSims() {
  const started: RouterOsSimulator[] = [];
  return {
    async sim(options: RouterOsSimulatorOptions = {}): Promise<RouterOsSimulator> {
      const s = await startSim(options);
      started.push(s);
      return s;
    },
    async closeSims(): Promise<void> {
      await Promise.all(started.splice(0).map((s) => s.close()));
    },
  };
}

/** A router row of the company pointing at the simulator. */
export function insertSimRouter(c: Container, empresaId: string, sim: RouterOsSimulator, extra: Record<string, unknown> = {}) {
  return insertRouter(c, empresaId, {
    host: sim.host, puerto: sim.port, usuario: sim.username, password_enc: c.secrets.seal(sim.password), ...extra,
  });
}

/** A TCP port nobody listens on (connecting is refused at once). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An escenario (a company with its router, key and admin) and the admin's session token. */
export async function escenarioWithSession(t: TestContext) {
  const escenario = await insertEscenario(t.container);
  const token = await loginAs(t, escenario.admin.email, escenario.admin.password);
  return { ...escenario, token };
}

let seq = 0;

/** A transaction row written directly (the purchase pipeline is tested elsewhere). */
export async function insertTransaccion(c: Container, row: { empresa_id: string; router_id: string } & Record<string, unknown>) {
  const n = ++seq;
  const paid = ['paid', 'refunded', 'charged_back'].includes(String(row.estado_pago ?? 'pending'));
  const [inserted] = await c.knex('transacciones').insert({
    id: newTransaccionId(),
    producto_id: 1,
    producto_nombre: '1 Hora de Internet',
    perfil_mikrotik_nombre: '1hora',
    gateway: 'conekta',
    idempotency_key: `idem-${n}-${crypto.randomUUID()}`,
    request_hash: crypto.createHash('sha256').update(String(n)).digest('hex'),
    monto: '20.00',
    moneda: 'MXN',
    cliente_nombre: 'Ana López',
    cliente_email: `cliente${n}@example.com`,
    tipo_usuario: 'usuario_contrasena',
    hotspot_usuario: `u${n}x${crypto.randomBytes(3).toString('hex')}`,
    hotspot_password_enc: c.secrets.seal(`hotspot-pass-${n}`),
    confirmar_hasta: new Date(Date.now() + 3600_000),
    estado_pago: 'pending',
    estado_hotspot: paid ? 'active' : 'pending',
    ...row,
  }).returning('*');
  return inserted as Record<string, any> & { id: string };
}

/** Walks a query plan (EXPLAIN FORMAT JSON) and returns every node. */
export function planNodes(plan: Record<string, any>): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [plan];
  for (const child of (plan.Plans ?? []) as Array<Record<string, any>>) out.push(...planNodes(child));
  return out;
}

/** EXPLAIN (FORMAT JSON) of a knex query builder, exactly as it would run. */
export async function explain(c: Container, query: { toSQL(): { sql: string; bindings: readonly unknown[] } }) {
  const { sql, bindings } = query.toSQL();
  const result = await c.knex.raw(`EXPLAIN (FORMAT JSON) ${sql}`, bindings as any);
  const plan = result.rows[0]['QUERY PLAN'][0].Plan as Record<string, any>;
  return planNodes(plan);
}

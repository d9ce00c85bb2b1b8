/**
 * The whole system for end-to-end tests: the real app and a real worker on
 * PostgreSQL and Redis, a RouterOS simulator over TCP, and both gateway
 * sandboxes over HTTP. Production code reaches them only by host/port/URL.
 */
import { startConektaSandbox, type ConektaSandbox } from '../../sim/conekta';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../../sim/mercadopago';
import { startRouterOsSimulator, type RouterOsSimulator } from '../../sim/routeros';
import { newEmpresaId, newRouterId } from '../../src/platform/ids';
import type { Logger } from '../../src/platform/logger';
import { startWorker, type RunningWorker } from '../../workers/index';
import { insertApiKey, insertUsuario, setPasarela } from './fixtures';
import { startTestApp, type TestContext } from './harness';
import type { GatewayProvider } from '../../src/integrations/gateways';

export const MP_WEBHOOK_SECRET = 'mp-webhook-secret-for-tests';

export interface Escenario {
  empresaId: string;
  routerId: string;
  apiKey: string;
  productoId: number;
  admin: { email: string; password: string };
}

export interface Stack {
  t: TestContext;
  worker: RunningWorker | null;
  conekta: ConektaSandbox;
  mp: MercadoPagoSandbox;
  sim: RouterOsSimulator;
  escenario: Escenario;
  env: Record<string, string>;
  startWorker(): Promise<RunningWorker>;
  stopWorker(): Promise<void>;
  addEscenario(sim: RouterOsSimulator, extra?: { precio?: string; vigencia_minutos?: number }): Promise<Escenario>;
  /** Router and gateway faults back to none (for afterEach). */
  clearFaults(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `env` overrides the test environment (e.g. DATABASE_URL / REDIS_URL through a
 * tcp-proxy.ts), `schedules` registers the worker's periodic jobs (reconciler…),
 * `logger` receives the web container's log lines.
 */
export async function startStack(options: {
  worker?: boolean; env?: Record<string, string>; schedules?: boolean; logger?: Logger;
  /** The gateways the app and the worker sell with (default: the registry's). */
  gatewayProviders?: readonly GatewayProvider[];
} = {}): Promise<Stack> {
  const conekta = await startConektaSandbox({ port: 0, slowResponseMs: 4000 });
  const mp = await startMercadoPagoSandbox({ port: 0 });
  const sim = await startRouterOsSimulator({ port: 0, username: 'api', password: 'api-pass', profiles: [{ name: 'plan-1h', 'session-timeout': '1h', 'shared-users': '1' }] });
  const env = {
    CONEKTA_API_URL: conekta.url,
    MERCADOPAGO_API_URL: mp.url,
    GATEWAY_TIMEOUT_MS: '1500',
    PROVISIONING_WAIT_MS: '4000',
    JOB_BACKOFF_BASE_MS: '50',
    JOB_BACKOFF_CAP_MS: '300',
    JOB_STALE_AFTER_MS: '200',
    WORKER_LOCK_DURATION_MS: '2000',
    MIKROTIK_CONNECT_TIMEOUT_MS: '800',
    MIKROTIK_COMMAND_TIMEOUT_MS: '1500',
    MIKROTIK_BREAKER_COOLDOWN_MS: '300',
    JOB_PROVISION_ATTEMPTS: '200',
    ...options.env,
  };
  const t = await startTestApp(env, { ...(options.logger ? { logger: options.logger } : {}), ...(options.gatewayProviders ? { gatewayProviders: options.gatewayProviders } : {}) });
  const c = t.container;

  async function addEscenario(routerSim: RouterOsSimulator, extra: { precio?: string; vigencia_minutos?: number } = {}): Promise<Escenario> {
    const empresaId = newEmpresaId();
    await c.knex('empresas').insert({
      id: empresaId, nombre: 'WiFi Plaza', contacto_email: 'ops@wifiplaza.mx',
    });
    await setPasarela(c.knex, empresaId, 'conekta', { secreto_enc: c.secrets.seal('key_test_private_123'), llave_publica: 'key_test_public_123' });
    await setPasarela(c.knex, empresaId, 'mercadopago', {
      secreto_enc: c.secrets.seal('TEST-access-token-123'), llave_publica: 'TEST-public-key-123', webhook_secreto_enc: c.secrets.seal(MP_WEBHOOK_SECRET),
    });
    const routerId = newRouterId();
    await c.knex('routers').insert({
      id: routerId, empresa_id: empresaId, nombre: 'Router Lobby', host: routerSim.host, puerto: routerSim.port,
      usuario: routerSim.username, password_enc: c.secrets.seal(routerSim.password),
    });
    const key = await insertApiKey(c, routerId, empresaId);
    const [producto] = await c.knex('productos').insert({
      empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: 'plan-1h', perfil_verificado: true,
      nombre_venta: '1 hora', precio: extra.precio ?? '20.00', moneda: 'MXN', limit_uptime: '1h',
      vigencia_minutos: extra.vigencia_minutos ?? null,
    }).returning('id');
    const admin = await insertUsuario(c, { empresa_id: empresaId });
    return { empresaId, routerId, apiKey: key.apiKey, productoId: producto.id, admin: { email: admin.email, password: admin.password } };
  }

  const escenario = await addEscenario(sim);
  const stack: Stack = {
    t, worker: null, conekta, mp, sim, escenario, env,
    async startWorker() {
      stack.worker = await startWorker(t.config, { schedules: options.schedules ?? false, ...(options.gatewayProviders ? { gatewayProviders: options.gatewayProviders } : {}) });
      return stack.worker;
    },
    async stopWorker() {
      await stack.worker?.stop();
      stack.worker = null;
    },
    addEscenario,
    async clearFaults() {
      await sim.faults.clear();
      conekta.faults.clear();
      mp.faults.clear();
    },
    async close() {
      await stack.stopWorker();
      await t.close();
      await Promise.all([conekta.close(), mp.close(), sim.close()]);
    },
  };
  if (options.worker !== false) await stack.startWorker();
  return stack;
}

export { eventually } from './eventually';

export const conektaBody = (productoId: number, token: string, extra: Record<string, unknown> = {}) => ({
  producto_id: productoId, token_tarjeta: token, nombre_cliente: 'Ana López', email_cliente: 'ana@example.com',
  telefono_cliente: '5512345678', tipo_usuario: 'usuario_contrasena', ...extra,
});

export const mercadoPagoBody = (productoId: number, firstName: string, extra: Record<string, unknown> = {}) => ({
  producto_id: productoId, token: `card-token-${Math.random().toString(36).slice(2)}`, payment_method_id: 'visa', cuotas: 1, monto: '20.00',
  nombre_cliente: `${firstName} López`, email_cliente: 'ana@example.com', telefono_cliente: '5512345678', ...extra,
});

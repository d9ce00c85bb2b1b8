/**
 * `npm run demo`: the whole service on one machine, in one process, with no
 * internet and nothing installed by surprise.
 *
 * 1. PostgreSQL and Redis: the ones at DATABASE_URL / REDIS_URL (default
 *    127.0.0.1:5432 as postgres, 127.0.0.1:6379) with a database of its own
 *    (`pagos_hotspot_demo`, created if missing) and Redis db 3; when they do
 *    not answer but their binaries are installed, private instances under
 *    .demo-data/ on other ports (stopped again on exit).
 * 2. The Conekta and Mercado Pago sandboxes and a RouterOS simulator.
 * 3. The web process (which migrates) and the worker, in-process, on a config
 *    built with loadConfig() and demo secrets kept in .demo-data/.
 * 4. An idempotent demo world: super admin, company "WiFi Demo" with sandbox
 *    gateway credentials, a router on the simulator, products on its profiles,
 *    a cliente_admin and a fresh router API key (the old one is revoked).
 * 5. The captive portal (portal/) served like the router's hotspot would,
 *    with a generated config.js in sandbox mode.
 * 6. The operators' panel at /panel/ on the API, built first (`npm run build`)
 *    when panel/dist/ is missing.
 *
 * 7. FreeRADIUS (RADIUS mode, issue 22) on the demo's database when it is
 *    installed, on 127.0.0.1 DEMO_RADIUS_AUTH_PORT/DEMO_RADIUS_ACCT_PORT
 *    (1812/1813), its log in .demo-data/radius.log; when it is not installed
 *    the demo says how to install it and runs without it.
 *
 * 8. A second router, in RADIUS mode (issue 22): a RouterOS simulator set up
 *    as its one-paste script would leave it (identity = router id, /radius to
 *    the demo's FreeRADIUS, use-radius=yes with accounting), sending RADIUS
 *    and a heartbeat every minute from 127.0.0.2 (its "public address"), with
 *    its own captive portal on DEMO_RADIUS_PORTAL_PORT (8081).
 *
 * Ctrl-C (SIGINT/SIGTERM) stops everything it started, also when the signal
 * reaches only npm's process (`npm run demo`): the demo stops when any process
 * that started it (npm, its shell, tsx) is gone.
 *
 * Environment: DEMO_PORT (API, 8000), DEMO_PORTAL_PORT (8080), DEMO_HOST
 * (portal bind address, 127.0.0.1), DEMO_DATABASE_URL / DEMO_REDIS_URL (use
 * exactly these), DEMO_PG_PORT (55432) / DEMO_REDIS_PORT (56379) for private
 * instances, DEMO_ROUTEROS_PORT, DEMO_CORS_ORIGINS (extra portal origins),
 * DEMO_LOG_LEVEL (warn), DEMO_DATA_DIR (.demo-data), DEMO_REDIS_KEY_PREFIX (none).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import Redis from 'ioredis';
import { loadConfig, type Config } from '../src/platform/config';
import type { Container } from '../src/container';
import { newEmpresaId, newRouterId } from '../src/platform/ids';
import { startWeb, type RunningWeb } from '../src/server';
import { startConektaSandbox, type ConektaSandbox } from '../sim/conekta';
import { startMercadoPagoSandbox, type MercadoPagoSandbox } from '../sim/mercadopago';
import { startHeartbeat, startRouterOsSimulator, type Heartbeat, type RouterOsSimulator, type SimProfileInput } from '../sim/routeros';
import { issueRadiusCredentials } from '../src/features/routers';
import { startHotspotPortal, type HotspotDevice, type HotspotPortal } from '../sim/hotspot-portal';
import { SANDBOX_CARDS, sandboxTokenizerScript } from '../sim/tokenizer';
import { startWorker, type RunningWorker } from '../workers/index';
import { INSTALL_HINT, freeradiusInstalled, startRadiusProcess, type RunningRadius } from '../src/integrations/radius/process';

const run = promisify(execFile);

export const ROOT = path.resolve(__dirname, '..');
export const DEMO_DATABASE = 'pagos_hotspot_demo';
export const DEMO_REDIS_DB = 3;

export const DEMO_LOGINS = {
  superAdmin: { email: 'admin@wifidemo.mx', password: 'DemoAdmin123!' },
  clienteAdmin: { email: 'cliente@wifidemo.mx', password: 'DemoCliente123!' },
} as const;

export const DEMO_DEVICE: HotspotDevice = { mac: '02:DE:AD:BE:EF:01', ip: '10.5.50.10' };

const EMPRESA = {
  nombre: 'WiFi Demo',
  contacto_email: 'operaciones@wifidemo.mx',
  contacto_telefono: '5512345678',
  conektaPrivateKey: 'key_demo_sandbox_private',
  conektaPublicKey: 'key_demo_sandbox_public',
  mpAccessToken: 'TEST-demo-sandbox-access-token',
  mpPublicKey: 'TEST-demo-sandbox-public-key',
  mpWebhookSecret: 'demo-mp-webhook-secret',
};
const ROUTER = { nombre: 'Router Demo (simulador)', ubicacion: 'Lobby, planta baja', usuario: 'api-demo', password: 'api-demo-pass' };
/**
 * The second router (issue 22): RADIUS mode, as if behind NAT. Its RADIUS packets and its heartbeats come
 * from 127.0.0.2, standing for its public address; nothing dials it.
 */
export const RADIUS_ROUTER = { nombre: 'Router RADIUS (simulador, detrás de NAT)', ubicacion: 'Terraza', address: '127.0.0.2' };
// Names unlike the first router's: the panel's product pickers list both routers' products.
const RADIUS_PRODUCTS = [
  {
    perfil: 'radius-1-hora', nombre_venta: 'Hora exprés', descripcion: 'Para revisar correo y redes sociales.', precio: '15.00',
    limit_uptime: '1h', vigencia_minutos: null, destacado: false, orden_visual: 1, detalles: { velocidad: '10 Mbps' },
  },
  {
    perfil: 'radius-1-dia', nombre_venta: 'Día completo', descripcion: 'Navega todo el día.', precio: '49.00',
    limit_uptime: null, vigencia_minutos: 1440, destacado: true, orden_visual: 2, detalles: { velocidad: '20 Mbps' },
  },
];

const PROFILES: SimProfileInput[] = [
  { name: '1-hora', 'session-timeout': '1h', 'shared-users': '1' },
  { name: '1-dia', 'session-timeout': '1d', 'shared-users': '1' },
  { name: '1-semana', 'shared-users': '2' },
];

const PRODUCTS = [
  {
    perfil: '1-hora', nombre_venta: '1 hora', descripcion: 'Para revisar correo y redes sociales.', precio: '15.00',
    limit_uptime: '1h', vigencia_minutos: null, destacado: false, orden_visual: 1, detalles: { velocidad: '10 Mbps' },
  },
  {
    perfil: '1-dia', nombre_venta: '1 día', descripcion: 'Navega todo el día, sin contar minutos.', precio: '49.00',
    limit_uptime: null, vigencia_minutos: 1440, destacado: true, orden_visual: 2, detalles: { velocidad: '20 Mbps' },
  },
  {
    perfil: '1-semana', nombre_venta: '1 semana', descripcion: 'Siete días para hasta 2 dispositivos.', precio: '199.00',
    limit_uptime: null, vigencia_minutos: 10_080, destacado: false, orden_visual: 3, detalles: { dispositivos: 2 },
  },
];

export interface DemoOptions {
  /** The exact database to use (created if missing). Default: `pagos_hotspot_demo` on DATABASE_URL's server. */
  databaseUrl?: string;
  /** The exact Redis URL to use. Default: REDIS_URL's server, db 3. */
  redisUrl?: string;
  /** API port (0: any free port). Default DEMO_PORT or 8000. */
  apiPort?: number;
  /** Portal port (0: any free port). Default DEMO_PORTAL_PORT or 8080. */
  portalPort?: number;
  /** Where the portal listens. Default DEMO_HOST or 127.0.0.1. */
  host?: string;
  /** Demo secrets, private database files and logs. Default DEMO_DATA_DIR or .demo-data/. */
  dataDir?: string;
  /** Start private PostgreSQL/Redis when the given ones do not answer. Default true. */
  privateServices?: boolean;
  /** Register the worker's periodic jobs. Default true. */
  schedules?: boolean;
  /** Config variables that win over the demo's (passed to loadConfig). */
  env?: Record<string, string>;
  /** Where progress lines go. Default console.log. */
  log?: (line: string) => void;
  /** Build the panel (panel/dist) when it is missing. Default true. */
  buildPanel?: boolean;
  /** Port of the RADIUS router's captive portal (0: any free port). Default: 0 when portalPort is 0, else DEMO_RADIUS_PORTAL_PORT or 8081. */
  radiusPortalPort?: number;
}

export interface DemoSeed {
  empresaId: string;
  routerId: string;
  apiKey: string;
  productos: Array<{ id: number; nombre: string; precio: string; perfil: string }>;
  /** The RADIUS-mode router: its portal key, products, RADIUS secret and router token (demo values). */
  radiusRouter: { routerId: string; apiKey: string; productos: DemoSeed['productos']; secret: string; token: string };
}

/** The RADIUS-mode router's simulated side: the RouterOS simulator as a RADIUS client, its hotspot page, its heartbeat. */
export interface DemoRadiusRouter {
  sim: RouterOsSimulator;
  portal: HotspotPortal;
  portalUrl: string;
  heartbeat: Heartbeat;
}

export interface RunningDemo {
  apiUrl: string;
  panelUrl: string;
  portalUrl: string;
  config: Config;
  seed: DemoSeed;
  web: RunningWeb;
  worker: RunningWorker;
  conekta: ConektaSandbox;
  mp: MercadoPagoSandbox;
  sim: RouterOsSimulator;
  portal: HotspotPortal;
  /** The second router, in RADIUS mode (its logins go to FreeRADIUS). */
  radiusRouter: DemoRadiusRouter;
  /** FreeRADIUS on the demo's database (null: not installed or did not start). */
  radius: RunningRadius | null;
  databaseUrl: string;
  redisUrl: string;
  stop(): Promise<void>;
}

type Stopper = { name: string; stop: () => Promise<unknown> };

// ---------------------------------------------------------------------------
// Secrets, kept once in the data folder
// ---------------------------------------------------------------------------

interface DemoSecrets { fernetKey: string; apiKeySecret: string; sessionSecret: string; secretKey: string }

export function demoSecrets(dataDir: string): DemoSecrets {
  const file = path.join(dataDir, 'demo-secrets.json');
  if (fs.existsSync(file)) {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DemoSecrets>;
    if (saved.fernetKey && saved.apiKeySecret && saved.sessionSecret && saved.secretKey) return saved as DemoSecrets;
  }
  const secrets: DemoSecrets = {
    fernetKey: `${crypto.randomBytes(32).toString('base64url')}=`,
    apiKeySecret: crypto.randomBytes(32).toString('hex'),
    sessionSecret: crypto.randomBytes(32).toString('hex'),
    secretKey: crypto.randomBytes(32).toString('hex'),
  };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

// ---------------------------------------------------------------------------
// PostgreSQL and Redis: reuse, or start private instances
// ---------------------------------------------------------------------------

function withDatabase(url: string, name: string): string {
  const u = new URL(url.replace(/^postgres(ql)?\+[a-z0-9]+:\/\//i, 'postgresql://'));
  u.pathname = `/${name}`;
  return u.toString();
}

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`unexpected database name: ${name}`);
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres'), connectionTimeoutMillis: 5000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`create database "${name}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile
      });
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1500, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

function findBinary(name: string): string | undefined {
  const dirs: string[] = [];
  const pgRoot = '/usr/lib/postgresql';
  if (fs.existsSync(pgRoot)) {
    const versions = fs.readdirSync(pgRoot).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) dirs.push(path.join(pgRoot, v, 'bin'));
  }
  dirs.push(...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean));
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

async function userIds(user: string): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await run('id', ['-u', user])).stdout.trim());
    const gid = Number((await run('id', ['-g', user])).stdout.trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** A private PostgreSQL cluster under the data folder (initdb once, pg_ctl start/stop). */
async function startPrivatePostgres(dataDir: string, port: number, log: (l: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  if (!initdb || !pgCtl) {
    throw new Error('PostgreSQL does not answer and its binaries (initdb, pg_ctl) are not installed: start PostgreSQL or set DEMO_DATABASE_URL');
  }
  const dir = path.join(dataDir, 'postgres');
  const socketDir = path.join(dataDir, 'postgres-run');
  const logFile = path.join(dataDir, 'postgres.log');
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(socketDir, { recursive: true });
  if (!fs.existsSync(logFile)) fs.writeFileSync(logFile, '');
  // PostgreSQL refuses to run as root: run it as the `postgres` system user then.
  let prefix: string[] = [];
  if (process.getuid?.() === 0) {
    const ids = await userIds('postgres');
    const runuser = findBinary('runuser');
    if (!ids || !runuser) throw new Error('running as root: PostgreSQL needs a non-root user (postgres) and runuser');
    for (const p of [dir, socketDir, logFile]) fs.chownSync(p, ids.uid, ids.gid);
    for (const entry of fs.readdirSync(dir, { recursive: true }) as string[]) fs.chownSync(path.join(dir, entry), ids.uid, ids.gid);
    prefix = [runuser, '-u', 'postgres', '--'];
  }
  fs.chmodSync(dir, 0o700);
  const exec = (cmd: string, args: string[]) => {
    const [file, ...rest] = prefix.length ? [prefix[0]!, ...prefix.slice(1), cmd, ...args] : [cmd, ...args];
    return run(file!, rest, { timeout: 120_000 });
  };

  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`initializing a private PostgreSQL in ${path.relative(ROOT, dir) || dir}`);
    await exec(initdb, ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale']);
  }
  let actualPort = port;
  const running = await exec(pgCtl, ['-D', dir, 'status']).then(() => true, () => false);
  if (running) {
    const pid = fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n');
    actualPort = Number(pid[3]) || port;
    log(`reusing the private PostgreSQL already running on port ${actualPort}`);
  } else {
    log(`starting a private PostgreSQL on 127.0.0.1:${port}`);
    try {
      await exec(pgCtl, ['-D', dir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${port} -k ${socketDir} -c listen_addresses=127.0.0.1`, 'start']);
    } catch (error) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-8).join('\n');
      throw new Error(`private PostgreSQL did not start: ${(error as Error).message}\n${tail}`);
    }
  }
  return {
    url: `postgresql://postgres@127.0.0.1:${actualPort}/postgres`,
    stop: async () => {
      await exec(pgCtl, ['-D', dir, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    },
  };
}

/** A private redis-server (no persistence) as a child process. */
async function startPrivateRedis(dataDir: string, port: number, log: (l: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = `redis://127.0.0.1:${port}`;
  const pidFile = path.join(dataDir, 'redis.pid');
  if (await redisAnswers(url)) {
    // Left running by a demo that did not get to stop it? Then it is ours to stop.
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : 0;
    log(`reusing the Redis already answering on 127.0.0.1:${port}`);
    return {
      url,
      stop: async () => {
        if (pid > 0) {
          try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
          fs.rmSync(pidFile, { force: true });
        }
      },
    };
  }
  const bin = findBinary('redis-server');
  if (!bin) throw new Error('Redis does not answer and redis-server is not installed: start Redis or set DEMO_REDIS_URL');
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  log(`starting a private Redis on 127.0.0.1:${port}`);
  const child: ChildProcess = spawn(bin, [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--logfile', path.join(dataDir, 'redis.log'), '--daemonize', 'no',
  ], { stdio: 'ignore', detached: true }); // its own process group: Ctrl-C reaches the demo, which stops it in order
  let exited = false;
  child.once('exit', () => { exited = true; fs.rmSync(pidFile, { force: true }); });
  if (child.pid) fs.writeFileSync(pidFile, String(child.pid));
  const deadline = Date.now() + 15_000;
  while (!(await redisAnswers(url))) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`private Redis did not start (see ${path.join(dataDir, 'redis.log')})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (exited) { resolve(); return; }
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      child.kill('SIGTERM');
    }),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function intFrom(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`invalid port: ${value}`);
  return n;
}

// ---------------------------------------------------------------------------
// The demo world
// ---------------------------------------------------------------------------

/** Idempotent: finds each row by a natural key, updates it, or inserts it. Returns a fresh API key. */
export async function seedDemo(c: Container, sim: RouterOsSimulator): Promise<DemoSeed> {
  const { knex, secrets, passwords } = c;

  await knex('usuarios').whereRaw('lower(email) = lower(?)', [DEMO_LOGINS.superAdmin.email]).andWhere({ rol: 'super_admin' })
    .update({ password_hash: await passwords.hash(DEMO_LOGINS.superAdmin.password), activo: true });

  const empresaFields = {
    nombre: EMPRESA.nombre,
    contacto_email: EMPRESA.contacto_email,
    contacto_telefono: EMPRESA.contacto_telefono,
    activa: true,
  };
  // Its account with each gateway (empresa_pasarelas, one row per gateway).
  const accounts = {
    conekta: { modo: 'test', secreto_enc: secrets.seal(EMPRESA.conektaPrivateKey), llave_publica: EMPRESA.conektaPublicKey },
    mercadopago: {
      modo: 'test', secreto_enc: secrets.seal(EMPRESA.mpAccessToken), llave_publica: EMPRESA.mpPublicKey,
      webhook_secreto_enc: secrets.seal(EMPRESA.mpWebhookSecret),
    },
  };
  let empresa = await knex('empresas').where({ contacto_email: EMPRESA.contacto_email, nombre: EMPRESA.nombre }).orderBy('creada_en').first('id');
  if (empresa) await knex('empresas').where({ id: empresa.id }).update({ ...empresaFields, actualizada_en: knex.fn.now() });
  else [empresa] = await knex('empresas').insert({ id: newEmpresaId(), ...empresaFields }).returning('id');
  const empresaId = empresa.id as string;
  for (const [pasarela, account] of Object.entries(accounts)) {
    await knex('empresa_pasarelas').insert({ empresa_id: empresaId, pasarela, ...account })
      .onConflict(['empresa_id', 'pasarela']).merge({ ...account, actualizada_en: knex.fn.now() });
  }

  const routerFields = {
    host: sim.host, puerto: sim.port, tls: false, tls_insecure: false, usuario: sim.username,
    password_enc: secrets.seal(sim.password), ubicacion: ROUTER.ubicacion, activo: true,
  };
  let router = await knex('routers').where({ empresa_id: empresaId, nombre: ROUTER.nombre }).orderBy('creado_en').first('id');
  if (router) await knex('routers').where({ id: router.id }).update({ ...routerFields, actualizado_en: knex.fn.now() });
  else [router] = await knex('routers').insert({ id: newRouterId(), empresa_id: empresaId, nombre: ROUTER.nombre, ...routerFields }).returning('id');
  const routerId = router.id as string;

  const profileIds = new Map(sim.state.printProfiles().map((p) => [String(p.name), String(p['.id'])]));
  const productos: DemoSeed['productos'] = [];
  for (const p of PRODUCTS) {
    const fields = {
      nombre_venta: p.nombre_venta, descripcion: p.descripcion, precio: p.precio, moneda: 'MXN',
      limit_uptime: p.limit_uptime, vigencia_minutos: p.vigencia_minutos, destacado: p.destacado, orden_visual: p.orden_visual,
      detalles: JSON.stringify(p.detalles), perfil_mikrotik_id: profileIds.get(p.perfil) ?? null, perfil_verificado: true,
      activo: true, eliminado_en: null,
    };
    const existing = await knex('productos').where({ router_id: routerId, perfil_mikrotik_nombre: p.perfil }).orderBy('id').first('id');
    let id: number;
    if (existing) {
      id = existing.id;
      await knex('productos').where({ id }).update({ ...fields, actualizado_en: knex.fn.now() });
    } else {
      const [row] = await knex('productos').insert({ empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: p.perfil, ...fields }).returning('id');
      id = row.id;
    }
    productos.push({ id, nombre: p.nombre_venta, precio: p.precio, perfil: p.perfil });
  }

  const clienteHash = await passwords.hash(DEMO_LOGINS.clienteAdmin.password);
  const cliente = await knex('usuarios').whereRaw('lower(email) = lower(?)', [DEMO_LOGINS.clienteAdmin.email]).first('id');
  if (cliente) {
    await knex('usuarios').where({ id: cliente.id }).update({ password_hash: clienteHash, rol: 'cliente_admin', empresa_id: empresaId, activo: true });
  } else {
    await knex('usuarios').insert({
      email: DEMO_LOGINS.clienteAdmin.email, password_hash: clienteHash, nombre: 'Cliente Demo', rol: 'cliente_admin', empresa_id: empresaId,
    });
  }

  // Keys are shown once: every run revokes the previous one and issues a new one.
  const key = await c.routers.regenerate(empresaId, routerId);
  const radiusRouter = await seedRadiusRouter(c, empresaId);
  return { empresaId, routerId, apiKey: key.new_api_key, productos, radiusRouter };
}

/** The RADIUS-mode router (no API connection), its products, its RADIUS secret and router token (kept across runs). */
async function seedRadiusRouter(c: Container, empresaId: string): Promise<DemoSeed['radiusRouter']> {
  const { knex } = c;
  let router = await knex('routers').where({ empresa_id: empresaId, nombre: RADIUS_ROUTER.nombre }).orderBy('creado_en').first('id', 'radius_secret_enc', 'token_enc');
  const fields = { modo: 'radius', host: null, usuario: null, password_enc: null, ubicacion: RADIUS_ROUTER.ubicacion, activo: true };
  if (router) {
    await knex('routers').where({ id: router.id }).update({ ...fields, actualizado_en: knex.fn.now() });
    if (!router.radius_secret_enc || !router.token_enc) await knex('routers').where({ id: router.id }).update(issueRadiusCredentials(c.secrets).columns);
  } else {
    [router] = await knex('routers').insert({
      id: newRouterId(), empresa_id: empresaId, nombre: RADIUS_ROUTER.nombre, puerto: 8728, ...fields, ...issueRadiusCredentials(c.secrets).columns,
    }).returning('id');
  }
  const routerId = router.id as string;
  const productos: DemoSeed['productos'] = [];
  for (const p of RADIUS_PRODUCTS) {
    const values = {
      nombre_venta: p.nombre_venta, descripcion: p.descripcion, precio: p.precio, moneda: 'MXN', limit_uptime: p.limit_uptime,
      vigencia_minutos: p.vigencia_minutos, destacado: p.destacado, orden_visual: p.orden_visual, detalles: JSON.stringify(p.detalles),
      perfil_mikrotik_id: null, perfil_verificado: true, activo: true, eliminado_en: null,
    };
    const existing = await knex('productos').where({ router_id: routerId, perfil_mikrotik_nombre: p.perfil }).orderBy('id').first('id');
    let id: number;
    if (existing) {
      id = existing.id;
      await knex('productos').where({ id }).update({ ...values, actualizado_en: knex.fn.now() });
    } else {
      const [row] = await knex('productos').insert({ empresa_id: empresaId, router_id: routerId, perfil_mikrotik_nombre: p.perfil, ...values }).returning('id');
      id = row.id;
    }
    productos.push({ id, nombre: p.nombre_venta, precio: p.precio, perfil: p.perfil });
  }
  const key = await c.routers.regenerate(empresaId, routerId);
  const credenciales = await c.radiusRouters.credenciales(routerId);
  return { routerId, apiKey: key.new_api_key, productos, secret: credenciales.radius_secret!, token: credenciales.router_token! };
}

// ---------------------------------------------------------------------------
// The operators' panel: static assets built by Vite
// ---------------------------------------------------------------------------

export const PANEL_DIST = path.join(ROOT, 'panel', 'dist');

/** Runs `npm run build` when panel/dist/index.html is missing (a fresh clone). */
export async function ensurePanelBuilt(log: (line: string) => void): Promise<void> {
  if (fs.existsSync(path.join(PANEL_DIST, 'index.html'))) return;
  log('building the operators\' panel (npm run build)...');
  try {
    await run('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`the panel did not build: ${(e.stderr ?? '').trim().split('\n').slice(-5).join('\n') || e.message}`);
  }
}

// ---------------------------------------------------------------------------
// Start / stop
// ---------------------------------------------------------------------------

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dataDir ?? process.env.DEMO_DATA_DIR ?? path.join(ROOT, '.demo-data'));
  const apiPortWanted = options.apiPort ?? intFrom(process.env.DEMO_PORT, 8000);
  const portalPortWanted = options.portalPort ?? intFrom(process.env.DEMO_PORTAL_PORT, 8080);
  const host = options.host ?? process.env.DEMO_HOST ?? '127.0.0.1';
  const allowPrivate = options.privateServices ?? true;
  const stoppers: Stopper[] = [];

  const stopAll = async () => {
    while (stoppers.length) {
      const s = stoppers.pop()!;
      await s.stop().catch((error: Error) => log(`  ${s.name}: ${error.message}`));
    }
  };

  try {
    fs.mkdirSync(dataDir, { recursive: true });
    const secrets = demoSecrets(dataDir);
    if (options.buildPanel ?? true) await ensurePanelBuilt(log);

    // PostgreSQL
    let databaseUrl = options.databaseUrl ?? process.env.DEMO_DATABASE_URL;
    if (!databaseUrl) {
      const server = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
      if (await postgresAnswers(server)) {
        databaseUrl = withDatabase(server, DEMO_DATABASE);
      } else if (allowPrivate) {
        log(`PostgreSQL does not answer at ${new URL(withDatabase(server, 'postgres')).host}`);
        const pgPrivate = await startPrivatePostgres(dataDir, intFrom(process.env.DEMO_PG_PORT, 55432), log);
        stoppers.push({ name: 'private PostgreSQL', stop: pgPrivate.stop });
        databaseUrl = withDatabase(pgPrivate.url, DEMO_DATABASE);
      } else {
        throw new Error('PostgreSQL does not answer');
      }
    }
    await ensureDatabase(databaseUrl);

    // Redis
    let redisUrl = options.redisUrl ?? process.env.DEMO_REDIS_URL;
    if (!redisUrl) {
      const server = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
      server.pathname = `/${DEMO_REDIS_DB}`;
      if (await redisAnswers(server.toString())) {
        redisUrl = server.toString();
      } else if (allowPrivate) {
        log(`Redis does not answer at ${server.host}`);
        const redisPrivate = await startPrivateRedis(dataDir, intFrom(process.env.DEMO_REDIS_PORT, 56379), log);
        stoppers.push({ name: 'private Redis', stop: redisPrivate.stop });
        redisUrl = `${redisPrivate.url}/${DEMO_REDIS_DB}`;
      } else {
        throw new Error('Redis does not answer');
      }
    }

    // Simulated outside world
    const conekta = await startConektaSandbox({ port: intFrom(process.env.DEMO_CONEKTA_PORT, 0), slowResponseMs: 10_000 });
    stoppers.push({ name: 'Conekta sandbox', stop: () => conekta.close() });
    const mp = await startMercadoPagoSandbox({ port: intFrom(process.env.DEMO_MERCADOPAGO_PORT, 0), slowResponseMs: 10_000 });
    stoppers.push({ name: 'Mercado Pago sandbox', stop: () => mp.close() });
    const sim = await startRouterOsSimulator({
      port: intFrom(process.env.DEMO_ROUTEROS_PORT, 0), username: ROUTER.usuario, password: ROUTER.password,
      identity: 'HotspotDemo', profiles: PROFILES,
    });
    stoppers.push({ name: 'RouterOS simulator', stop: () => sim.close() });

    // The portal, served like the router's hotspot; config.js is filled in once the key exists.
    const apiPort = apiPortWanted === 0 ? await freePort() : apiPortWanted;
    let apiKey = '';
    const portal = await startHotspotPortal({
      root: path.join(ROOT, 'portal'),
      port: portalPortWanted,
      host,
      router: sim.state,
      defaultDevice: DEMO_DEVICE,
      identity: 'HotspotDemo',
      generated: {
        '/config.js': (req) => {
          const hostname = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
          const safeHost = /^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(hostname) ? hostname : '127.0.0.1';
          const cfg = { apiBaseUrl: `http://${safeHost}:${apiPort}`, apiKey, mode: 'sandbox' };
          return {
            type: 'text/javascript; charset=utf-8',
            body: `/* Generado por npm run demo: modo sandbox, API Key nueva en cada arranque. */\nwindow.PAGOS_CONFIG = ${JSON.stringify(cfg, null, 2)};\n`,
          };
        },
        '/sandbox-tokenizer.js': () => ({ type: 'text/javascript; charset=utf-8', body: sandboxTokenizerScript() }),
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`port ${portalPortWanted} is in use: set DEMO_PORTAL_PORT`);
      throw error;
    });
    stoppers.push({ name: 'portal', stop: () => portal.close() });

    // The RADIUS-mode router: a RouterOS simulator whose hotspot asks FreeRADIUS (configured once the router exists).
    const radiusSim = await startRouterOsSimulator({ identity: 'HotspotRadius' });
    stoppers.push({ name: 'RouterOS simulator (RADIUS)', stop: () => radiusSim.close() });
    let radiusApiKey = '';
    // Any free port when the main portal takes any (tests running demos side by side).
    const radiusPortalWanted = options.radiusPortalPort ?? (portalPortWanted === 0 ? 0 : intFrom(process.env.DEMO_RADIUS_PORTAL_PORT, 8081));
    const radiusPortal = await startHotspotPortal({
      root: path.join(ROOT, 'portal'), port: radiusPortalWanted, host, router: radiusSim.state, defaultDevice: DEMO_DEVICE, identity: 'HotspotRadius',
      generated: {
        '/config.js': (req) => {
          const hostname = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
          const safeHost = /^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(hostname) ? hostname : '127.0.0.1';
          const cfg = { apiBaseUrl: `http://${safeHost}:${apiPort}`, apiKey: radiusApiKey, mode: 'sandbox' };
          return {
            type: 'text/javascript; charset=utf-8',
            body: `/* Generado por npm run demo: router en modo RADIUS, modo sandbox. */\nwindow.PAGOS_CONFIG = ${JSON.stringify(cfg, null, 2)};\n`,
          };
        },
        '/sandbox-tokenizer.js': () => ({ type: 'text/javascript; charset=utf-8', body: sandboxTokenizerScript() }),
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`port ${radiusPortalWanted} is in use: set DEMO_RADIUS_PORTAL_PORT`);
      throw error;
    });
    stoppers.push({ name: 'portal (RADIUS)', stop: () => radiusPortal.close() });

    const origins = new Set([`http://localhost:${portal.port}`, `http://127.0.0.1:${portal.port}`]);
    origins.add(`http://localhost:${radiusPortal.port}`).add(`http://127.0.0.1:${radiusPortal.port}`);
    if (host !== '127.0.0.1' && host !== '0.0.0.0' && host !== '::') origins.add(`http://${host}:${portal.port}`);
    for (const o of (process.env.DEMO_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean)) origins.add(o);

    const config = loadConfig({
      NODE_ENV: 'development',
      APP_NAME: 'Pagos Hotspot API (demo)',
      PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://localhost:${apiPort}`,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      REDIS_URL: redisUrl,
      // Every key under this prefix (a test run's scope); none by default.
      ...(process.env.DEMO_REDIS_KEY_PREFIX ? { REDIS_KEY_PREFIX: process.env.DEMO_REDIS_KEY_PREFIX } : {}),
      JWT_APIKEY_SECRET: secrets.apiKeySecret,
      JWT_SESSION_SECRET: secrets.sessionSecret,
      SECRET_KEY: secrets.secretKey,
      ENCRYPTION_KEY_MERCADO_PAGO: secrets.fernetKey,
      SUPER_ADMIN_INITIAL_EMAIL: DEMO_LOGINS.superAdmin.email,
      SUPER_ADMIN_INITIAL_PASSWORD: DEMO_LOGINS.superAdmin.password,
      BCRYPT_ROUNDS: '10',
      LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'warn',
      BACKEND_CORS_ORIGINS: [...origins].join(','),
      CONEKTA_API_URL: conekta.url,
      MERCADOPAGO_API_URL: mp.url,
      GATEWAY_TIMEOUT_MS: '5000',
      PROVISIONING_WAIT_MS: '4000',
      MIKROTIK_CONNECT_TIMEOUT_MS: '2000',
      MIKROTIK_COMMAND_TIMEOUT_MS: '3000',
      MIKROTIK_BREAKER_COOLDOWN_MS: '2000',
      // The RouterOS simulator listens on loopback, which routers may not use otherwise (issue 21.8).
      ROUTER_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
      JOB_BACKOFF_BASE_MS: '500',
      JOB_BACKOFF_CAP_MS: '10000',
      // Someone trying the demo pays many times from the same simulated phone.
      RATE_LIMIT_PAYMENTS_DEVICE_POINTS: '50',
      RADIUS_BIND: '127.0.0.1',
      RADIUS_AUTH_PORT: process.env.DEMO_RADIUS_AUTH_PORT ?? '1812',
      RADIUS_ACCT_PORT: process.env.DEMO_RADIUS_ACCT_PORT ?? '1813',
      RADIUS_PUBLIC_ADDRESS: '127.0.0.1',
      ...options.env,
    });

    // Bound like the portal and the sandboxes (DEMO_HOST, 127.0.0.1 by default), not on every interface.
    const web = await startWeb(config, { host }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`port ${apiPort} is in use: set DEMO_PORT`);
      throw error;
    });
    stoppers.push({ name: 'web', stop: () => web.stop() });
    const seed = await seedDemo(web.container, sim);
    apiKey = seed.apiKey;
    const worker = await startWorker(config, { schedules: options.schedules ?? true });
    stoppers.push({ name: 'worker', stop: () => worker.stop() });
    const radius = await startDemoRadius(config, dataDir, log);
    if (radius) stoppers.push({ name: 'FreeRADIUS', stop: () => radius.stop() });

    // The RADIUS router as its setup script leaves it: identity = router id, /radius pointing at our FreeRADIUS from
    // its own address, use-radius=yes with accounting, and a heartbeat every minute from that address.
    radiusApiKey = seed.radiusRouter.apiKey;
    radiusSim.state.identity = seed.radiusRouter.routerId;
    radiusSim.state.addRadius({
      service: 'hotspot', address: '127.0.0.1', secret: seed.radiusRouter.secret, 'authentication-port': String(config.radius.authPort),
      'accounting-port': String(config.radius.acctPort), 'src-address': RADIUS_ROUTER.address, timeout: '3s', comment: 'Pagos Hotspot',
    });
    radiusSim.state.setHotspotProfile('hsprof1', { 'use-radius': 'yes', 'radius-accounting': 'yes', 'radius-interim-update': '1m' });
    const heartbeat = startHeartbeat({ apiUrl: `http://127.0.0.1:${web.port}`, token: seed.radiusRouter.token, localAddress: RADIUS_ROUTER.address, immediately: false });
    stoppers.push({ name: 'heartbeat', stop: async () => heartbeat.stop() });
    const firstBeat = await heartbeat.beat();
    if (firstBeat !== 200) log(`The RADIUS router's heartbeat answered ${firstBeat}: its logins will not be answered until one is accepted`);

    let stopping: Promise<void> | undefined;
    return {
      apiUrl: `http://localhost:${web.port}`,
      panelUrl: `http://localhost:${web.port}/panel/`,
      portalUrl: `${portal.url}/login`,
      config, seed, web, worker, conekta, mp, sim, portal, radius, databaseUrl, redisUrl,
      radiusRouter: { sim: radiusSim, portal: radiusPortal, portalUrl: `${radiusPortal.url}/login`, heartbeat },
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** FreeRADIUS for the demo's RADIUS-mode routers, when installed; the demo runs on without it. */
async function startDemoRadius(config: Config, dataDir: string, log: (line: string) => void): Promise<RunningRadius | null> {
  if (!freeradiusInstalled()) {
    log(`FreeRADIUS is not installed: RADIUS mode is off in this demo (to turn it on: ${INSTALL_HINT})`);
    return null;
  }
  const logFile = fs.createWriteStream(path.join(dataDir, 'radius.log'), { flags: 'a' });
  const radius = startRadiusProcess(config, { onLine: (line) => logFile.write(`${line}\n`) });
  void radius.exited.then(() => logFile.end());
  try {
    await radius.ready();
    log(`FreeRADIUS listening on ${config.radius.bind} (auth ${config.radius.authPort}, acct ${config.radius.acctPort})`);
    return radius;
  } catch (error) {
    await radius.stop();
    log(`FreeRADIUS did not start (${(error as Error).message}; see ${path.join(dataDir, 'radius.log')}): RADIUS mode is off in this demo`);
    return null;
  }
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export function banner(demo: RunningDemo): string {
  const group = (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1 ');
  const cards = SANDBOX_CARDS.slice(0, 4).map((c) => `${group(c.number)} ${c.resultado.toLowerCase()}`).join(' | ');
  const lines = [
    '',
    'Pagos Hotspot demo is running',
    `  API             ${demo.apiUrl}`,
    `  Panel           ${demo.panelUrl}  (super admin or cliente admin login below)`,
    `  API docs        ${demo.apiUrl}/docs`,
    `  Job queues      ${demo.apiUrl}/admin/queues  (super admin email and password)`,
    `  Captive portal  ${demo.portalUrl}  (simulated phone ${DEMO_DEVICE.mac} / ${DEMO_DEVICE.ip})`,
    `  RADIUS router   ${demo.radiusRouter.portalUrl}  (router ${demo.seed.radiusRouter.routerId}, RADIUS mode from ${RADIUS_ROUTER.address}${demo.radius ? '' : '; needs FreeRADIUS'})`,
    `  Sandboxes       Conekta ${demo.conekta.url} | Mercado Pago ${demo.mp.url} | RouterOS API ${demo.sim.host}:${demo.sim.port}`,
    `  Data            ${redact(demo.databaseUrl)} | ${redact(demo.redisUrl)}`,
    demo.radius
      ? `  FreeRADIUS      ${demo.config.radius.bind} auth ${demo.config.radius.authPort} / acct ${demo.config.radius.acctPort}  (RADIUS-mode routers)`
      : `  FreeRADIUS      not running (${INSTALL_HINT})`,
    'Logins',
    `  super admin     ${DEMO_LOGINS.superAdmin.email} / ${DEMO_LOGINS.superAdmin.password}`,
    `  cliente admin   ${DEMO_LOGINS.clienteAdmin.email} / ${DEMO_LOGINS.clienteAdmin.password}  (company WiFi Demo ${demo.seed.empresaId})`,
    `  router API key  ${demo.seed.apiKey}`,
    `                  (router ${demo.seed.routerId}; a new key on every start, the previous one is revoked)`,
    'Test cards (any future date, any CVV)',
    `  ${cards}`,
    '',
    'Cash at OXXO (portal: "Pagar en efectivo"): pay the reference "at the store" with',
    `  curl -X POST ${demo.conekta.url}/sandbox/cash/pay -H 'content-type: application/json' \\`,
    `       -d '{"reference":"<referencia>","webhook_url":"${demo.apiUrl}/api/v1/webhook/conekta/${demo.seed.empresaId}"}'`,
    '',
    'Open the portal on a phone-sized window, pick a plan and pay. Ctrl-C stops everything.',
  ];
  return lines.join('\n');
}

/**
 * The processes this one descends from (parent first, up to but not including
 * init), from /proc on Linux; elsewhere just the parent. `npm run demo` is
 * npm → sh → tsx → this: a signal sent to npm alone ends npm (and maybe the
 * shell) while tsx and this process would go on serving, orphaned.
 */
export function ancestorPids(start = process.ppid): number[] {
  const pids: number[] = [];
  let pid = start;
  while (pid > 1 && pids.length < 32) {
    pids.push(pid);
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return pids;
}

/** Gone, or a zombie nobody reaped yet (kill(pid, 0) still succeeds on those). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Calls `onGone` once when any ancestor exits or this process is re-parented. */
export function watchAncestors(onGone: (pid: number) => void, everyMs = 500): NodeJS.Timeout {
  const watched = ancestorPids();
  const firstParent = process.ppid;
  const timer = setInterval(() => {
    const gone = process.ppid !== firstParent ? firstParent : watched.find(processGone);
    if (gone !== undefined) {
      clearInterval(timer);
      onGone(gone);
    }
  }, everyMs);
  timer.unref();
  return timer;
}

if (require.main === module) {
  const started = Date.now();
  console.log('Pagos Hotspot demo: starting (no internet needed)...');
  // A signal while starting: remembered, and everything started is stopped once the start is over.
  let early: string | null = null;
  const whileStarting = (signal: string) => {
    if (!early) console.log(`\n${signal}: the demo stops as soon as it has started...`);
    early = signal;
  };
  process.on('SIGINT', whileStarting);
  process.on('SIGTERM', whileStarting);
  const startWatch = watchAncestors((pid) => whileStarting(`the process that started the demo (${pid}) exited`));
  startDemo().then((demo) => {
    clearInterval(startWatch);
    process.off('SIGINT', whileStarting);
    process.off('SIGTERM', whileStarting);
    console.log(banner(demo));
    console.log(`(ready in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
    let firstSignalAt = 0;
    const shutdown = (signal: string) => {
      // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): only a later one forces the exit.
      if (firstSignalAt) {
        if (Date.now() - firstSignalAt < 1500) return;
        console.log('forced exit');
        process.exit(1);
      }
      firstSignalAt = Date.now();
      console.log(`\n${signal}: stopping the demo...`);
      const force = setTimeout(() => { console.log('still stopping after 20 s: forced exit'); process.exit(1); }, 20_000);
      force.unref();
      demo.stop().then(() => {
        console.log('demo stopped');
        process.exit(0);
      }, (error: Error) => {
        console.error(`error while stopping: ${error.message}`);
        process.exit(1);
      });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    // npm may get Ctrl-C (or a kill) alone and exit: then no one is left to pass it on.
    watchAncestors((pid) => shutdown(`the process that started the demo (${pid}) exited`));
    if (early) shutdown(early);
  }).catch((error: unknown) => {
    console.error(`demo could not start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

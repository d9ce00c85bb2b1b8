/**
 * The only module that reads process.env. Everything else receives a `Config`.
 *
 * Variables come from the real environment and, below it, from `.env` at the
 * project root (the environment wins). Every problem is collected first so one
 * start-up reports all of them in a single line.
 */
import fs from 'node:fs';
import path from 'node:path';
import dotenv from 'dotenv';
import { QUEUE_PREFIX } from './jobs/definitions';
import { parseAllowedNetworks } from './router-address';

export type NodeEnv = 'development' | 'test' | 'production';
export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512';

export interface Config {
  nodeEnv: NodeEnv;
  appName: string;
  debug: boolean;
  logLevel: string;
  port: number;
  publicBaseUrl: string;
  /** Koa `proxy`: trust X-Forwarded-* from the load balancer in front of us. */
  trustProxy: boolean;
  /**
   * How many proxies in front of us append to X-Forwarded-For. The client
   * address is the one the last trusted proxy saw: counted from the right,
   * so addresses a client writes into the header itself are never used.
   */
  trustProxyHops: number;
  database: {
    url: string;
    poolSize: number;
    /** null: no TLS; otherwise passed to pg as `ssl`. */
    ssl: null | { rejectUnauthorized: boolean };
    /** How long a query waits for a pool connection (and a new connection to come up) before the request is a 503. */
    acquireTimeoutMs: number;
    /** PostgreSQL schema for every table (knex searchPath); null: the server default (public). Tests give each file its own. */
    schema?: string | null;
  };
  /**
   * commandTimeoutMs: the shared (non-blocking) client gives up on a command after it; callers then fall back.
   * keyPrefix: put before every key (ioredis keyPrefix) and before the BullMQ prefix (queuePrefix); '' by default.
   */
  redis: { url: string; tlsRejectUnauthorized: boolean; commandTimeoutMs: number; keyPrefix: string; queuePrefix: string };
  jwt: {
    apiKeySecret: string;
    sessionSecret: string;
    algorithm: JwtAlgorithm;
    apiKeyExpireDays: number;
    sessionExpireHours: number;
  };
  secretKey: string;
  /** Bearer token for /metrics; without it production does not serve /metrics at all. */
  metricsToken: string | null;
  bcryptRounds: number;
  corsOrigins: string[];
  superAdmin: { email: string; password: string };
  conekta: { apiUrl: string; defaultPrivateKey: string; defaultPublicKey: string };
  mercadoPago: { apiUrl: string };
  telegram: { apiUrl: string };
  /** Fernet key for secrets at rest; null only outside production (secrets kept in clear). */
  encryptionKey: string | null;
  /** Keys being rotated out (ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS): still opened, never used to seal. */
  encryptionKeyPrevious: string[];
  /** validateResponses: check every JSON response against its declared schema (on in tests; a mismatch becomes a 500). */
  http: { bodyLimit: string; requestTimeoutMs: number; shutdownDrainMs: number; validateResponses: boolean };
  mikrotik: {
    connectTimeoutMs: number; commandTimeoutMs: number; maxConcurrentPerRouter: number; breakerThreshold: number; breakerCooldownMs: number;
    /** ROUTER_ALLOWED_NETWORKS: CIDRs a router may be in although private, loopback or link-local (router-address.ts). */
    allowedNetworks: string[];
  };
  payments: {
    gatewayTimeoutMs: number;
    /** How long the payment request waits for provisioning before answering. */
    provisioningWaitMs: number;
    /** How long an ambiguous charge is re-checked before it is given up as expired. */
    confirmationDeadlineMs: number;
    /** Cash references (OXXO, Paycash): how long the customer has to pay at the store. */
    cashReferenceHours: number;
    /** A cash reference is still confirmed (webhooks, reconciler) this long after it expires. */
    cashConfirmMarginMs: number;
    /** Open cash/transfer references at most, per router and per device (issue 21). */
    cashMaxOpenPerRouter: number;
    cashMaxOpenPerDevice: number;
  };
  /**
   * RADIUS mode (issue 22). databaseUrl: FreeRADIUS's own least-privilege role (RADIUS_DATABASE_URL; DATABASE_URL when unset).
   * publicAddress: the IPv4 address routers send RADIUS to (the setup script); null when not configured.
   * heartbeatUrl: the IPv4-only base URL routers' heartbeats call (RADIUS_HEARTBEAT_URL; PUBLIC_BASE_URL when unset).
   */
  radius: { databaseUrl: string; authPort: number; acctPort: number; bind: string; publicAddress: string | null; heartbeatUrl: string };
  /** Printed vouchers (issue 15). */
  fichas: {
    /** The QR on a voucher opens this login page when the router has none of its own (hotspot DNS/IP). */
    defaultLoginUrl: string;
    /** How often the routers' hotspot users are read to mark vouchers used. */
    usageEveryMs: number;
    /** Vouchers of one company not on their router yet (pendiente), at most. */
    maxPendientesPorEmpresa: number;
  };
  rateLimits: {
    loginPerEmailIp: { points: number; durationSec: number };
    loginPerIp: { points: number; durationSec: number };
    /** Failed logins per account, whatever the address (a botnet cannot spread guesses). */
    loginPerAccount: { points: number; durationSec: number };
    portalPerKey: { points: number; durationSec: number };
    paymentsPerRouter: { points: number; durationSec: number };
    paymentsPerDevice: { points: number; durationSec: number };
    /** Declined charges per router key; over it, payments on that router cool down for `blockSec`. */
    paymentDeclinesPerRouter: { points: number; durationSec: number; blockSec: number };
    /** Declined charges per card (brand + last digits, when the gateway reports them) on a router. */
    paymentDeclinesPerCard: { points: number; durationSec: number; blockSec: number };
    reconnectPerUser: { points: number; durationSec: number };
    reconnectPerRouter: { points: number; durationSec: number };
    webhooksPerEmpresa: { points: number; durationSec: number };
  };
  webhooks: { toleranceSeconds: number };
  jobs: {
    usageFlushEveryMs: number;
    reconcileEveryMs: number;
    hotspotExpiryEveryMs: number;
    /** API mode: how often the routers with the trial on are read for trials started (issue 24). */
    pruebasEveryMs: number;
    /** RADIUS mode: how often accounting is read (vouchers used, first logins) and stale sessions are closed. */
    radiusAccountingEveryMs: number;
    /** RADIUS mode: Acct-Interim-Interval sent to routers, in seconds (a session silent for three is closed). */
    radiusInterimSeconds: number;
    /** Daily by default: cron pattern for API key expiry warnings. */
    keyExpiryCron: string;
    backoffBaseMs: number;
    backoffCapMs: number;
    provisionAttempts: number;
    confirmAttempts: number;
    /** A pending/provisioning row untouched this long is the reconciler's. */
    staleAfterMs: number;
    hotspotConcurrency: number;
    paymentsConcurrency: number;
    /** A job whose worker died is handed to another after this long. */
    lockDurationMs: number;
    /** Adding a job waits this long for Redis at most (then the caller falls back: the reconciler re-creates lost jobs). */
    enqueueTimeoutMs: number;
    /** Voucher jobs have a queue and workers of their own (issue 21). */
    fichasConcurrency: number;
    /** At most this many of one company's voucher jobs run at once, across every worker. */
    fichasPerEmpresa: number;
    /** At most this many voucher jobs talk to one router at once, across every worker. */
    fichasPerRouter: number;
    /** How often the worker checks that its job schedules still exist (a Redis that came back empty). */
    schedulesCheckEveryMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuración inválida: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

const REQUIRED = [
  'DATABASE_URL',
  'JWT_APIKEY_SECRET',
  'JWT_SESSION_SECRET',
  'SECRET_KEY',
  'SUPER_ADMIN_INITIAL_EMAIL',
  'SUPER_ADMIN_INITIAL_PASSWORD',
] as const;

type Env = Record<string, string | undefined>;

/** Merges `.env` (if present) under the real environment. */
export function readEnvironment(root = process.cwd(), env: Env = process.env): Env {
  const file = path.join(root, '.env');
  const fromFile = fs.existsSync(file) ? dotenv.parse(fs.readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  required(name: string): string {
    return this.raw(name) ?? '';
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.problems.push(`${name} debe ser un entero entre ${min} y ${max} (valor recibido no válido)`);
      return fallback;
    }
    return Number(value);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (/^(1|true|yes|on)$/i.test(value)) return true;
    if (/^(0|false|no|off)$/i.test(value)) return false;
    this.problems.push(`${name} debe ser true o false`);
    return fallback;
  }

  url(name: string, fallback: string | undefined, protocols: string[]): string {
    const value = this.raw(name) ?? fallback;
    if (value === undefined) return '';
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value.replace(/\/+$/, '');
    } catch {
      this.problems.push(`${name} no es una URL válida (${protocols.join(', ')})`);
      return '';
    }
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!allowed.includes(value as T)) {
      this.problems.push(`${name} debe ser uno de: ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }
}

/** Accepts the original's `postgresql+asyncpg://` form and pulls TLS settings out of `sslmode`. */
export function parseDatabaseUrl(raw: string, forceSsl: boolean): Omit<Config['database'], 'poolSize' | 'acquireTimeoutMs' | 'schema'> | null {
  const normalized = raw.replace(/^postgres(ql)?\+[a-z0-9]+:\/\//i, 'postgresql://');
  let parsed: URL;
  try {
    parsed = new URL(normalized);
  } catch {
    return null;
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) return null;
  const sslmode = parsed.searchParams.get('sslmode') ?? parsed.searchParams.get('ssl');
  parsed.searchParams.delete('sslmode');
  parsed.searchParams.delete('ssl');
  let ssl: null | { rejectUnauthorized: boolean } = null;
  if (sslmode === 'verify-full' || sslmode === 'verify-ca') ssl = { rejectUnauthorized: true };
  else if (sslmode && !['disable', 'false', 'allow', 'prefer'].includes(sslmode)) ssl = { rejectUnauthorized: false };
  // Heroku Postgres requires TLS with a certificate it does not let us verify.
  if (!ssl && forceSsl) ssl = { rejectUnauthorized: false };
  return { url: parsed.toString(), ssl };
}

function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      const list = JSON.parse(raw) as unknown;
      if (Array.isArray(list) && list.every((o) => typeof o === 'string')) return list.map((o) => o.trim()).filter(Boolean);
    } catch {
      /* reported below */
    }
    problems.push('BACKEND_CORS_ORIGINS debe ser una lista separada por comas o un arreglo JSON de cadenas');
    return [];
  }
  return raw.split(',').map((o) => o.trim()).filter(Boolean);
}

const FERNET_KEY = /^[A-Za-z0-9_-]{43}=?$/;
/** HS256 keys shorter than the hash output are guessable offline from one token. */
export const MIN_JWT_SECRET_BYTES = 32;
export const MIN_SUPER_ADMIN_PASSWORD_LENGTH = 12;
const TRIVIAL_PASSWORDS = new Set([
  'password', 'password1', 'password123', 'contraseña', 'contrasena', 'admin', 'admin123', 'administrator',
  'changeme', 'changeme123', 'change-me', 'change-me-now', 'cambiame', 'cambiame123', 'superadmin', 'qwerty', 'qwertyuiop', '123456789012', '12345678', 'letmein',
]);

/** Why a password is too weak to be the initial super admin's in production, or null. */
export function trivialPasswordReason(password: string, email: string): string | null {
  if (password.length < MIN_SUPER_ADMIN_PASSWORD_LENGTH) return `tener al menos ${MIN_SUPER_ADMIN_PASSWORD_LENGTH} caracteres`;
  const lower = password.toLowerCase();
  if (TRIVIAL_PASSWORDS.has(lower)) return 'no ser una contraseña común';
  if (new Set(lower).size < 5) return 'tener al menos 5 caracteres distintos';
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local && lower.includes(local) && local.length >= 4) return 'no contener el correo';
  return null;
}

export function loadConfig(env: Env = readEnvironment()): Config {
  const r = new Reader(env);
  const missing = REQUIRED.filter((name) => r.raw(name) === undefined);
  if (missing.length > 0) r.problems.push(`faltan variables requeridas: ${missing.join(', ')}`);

  const nodeEnv = r.oneOf<NodeEnv>('NODE_ENV', 'development', ['development', 'test', 'production']);
  const apiKeySecret = r.required('JWT_APIKEY_SECRET');
  const sessionSecret = r.required('JWT_SESSION_SECRET');
  if (apiKeySecret && apiKeySecret === sessionSecret) {
    r.problems.push('JWT_APIKEY_SECRET y JWT_SESSION_SECRET deben ser distintos');
  }

  const poolSize = r.int('DATABASE_POOL_SIZE', 20, 1, 500);
  const acquireTimeoutMs = r.int('DATABASE_ACQUIRE_TIMEOUT_MS', 3000, 100, 60_000);
  let database: Config['database'] = { url: '', poolSize, ssl: null, acquireTimeoutMs, schema: null };
  const dbRaw = r.raw('DATABASE_URL');
  const schema = r.raw('DATABASE_SCHEMA') ?? null;
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    r.problems.push('DATABASE_SCHEMA debe ser un identificador de PostgreSQL en minúsculas (a-z, 0-9, _; hasta 63 caracteres)');
  }
  if (dbRaw) {
    const parsed = parseDatabaseUrl(dbRaw, r.bool('DATABASE_SSL', false));
    if (!parsed) r.problems.push('DATABASE_URL no es una URL de PostgreSQL válida');
    else database = { ...parsed, poolSize, acquireTimeoutMs, schema };
  }
  const keyPrefix = r.raw('REDIS_KEY_PREFIX') ?? '';
  // No braces: the BullMQ prefix keeps its Redis Cluster hash tag after it.
  if (!/^[A-Za-z0-9:._-]{0,64}$/.test(keyPrefix)) r.problems.push('REDIS_KEY_PREFIX admite hasta 64 caracteres A-Z, a-z, 0-9, :, ., _ y -');

  const encryptionKey = r.raw('ENCRYPTION_KEY_MERCADO_PAGO') ?? null;
  if (encryptionKey !== null && !FERNET_KEY.test(encryptionKey)) {
    r.problems.push('ENCRYPTION_KEY_MERCADO_PAGO debe ser una clave Fernet (32 bytes en base64 url-safe)');
  }
  if (encryptionKey === null && nodeEnv === 'production') {
    r.problems.push('ENCRYPTION_KEY_MERCADO_PAGO es obligatoria con NODE_ENV=production');
  }

  if (nodeEnv === 'production') {
    for (const name of ['JWT_APIKEY_SECRET', 'JWT_SESSION_SECRET'] as const) {
      const value = r.raw(name);
      if (value && Buffer.byteLength(value, 'utf8') < MIN_JWT_SECRET_BYTES) {
        r.problems.push(`${name} debe tener al menos ${MIN_JWT_SECRET_BYTES} bytes con NODE_ENV=production`);
      }
    }
    const initial = r.raw('SUPER_ADMIN_INITIAL_PASSWORD');
    const reason = initial ? trivialPasswordReason(initial, r.raw('SUPER_ADMIN_INITIAL_EMAIL') ?? '') : null;
    if (reason) r.problems.push(`SUPER_ADMIN_INITIAL_PASSWORD es demasiado débil con NODE_ENV=production: debe ${reason}`);
  }

  const encryptionKeyPrevious = (r.raw('ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (encryptionKeyPrevious.some((k) => !FERNET_KEY.test(k))) {
    r.problems.push('ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS debe ser una lista de claves Fernet separadas por comas');
  }
  if (encryptionKeyPrevious.length > 0 && encryptionKey === null) {
    r.problems.push('ENCRYPTION_KEY_MERCADO_PAGO_PREVIOUS requiere ENCRYPTION_KEY_MERCADO_PAGO (la clave nueva)');
  }

  const corsOrigins = parseOrigins(r.raw('BACKEND_CORS_ORIGINS'), r.problems);
  const routerNetworks = parseAllowedNetworks(r.raw('ROUTER_ALLOWED_NETWORKS'));
  r.problems.push(...routerNetworks.problems);
  const port = r.int('PORT', 8000, 0, 65535);

  const limit = (name: string, points: number, durationSec: number) => ({
    points: r.int(`${name}_POINTS`, points, 1, 1_000_000),
    durationSec: r.int(`${name}_SECONDS`, durationSec, 1, 86_400),
  });
  const blocking = (name: string, points: number, durationSec: number, blockSec: number) => ({
    ...limit(name, points, durationSec),
    blockSec: r.int(`${name}_BLOCK_SECONDS`, blockSec, 1, 86_400),
  });
  const trustProxy = r.bool('TRUST_PROXY', nodeEnv === 'production');

  const ipv4 = (name: string, fallback: string | null): string | null => {
    const value = r.raw(name) ?? fallback;
    if (value !== null && !/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(value)) {
      r.problems.push(`${name} debe ser una dirección IPv4 (a.b.c.d)`);
      return fallback;
    }
    return value;
  };
  const radiusDbRaw = r.raw('RADIUS_DATABASE_URL');
  // FreeRADIUS (libpq) reads TLS from the URL's sslmode, which parseDatabaseUrl takes out for pg.
  const withSslmode = (raw: string, ssl: boolean): string => {
    const url = raw.replace(/^postgres(ql)?\+[a-z0-9]+:\/\//i, 'postgresql://');
    if (!ssl || /[?&]sslmode=/.test(url)) return url;
    return `${url}${url.includes('?') ? '&' : '?'}sslmode=require`;
  };
  let radiusDatabaseUrl = dbRaw && database.url ? withSslmode(dbRaw, database.ssl !== null) : '';
  if (radiusDbRaw) {
    const parsed = parseDatabaseUrl(radiusDbRaw, false);
    if (!parsed) r.problems.push('RADIUS_DATABASE_URL no es una URL de PostgreSQL válida');
    else radiusDatabaseUrl = withSslmode(radiusDbRaw, false);
  }

  const config: Config = {
    nodeEnv,
    appName: r.string('APP_NAME', 'Pagos Hotspot API'),
    debug: r.bool('DEBUG', false),
    logLevel: r.oneOf('LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    port,
    publicBaseUrl: r.url('PUBLIC_BASE_URL', `http://localhost:${port}`, ['http:', 'https:']),
    trustProxy,
    trustProxyHops: r.int('TRUST_PROXY_HOPS', trustProxy ? 1 : 0, trustProxy ? 1 : 0, 10),
    database,
    redis: {
      url: r.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
      // Heroku Redis serves TLS with a self-signed certificate.
      tlsRejectUnauthorized: r.bool('REDIS_TLS_REJECT_UNAUTHORIZED', false),
      commandTimeoutMs: r.int('REDIS_COMMAND_TIMEOUT_MS', 2000, 50, 60_000),
      keyPrefix,
      queuePrefix: `${keyPrefix}${QUEUE_PREFIX}`,
    },
    jwt: {
      apiKeySecret,
      sessionSecret,
      algorithm: r.oneOf<JwtAlgorithm>('JWT_ALGORITHM', 'HS256', ['HS256', 'HS384', 'HS512']),
      apiKeyExpireDays: r.int('JWT_APIKEY_EXPIRE_DAYS', 365, 1, 3650),
      sessionExpireHours: r.int('JWT_SESSION_EXPIRE_HOURS', 24, 1, 24 * 30),
    },
    secretKey: r.required('SECRET_KEY'),
    metricsToken: r.raw('METRICS_TOKEN') ?? null,
    bcryptRounds: r.int('BCRYPT_ROUNDS', 12, 4, 15),
    corsOrigins,
    superAdmin: { email: r.required('SUPER_ADMIN_INITIAL_EMAIL'), password: r.required('SUPER_ADMIN_INITIAL_PASSWORD') },
    conekta: {
      apiUrl: r.url('CONEKTA_API_URL', 'https://api.conekta.io', ['http:', 'https:']),
      defaultPrivateKey: r.string('CONEKTA_DEFAULT_PRIVATE_KEY', ''),
      defaultPublicKey: r.string('CONEKTA_DEFAULT_PUBLIC_KEY', ''),
    },
    mercadoPago: { apiUrl: r.url('MERCADOPAGO_API_URL', 'https://api.mercadopago.com', ['http:', 'https:']) },
    telegram: { apiUrl: r.url('TELEGRAM_API_URL', 'https://api.telegram.org', ['http:', 'https:']) },
    encryptionKey,
    encryptionKeyPrevious,
    http: {
      bodyLimit: r.string('HTTP_BODY_LIMIT', '100kb'),
      requestTimeoutMs: r.int('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1000, 600_000),
      shutdownDrainMs: r.int('SHUTDOWN_DRAIN_MS', 1000, 0, 20_000),
      validateResponses: r.bool('HTTP_VALIDATE_RESPONSES', nodeEnv === 'test'),
    },
    mikrotik: {
      connectTimeoutMs: r.int('MIKROTIK_CONNECT_TIMEOUT_MS', 5000, 100, 120_000),
      commandTimeoutMs: r.int('MIKROTIK_COMMAND_TIMEOUT_MS', 10_000, 100, 120_000),
      maxConcurrentPerRouter: r.int('MIKROTIK_MAX_CONCURRENT_PER_ROUTER', 4, 1, 64),
      breakerThreshold: r.int('MIKROTIK_BREAKER_THRESHOLD', 3, 1, 100),
      breakerCooldownMs: r.int('MIKROTIK_BREAKER_COOLDOWN_MS', 30_000, 10, 3600_000),
      allowedNetworks: routerNetworks.networks,
    },
    payments: {
      gatewayTimeoutMs: r.int('GATEWAY_TIMEOUT_MS', 20_000, 100, 120_000),
      provisioningWaitMs: r.int('PROVISIONING_WAIT_MS', 8000, 0, 60_000),
      confirmationDeadlineMs: r.int('CHARGE_CONFIRMATION_DEADLINE_MS', 2 * 3600_000, 1000, 7 * 86_400_000),
      cashReferenceHours: r.int('CASH_REFERENCE_HOURS', 72, 1, 30 * 24),
      cashConfirmMarginMs: r.int('CASH_CONFIRM_MARGIN_MS', 6 * 3600_000, 0, 7 * 86_400_000),
      cashMaxOpenPerRouter: r.int('CASH_MAX_OPEN_PER_ROUTER', 50, 1, 100_000),
      cashMaxOpenPerDevice: r.int('CASH_MAX_OPEN_PER_DEVICE', 3, 1, 1000),
    },
    radius: {
      databaseUrl: radiusDatabaseUrl,
      authPort: r.int('RADIUS_AUTH_PORT', 1812, 1, 65535),
      acctPort: r.int('RADIUS_ACCT_PORT', 1813, 1, 65535),
      bind: ipv4('RADIUS_BIND', '0.0.0.0') ?? '0.0.0.0',
      publicAddress: ipv4('RADIUS_PUBLIC_ADDRESS', null),
      heartbeatUrl: r.url('RADIUS_HEARTBEAT_URL', r.raw('PUBLIC_BASE_URL') ?? `http://localhost:${port}`, ['http:', 'https:']),
    },
    fichas: {
      defaultLoginUrl: r.url('HOTSPOT_LOGIN_URL', 'http://10.5.50.1/login', ['http:', 'https:']),
      usageEveryMs: r.int('JOB_FICHAS_USAGE_EVERY_MS', 5 * 60_000, 100, 24 * 3600_000),
      maxPendientesPorEmpresa: r.int('FICHAS_MAX_PENDIENTES_POR_EMPRESA', 5000, 1, 1_000_000),
    },
    rateLimits: {
      loginPerEmailIp: limit('RATE_LIMIT_LOGIN_EMAIL_IP', 5, 15 * 60),
      loginPerIp: limit('RATE_LIMIT_LOGIN_IP', 50, 15 * 60),
      loginPerAccount: limit('RATE_LIMIT_LOGIN_ACCOUNT', 10, 15 * 60),
      portalPerKey: limit('RATE_LIMIT_PORTAL_KEY', 600, 60),
      paymentsPerRouter: limit('RATE_LIMIT_PAYMENTS_ROUTER', 60, 60),
      paymentsPerDevice: limit('RATE_LIMIT_PAYMENTS_DEVICE', 5, 10 * 60),
      paymentDeclinesPerRouter: blocking('RATE_LIMIT_DECLINES_ROUTER', 8, 10 * 60, 15 * 60),
      paymentDeclinesPerCard: blocking('RATE_LIMIT_DECLINES_CARD', 3, 60 * 60, 60 * 60),
      reconnectPerUser: limit('RATE_LIMIT_RECONNECT_USER', 10, 10 * 60),
      reconnectPerRouter: limit('RATE_LIMIT_RECONNECT_ROUTER', 120, 60),
      webhooksPerEmpresa: limit('RATE_LIMIT_WEBHOOKS', 600, 60),
    },
    webhooks: { toleranceSeconds: r.int('WEBHOOK_TOLERANCE_SECONDS', 300, 10, 86_400) },
    jobs: {
      usageFlushEveryMs: r.int('JOB_USAGE_FLUSH_EVERY_MS', 60_000, 100, 3600_000),
      reconcileEveryMs: r.int('JOB_RECONCILE_EVERY_MS', 60_000, 100, 3600_000),
      hotspotExpiryEveryMs: r.int('JOB_HOTSPOT_EXPIRY_EVERY_MS', 60_000, 100, 3600_000),
      pruebasEveryMs: r.int('JOB_PRUEBAS_EVERY_MS', 5 * 60_000, 100, 3600_000),
      radiusAccountingEveryMs: r.int('JOB_RADIUS_ACCOUNTING_EVERY_MS', 5000, 100, 3600_000),
      radiusInterimSeconds: r.int('RADIUS_INTERIM_SECONDS', 60, 10, 3600),
      keyExpiryCron: r.string('JOB_KEY_EXPIRY_CRON', '0 9 * * *'),
      backoffBaseMs: r.int('JOB_BACKOFF_BASE_MS', 2000, 1, 3600_000),
      backoffCapMs: r.int('JOB_BACKOFF_CAP_MS', 15 * 60_000, 1, 24 * 3600_000),
      // With a 15 min cap, 25 attempts keep trying an offline router for about 5 hours.
      provisionAttempts: r.int('JOB_PROVISION_ATTEMPTS', 25, 1, 1000),
      confirmAttempts: r.int('JOB_CONFIRM_ATTEMPTS', 30, 1, 1000),
      staleAfterMs: r.int('JOB_STALE_AFTER_MS', 120_000, 100, 86_400_000),
      hotspotConcurrency: r.int('WORKER_HOTSPOT_CONCURRENCY', 64, 1, 1000),
      paymentsConcurrency: r.int('WORKER_PAYMENTS_CONCURRENCY', 16, 1, 1000),
      lockDurationMs: r.int('WORKER_LOCK_DURATION_MS', 30_000, 1000, 600_000),
      enqueueTimeoutMs: r.int('JOB_ENQUEUE_TIMEOUT_MS', 2000, 50, 60_000),
      fichasConcurrency: r.int('WORKER_FICHAS_CONCURRENCY', 8, 1, 1000),
      fichasPerEmpresa: r.int('WORKER_FICHAS_PER_EMPRESA', 2, 1, 1000),
      fichasPerRouter: r.int('WORKER_FICHAS_PER_ROUTER', 2, 1, 64),
      schedulesCheckEveryMs: r.int('JOB_SCHEDULES_CHECK_EVERY_MS', 15_000, 100, 3600_000),
    },
  };

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/**
 * For entry points: load the config or print one line naming every problem and exit.
 * No stack trace: a misconfiguration is an operator's mistake, not a crash.
 */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

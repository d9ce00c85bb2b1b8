/**
 * The environment every test process uses: one PostgreSQL database and one
 * Redis db, shared by every test file of a run; each file works in its own
 * PostgreSQL schema and under its own Redis key prefix (test/support/scope.ts),
 * which `TEST_ENV` carries as DATABASE_SCHEMA and REDIS_KEY_PREFIX while that
 * file runs, so files can run in parallel (`mocha --parallel`).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/pagos_hotspot_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

export const TEST_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  DATABASE_URL: TEST_DATABASE_URL,
  DATABASE_POOL_SIZE: '10',
  REDIS_URL: TEST_REDIS_URL,
  JWT_APIKEY_SECRET: 'test-apikey-secret-0123456789abcdef0123456789',
  JWT_SESSION_SECRET: 'test-session-secret-0123456789abcdef01234567',
  SECRET_KEY: 'test-secret-key',
  SUPER_ADMIN_INITIAL_EMAIL: 'root@pagos.test',
  SUPER_ADMIN_INITIAL_PASSWORD: 'RootPassw0rd!',
  BCRYPT_ROUNDS: '4',
  // A fixed Fernet key: tests read back what they stored.
  ENCRYPTION_KEY_MERCADO_PAGO: 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=',
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  PUBLIC_BASE_URL: 'http://pagos.test',
  MIKROTIK_CONNECT_TIMEOUT_MS: '1000',
  // The RouterOS simulator listens on loopback (issue 21.8: refused unless allowed).
  ROUTER_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
  MIKROTIK_COMMAND_TIMEOUT_MS: '2000',
  GATEWAY_TIMEOUT_MS: '2000',
  PROVISIONING_WAIT_MS: '3000',
  // No test reaches the real gateways or Telegram: a test that needs one starts its sandbox and
  // overrides these; anything else gets a refused connection on this machine (port 9, discard).
  CONEKTA_API_URL: 'http://127.0.0.1:9',
  MERCADOPAGO_API_URL: 'http://127.0.0.1:9',
  TELEGRAM_API_URL: 'http://127.0.0.1:9',
};

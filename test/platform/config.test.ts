import { expect } from 'chai';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError, loadConfig, parseDatabaseUrl } from '../../src/platform/config';
import { TEST_ENV } from '../support/env';

const ROOT = path.resolve(__dirname, '../..');
/** tsx's loader, by path: the server runs in an empty folder, where `--import tsx` would not resolve. */
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;

/** Runs the real web entry point as `npm start` does (node --import tsx: one process, not the tsx CLI's two) in an empty folder with exactly `env`. */
function runServer(env: Record<string, string>, dotenv?: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'pagos-config-'));
  if (dotenv) fs.writeFileSync(path.join(cwd, '.env'), dotenv);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(ROOT, 'src/server.ts')], {
      cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(cwd, { recursive: true, force: true });
      resolve({ code, stderr, stdout });
    });
  });
}

const without = (...names: string[]) => Object.fromEntries(Object.entries(TEST_ENV).filter(([k]) => !names.includes(k)));

/**
 * The five refusals below each start the real server (about 2 s of loading
 * TypeScript): they are started together, before the tests, and each test
 * reads its own process's outcome.
 */
const REFUSALS = {
  missing: () => runServer(without('DATABASE_URL', 'JWT_SESSION_SECRET', 'SUPER_ADMIN_INITIAL_PASSWORD')),
  sameSecrets: () => runServer({ ...TEST_ENV, JWT_SESSION_SECRET: TEST_ENV.JWT_APIKEY_SECRET! }),
  malformed: () => runServer({ ...TEST_ENV, DATABASE_POOL_SIZE: 'veinte', REDIS_URL: 'http://nope', PORT: '70000' }),
  productionKey: () => runServer({ ...without('ENCRYPTION_KEY_MERCADO_PAGO'), NODE_ENV: 'production' }),
  // .env supplies the missing secret; the environment's bad PORT still wins and is reported.
  dotenv: () => runServer({ ...without('SECRET_KEY'), PORT: 'x' }, `SECRET_KEY=from-dotenv\nPORT=8123\n`),
};
type Outcome = Awaited<ReturnType<typeof runServer>>;

describe('configuration', () => {
  let outcomes: Record<keyof typeof REFUSALS, Promise<Outcome>>;
  before(() => {
    outcomes = Object.fromEntries(Object.entries(REFUSALS).map(([name, run]) => [name, run()])) as typeof outcomes;
  });

  describe('the real entry point refuses to start', () => {
    it('names every missing required variable in one line, without a stack trace', async () => {
      const { code, stderr } = await outcomes.missing;
      expect(code).to.equal(1);
      expect(stderr.trim().split('\n')).to.have.length(1);
      expect(stderr).to.include('DATABASE_URL').and.include('JWT_SESSION_SECRET').and.include('SUPER_ADMIN_INITIAL_PASSWORD');
      expect(stderr).not.to.match(/\bat .*\.ts:\d+/);
    });

    it('refuses identical API key and session secrets', async () => {
      const { code, stderr } = await outcomes.sameSecrets;
      expect(code).to.equal(1);
      expect(stderr).to.include('JWT_APIKEY_SECRET y JWT_SESSION_SECRET deben ser distintos');
    });

    it('names a malformed number and a malformed URL', async () => {
      const { code, stderr } = await outcomes.malformed;
      expect(code).to.equal(1);
      expect(stderr).to.include('DATABASE_POOL_SIZE').and.include('REDIS_URL').and.include('PORT');
    });

    it('refuses to run in production without an encryption key', async () => {
      const { code, stderr } = await outcomes.productionKey;
      expect(code).to.equal(1);
      expect(stderr).to.include('ENCRYPTION_KEY_MERCADO_PAGO');
    });
  });

  it('reads .env under the real environment, which wins', async () => {
    const { code, stderr } = await outcomes.dotenv;
    expect(code).to.equal(1);
    expect(stderr).to.include('PORT').and.not.include('SECRET_KEY');
  });

  it('has the original defaults', () => {
    const config = loadConfig({ ...TEST_ENV, DATABASE_POOL_SIZE: '', BCRYPT_ROUNDS: '', NODE_ENV: 'development', CONEKTA_API_URL: '', MERCADOPAGO_API_URL: '' });
    expect(config.database.poolSize).to.equal(20);
    expect(config.bcryptRounds).to.equal(12);
    expect(config.jwt).to.include({ algorithm: 'HS256', apiKeyExpireDays: 365, sessionExpireHours: 24 });
    expect(config.conekta.apiUrl).to.equal('https://api.conekta.io');
    expect(config.mercadoPago.apiUrl).to.equal('https://api.mercadopago.com');
    expect(config.appName).to.equal('Pagos Hotspot API');
  });

  it('accepts the original asyncpg URL, TLS PostgreSQL and rediss://', () => {
    expect(parseDatabaseUrl('postgresql+asyncpg://u:p@db:5432/pagos', false)).to.deep.equal({ url: 'postgresql://u:p@db:5432/pagos', ssl: null });
    expect(parseDatabaseUrl('postgres://u:p@db/pagos?sslmode=require', false)?.ssl).to.deep.equal({ rejectUnauthorized: false });
    expect(parseDatabaseUrl('postgres://u:p@db/pagos?sslmode=verify-full', false)?.ssl).to.deep.equal({ rejectUnauthorized: true });
    expect(parseDatabaseUrl('postgres://u:p@db/pagos', true)?.ssl).to.deep.equal({ rejectUnauthorized: false });
    const config = loadConfig({ ...TEST_ENV, REDIS_URL: 'rediss://:pw@redis.example:6380' });
    expect(config.redis.url).to.equal('rediss://:pw@redis.example:6380');
  });

  it('parses CORS origins as a comma list or a JSON array', () => {
    expect(loadConfig({ ...TEST_ENV, BACKEND_CORS_ORIGINS: 'https://a.mx, https://b.mx' }).corsOrigins).to.deep.equal(['https://a.mx', 'https://b.mx']);
    expect(loadConfig({ ...TEST_ENV, BACKEND_CORS_ORIGINS: '["https://a.mx"]' }).corsOrigins).to.deep.equal(['https://a.mx']);
    expect(() => loadConfig({ ...TEST_ENV, BACKEND_CORS_ORIGINS: '[1,2' })).to.throw(ConfigError, /BACKEND_CORS_ORIGINS/);
  });
});

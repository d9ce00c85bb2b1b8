/**
 * The `radius` process (Procfile, src/radius.ts): FreeRADIUS in the foreground
 * on the configuration rendered from the environment, serving this file's
 * tables; SIGTERM is passed on and the process exits 0. And the RADIUS_*
 * settings it reads.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../../src/platform/config';
import { radiusSchemaFor } from '../../../src/platform/db/radius-schema';
import { TEST_ENV } from '../../support/env';
import { adminKnex, currentScope } from '../../support/scope';
import { accessRequest } from '../../support/radius-packet';

const ROOT = path.resolve(__dirname, '../../..');

async function freeUdpPorts(): Promise<[number, number]> {
  const sockets = await Promise.all([0, 1].map(() => new Promise<dgram.Socket>((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = sockets.map((s) => s.address().port) as [number, number];
  await Promise.all(sockets.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  return ports;
}

describe('RADIUS settings', () => {
  it('defaults to 1812/1813 on 0.0.0.0 with DATABASE_URL; a bad address or port is named at start', () => {
    const config = loadConfig({ ...TEST_ENV });
    expect(config.radius).to.deep.include({ authPort: 1812, acctPort: 1813, bind: '0.0.0.0', publicAddress: null, heartbeatUrl: 'http://pagos.test' });
    expect(config.radius.databaseUrl).to.equal(TEST_ENV.DATABASE_URL);
    const own = loadConfig({
      ...TEST_ENV, RADIUS_DATABASE_URL: 'postgresql://freeradius:pw@db:5432/pagos', RADIUS_PUBLIC_ADDRESS: '203.0.113.10',
      RADIUS_HEARTBEAT_URL: 'https://ipv4.pagos.test', DATABASE_SSL: 'true',
    });
    expect(own.radius).to.deep.include({ databaseUrl: 'postgresql://freeradius:pw@db:5432/pagos', publicAddress: '203.0.113.10', heartbeatUrl: 'https://ipv4.pagos.test' });
    // DATABASE_SSL reaches FreeRADIUS as libpq's sslmode when it shares DATABASE_URL.
    expect(loadConfig({ ...TEST_ENV, DATABASE_SSL: 'true' }).radius.databaseUrl).to.match(/sslmode=require$/);
    expect(() => loadConfig({ ...TEST_ENV, RADIUS_BIND: '::', RADIUS_AUTH_PORT: '70000', RADIUS_PUBLIC_ADDRESS: 'radius.example.com' }))
      .to.throw(ConfigError, /RADIUS_AUTH_PORT.*RADIUS_BIND.*RADIUS_PUBLIC_ADDRESS/);
  });
});

describe('the radius process (Procfile)', function () {
  this.timeout(120_000);

  it('serves this schema\'s users on the configured ports, and exits 0 on SIGTERM', async () => {
    const schema = radiusSchemaFor(currentScope().schema);
    const db = adminKnex(TEST_ENV.DATABASE_URL);
    try {
      await db.withSchema(schema).table('nas').insert({ nasname: '127.0.0.61', shortname: 'RTR_0000AA61', secret: 'secreto-proceso' });
      await db.withSchema(schema).table('radcheck').insert({ username: 'RTR_0000AA61:pepe', attribute: 'Cleartext-Password', op: ':=', value: 'clave-pepe' });
    } finally {
      await db.destroy();
    }
    const [auth, acct] = await freeUdpPorts();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/radius.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '', ...TEST_ENV, DATABASE_SCHEMA: currentScope().schema,
        RADIUS_BIND: '127.0.0.1', RADIUS_AUTH_PORT: String(auth), RADIUS_ACCT_PORT: String(acct),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const started = Date.now();
      while (!/Ready to process requests/.test(output)) {
        if (child.exitCode !== null || Date.now() - started > 90_000) throw new Error(`radius did not start:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const reply = await accessRequest({ port: auth, secret: 'secreto-proceso', from: '127.0.0.61', user: 'pepe', password: 'clave-pepe', chap: true });
      expect(reply?.code).to.equal('Access-Accept');
      child.kill('SIGTERM');
      expect(await exited).to.equal(0);
      expect(output).to.match(/Exiting normally/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

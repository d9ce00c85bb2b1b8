/**
 * FreeRADIUS with the project's configuration (issue 22, item 2), on this file's
 * own tables: users keyed "<router id>:<user>", routers recognised by source
 * address and secret (dynamic clients from nas, Message-Authenticator required),
 * no password in radpostauth, counters prefixed by the router.
 */
import { expect } from 'chai';
import { startRadius, type RadiusServer } from '../../support/radius';
import { libpqConnectionString, radiusEnvironment, renderQueries } from '../../../src/integrations/radius/config';

describe('FreeRADIUS configuration rendering', () => {
  it('puts the database password in PGPASSWORD, never in the configuration (FreeRADIUS logs radius_db)', () => {
    const url = 'postgresql://radius_ro:S3cr3t%27pw@db.example.com:5433/pagos?sslmode=require';
    const conninfo = libpqConnectionString(url, 'radius');
    expect(conninfo).to.equal("host='db.example.com' port='5433' dbname='pagos' user='radius_ro' sslmode='require' application_name='freeradius' options='-c search_path=radius'");
    expect(conninfo).not.to.contain('S3cr3t');
    expect(radiusEnvironment(url, { PATH: '/bin', PGPASSWORD: 'old' })).to.deep.equal({ PATH: '/bin', PGPASSWORD: "S3cr3t'pw" });
    expect(radiusEnvironment('postgresql://postgres@127.0.0.1/x', { PGPASSWORD: 'old' })).to.deep.equal({});
    expect(() => libpqConnectionString(url, 'radius; drop')).to.throw(/identifier/);
  });

  it('refuses to render when the stock post-auth query is not the one it knows how to fix', () => {
    expect(() => renderQueries('sql_user_name = "%{User-Name}"\nevent_timestamp_epoch = "x"\n')).to.throw(/post-auth/);
  });
});

describe('FreeRADIUS engine: our configuration on a real server', () => {
  let radius: RadiusServer;
  const A = { routerId: 'RTR_0000000A', address: '127.0.0.21', secret: 'secreto-a-0123456789' };
  const B = { routerId: 'RTR_0000000B', address: '127.0.0.22', secret: 'secreto-b-0123456789' };
  const user = async (routerId: string, name: string, password: string, extra: Array<[string, string, string]> = []) => {
    await radius.db.withSchema(radius.schema).table('radcheck').insert([
      { username: `${routerId}:${name}`, attribute: 'Cleartext-Password', op: ':=', value: password },
      ...extra.map(([attribute, op, value]) => ({ username: `${routerId}:${name}`, attribute, op, value })),
    ]);
  };

  before(async () => {
    radius = await startRadius();
    await radius.addClient(A);
    await radius.addClient(B);
    await user(A.routerId, 'ana', 'clave-ana');
    await radius.db.withSchema(radius.schema).table('radreply').insert({ username: `${A.routerId}:ana`, attribute: 'Session-Timeout', op: ':=', value: '3600' });
  });
  after(async () => {
    await radius?.close();
  });

  it('accepts a user row written by hand with PAP and with CHAP, with its reply attributes', async () => {
    for (const chap of [false, true]) {
      const reply = await radius.auth({ from: A.address, secret: A.secret, user: 'ana', password: 'clave-ana', chap });
      expect(reply?.code, `chap=${chap}`).to.equal('Access-Accept');
      expect(reply?.get('Session-Timeout')).to.equal(3600);
    }
  });

  it('rejects a wrong password, PAP and CHAP', async () => {
    for (const chap of [false, true]) {
      const reply = await radius.auth({ from: A.address, secret: A.secret, user: 'ana', password: 'otra', chap });
      expect(reply?.code, `chap=${chap}`).to.equal('Access-Reject');
    }
  });

  it('gives no answer to a wrong secret or to an address no router holds', async () => {
    expect(await radius.auth({ from: A.address, secret: 'no-es-el-secreto', user: 'ana', password: 'clave-ana' })).to.equal(null);
    expect(await radius.auth({ from: '127.0.0.29', secret: A.secret, user: 'ana', password: 'clave-ana' })).to.equal(null);
    // The right secret still works right after (the bad packets did not poison the client).
    expect((await radius.auth({ from: A.address, secret: A.secret, user: 'ana', password: 'clave-ana' }))?.code).to.equal('Access-Accept');
  });

  it("refuses one router's user on another router (the key is the client, not the packet)", async () => {
    const reply = await radius.auth({ from: B.address, secret: B.secret, user: 'ana', password: 'clave-ana', chap: true });
    expect(reply?.code).to.equal('Access-Reject');
  });

  it('never writes a password into radpostauth, right or wrong', async () => {
    await radius.auth({ from: A.address, secret: A.secret, user: 'ana', password: 'clave-ana' });
    await radius.auth({ from: A.address, secret: A.secret, user: 'ana', password: 'clave-equivocada' });
    const rows = (await radius.db.withSchema(radius.schema).table('radpostauth').select('username', 'pass', 'reply')) as Array<{ username: string; pass: string | null; reply: string }>;
    expect(rows.length).to.be.greaterThan(0);
    expect(rows.map((r) => r.reply)).to.include.members(['Access-Accept', 'Access-Reject']);
    for (const row of rows) {
      expect(row.pass).to.equal(null);
      expect(row.username).to.match(/^RTR_0000000[AB]:/);
    }
    const dump = JSON.stringify(rows);
    expect(dump).not.to.contain('clave-ana');
    expect(dump).not.to.contain('clave-equivocada');
  });

  it('disables with Auth-Type := Reject and refuses a past Expiration', async () => {
    await user(A.routerId, 'bloqueado', 'pw-b', [['Auth-Type', ':=', 'Reject']]);
    await user(A.routerId, 'vencido', 'pw-v', [['Expiration', ':=', 'Jan 01 2020 00:00:00']]);
    expect((await radius.auth({ from: A.address, secret: A.secret, user: 'bloqueado', password: 'pw-b' }))?.code).to.equal('Access-Reject');
    expect((await radius.auth({ from: A.address, secret: A.secret, user: 'vencido', password: 'pw-v' }))?.code).to.equal('Access-Reject');
  });

  it('writes accounting keyed by router and counts Max-All-Session against it', async () => {
    await user(A.routerId, 'ficha1h', 'pw-f', [['Max-All-Session', ':=', '3600']]);
    const before = await radius.auth({ from: A.address, secret: A.secret, user: 'ficha1h', password: 'pw-f', chap: true });
    expect(before?.code).to.equal('Access-Accept');
    expect(before?.get('Session-Timeout')).to.equal(3600);

    const session = { from: A.address, secret: A.secret, user: 'ficha1h', sessionId: 'sess-1' };
    expect((await radius.acct({ ...session, status: 'Start' }))?.code).to.equal('Accounting-Response');
    expect((await radius.acct({ ...session, status: 'Interim-Update', attributes: { 'Acct-Session-Time': 600 } }))?.code).to.equal('Accounting-Response');
    const rows = (await radius.db.withSchema(radius.schema).table('radacct').select('username', 'acctsessiontime')) as Array<{ username: string; acctsessiontime: number }>;
    expect(rows).to.deep.equal([{ username: `${A.routerId}:ficha1h`, acctsessiontime: 600 }]);

    const after = await radius.auth({ from: A.address, secret: A.secret, user: 'ficha1h', password: 'pw-f', chap: true });
    expect(after?.get('Session-Timeout')).to.equal(3000);
    // The same session id from another router is another row (acct_unique includes the client).
    expect((await radius.acct({ ...session, from: B.address, secret: B.secret, status: 'Start' }))?.code).to.equal('Accounting-Response');
    expect(await radius.db.withSchema(radius.schema).table('radacct').count({ n: '*' }).first()).to.deep.equal({ n: 2 });

    await radius.acct({ ...session, status: 'Stop', attributes: { 'Acct-Session-Time': 3600 } });
    expect((await radius.auth({ from: A.address, secret: A.secret, user: 'ficha1h', password: 'pw-f' }))?.code).to.equal('Access-Reject');
  });

  it('serves a nas row added while it runs, without a restart', async () => {
    const C = { routerId: 'RTR_0000000C', address: '127.0.0.23', secret: 'secreto-c-0123456789' };
    await user(C.routerId, 'caro', 'pw-c');
    expect(await radius.auth({ from: C.address, secret: C.secret, user: 'caro', password: 'pw-c' })).to.equal(null);
    await radius.addClient(C);
    expect((await radius.auth({ from: C.address, secret: C.secret, user: 'caro', password: 'pw-c' }))?.code).to.equal('Access-Accept');
  });
});

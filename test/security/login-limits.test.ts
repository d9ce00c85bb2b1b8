/**
 * Findings 1 and 10 of issue 14, replayed against a production-like app
 * (NODE_ENV=production: the proxy is trusted, one hop by default) on the real
 * PostgreSQL and Redis.
 */
import bcrypt from 'bcrypt';
import { expect } from 'chai';
import sinon from 'sinon';
import { insertEmpresa, insertUsuario } from '../support/fixtures';
import { startTestApp, type TestContext } from '../support/harness';

const PRODUCTION = { NODE_ENV: 'production', SUPER_ADMIN_INITIAL_PASSWORD: 'Initial-Prod-Pass-9431' };
/** A company admin whose password is hashed at the app's configured cost. */
async function adminOf(t: TestContext) {
  const empresa = await insertEmpresa(t.container);
  return insertUsuario(t.container, { empresa_id: empresa.id });
}
const login = (t: TestContext, email: string, password: string, forwardedFor: string) =>
  t.request.post('/api/v1/auth/login').set('X-Forwarded-For', forwardedFor).send({ email, password });

describe('security: client address and login limits (issue 14, findings 1 and 10)', function () {
  this.timeout(60_000);

  describe('behind one trusted proxy', () => {
    let t: TestContext;
    before(async () => { t = await startTestApp(PRODUCTION); });
    after(() => t.close());

    it('a forwarded address written by the client does not reset the limit: the proxy-appended one counts', async () => {
      const user = await adminOf(t);
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        // The attacker writes a new address each time; our proxy appends the real one (203.0.113.7).
        statuses.push((await login(t, user.email, 'wrong-password', `198.51.100.${i + 1}, 203.0.113.7`)).status);
      }
      expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      expect(statuses.slice(5).every((s) => s === 429), statuses.join(',')).to.equal(true);
      const refused = await login(t, user.email, user.password, '198.51.100.200, 203.0.113.7');
      expect(refused.status).to.equal(429);
      expect(refused.headers['retry-after']).to.match(/^\d+$/);
      expect(refused.body.detail).to.match(/^Demasiados intentos de inicio de sesión/);
    });

    it("an attacker cannot lock a victim's address out by writing it into X-Forwarded-For", async () => {
      const victim = await adminOf(t);
      for (let i = 0; i < 6; i++) await login(t, victim.email, 'wrong-password', `192.0.2.44, 203.0.113.66`);
      // The victim, really at 192.0.2.44, still logs in.
      const res = await login(t, victim.email, victim.password, '192.0.2.44');
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('guesses spread over many real addresses are limited per account', async () => {
      const user = await adminOf(t);
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) statuses.push((await login(t, user.email, 'wrong-password', `203.0.113.${100 + i}`)).status);
      expect(statuses.slice(0, 10).every((s) => s === 401), statuses.join(',')).to.equal(true);
      expect(statuses.slice(10)).to.deep.equal([429, 429, 429, 429]);
    });
  });

  describe('parallel guesses and timing (real bcrypt cost)', () => {
    let t: TestContext;
    before(async () => { t = await startTestApp({ ...PRODUCTION, BCRYPT_ROUNDS: '10' }); });
    after(() => t.close());

    it('twenty parallel wrong passwords: no more than the limit (5) are evaluated, the rest are 429', async () => {
      const user = await adminOf(t);
      await t.container.knex('usuarios').where({ id: user.id }).update({ password_hash: await t.container.passwords.hash('ClientePass456!') });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(t, user.email, `wrong-${i}`, '203.0.113.9')));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401).length, statuses.join(',')).to.be.at.most(5);
      expect(statuses.filter((s) => s === 429).length).to.be.at.least(15);
      expect(statuses.every((s) => s === 401 || s === 429)).to.equal(true);
      // A success gives its attempt back: the right password after 4 failures from elsewhere still works and leaves room.
      const other = await adminOf(t);
      for (let i = 0; i < 4; i++) await login(t, other.email, 'wrong', '203.0.113.10');
      expect((await login(t, other.email, other.password, '203.0.113.10')).status).to.equal(200);
      expect((await login(t, other.email, other.password, '203.0.113.10')).status).to.equal(200);
    });
  });

  describe('login timing', () => {
    let t: TestContext;
    // A cost apart from the tests' default (4), so the dummy hash's cost is seen to follow the setting.
    before(async () => { t = await startTestApp({ ...PRODUCTION, BCRYPT_ROUNDS: '6', RATE_LIMIT_LOGIN_EMAIL_IP_POINTS: '100', RATE_LIMIT_LOGIN_ACCOUNT_POINTS: '100' }); });
    after(() => t.close());

    /** The bcrypt comparisons one failed login made, as the cost of the hash each compared against. */
    async function comparisons(email: string, password: string): Promise<number[]> {
      const compare = sinon.spy(bcrypt, 'compare');
      try {
        const res = await login(t, email, password, '203.0.113.11');
        expect(res.status).to.equal(401);
        return compare.getCalls().map((call) => Number(String(call.args[1]).split('$')[2]));
      } finally {
        compare.restore();
      }
    }

    it('an unknown email costs what a wrong password costs: one bcrypt comparison at the configured cost (the dummy hash)', async () => {
      const user = await adminOf(t);
      await t.container.knex('usuarios').where({ id: user.id }).update({ password_hash: await t.container.passwords.hash('ClientePass456!') });
      // Before the fix an unknown email skipped bcrypt (no comparison: about 0.3 of the time); speed itself is bench/'s.
      expect(await comparisons(user.email, 'wrong-1')).to.deep.equal([6]);
      expect(await comparisons('nobody1@nobody.test', 'wrong-1')).to.deep.equal([6]);
      expect(await comparisons('nobody2@nobody.test', 'wrong-2')).to.deep.equal([6]);
    });
  });
});

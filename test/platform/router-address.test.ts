/**
 * Issue 21.8: the one rule for router addresses, as a unit (the HTTP and dial
 * paths are in test/routers/router-addresses.test.ts).
 */
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../src/platform/config';
import { createRouterAddressPolicy, RouterAddressRefused } from '../../src/platform/router-address';
import { TEST_ENV } from '../support/env';

describe('router addresses (issue 21.8)', () => {
  const none = createRouterAddressPolicy([]);

  it('refuses loopback, private, shared, link-local, metadata and special ranges, in every spelling; public addresses pass', () => {
    for (const ip of ['127.0.0.1', '127.255.0.9', '0.0.0.0', '10.0.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254',
      '100.100.100.200', '224.0.0.1', '255.255.255.255', '::', '::1', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::FFFF:10.1.1.1']) {
      expect(none.refusal(ip), ip).to.be.a('string').and.contain('no está permitida');
    }
    for (const ip of ['8.8.8.8', '187.141.12.5', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(none.refusal(ip), ip).to.equal(null);
    }
  });

  it('ROUTER_ALLOWED_NETWORKS opens exactly the listed networks', () => {
    const vpn = createRouterAddressPolicy(['10.77.0.0/16', 'fd12:3456::/32']);
    expect(vpn.refusal('10.77.200.1')).to.equal(null);
    expect(vpn.refusal('::ffff:10.77.0.1')).to.equal(null);
    expect(vpn.refusal('fd12:3456::9')).to.equal(null);
    expect(vpn.refusal('10.78.0.1')).to.be.a('string');
    expect(vpn.refusal('127.0.0.1')).to.be.a('string');
  });

  it('a name is checked by what it resolves to; a host-less (RADIUS) router passes; a name that does not resolve is left to the dial', async () => {
    expect(await none.check('localhost')).to.contain('apunta a');
    await none.resolve('localhost').then(() => expect.fail('resolved'), (error) => expect(error).to.be.instanceOf(RouterAddressRefused));
    expect(await none.check(null)).to.equal(null);
    expect(await none.check(undefined)).to.equal(null);
    expect(await none.check('no-existe.invalid')).to.equal(null);
    expect(await createRouterAddressPolicy(['127.0.0.0/8', '::1/128']).resolve('localhost')).to.match(/^(127\.|::1$)/);
  });

  it('config: ROUTER_ALLOWED_NETWORKS is read once and a malformed entry refuses to start', () => {
    expect(loadConfig({ ...TEST_ENV, ROUTER_ALLOWED_NETWORKS: ' 10.77.0.0/16 , ::1/128' }).mikrotik.allowedNetworks).to.deep.equal(['10.77.0.0/16', '::1/128']);
    expect(loadConfig({ ...TEST_ENV, ROUTER_ALLOWED_NETWORKS: '' }).mikrotik.allowedNetworks).to.deep.equal([]);
    for (const bad of ['10.77.0.0', '10.77.0.0/33', 'vpn/16', '10.0.0.0/8/1']) {
      expect(() => loadConfig({ ...TEST_ENV, ROUTER_ALLOWED_NETWORKS: bad }), bad).to.throw(ConfigError, /ROUTER_ALLOWED_NETWORKS/);
    }
  });
});

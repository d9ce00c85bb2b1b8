/**
 * Which addresses a router may have (issue 21.8). A router's host is typed by
 * an admin and dialled by the service, so without a rule it could point the
 * RouterOS client at the server's own network (loopback, the VPC, the cloud's
 * metadata service) and tell open ports from closed ones, or send the stored
 * router password there. Loopback, private, shared (CGNAT), link-local,
 * metadata and other special-purpose ranges are refused unless the operator
 * lists them in ROUTER_ALLOWED_NETWORKS (comma-separated CIDRs, e.g. a VPN's
 * `10.77.0.0/16`). The one rule for both moments: when the host is saved (422)
 * and when it is dialled (the resolved address is checked again: a DNS name
 * may point elsewhere by then). A router without a host (RADIUS mode) passes:
 * nothing dials it.
 */
import dns from 'node:dns/promises';
import net from 'node:net';

/** Ranges no router may be in unless allowed explicitly. */
const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 reaches the local host
  ['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], // private (RFC 1918)
  ['100.64.0.0', 10], // shared address space (CGNAT, also many VPN overlays)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], // special purpose, benchmarking, documentation
  ['100.100.100.200', 32], // Alibaba Cloud metadata
  ['224.0.0.0', 4], ['240.0.0.0', 4], // multicast, reserved and broadcast
];
const BLOCKED_V6: Array<[string, number]> = [
  ['::', 128], ['::1', 128], // unspecified, loopback
  ['fc00::', 7], // unique local (also AWS's fd00:ec2::254 metadata)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
];

export const ROUTER_ADDRESS_CODE = 'router_address_refused' as const;

/** Parses ROUTER_ALLOWED_NETWORKS; returns the problems for config.ts to report. */
export function parseAllowedNetworks(raw: string | undefined): { networks: string[]; problems: string[] } {
  const networks: string[] = [];
  const problems: string[] = [];
  for (const item of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const [address, bits, extra] = item.split('/');
    const family = net.isIP(address ?? '');
    const prefix = Number(bits);
    if (extra !== undefined || !family || bits === undefined || !/^\d{1,3}$/.test(bits) || prefix > (family === 4 ? 32 : 128)) {
      problems.push(`ROUTER_ALLOWED_NETWORKS: '${item}' no es una red CIDR válida (ej. 10.77.0.0/16)`);
      continue;
    }
    networks.push(`${address}/${prefix}`);
  }
  return { networks, problems };
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (::ffff:127.0.0.1), else the address itself. */
function unmapped(address: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return m ? m[1]! : address;
}

export interface RouterAddressPolicy {
  /** null when this IP may be dialled; otherwise why not, in Spanish. */
  refusal(ip: string): string | null;
  /**
   * The address to dial for this host: an IP literal as is, a name resolved now.
   * Throws RouterAddressRefused when it (or any address the name resolves to) is not allowed.
   */
  resolve(host: string, timeoutMs?: number): Promise<string>;
  /** For writes: null host passes; an IP literal is checked; a name is checked if it resolves now (else at dial time). */
  check(host: string | null | undefined, timeoutMs?: number): Promise<string | null>;
  readonly allowedNetworks: readonly string[];
}

export class RouterAddressRefused extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'RouterAddressRefused';
  }
}

const refusalText = (host: string, ip: string) => (host === ip
  ? `La dirección ${ip} está en una red privada, local o reservada y no está permitida para routers. Use la IP pública o el nombre del router, o pida al operador que agregue su red a ROUTER_ALLOWED_NETWORKS.`
  : `El nombre ${host} apunta a ${ip}, una red privada, local o reservada no permitida para routers. Use la IP pública o el nombre del router, o pida al operador que agregue su red a ROUTER_ALLOWED_NETWORKS.`);

export function createRouterAddressPolicy(allowedNetworks: readonly string[]): RouterAddressPolicy {
  const blocked = new net.BlockList();
  for (const [address, prefix] of BLOCKED_V4) blocked.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of BLOCKED_V6) blocked.addSubnet(address, prefix, 'ipv6');
  const allowed = new net.BlockList();
  for (const cidr of allowedNetworks) {
    const [address, prefix] = cidr.split('/');
    allowed.addSubnet(address!, Number(prefix), net.isIP(address!) === 6 ? 'ipv6' : 'ipv4');
  }

  function refused(ip: string): boolean {
    const address = unmapped(ip);
    const family = net.isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (allowed.check(address, family)) return false;
    return blocked.check(address, family);
  }

  async function lookupAll(host: string, timeoutMs: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('DNS timeout')), timeoutMs); });
    try {
      const found = await Promise.race([dns.lookup(host, { all: true, verbatim: true }), timeout]);
      return found.map((a) => a.address);
    } finally {
      clearTimeout(timer);
    }
  }

  const policy: RouterAddressPolicy = {
    allowedNetworks,
    refusal(ip) {
      return refused(ip) ? refusalText(ip, ip) : null;
    },
    async resolve(host, timeoutMs = 3000) {
      if (net.isIP(host)) {
        if (refused(host)) throw new RouterAddressRefused(refusalText(host, host));
        return host;
      }
      const addresses = await lookupAll(host, timeoutMs);
      // Every address the name has must be allowed: the socket could pick any of them.
      const bad = addresses.find(refused);
      if (bad) throw new RouterAddressRefused(refusalText(host, unmapped(bad)));
      if (!addresses[0]) throw new Error(`${host} no tiene dirección`);
      return addresses[0];
    },
    async check(host, timeoutMs = 3000) {
      if (host === null || host === undefined || host === '') return null;
      try {
        await policy.resolve(host, timeoutMs);
        return null;
      } catch (error) {
        if (error instanceof RouterAddressRefused) return error.detail;
        return null; // does not resolve now: it is checked again when dialled
      }
    },
  };
  return policy;
}

/**
 * Standalone RouterOS API simulator:
 *
 *   npm run sim:routeros -- --port 8728 --version 7.18 --user admin --password secret \
 *     --profiles "1h:rate-limit=2M/2M,1d:shared-users=2"
 *
 * --tls serves API-SSL with a generated test certificate (or --cert/--key PEM
 * files); --tls-anonymous serves API-SSL without a certificate. A profile entry
 * is `name[:key=value...]` with RouterOS property names; a name that reads as a
 * time interval ("1h", "30m") also becomes its session-timeout.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startRouterOsSimulator, type RouterOsSimulatorOptions } from './server';
import type { SimProfileInput } from './state';
import { parseRouterDuration } from '../../shared/routeros-duration';

function parseProfiles(spec: string | undefined): SimProfileInput[] {
  if (!spec) return [];
  return spec.split(',').map((s) => s.trim()).filter(Boolean).map((entry) => {
    const [name, ...pairs] = entry.split(':');
    const profile: SimProfileInput = { name: name! };
    if (parseRouterDuration(name!) !== null) profile['session-timeout'] = name!;
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`invalid profile property "${pair}" (expected key=value)`);
      profile[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return profile;
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8728' },
      host: { type: 'string', default: '127.0.0.1' },
      tls: { type: 'boolean', default: false },
      'tls-anonymous': { type: 'boolean', default: false },
      cert: { type: 'string' },
      key: { type: 'string' },
      version: { type: 'string', default: '7.18' },
      'legacy-login': { type: 'boolean' },
      user: { type: 'string', default: 'admin' },
      password: { type: 'string', default: '' },
      identity: { type: 'string', default: 'MikroTik' },
      profiles: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  let tlsOption: RouterOsSimulatorOptions['tls'] = false;
  if (values.cert || values.key) {
    if (!values.cert || !values.key) throw new Error('--cert and --key go together');
    tlsOption = { cert: readFileSync(values.cert), key: readFileSync(values.key) };
  } else if (values['tls-anonymous']) tlsOption = 'anonymous';
  else if (values.tls) tlsOption = true;

  const sim = await startRouterOsSimulator({
    port,
    host: values.host,
    tls: tlsOption,
    version: values.version,
    legacyLogin: values['legacy-login'],
    username: values.user,
    password: values.password,
    identity: values.identity,
    profiles: parseProfiles(values.profiles),
  });
  const mode = tlsOption ? (tlsOption === 'anonymous' ? 'API-SSL, no certificate' : 'API-SSL') : 'API';
  const profiles = sim.state.profileList.map((p) => p.name).join(', ');
  console.log(`RouterOS simulator listening on ${sim.host}:${sim.port} (${mode}, RouterOS ${sim.version}, user "${sim.username}", profiles: ${profiles})`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`${signal}: closing RouterOS simulator`);
    sim.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

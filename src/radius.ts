/**
 * The `radius` process (Procfile): FreeRADIUS in the foreground on the
 * configuration rendered from our environment (RADIUS_DATABASE_URL or
 * DATABASE_URL, RADIUS_AUTH_PORT, RADIUS_ACCT_PORT, RADIUS_BIND). SIGTERM and
 * SIGINT are passed on; this process exits with FreeRADIUS's code. It needs a
 * host that takes UDP (README, "Routers detrás de NAT").
 */
import { loadConfigOrExit } from './platform/config';
import { INSTALL_HINT, freeradiusInstalled, startRadiusProcess } from './integrations/radius/process';

if (require.main === module) {
  const config = loadConfigOrExit();
  if (!freeradiusInstalled()) {
    process.stderr.write(`FreeRADIUS no está instalado: ${INSTALL_HINT}\n`);
    process.exit(1);
  }
  const radius = startRadiusProcess(config);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => radius.child.kill(signal));
  }
  void radius.exited.then((code) => process.exit(typeof code === 'number' ? code : 0));
}

/**
 * MikroTik RouterOS client: typed errors, per-router pooled connections with a
 * concurrency bound and a circuit breaker, and the hotspot operations.
 *
 *   const pool = createMikrotikPool({ connectTimeoutMs: 5000, commandTimeoutMs: 10000 });
 *   const hotspot = new HotspotClient(pool);
 *   await hotspot.createUser(router, { name, password, profile, comment: trx.id });
 *   await pool.close();
 */
export { createMikrotikPool } from './pool';
export type { MikrotikPool, MikrotikPoolOptions, PoolLogger, RouterPoolStats, RunOptions } from './pool';
export { HotspotClient, routerMac } from './hotspot';
export {
  HotspotTrialClient, RouterTrialRejectedError, checkTrialSettings, renderTrialRouterOsLines, TRIAL_USER_PROFILE,
  type TrialSettings, type TrialRouterState,
} from './trial';
export {
  RouterError, RouterUnreachableError, RouterTimeoutError, RouterAuthError, RouterCircuitOpenError,
  RouterTrapError, RouterDuplicateUserError, RouterNoSuchItemError, RouterUnknownProfileError,
  isConnectionFailure, trapError,
} from './errors';
export { assertRouterAscii, toRouterAscii, isPrintableAscii } from './ascii';
// The one RouterOS duration module, shared with the simulator and the captive portal.
export { formatRouterDuration, parseRouterDuration } from '../../../shared/routeros-duration';
export type * from './types';

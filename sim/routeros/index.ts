/** RouterOS API simulator: in-process for tests and the demo, or standalone via cli.ts. */
export { startRouterOsSimulator } from './server';
export type { RouterOsSimulator, RouterOsSimulatorOptions, SimFaults } from './server';
export { RouterState, RosTrap } from './state';
export type { SimCounters, SimProfileInput, SimRadiusInput, SimUserInput, RosRecord } from './state';
export type { RadiusStats } from './radius-nas';
export { encodeLength, decodeLength, encodeSentence, SentenceDecoder, ProtocolError } from './protocol';
export { testCertificate } from './tls-cert';
export { startHeartbeat } from './heartbeat';
export type { Heartbeat } from './heartbeat';

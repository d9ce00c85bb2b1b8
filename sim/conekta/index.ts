export {
  startConektaSandbox,
  ConektaSandboxState,
  type ConektaSandbox,
  type ConektaSandboxOptions,
  type ConektaOrder,
  type ConektaEvent,
  type ConektaEventInput,
  type ConektaWebhookKey,
  type ConektaWebhook,
  type SendConektaWebhookOptions,
} from './sandbox';
export { FaultInjector, type FaultSpec, type RecordedRequest } from './kit';

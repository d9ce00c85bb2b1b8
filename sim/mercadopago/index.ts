export {
  startMercadoPagoSandbox,
  MercadoPagoSandboxState,
  type MercadoPagoSandbox,
  type MercadoPagoSandboxOptions,
  type MercadoPagoPayment,
  type SendMercadoPagoWebhookOptions,
} from './sandbox';
export { FaultInjector, type FaultSpec, type RecordedRequest } from '../conekta/kit';

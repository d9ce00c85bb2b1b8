/** Builds a company's gateway client from its (decrypted) credentials. */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { BadRequestError } from '../../platform/errors';
import { configureMercadoPagoBaseUrl, createConektaGateway, createMercadoPagoGateway, httpFetch, type GatewayName, type PaymentGateway } from '../../integrations/gateways';
import { conektaPrivateKey, mercadoPagoAccessToken } from '../empresas';

export interface EmpresaCredentials {
  id: string;
  conekta_private_key_enc: string | null;
  mp_access_token_enc: string | null;
}

export type GatewayFactory = (empresa: EmpresaCredentials, gateway: GatewayName) => PaymentGateway;

export function createGatewayFactory(config: Config, secrets: SecretBox): GatewayFactory {
  // The SDK has no per-client base URL; set it once for the process.
  configureMercadoPagoBaseUrl(config.mercadoPago.apiUrl);
  return (empresa, gateway) => {
    // The keys come from the empresas feature, which also tells every view whether a gateway is configured.
    if (gateway === 'conekta') {
      const privateKey = conektaPrivateKey(empresa, config, secrets);
      if (!privateKey) throw new BadRequestError('La empresa no tiene configurado Conekta');
      // node:http with a keep-alive agent instead of global fetch: less CPU per charge (issue 26).
      return createConektaGateway({ baseUrl: config.conekta.apiUrl, privateKey, timeoutMs: config.payments.gatewayTimeoutMs, fetch: httpFetch as unknown as typeof fetch });
    }
    const accessToken = mercadoPagoAccessToken(empresa, secrets);
    if (!accessToken) throw new BadRequestError('La empresa no tiene configurado Mercado Pago');
    return createMercadoPagoGateway({ accessToken, timeoutMs: config.payments.gatewayTimeoutMs });
  };
}

/** Builds a company's gateway client from its (decrypted) credentials, through the gateway registry. */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { BadRequestError } from '../../platform/errors';
import type { GatewayName, GatewayRegistry, PaymentGateway } from '../../integrations/gateways';
import { gatewaySettings, type EmpresaAccounts } from '../empresas';

/** The company's gateway accounts (its row as the empresas store reads it): each provider reads only its own. */
export type EmpresaCredentials = { id: string } & EmpresaAccounts;

export type GatewayFactory = (empresa: EmpresaCredentials, gateway: GatewayName) => PaymentGateway;

export function createGatewayFactory(config: Config, secrets: SecretBox, registry: GatewayRegistry): GatewayFactory {
  for (const provider of registry.all) provider.configure?.(config);
  return (empresa, gateway) => {
    const provider = registry.find(gateway);
    if (!provider) throw new BadRequestError('Pasarela de pago desconocida');
    // The keys come from the company's stored settings, read by the provider; the empresas feature tells every view whether a gateway is configured.
    const secret = provider.credentials.secret(gatewaySettings(empresa, provider.id, secrets), config);
    if (!secret) throw new BadRequestError(`La empresa no tiene configurado ${provider.label}`);
    return provider.client(secret, config);
  };
}

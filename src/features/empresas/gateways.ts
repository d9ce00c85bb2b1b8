/**
 * "Which gateways can this company sell with?", answered once for every
 * caller: the super admin's and the company admin's views, the portal's
 * config/public and the gateway factory behind purchases, confirmations,
 * webhooks and refunds.
 *
 * - Conekta: the company's own private key, or else the platform's default
 *   (CONEKTA_DEFAULT_PRIVATE_KEY); the public key likewise. The portal needs
 *   both: the public one to tokenize the card, the private one to charge it.
 * - Mercado Pago: the company's access token and public key (no platform default).
 */
import type { Config } from '../../platform/config';
import type { SecretBox } from '../../platform/crypto/secret-box';
import { conektaProvider, mercadoPagoProvider, type GatewayProvider, type StoredSettings } from '../../integrations/gateways';
import type { EmpresaRow } from './models';

export type EmpresaGatewayColumns = Pick<EmpresaRow, 'conekta_private_key_enc' | 'conekta_public_key' | 'mp_access_token_enc' | 'mp_public_key'>;

export interface GatewaysConfigured {
  conekta: {
    /** The portal can take a card payment with Conekta. */
    configurado: boolean;
    /** The public key the portal tokenizes with (the company's, or the platform's default). */
    public_key: string | null;
    /** It sells on the platform's default private key. */
    llave_de_plataforma: boolean;
  };
  mercado_pago: { configurado: boolean; public_key: string | null };
}

export function gatewaysConfigured(row: EmpresaGatewayColumns, config: Config): GatewaysConfigured {
  // Each provider's own settings view; this answer keeps the original's shape (issue 13).
  const view = (provider: GatewayProvider) => ({
    configurado: provider.settingsView.configured(row, config),
    public_key: provider.settingsView.publicKey(row, config),
  });
  const conekta = view(conektaProvider);
  return {
    conekta: {
      ...conekta,
      llave_de_plataforma: Boolean(conektaProvider.credentials.platformAccount?.({ row, open: () => null }, config)),
    },
    mercado_pago: view(mercadoPagoProvider),
  };
}

/**
 * A company's stored gateway settings as a provider reads them (its own columns
 * of the company's row, sealed secrets opened here): each provider says which
 * secret it charges with and which key verifies its webhooks.
 */
export function gatewaySettings(row: Readonly<Record<string, unknown>>, secrets: SecretBox): StoredSettings {
  return { row, open: (sealed) => (typeof sealed === 'string' && sealed ? secrets.open(sealed) : null) };
}

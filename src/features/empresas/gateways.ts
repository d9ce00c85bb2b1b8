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
import type { EmpresaRow, PasarelaRow } from './models';

/** The company's accounts by gateway id: all a gateway question needs of it. */
export type EmpresaAccounts = Pick<EmpresaRow, 'pasarelas'>;

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

export function gatewaysConfigured(empresa: EmpresaAccounts, config: Config): GatewaysConfigured {
  // Each provider's own settings view; this answer keeps the original's shape (issue 13).
  const view = (provider: GatewayProvider) => ({
    configurado: provider.settingsView.configured(empresa.pasarelas[provider.id], config),
    public_key: provider.settingsView.publicKey(empresa.pasarelas[provider.id], config),
  });
  const conekta = view(conektaProvider);
  return {
    conekta: {
      ...conekta,
      llave_de_plataforma: Boolean(conektaProvider.credentials.platformAccount?.({ account: empresa.pasarelas.conekta, open: () => null }, config)),
    },
    mercado_pago: view(mercadoPagoProvider),
  };
}

/** The company's account with one gateway (undefined: it saved none). */
export const accountOf = (empresa: EmpresaAccounts, pasarela: string): PasarelaRow | undefined => empresa.pasarelas[pasarela];

/** A gateway's mode for the company ("test" until it saves another). */
export const modeOf = (empresa: EmpresaAccounts, pasarela: string): 'test' | 'live' => accountOf(empresa, pasarela)?.modo ?? 'test';

/**
 * A company's stored settings of one gateway as its provider reads them: that
 * gateway's account only, sealed values opened here.
 */
export function gatewaySettings(empresa: EmpresaAccounts, pasarela: string, secrets: SecretBox): StoredSettings {
  return { account: accountOf(empresa, pasarela), open: (sealed) => (sealed ? secrets.open(sealed) : null) };
}

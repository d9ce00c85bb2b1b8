/**
 * The gateways this service speaks to: one line per gateway in
 * `GATEWAY_PROVIDERS`, each a provider object from its own folder
 * (src/integrations/<gateway>/provider.ts, see provider.ts). The composition
 * root builds one registry from that list (tests may add a provider of their
 * own); checkout, webhooks, the settings views and the factory of gateway
 * clients find a gateway only through it.
 */
import { conektaProvider } from '../conekta/provider';
import { mercadoPagoProvider } from '../mercadopago/provider';
import type { GatewayName } from './port';
import type { GatewayProvider } from './provider';

export const GATEWAY_PROVIDERS: readonly GatewayProvider[] = [
  conektaProvider,
  mercadoPagoProvider,
];

const PROVIDER_ID = /^[a-z][a-z0-9]{1,29}$/;
const WEBHOOK_SLUG = /^[a-z][a-z0-9-]{1,39}$/;

export interface GatewayRegistry {
  /** Every provider, in registration order (the portal offers them in this order). */
  readonly all: readonly GatewayProvider[];
  /** The provider of `id`, or undefined. */
  find(id: string): GatewayProvider | undefined;
  /** The provider of `id`; throws for a name that is not registered (a programming error). */
  get(id: GatewayName): GatewayProvider;
  /** The company's webhook URL for this gateway: built here only. */
  webhookUrl(publicBaseUrl: string, id: GatewayName, empresaId: string): string;
}

/** The path of a gateway's per-company webhook route (`:empresa_id` where the company goes). */
export const webhookPath = (provider: Pick<GatewayProvider, 'webhookSlug'>, empresaId = ':empresa_id') =>
  `/api/v1/webhook/${provider.webhookSlug}/${empresaId}`;

export function createGatewayRegistry(providers: readonly GatewayProvider[] = GATEWAY_PROVIDERS): GatewayRegistry {
  const byId = new Map<string, GatewayProvider>();
  const slugs = new Set<string>();
  for (const provider of providers) {
    if (!PROVIDER_ID.test(provider.id)) throw new Error(`gateway id '${provider.id}' must be lower-case letters and digits`);
    if (!WEBHOOK_SLUG.test(provider.webhookSlug)) throw new Error(`gateway '${provider.id}': bad webhook slug '${provider.webhookSlug}'`);
    if (byId.has(provider.id) || slugs.has(provider.webhookSlug)) throw new Error(`gateway '${provider.id}' registered twice`);
    if (provider.webhooks.name !== provider.id) throw new Error(`gateway '${provider.id}': its webhook parser is named '${provider.webhooks.name}'`);
    byId.set(provider.id, provider);
    slugs.add(provider.webhookSlug);
  }
  const get = (id: string): GatewayProvider => {
    const provider = byId.get(id);
    if (!provider) throw new Error(`gateway '${id}' is not registered`);
    return provider;
  };
  return {
    all: [...providers],
    find: (id) => byId.get(id),
    get,
    webhookUrl: (publicBaseUrl, id, empresaId) => `${publicBaseUrl.replace(/\/+$/, '')}${webhookPath(get(id), empresaId)}`,
  };
}

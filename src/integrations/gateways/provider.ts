/**
 * A payment gateway as one object (issue 25): everything the rest of the
 * service needs to know about it, so adding a gateway is its folder in
 * src/integrations/<gateway>/ (with a `provider.ts` exporting one of these)
 * and one line in registry.ts. Nothing outside that folder switches on a
 * gateway's name.
 */
import type { Config } from '../../platform/config';
import type { CashMethod, GatewayName, PaymentGateway, WebhookParser } from './port';

/**
 * A company's account with one gateway, as stored (one row of
 * `empresa_pasarelas`, keyed by company and gateway id): the same fields for
 * every gateway, whose meaning each provider states. Sealed values end in `_enc`.
 */
export interface StoredAccount {
  /** The gateway's test or live environment. */
  readonly modo: 'test' | 'live';
  /** The public key the portal tokenizes a card with. */
  readonly llave_publica: string | null;
  /** The sealed secret the company's client charges, looks up and refunds with. */
  readonly secreto_enc: string | null;
  /** A public key (in the clear) that verifies its webhooks. */
  readonly webhook_llave: string | null;
  /** A sealed shared secret that verifies its webhooks. */
  readonly webhook_secreto_enc: string | null;
}

/**
 * What a provider reads of a company's stored settings: its own account only
 * (undefined when the company saved none), sealed values opened with `open`.
 */
export interface StoredSettings {
  readonly account: StoredAccount | undefined;
  open(sealed: string | null | undefined): string | null;
}

/** The fields a company types in for a gateway (each stored in its account: `secreto` and `webhook_secreto` sealed). */
export const ACCOUNT_FIELDS = ['secreto', 'llave_publica', 'webhook_llave', 'webhook_secreto'] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

export interface GatewayProvider {
  /** Stored in `transacciones.gateway` and used in our own paths: lower-case letters and digits. */
  readonly id: GatewayName;
  /** Its name for people (Spanish UI text, notifications). */
  readonly label: string;
  /** The path segment of its webhook URL: `/api/v1/webhook/<webhookSlug>/{empresa_id}`. */
  readonly webhookSlug: string;
  /** OpenAPI summary of its per-company webhook route. */
  readonly webhookSummary: string;
  /** Verifies and parses its webhook deliveries (no I/O). */
  readonly webhooks: WebhookParser;
  /** What the captive portal may offer with it besides a card (cash at a store, SPEI), in the portal's order. */
  readonly cashMethods: readonly CashMethod[];
  /** Whether the customer's phone is required for `method` (a card is 'tarjeta'). */
  phoneRequired(method: 'tarjeta' | CashMethod): boolean;
  /**
   * The card purchase path of the original service for this gateway, with its own body
   * (declared in the checkout feature); absent: the card route is the registry's
   * `/api/v1/payments/pagar/<id>` with the common body and a `token`.
   */
  readonly originalCardPath?: string;
  /**
   * Whether the captive portal's page takes a card with it: true only where the
   * portal bundle has its card tokenizer (`portal/src/tokenize.ts`), the one part
   * of a gateway outside its folder. Absent: the portal does not offer it (it
   * still sells through the API).
   */
  readonly portalCard?: boolean;
  /** Whether each charge carries our webhook URL (Mercado Pago's `notification_url`). */
  readonly sendsWebhookUrlWithCharge: boolean;
  /**
   * The gateway's own words for a sale's payment state, where the original's answers
   * used them (Mercado Pago: approved, in_process, rejected...); absent: our state.
   */
  statusWord?(estadoPago: string): string;
  /** Called once per process before any client is made (a process-wide SDK setting). */
  configure?(config: Config): void;
  /**
   * Its credentials schema: the account fields a company types in for it, each
   * with its Spanish description (the registry's settings route refuses the
   * others). `secreto` is what `credentials.secret` charges with.
   */
  readonly accountFields: Readonly<Partial<Record<AccountField, string>>>;
  /**
   * The original service's own settings path for it, where a company configures
   * it (with the original's field names) instead of the registry's
   * `/api/v1/admin/mi-empresa/pasarelas/<id>`.
   */
  readonly settingsPath?: string;
  readonly credentials: {
    /** The secret a company's client charges, looks up and refunds with (null: not configured). */
    secret(settings: StoredSettings, config: Config): string | null;
    /** The key its webhooks are verified with (null: none configured, deliveries are refused). */
    webhookKey(settings: StoredSettings): string | null;
    /**
     * The company sells on the platform's own account of this gateway (shared by
     * every company without its own key), so a delivery to one company's URL may
     * concern another such company's sale.
     */
    platformAccount?(settings: StoredSettings, config: Config): boolean;
  };
  /**
   * What the settings views and the portal show of a company's setup (no secret
   * is opened): whether it can take a payment with this gateway, and the public
   * key the portal tokenizes a card with.
   */
  readonly settingsView: {
    publicKey(account: StoredAccount | undefined, config: Config): string | null;
    configured(account: StoredAccount | undefined, config: Config): boolean;
  };
  /** A client for one account. */
  client(secret: string, config: Config): PaymentGateway;
}

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
 * What a provider reads from a company's stored gateway settings: its own
 * columns of the company's row (never another gateway's), sealed secrets
 * opened with `open`.
 */
export interface StoredSettings {
  readonly row: Readonly<Record<string, unknown>>;
  open(sealed: unknown): string | null;
}

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
  /** Whether each charge carries our webhook URL (Mercado Pago's `notification_url`). */
  readonly sendsWebhookUrlWithCharge: boolean;
  /**
   * The gateway's own words for a sale's payment state, where the original's answers
   * used them (Mercado Pago: approved, in_process, rejected...); absent: our state.
   */
  statusWord?(estadoPago: string): string;
  /** Called once per process before any client is made (a process-wide SDK setting). */
  configure?(config: Config): void;
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
    publicKey(row: Readonly<Record<string, unknown>>, config: Config): string | null;
    configured(row: Readonly<Record<string, unknown>>, config: Config): boolean;
  };
  /** A client for one account. */
  client(secret: string, config: Config): PaymentGateway;
}
